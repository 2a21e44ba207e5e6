import { describe, expect, it } from 'vitest';
import { buildMu, guessEnergyUnits, removeDups } from './mu';
import type { ColumnData } from './types';

function data(labels: string[], cols: number[][]): ColumnData {
  return { file: 't.dat', format: 'ascii', labels, columns: cols.map((c) => Float64Array.from(c)), header: [], metadata: {}, warnings: [] };
}
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('buildMu', () => {
  it('default mu column order mu, xmu, mutrans, mufluor', () => {
    const d = data(['energy', 'mufluor', 'xmu'], [range(12, (i) => 7000 + i), range(12, () => 1), range(12, () => 2)]);
    expect(buildMu(d).muExpr).toBe('xmu');
  });
  it("keV → eV by Larch's guess_energy_units, with a warning", () => {
    const d = data(['energy', 'mu'], [range(12, (i) => 8.97 + i * 0.001), range(12, (i) => i)]);
    const s = buildMu(d);
    expect(s.energy[0]).toBeCloseTo(8970, 9);
    expect(s.warnings.join()).toMatch(/keV/);
  });
  it('energy guessed from the first column is said in a warning', () => {
    const d = data(['col1', 'mu'], [range(12, (i) => 7000 + i), range(12, (i) => i)]);
    expect(buildMu(d).warnings.join()).toMatch(/first column 'col1'/);
  });
  it('reference channel on the same grid', () => {
    const d = data(['energy', 'i0', 'itrans', 'irefer'], [range(12, (i) => 7000 + i), range(12, () => 100), range(12, () => 50), range(12, () => 25)]);
    const s = buildMu(d, { mu: 'ln(i0/itrans)', reference: 'ln(itrans/irefer)' });
    expect(s.reference?.[0]).toBeCloseTo(Math.log(2), 14);
    expect(s.referenceExpr).toBe('ln(itrans/irefer)');
  });
  it('an angle scan is refused rather than guessed', () => {
    const d = data(['angle', 'mu'], [range(12, (i) => 20 - i * 0.001), range(12, (i) => i)]);
    expect(() => buildMu(d, { energy: 'angle' })).toThrow(/degrees/);
  });
});

describe('Larch helpers', () => {
  it('guess_energy_units', () => {
    expect(guessEnergyUnits([8.9, 8.901, 8.9012])).toBe('keV');
    expect(guessEnergyUnits([8900, 8901, 8902])).toBe('eV');
    expect(guessEnergyUnits([20, 19.999, 19.998])).toBe('deg');
    expect(guessEnergyUnits([300000, 300010])).toBe('steps');
  });
  it('remove_dups (docstring example with tiny=1e-6)', () => {
    const x = removeDups([1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 8], 1e-6);
    expect(Array.from(x)).toEqual([1, 2, 3, 3.000001, 3.000002, 4, 5, 6, 7, 7.000001, 8]);
    expect(Array.from(removeDups([1, 2, 3]))).toEqual([1, 2, 3]);
  });
});

describe('angle → energy', () => {
  it("Bragg's law with Mono.d_spacing; descending angle gives ascending energy", () => {
    const d = data(['angle', 'mu'], [range(12, (i) => 14.3 - i * 0.01), range(12, (i) => i)]);
    d.metadata['Mono.d_spacing'] = '3.13551';
    const s = buildMu(d, { energy: 'angle', energyUnits: 'deg' });
    // the largest angle (14.3°, first row) is the lowest energy, first after ordering
    expect(s.energy[0]).toBeCloseTo(12398.419843320026 / (2 * 3.13551 * Math.sin((14.3 * Math.PI) / 180)), 9);
    expect(s.energy[0]).toBeLessThan(s.energy[11]);
    expect(s.warnings.join()).toMatch(/monochromator angle 'angle' with d = 3\.13551/);
  });
});
