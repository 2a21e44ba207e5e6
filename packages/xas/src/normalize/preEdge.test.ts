import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { findE0 } from './findE0';
import { gradientRatio } from '../math/gradient';
import { preEdge, preEdgeCore, PreEdgeOptionsSchema } from './preEdge';
import { setWasmEnabled, wasmEnabled } from '../wasm/instance';

/** A smooth synthetic edge: line + arctan step at 8333 eV on a typical XAFS grid. */
function synthetic(): { energy: Float64Array; mu: Float64Array } {
  const e: number[] = [];
  for (let x = 8133; x < 8313; x += 5) e.push(x);
  for (let x = 8313; x < 8363; x += 0.5) e.push(x);
  for (let x = 8363; x < 9200; x += 3) e.push(x);
  const energy = Float64Array.from(e);
  const mu = energy.map((x) => 0.8 - 2e-4 * (x - 8333) + 1.5 * (0.5 + Math.atan((x - 8333) / 1.5) / Math.PI) * (1 - 1e-4 * Math.max(0, x - 8333)));
  return { energy, mu };
}

describe('findE0', () => {
  it('finds the inflection of an arctan edge to within one grid step', () => {
    const { energy, mu } = synthetic();
    expect(Math.abs(findE0(energy, mu) - 8333)).toBeLessThanOrEqual(0.5);
  });
});

describe('preEdge', () => {
  it('normalizes a synthetic edge: pre-edge ≈ 0, post-edge ≈ 1, step ≈ 1.5', () => {
    const { energy, mu } = synthetic();
    const r = preEdge(energy, mu);
    expect(r.edgeStep).toBeGreaterThan(1.4);
    expect(r.edgeStep).toBeLessThan(1.6);
    expect(Math.abs(r.norm[0])).toBeLessThan(0.01);
    expect(Math.abs(r.flat[r.flat.length - 1] - 1)).toBeLessThan(0.02);
    // Larch code defaults: pre1 from the 2nd point rounded to 5 eV, pre2 = pre1/2, norm1 = min(25, …)
    expect(r.pre1).toBe(5 * Math.round((energy[1] - r.e0) / 5));
    expect(r.pre2).toBe(0.5 * r.pre1);
    expect(r.norm1).toBe(25);
  });
  it('does not modify its inputs and sorts unsorted input like Larch', () => {
    const { energy, mu } = synthetic();
    const e2 = Float64Array.from(energy).reverse();
    const m2 = Float64Array.from(mu).reverse();
    const copyE = Float64Array.from(e2);
    const a = preEdge(energy, mu);
    const b = preEdge(e2, m2);
    expect(Array.from(e2)).toEqual(Array.from(copyE));
    expect(b.e0).toBe(a.e0);
    expect(Array.from(b.norm)).toEqual(Array.from(a.norm));
  });
  it('rejects NaN, short input and bad options with a ValidationError naming the field', () => {
    const { energy, mu } = synthetic();
    const bad = Float64Array.from(mu);
    bad[7] = NaN;
    expect(() => preEdge(energy, bad)).toThrow(/mu\[7\]/);
    expect(() => preEdge(energy.subarray(0, 5), mu.subarray(0, 5))).toThrow(ValidationError);
    expect(() => preEdge(energy, mu, { nnorm: 9 })).toThrow(/options.nnorm/);
    expect(() => preEdge(energy, mu, { pre1: Number.NaN })).toThrow(ValidationError);
  });
  it('uses a constant pre-edge when the pre-edge range holds fewer than 3 points (Larch npre=0)', () => {
    const { energy, mu } = synthetic();
    const r = preEdge(energy, mu, { pre1: -150, pre2: -143 });
    expect(r.npre).toBe(0);
    expect(r.preSlope).toBe(0);
  });
});

describe('findE0 grid cache', () => {
  it('gives the same E0 for a spectrum before and after other spectra on the same and on other grids', () => {
    const grid = (d: number) => Array.from({ length: 420 }, (_, i) => 8200 + d + (i < 150 ? i * 1.0 : 150 + (i - 150) * 0.35 + (i > 300 ? (i - 300) * 2 : 0)));
    const mu = (E: number[], e0: number, c: number) => E.map((x, i) => 0.1 + (0.5 + Math.atan((x - e0) / (1 + c)) / Math.PI) + 0.002 * Math.sin(i * 1.3 + c));
    const E1 = grid(0);
    const E2 = grid(0.25);
    const first = findE0(E1, mu(E1, 8333, 0));
    const others = [findE0(E1, mu(E1, 8340, 0.5)), findE0(E2, mu(E2, 8336, 0.2)), findE0(Float64Array.from(E1), mu(E1, 8345, 1))];
    expect(findE0(Float64Array.from(E1), mu(E1, 8333, 0))).toBe(first);
    // each spectrum's E0 is near its own edge, not a cached neighbour's
    expect(Math.abs(first - 8333)).toBeLessThan(1);
    expect(Math.abs(others[0] - 8340)).toBeLessThan(1.5);
    expect(Math.abs(others[1] - 8336)).toBeLessThan(1.5);
    expect(Math.abs(others[2] - 8345)).toBeLessThan(2);
  });
});

describe('preEdge outputs made on first access', () => {
  it('flat (makeFlat false) is norm, dmude/d2mude are Larch’s gradient ratios, computed once; JSON includes them', () => {
    const { energy, mu } = synthetic();
    const r = preEdge(energy, mu, { makeFlat: false });
    expect(Array.from(r.flat)).toEqual(Array.from(r.norm));
    expect(r.flat).not.toBe(r.norm);
    expect(Array.from(r.dmude)).toEqual(Array.from(gradientRatio(r.norm, r.energy)));
    expect(Array.from(r.d2mude)).toEqual(Array.from(gradientRatio(gradientRatio(r.norm, r.energy), r.energy)));
    expect(r.dmude).toBe(r.dmude); // computed once
    const json = JSON.parse(JSON.stringify(r));
    expect(Object.keys(json)).toEqual(['energy', 'mu', 'e0', 'ie0', 'edgeStep', 'pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict', 'npre', 'preOffset', 'preSlope', 'normCoefs', 'preEdge', 'postEdge', 'norm', 'flat', 'dmude', 'd2mude']);
    expect(json.e0).toBe(r.e0);
    const full = preEdge(energy, mu);
    expect(Array.from(full.dmude)).toEqual(Array.from(r.dmude));
    expect(full.e0).toBe(r.e0);
    expect(full.edgeStep).toBe(r.edgeStep);
    expect(Object.keys(JSON.parse(JSON.stringify(full)))).toContain('flatAlt');
  });
});

describe('preEdge with and without WebAssembly', () => {
  it('gives the same bits for every output and option set (nvict, npre 0, isCalc, makeFlat, unsorted grids, errors)', () => {
    expect(wasmEnabled()).toBe(true); // Node 20 has WebAssembly SIMD: the kernel path is tested
    const { energy, mu } = synthetic();
    const unsorted = Float64Array.from(energy);
    [unsorted[5], unsorted[6]] = [unsorted[6], unsorted[5]];
    const dup = Float64Array.from(energy);
    dup[40] = dup[39];
    const withNaN = Float64Array.from(mu);
    withNaN[17] = NaN;
    const flat = Float64Array.from(energy, (e) => 1 + 0 * e);
    const cases: [Float64Array, Float64Array, Record<string, unknown>][] = [
      [energy, mu, {}],
      [energy, mu, { makeFlat: false }],
      [energy, mu, { nvict: 2 }],
      [energy, mu, { npre: 0 }],
      [energy, mu, { isCalc: true }],
      [energy, mu, { nnorm: 3 }],
      [energy, mu, { nnorm: 0, step: 1.2 }],
      [unsorted, mu, {}],
      [dup, mu, {}],
      [energy, withNaN, {}],
      [energy, flat, {}],
      [Float64Array.from(energy).reverse(), mu, {}],
    ];
    const outcome = (e: Float64Array, m: Float64Array, opts: Record<string, unknown>) => {
      try {
        const r = preEdge(e, m, opts);
        return JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
      } catch (err) {
        return String(err);
      }
    };
    for (const [e, m, opts] of cases) {
      const w = outcome(e, m, opts);
      const was = setWasmEnabled(false);
      const j = outcome(e, m, opts);
      setWasmEnabled(was);
      expect(w).toEqual(j);
    }
  });
});

describe('preEdgeCore (the EXAFS pipeline\'s lean call)', () => {
  it('returns preEdge\'s E0, edge step, grid and μ, and throws its errors', () => {
    const { energy, mu } = synthetic();
    const o = PreEdgeOptionsSchema.parse({ makeFlat: false });
    const full = preEdge(energy, mu, { makeFlat: false });
    const lean = preEdgeCore(energy, mu, o);
    expect(lean.e0).toBe(full.e0);
    expect(lean.edgeStep).toBe(full.edgeStep);
    expect(Array.from(lean.energy)).toEqual(Array.from(full.energy));
    expect(Array.from(lean.mu)).toEqual(Array.from(full.mu));
    expect(lean.energy).not.toBe(energy); // the grid is a copy
    const flat = Float64Array.from(energy, () => 1);
    expect(() => preEdgeCore(energy, flat, o)).toThrow(/edge step/);
    const unsorted = Float64Array.from(energy);
    [unsorted[5], unsorted[6]] = [unsorted[6], unsorted[5]];
    expect(preEdgeCore(unsorted, mu, o).edgeStep).toBe(preEdge(unsorted, mu, { makeFlat: false }).edgeStep);
  });
});
