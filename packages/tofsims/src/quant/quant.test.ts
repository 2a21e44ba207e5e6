import { describe, expect, it } from 'vitest';
import { NumericalError } from '@siteproof/core';
import { normalizeToPeak, normalizeToTotal } from './normalize';
import { compareSamples, normalQuantile } from './compare';
import { poisson, seededRandom } from '../syntheticSpectrum';

describe('normalization', () => {
  it('binomial error for a fraction of the TIC, Poisson ratio error for a reference peak', () => {
    const t = normalizeToTotal(1000, 1e6);
    expect(t.value).toBe(1e-3);
    expect(t.error).toBeCloseTo(Math.sqrt(1e-3 * (1 - 1e-3) / 1e6), 15);
    const r = normalizeToPeak(400, 1600);
    expect(r.value).toBe(0.25);
    expect(r.error).toBeCloseTo(0.25 * Math.sqrt(1 / 400 + 1 / 1600), 12);
    expect(() => normalizeToTotal(5, 0)).toThrow(NumericalError);
  });
});

describe('before/after comparison', () => {
  it('normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });

  it('a −16 % change: value and interval', () => {
    const c = compareSamples({ counts: 10000, total: 1e6 }, { counts: 8400, total: 1e6 });
    expect(c.changePercent).toBeCloseTo(-16, 10);
    expect(c.sigmaLn).toBeCloseTo(Math.sqrt((1 - 0.01) / 10000 + (1 - 0.0084) / 8400), 12);
    expect(c.changeLow).toBeLessThan(-16);
    expect(c.changeHigh).toBeGreaterThan(-16);
    expect(c.changeHigh).toBeLessThan(-12); // significant at this count level
    expect(() => compareSamples({ counts: 0, total: 10 }, { counts: 3, total: 10 })).toThrow(NumericalError);
  });

  it('95 % intervals cover the true change in 93–97 % of simulated Poisson experiments', () => {
    // True normalized intensities 1e-3 before, 0.33e-3 after (−67 %), TIC 2e5 each.
    const rand = seededRandom(42);
    const trueRatio = 0.33;
    let covered = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const A = poisson(200, rand);
      const B = poisson(66, rand);
      const c = compareSamples({ counts: A, total: 2e5 }, { counts: B, total: 2e5 });
      if (c.ratioLow <= trueRatio && trueRatio <= c.ratioHigh) covered++;
    }
    const coverage = covered / trials;
    // ±2 pp: binomial σ of the coverage estimate is 0.5 pp; the delta method is slightly off at 66 counts.
    expect(coverage).toBeGreaterThan(0.93);
    expect(coverage).toBeLessThan(0.97);
  });
});
