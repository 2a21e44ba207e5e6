import { describe, expect, it } from 'vitest';
import { NumericalError, ValidationError } from '@siteproof/core';
import { lcf } from './lcf';
import { lcfCombinations } from './lcfCombinations';
import { lcfSeries, lcfSeriesCsv } from './lcfSeries';

// Synthetic XANES-like references: arctan edges with different white lines.
function edge(x: Float64Array, e0: number, wl: number, width: number): Float64Array {
  return x.map((e) => 0.5 + Math.atan((e - e0) / 1.5) / Math.PI + wl * Math.exp(-(((e - e0 - 4) / width) ** 2)));
}
const grid = Float64Array.from({ length: 301 }, (_, i) => 7080 + i * 0.4);
const A = { name: 'A', x: grid, y: edge(grid, 7112, 0.6, 3) };
const B = { name: 'B', x: grid, y: edge(grid, 7118, 1.2, 4) };
const C = { name: 'C', x: grid, y: edge(grid, 7124, 0.3, 6) };

describe('lcf', () => {
  it('recovers exact weights of a noiseless mixture (tolerance 1e-9)', () => {
    const y = grid.map((_, i) => 0.2 * A.y[i] + 0.5 * B.y[i] + 0.3 * C.y[i]);
    const r = lcf(grid, y, [A, B, C], { sumToOne: true });
    expect(r.weights.map((w) => w.value)).toEqual([expect.closeTo(0.2, 9), expect.closeTo(0.5, 9), expect.closeTo(0.3, 9)]);
    expect(r.rFactor).toBeLessThan(1e-18);
    expect(r.nvarys).toBe(2);
  });

  it('keeps weights in [0,1] and sums to one exactly when asked', () => {
    // Data that wants a negative C weight.
    const y = grid.map((_, i) => 0.7 * A.y[i] + 0.5 * B.y[i] - 0.2 * C.y[i]);
    const r = lcf(grid, y, [A, B, C], { sumToOne: true });
    for (const w of r.weights) {
      expect(w.value).toBeGreaterThanOrEqual(0);
      expect(w.value).toBeLessThanOrEqual(1);
    }
    expect(r.sum.value).toBeCloseTo(1, 12);
    expect(r.weights[2].value).toBe(0);
  });

  it('fits a common energy shift to within 0.01 eV and gives its uncertainty', () => {
    const fine = Float64Array.from({ length: 1201 }, (_, i) => 7070 + i * 0.1);
    const refs = [
      { name: 'A', x: fine, y: edge(fine, 7112, 0.6, 3) },
      { name: 'B', x: fine, y: edge(fine, 7118, 1.2, 4) },
    ];
    // data(E) = mixture(E - 1.3): the data must be shifted by +1.3 eV to match.
    const dataX = Float64Array.from({ length: 250 }, (_, i) => 7090 + i * 0.33);
    const shiftedX = dataX.map((e) => e - 1.3);
    const y = edge(shiftedX, 7112, 0.6, 3).map((v, i) => 0.4 * v + 0.6 * edge(shiftedX, 7118, 1.2, 4)[i]);
    const r = lcf(dataX, y, refs, { varyEShift: true, xmin: 7095, xmax: 7160 });
    expect(r.eShift.value).toBeCloseTo(1.3, 2);
    expect(r.weights[0].value).toBeCloseTo(0.4, 3);
    expect(r.eShift.stderr).not.toBeNull();
  });

  it('refuses identical references with a clear NumericalError, never NaN weights', () => {
    const y = grid.map((_, i) => A.y[i]);
    expect(() => lcf(grid, y, [A, { ...A, name: 'A copy' }])).toThrow(NumericalError);
    expect(() => lcf(grid, y, [A, { ...A, name: 'A copy' }])).toThrow(/identical/);
    const AB = { name: 'A+B', x: grid, y: grid.map((_, i) => A.y[i] + B.y[i]) };
    expect(() => lcf(grid, y, [A, B, AB])).toThrow(/linearly dependent/);
  });

  it('refuses references on disjoint energy ranges', () => {
    const far = Float64Array.from({ length: 100 }, (_, i) => 9000 + i);
    expect(() => lcf(grid, A.y, [A, { name: 'far', x: far, y: far.map(() => 1) }])).toThrow(ValidationError);
    expect(() => lcf(grid, A.y, [A, { name: 'far', x: far, y: far.map(() => 1) }])).toThrow(/share no energy range/);
  });

  it('restricts the window to the common range with a warning', () => {
    const part = grid.slice(50);
    const r = lcf(grid, A.y, [A, { name: 'Bp', x: part, y: B.y.slice(50) }]);
    expect(r.warnings.join()).toMatch(/beyond the range/);
    expect(r.x[0]).toBe(grid[50]);
  });

  it('combinatorial mode ranks the true subset first', () => {
    const y = grid.map((_, i) => 0.35 * A.y[i] + 0.65 * C.y[i] + 0.001 * Math.sin(i));
    const r = lcfCombinations(grid, y, [A, B, C], { maxComponents: 2, fit: { sumToOne: true } });
    expect(r.tried).toBe(6);
    expect(r.fits[0].weights.map((w) => w.name)).toEqual(['A', 'C']);
    expect(r.fits[0].weights[0].value).toBeCloseTo(0.35, 2);
  });

  it('batch over a series gives a CSV row per spectrum', () => {
    const spectra = [0, 0.25, 0.5].map((f, j) => ({ name: `s${j}`, x: grid, y: grid.map((_, i) => f * A.y[i] + (1 - f) * B.y[i]), variable: -0.2 * j }));
    const res = lcfSeries(spectra, [A, B], { sumToOne: true });
    expect(res.rows.map((r) => r.fit!.weights[0].value)).toEqual([expect.closeTo(0, 9), expect.closeTo(0.25, 9), expect.closeTo(0.5, 9)]);
    const csv = lcfSeriesCsv(res).trim().split('\n');
    expect(csv[0]).toBe('spectrum,variable,A,A_stderr,B,B_stderr,sum,eshift,eshift_stderr,rfactor,redchi,error');
    expect(csv).toHaveLength(4);
    const cells = csv[2].split(',');
    expect(cells.slice(0, 2)).toEqual(['s1', '-0.2']);
    expect(Number(cells[2])).toBeCloseTo(0.25, 9);
  });
});
