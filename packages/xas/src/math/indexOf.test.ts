import { describe, expect, it } from 'vitest';
import { indexNearest, indexNearestSorted, indexOf, indexOfSorted } from './indexOf';

describe('indexOf (Larch index_of)', () => {
  const e = new Float64Array([10, 11, 12.5, 14, 20]);
  it('returns the largest index at or below the value', () => {
    expect(indexOf(e, 12.5)).toBe(2);
    expect(indexOf(e, 12.49)).toBe(1);
    expect(indexOf(e, 100)).toBe(4);
  });
  it('returns 0 below the minimum', () => {
    expect(indexOf(e, 3)).toBe(0);
  });
});

describe('indexNearest (Larch index_nearest)', () => {
  const e = new Float64Array([10, 11, 12.5, 14, 20]);
  it('returns the nearest index, first one on ties', () => {
    expect(indexNearest(e, 12.4)).toBe(2);
    expect(indexNearest(e, 17)).toBe(3); // |14−17| = 3 = |20−17|: numpy argmin takes the first
    expect(indexNearest(e, -5)).toBe(0);
    expect(indexNearest(e, 1e6)).toBe(4);
  });
  it('differs from indexOf where Larch relies on it (floor vs nearest)', () => {
    expect(indexOf(e, 13.9)).toBe(2);
    expect(indexNearest(e, 13.9)).toBe(3);
  });
});

describe('indexOfSorted / indexNearestSorted (bisection on increasing arrays)', () => {
  it('agree with the linear scans on random increasing grids, including ties and values off the ends', () => {
    let seed = 3;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 40);
      const a = new Float64Array(n);
      let x = 8000 + r() * 10;
      for (let i = 0; i < n; i++) a[i] = x += trial % 3 === 0 ? 1 : 0.01 + r() * 5;
      const probes = [a[0] - 3, a[n - 1] + 3, ...Array.from(a), ...Array.from({ length: 20 }, () => a[0] - 1 + r() * (a[n - 1] - a[0] + 2))];
      for (let i = 0; i + 1 < n; i++) probes.push(0.5 * (a[i] + a[i + 1])); // exact midpoints: ties
      for (const v of probes) {
        expect(indexOfSorted(a, v)).toBe(indexOf(a, v));
        expect(indexNearestSorted(a, v)).toBe(indexNearest(a, v));
      }
    }
  });
});
