import { describe, expect, it } from 'vitest';
import { fCdf, fQuantile, fSurvival, normalSurvival, poissonInterval, regularizedBeta } from './distributions';

describe('regularized incomplete beta', () => {
  it('matches closed forms', () => {
    // I_x(a, 1) = x^a ; I_x(1, b) = 1 − (1 − x)^b ; I_0.5(2, 3) = 11/16
    expect(regularizedBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 12);
    expect(regularizedBeta(0.7, 1, 4.5)).toBeCloseTo(1 - 0.3 ** 4.5, 12);
    expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 12);
    expect(regularizedBeta(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 12);
  });
  it('rejects bad arguments', () => {
    expect(() => regularizedBeta(1.2, 1, 1)).toThrow(/0 ≤ x ≤ 1/);
    expect(() => regularizedBeta(0.5, 0, 1)).toThrow(/a, b > 0/);
  });
});

describe('F distribution against printed tables (Abramowitz & Stegun table 26.9; scipy.stats.f)', () => {
  // Upper 5 % and 1 % points; tables give 4–5 significant figures, so 5e-4 relative.
  const table: [number, number, number, number][] = [
    [0.95, 1, 10, 4.9646],
    [0.95, 2, 20, 3.4928],
    [0.95, 3, 12, 3.4903],
    [0.99, 3, 12, 5.9525],
    [0.99, 1, 5, 16.258],
    [0.95, 4, 30, 2.6896],
  ];
  for (const [p, d1, d2, f] of table) {
    it(`F(${p}; ${d1}, ${d2}) = ${f}`, () => {
      expect(Math.abs(fCdf(f, d1, d2) - p)).toBeLessThan(5e-5);
      expect(Math.abs(fSurvival(f, d1, d2) - (1 - p))).toBeLessThan(5e-5);
      expect(Math.abs(fQuantile(p, d1, d2) / f - 1)).toBeLessThan(5e-4);
    });
  }
  it('non-integer degrees of freedom (EXAFS independent points) against scipy.stats.f.sf', () => {
    // scipy 1.x: f.sf(3.0, 1.5, 7.3) = 0.11854183997742113, f.sf(12.3, 2, 6.4) = 0.006418277591639894
    expect(fSurvival(3.0, 1.5, 7.3)).toBeCloseTo(0.11854183997742113, 10);
    expect(fSurvival(12.3, 2, 6.4)).toBeCloseTo(0.006418277591639894, 10);
    expect(fCdf(3.0, 1.5, 7.3) + fSurvival(3.0, 1.5, 7.3)).toBeCloseTo(1, 12);
  });
});

describe('Poisson (Garwood) interval against published tables', () => {
  // Gehrels 1986 / Garwood 95 % limits: n=0 → [0, 3.689]; n=1 → [0.0253, 5.572]; n=10 → [4.795, 18.39]
  it.each([
    [0, 0, 3.6889],
    [1, 0.025318, 5.5716],
    [10, 4.7954, 18.39],
  ])('n = %d', (n, lo, hi) => {
    const [l, h] = poissonInterval(n);
    expect(Math.abs(l - lo)).toBeLessThan(1e-3);
    expect(Math.abs(h / hi - 1)).toBeLessThan(1e-3);
  });
});

describe('normal tail', () => {
  it('1.959964 → 0.025, 3 → 0.0013499', () => {
    expect(normalSurvival(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalSurvival(3)).toBeCloseTo(0.0013499, 6);
    expect(normalSurvival(-1)).toBeCloseTo(0.841345, 6);
  });
});

describe('χ² tail and incomplete gamma', () => {
  it('gives the 5 % critical values of χ² tables', async () => {
    const { chiSquareSurvival, gammaP, gammaQ } = await import('./distributions');
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    // Far tail stays accurate (not 1 − P): Q(1, 50) = e^−50.
    expect(gammaQ(1, 50) / Math.exp(-50) - 1).toBeLessThan(1e-10);
    expect(gammaP(2.5, 1.3) + gammaQ(2.5, 1.3)).toBeCloseTo(1, 14);
  });
});

describe('erf and Student t', () => {
  it('match tabulated values (scipy.special.erf, scipy.stats.t.ppf)', async () => {
    const { erf, studentTQuantile, studentTCdf } = await import('./distributions');
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 13);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281388519649385, 10);
    expect(studentTQuantile(0.8413447460685429, 200)).toBeCloseTo(1.0025062578090613, 10);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 14);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/dof/);
  });
});
