import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { estimateNoise } from './noise';

/** Deterministic Gaussian noise (Box–Muller on mulberry32). */
function gauss(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}

describe('estimateNoise', () => {
  const k = Float64Array.from({ length: 381 }, (_, i) => i * 0.05);
  it('recovers the level of white noise added to a smooth EXAFS signal (ε_k within 20 %)', () => {
    // Statistical property: for white noise of σ per point, ε_k ≈ σ (Parseval with Larch's scaling);
    // the 15–30 Å band holds ~490 independent Re/Im values, so the estimate scatters by a few %.
    const g = gauss(7);
    for (const sigma of [1e-3, 1e-2]) {
      const chi = Array.from(k, (v) => 0.5 * Math.sin(2 * v * 2.5) * Math.exp(-0.01 * v * v) + sigma * g());
      const n = estimateNoise(k, chi, { kmin: 3, kmax: 17, dk: 1, window: 'hanning', kweight: 0 });
      expect(n.epsK / sigma).toBeGreaterThan(0.8);
      expect(n.epsK / sigma).toBeLessThan(1.2);
      expect(n.epsR).toBeGreaterThan(0);
    }
  });
  it('is ~0 for a noiseless smooth signal and rejects bad ranges', () => {
    const chi = Array.from(k, (v) => Math.sin(2 * v * 2.5) * Math.exp(-0.02 * v * v));
    expect(estimateNoise(k, chi, { kmin: 3, kmax: 17 }).epsK).toBeLessThan(1e-3);
    expect(() => estimateNoise(k, chi, { kmin: 17, kmax: 3 })).toThrow(ValidationError);
    expect(() => estimateNoise(k, chi, { kmin: 25, kmax: 30 })).toThrow(/beyond the data/);
    expect(() => estimateNoise(k, chi, { rmin: 30, rmax: 15 })).toThrow(ValidationError);
  });
});
