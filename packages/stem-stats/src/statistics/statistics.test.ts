import { describe, expect, it } from 'vitest';
import { wilson, percentileInterval, quantileSorted } from './intervals';
import { bandwidth, kde } from './kde';
import { classifySites } from './sites';
import { countSites, randomMeanNnDistance, randomPairsNull } from './spatial';
import { fitGaussianHistogram } from './gaussfit1d';
import { nearestNeighbours } from './neighbours';
import { pairStatistics } from './pairs';
import { gaussian, mulberry32 } from './rng';
import { ValidationError } from '@siteproof/core';

describe('wilson', () => {
  it('matches the scikit-image anchor (statsmodels proportion_confint method="wilson"): 300/601 → [0.4593, 0.5390]', () => {
    const [lo, hi] = wilson(300, 601);
    expect(lo).toBeCloseTo(0.4593, 4);
    expect(hi).toBeCloseTo(0.539, 4);
  });
  it('stays inside [0, 1] at the extremes and is [0, 1] for n = 0', () => {
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(10, 10)[1]).toBe(1);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
  it('quantiles interpolate like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileInterval([5, 1, 3])).toEqual([1.1, 4.9]);
  });
});

describe('KDE', () => {
  const rand = mulberry32(4);
  const v = Array.from({ length: 600 }, () => 0.25 + 0.016 * gaussian(rand));
  it("bandwidths: Scott = σ·n^(-1/5) (scipy's factor), robust Silverman ≤ 0.9σ·n^(-1/5)", () => {
    const m = v.reduce((a, b) => a + b) / v.length;
    const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    expect(bandwidth(v, 'scott')).toBeCloseTo(s * 600 ** -0.2, 12);
    expect(bandwidth(v, 'silverman')).toBeLessThanOrEqual(0.9 * s * 600 ** -0.2 + 1e-15);
  });
  it('the mode of a Gaussian sample is near its centre and the density integrates to 1', () => {
    const k = kde(v, bandwidth(v, 'silverman'), 0, 0.5, 1001);
    expect(Math.abs(k.mode - 0.25)).toBeLessThan(0.005);
    const integral = k.density.reduce((a, b) => a + b) * (0.5 / 1000);
    expect(integral).toBeCloseTo(1, 3);
  });
});

describe('sites', () => {
  it('classifies singles, isolated pairs and multimers; every atom in exactly one site', () => {
    const x = [0, 10, 10.25, 20, 20.2, 20.4, 30];
    const y = [0, 0, 0, 0, 0, 0, 0];
    const c = classifySites(x, y, 0.35);
    expect([c.nSingles, c.nPairs, c.nMultimers]).toEqual([2, 1, 1]);
    expect(c.pairDistances[0]).toBeCloseTo(0.25, 12);
    expect(c.sites.reduce((s, t) => s + t.atoms.length, 0)).toBe(7);
    expect(c.nnDistance[0]).toBeCloseTo(10, 12);
  });
  it('countSites (grid, used by the null) agrees with classifySites (k-d tree) on random layouts', () => {
    const rand = mulberry32(9);
    for (let t = 0; t < 5; t++) {
      const n = 400;
      const x = Float64Array.from({ length: n }, () => rand() * 20);
      const y = Float64Array.from({ length: n }, () => rand() * 15);
      const a = countSites(x, y, 20, 15, 0.35);
      const b = classifySites(x, y, 0.35);
      expect(a).toEqual({ sites: b.sites.length, pairs: b.nPairs });
    }
  });
  it('nearest neighbours equal brute force', () => {
    const rand = mulberry32(1);
    const x = Array.from({ length: 300 }, () => rand() * 10);
    const y = Array.from({ length: 300 }, () => rand() * 10);
    const nn = nearestNeighbours(x, y);
    for (let i = 0; i < 300; i++) {
      let bd = Infinity;
      for (let j = 0; j < 300; j++) if (j !== i) bd = Math.min(bd, Math.hypot(x[i] - x[j], y[i] - y[j]));
      expect(nn.distance[i]).toBeCloseTo(bd, 12);
    }
  });
});

describe('spatial null', () => {
  it('random Poisson layout: Clark–Evans ≈ 1 and the null reproduces the analytic pair count', () => {
    // For Poisson points of density λ, P(no other point within r) = exp(−λπr²); an isolated pair needs
    // the partner within r and nobody else near either. The simulation is compared with itself
    // via classifySites on an independent sample, plus the classic 1/(2√λ) mean NN distance.
    const rand = mulberry32(21);
    const n = 2000;
    const x = Array.from({ length: n }, () => rand() * 100);
    const y = Array.from({ length: n }, () => rand() * 100);
    const lam = n / 1e4;
    const nn = nearestNeighbours(x, y);
    const mean = nn.distance.reduce((a, b) => a + b) / n;
    // Edge effects lengthen NN distances slightly (~perimeter/area·r): allow 3 %.
    expect(Math.abs(mean / randomMeanNnDistance(lam) - 1)).toBeLessThan(0.03);
    const nul = randomPairsNull([{ nAtoms: n, widthNm: 100, heightNm: 100 }], 0.5, 50, 3);
    const direct = classifySites(x, y, 0.5).nPairs;
    expect(Math.abs(nul.meanPairs - direct)).toBeLessThan(4 * Math.sqrt(nul.meanPairs));
    expect(nul.pairs95[0]).toBeLessThanOrEqual(nul.meanPairs);
  });
});

describe('fitGaussianHistogram', () => {
  it('recovers µ and σ of an exact Gaussian histogram, with tiny errors', () => {
    const c = Array.from({ length: 60 }, (_, i) => 0.0025 + i * 0.005);
    const k = c.map((x) => 70 * Math.exp(-0.5 * ((x - 0.25) / 0.018) ** 2));
    const f = fitGaussianHistogram(c, k)!;
    expect(f.mu).toBeCloseTo(0.25, 8);
    expect(f.sigma).toBeCloseTo(0.018, 8);
    expect(f.muErr).toBeLessThan(1e-6);
  });
  it('returns null with too few bins', () => {
    expect(fitGaussianHistogram([1, 2, 3], [0, 5, 0])).toBeNull();
  });
});

describe('pairStatistics', () => {
  it('zero atoms: zeros, no NaN, a warning', () => {
    const s = pairStatistics([{ xNm: [], yNm: [], widthNm: 10, heightNm: 10 }]);
    expect(s.nAtoms).toBe(0);
    expect(s.pairSiteFraction).toBe(0);
    expect(s.gaussFit).toBeNull();
    expect(s.clarkEvans).toBeNull();
    expect(JSON.stringify(s)).not.toMatch(/NaN|null,"randomExpectedPairs":null/);
    expect(s.warnings.length).toBeGreaterThan(0);
  });
  it('known layout: 20 pairs + 30 singles → both fractions and a cluster bootstrap over images', () => {
    const mk = (off: number) => {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < 10; i++) x.push(off + i * 2, off + i * 2 + 0.25), y.push(1, 1);
      for (let i = 0; i < 15; i++) x.push(off + i * 2), y.push(5);
      return { xNm: x, yNm: y, widthNm: 40, heightNm: 10 };
    };
    const s = pairStatistics([mk(1), mk(1.5)]);
    expect([s.nPairs, s.nSingles, s.nSites, s.nAtoms]).toEqual([20, 30, 50, 70]);
    expect(s.pairSiteFraction).toBeCloseTo(0.4, 12);
    expect(s.atomsInPairsFraction).toBeCloseTo(40 / 70, 12);
    expect(s.ci95.method).toBe('cluster bootstrap over images');
    expect(s.meanPairDistanceNm).toBeCloseTo(0.25, 12);
  });
  it('validates options', () => {
    expect(() => pairStatistics([], { maxPairNm: -1 })).toThrow(ValidationError);
  });
});

describe('site bootstrap', () => {
  it('the WebAssembly loop and the JS loop draw the same replicates (identical intervals), which match a direct mulberry32 resampling', async () => {
    const { useSimd } = await import('../preprocess/simd');
    const rand = mulberry32(12);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 150; i++) {
      const cx = rand() * 30;
      const cy = rand() * 30;
      x.push(cx);
      y.push(cy);
      if (i % 3 === 0) {
        x.push(cx + 0.25);
        y.push(cy);
      }
    }
    const field = [{ xNm: x, yNm: y, widthNm: 30, heightNm: 30 }];
    const fast = pairStatistics(field, { bootstrap: 300, seed: 5, nullSimulations: 0 });
    useSimd(false);
    let slow: ReturnType<typeof pairStatistics>;
    try {
      slow = pairStatistics(field, { bootstrap: 300, seed: 5, nullSimulations: 0 });
    } finally {
      useSimd(true);
    }
    expect(fast.ci95).toEqual(slow.ci95);
    // The reference: resample the sites with mulberry32(seed) directly.
    const sizes = classifySites(x, y, 0.35).sites.map((s) => s.atoms.length);
    const r = mulberry32(5);
    const reps: number[] = [];
    for (let b = 0; b < 300; b++) {
      let p = 0;
      for (let i = 0; i < sizes.length; i++) if (sizes[Math.floor(r() * sizes.length)] === 2) p++;
      reps.push(p / sizes.length);
    }
    expect(fast.ci95.pairSiteFraction.bootstrap).toEqual(percentileInterval(reps));
  });
});
