import { describe, expect, it } from 'vitest';
import { findEnergyStep, orderedIndices, removeDups, roundHalfEven } from './energyGrid';

describe('Larch energy-grid helpers', () => {
  it('roundHalfEven is Python round (banker’s rounding)', () => {
    expect([-37.5, -38.5, 2.5, 3.5, 0.5, 1.5, -2.4, 2.6].map(roundHalfEven)).toEqual([-38, -38, 2, 4, 0, 2, -2, 3]);
  });
  it('removeDups pushes repeats apart by tiny, cumulatively (Larch docstring example)', () => {
    const got = removeDups([1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 8], 1e-6);
    const want = [1, 2, 3, 3.000001, 3.000002, 4, 5, 6, 7, 7.000001, 8];
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 12);
  });
  it('removeDups leaves well-separated grids alone', () => {
    expect(Array.from(removeDups([1, 2, 3]))).toEqual([1, 2, 3]);
  });
  it('orderedIndices drops the last point of sorted data, as numpy diff(argsort)==1 does', () => {
    expect(Array.from(orderedIndices([1, 2, 3, 4]))).toEqual([0, 1, 2]);
  });
  it('findEnergyStep is NaN below 100 points (Larch slice [0:-0]) and averages the small steps above', () => {
    expect(findEnergyStep(Array.from({ length: 50 }, (_, i) => i))).toBeNaN();
    const e = Array.from({ length: 300 }, (_, i) => (i < 150 ? 0.5 * i : 75 + 2 * (i - 150)));
    expect(findEnergyStep(e)).toBeCloseTo(0.5, 12);
  });
  it('findEnergyStep picks the same steps as a full sort (Larch: sort all, mean of sorted[nskip : nskip+nave])', () => {
    // reference: Larch's recipe written with a full sort
    const larch = (e: number[]) => {
      const ord = orderedIndices(e);
      const nskip = Math.trunc(0.01 * e.length);
      const sel = Array.from(ord, (i) => e[i]).slice(nskip, ord.length - nskip);
      const d = Float64Array.from(sel.slice(1), (v, i) => v - sel[i]).sort();
      const pick = d.slice(nskip, nskip + 10);
      let s = 0;
      for (const v of pick) s += v;
      return s / pick.length;
    };
    let seed = 11;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 50; trial++) {
      const n = 100 + Math.floor(r() * 900);
      let x = 7000;
      const e = Array.from({ length: n }, () => (x += [0.25, 0.5, 1, 0.1 + r()][Math.floor(r() * 4)]));
      if (trial % 5 === 0) [e[10], e[11]] = [e[11], e[10]]; // out of order: orderedIndices path
      expect(findEnergyStep(e)).toBe(larch(e));
    }
  });
});
