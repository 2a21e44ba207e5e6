import { describe, expect, it } from 'vitest';
import { NumericalError, ValidationError } from '@siteproof/core';
import { fitOxidationLine, predictValence } from './oxidationState';

// Fe references: Fe(0), Fe(1), Fe(2), Fe(3) with a scattered E0 (eV).
const refs = [
  { name: 'Fe foil', valence: 0, e0: 7112.0 },
  { name: 'A', valence: 1, e0: 7116.1 },
  { name: 'FeO', valence: 2, e0: 7119.9 },
  { name: 'Fe2O3', valence: 3, e0: 7124.3 },
];

describe('oxidation-state calibration line', () => {
  it('fits E0 vs valence by least squares (numpy polyfit / scipy linregress values)', () => {
    const line = fitOxidationLine(refs);
    expect(line.intercept).toBeCloseTo(7111.97, 9);
    expect(line.slope).toBeCloseTo(4.07, 9);
    expect(line.residualStd).toBeCloseTo(0.1774823934935573, 12);
    expect(line.slopeStderr).toBeCloseTo(0.07937253933210031, 12);
    expect(line.interceptStderr).toBeCloseTo(0.14849242404947915, 12);
  });
  it('predicts a valence with the calibration-curve standard uncertainty', () => {
    const p = predictValence(fitOxidationLine(refs), 7118.0);
    expect(p.valence).toBeCloseTo(1.4815724815722549, 10);
    expect(p.uncertainty).toBeCloseTo(0.04875595548365402, 12);
    // more replicate scans of the unknown → smaller uncertainty
    expect(predictValence(fitOxidationLine(refs), 7118.0, { replicates: 4 }).uncertainty).toBeLessThan(p.uncertainty);
  });
  it('refuses degenerate calibrations', () => {
    expect(() => fitOxidationLine([refs[0]])).toThrow(ValidationError);
    expect(() => fitOxidationLine([{ valence: 2, e0: 1 }, { valence: 2, e0: 3 }])).toThrow(NumericalError);
    const two = fitOxidationLine(refs.slice(0, 2));
    expect(() => predictValence(two, 7114)).toThrow(/e0Sigma/);
    expect(predictValence(two, 7114, { e0Sigma: 0.2 }).uncertainty).toBeCloseTo(0.2 / 4.1, 12);
  });
});
