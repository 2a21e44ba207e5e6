import { describe, expect, it } from 'vitest';
import { median, robustNoise } from './noise';
import { gaussian, mulberry32 } from '../statistics/rng';

describe('robustNoise', () => {
  it('recovers σ of Gaussian noise within 5 % despite 3 % bright outliers (atoms; MAD is biased up by ~p·1.25 for a fraction p of outliers)', () => {
    const rand = mulberry32(11);
    const d = Float32Array.from({ length: 200000 }, () => 10 + 4 * gaussian(rand));
    for (let i = 0; i < d.length; i += 33) d[i] += 500;
    const n = robustNoise(d);
    expect(n.method).toBe('mad');
    expect(Math.abs(n.sigma - 4) / 4).toBeLessThan(0.05);
    expect(Math.abs(n.median - 10)).toBeLessThan(0.25); // the median moves by ≈ 1.25·p·σ = 0.15 too
  });
  it('says "constant" with σ = 0 for a constant image, and falls back to SD for quantised data', () => {
    expect(robustNoise(new Float32Array(100).fill(3))).toEqual({ median: 3, sigma: 0, method: 'constant' });
    const q = new Float32Array(100);
    q[5] = 1;
    q[50] = 1;
    const r = robustNoise(q);
    expect(r.method).toBe('sd');
    expect(r.sigma).toBeGreaterThan(0);
  });
  it('median of even and odd lengths', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
