import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { findAtoms } from './findAtoms';
import { fitGaussian2d } from './gaussfit2d';
import type { Image } from '../image';
import { gaussian, mulberry32 } from '../statistics/rng';

/** Atoms (σ = 2.25 px, 80 counts) at known sub-pixel positions on 100 counts + Gaussian noise σ=3. */
function synth(seed: number, n = 30, size = 256) {
  const rand = mulberry32(seed);
  const truth: { x: number; y: number }[] = [];
  while (truth.length < n) {
    const p = { x: 15 + rand() * (size - 30), y: 15 + rand() * (size - 30) };
    if (truth.every((q) => Math.hypot(q.x - p.x, q.y - p.y) > 20)) truth.push(p);
  }
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let v = 100 + 0.05 * x + 3 * gaussian(rand);
      for (const t of truth) {
        const d2 = (x - t.x) ** 2 + (y - t.y) ** 2;
        if (d2 < 150) v += 80 * Math.exp(-d2 / (2 * 2.25 ** 2));
      }
      data[y * size + x] = v;
    }
  const img: Image = { width: size, height: size, data, pixelNm: 0.02, meta: {}, warnings: [] };
  return { img, truth };
}

function match(atoms: { x: number; y: number }[], truth: { x: number; y: number }[], tol: number) {
  let tp = 0;
  let se = 0;
  for (const t of truth) {
    let best = Infinity;
    for (const a of atoms) best = Math.min(best, Math.hypot(a.x - t.x, a.y - t.y));
    if (best <= tol) {
      tp++;
      se += best * best;
    }
  }
  return { tp, rmse: Math.sqrt(se / Math.max(tp, 1)) };
}

describe('findAtoms', () => {
  const { img, truth } = synth(5);
  for (const detector of ['maxima', 'log'] as const) {
    for (const refine of ['centroid', 'gaussian'] as const) {
      it(`finds every atom with ${detector}/${refine}, sub-pixel (RMSE < 0.15 px at SNR ≈ 27)`, () => {
        const r = findAtoms(img, { detector, refine });
        const m = match(r.atoms, truth, 1.5);
        expect(m.tp).toBe(truth.length);
        expect(r.atoms.length).toBe(truth.length);
        expect(m.rmse).toBeLessThan(0.15);
        for (const a of r.atoms) {
          expect(a.xNm).toBeCloseTo(a.x * 0.02, 12);
          expect(a.intensity).toBeGreaterThan(0);
          // Integrated over r = 3 px of a σ = 2.25 px Gaussian of height 80: 2πσ²·80·(1 − e^(−r²/2σ²)) ≈ 1495.
          expect(Math.abs(a.intensity - 1495) / 1495).toBeLessThan(0.15);
        }
      });
    }
  }

  it('LoG on the 2×2-downsampled image (logDownsample 2) still finds every bright atom sub-pixel', () => {
    const r = findAtoms(img, { detector: 'log', logDownsample: 2 });
    const m = match(r.atoms, truth, 1.5);
    expect(m.tp).toBe(truth.length);
    expect(r.atoms.length).toBe(truth.length);
    expect(m.rmse).toBeLessThan(0.15);
  });

  it('refuses an uncalibrated image unless pixelNm is given, naming the flag', () => {
    const u = { ...img, pixelNm: null };
    expect(() => findAtoms(u)).toThrow(ValidationError);
    expect(() => findAtoms(u)).toThrow(/--pixel-nm/);
    expect(findAtoms(u, { pixelNm: 0.02 }).atoms.length).toBe(truth.length);
  });

  it('returns an honest empty result for a constant image and for pure noise', () => {
    const c: Image = { width: 64, height: 64, data: new Float32Array(64 * 64).fill(5), pixelNm: 0.02, meta: {}, warnings: [] };
    const r = findAtoms(c);
    expect(r.atoms).toEqual([]);
    expect(r.noiseSigma).toBe(0);
    expect(r.warnings.join()).toMatch(/constant/);
    const rand = mulberry32(2);
    const noise: Image = { ...c, data: Float32Array.from({ length: 128 * 128 }, () => 100 + 5 * gaussian(rand)), width: 128, height: 128 };
    const rn = findAtoms(noise);
    expect(rn.atoms.length).toBeLessThanOrEqual(1);
    expect(Number.isFinite(rn.noiseSigma)).toBe(true);
  });

  it('rejects bad options and inconsistent images with ValidationError', () => {
    expect(() => findAtoms(img, { kSigma: -1 })).toThrow(ValidationError);
    expect(() => findAtoms({ ...img, width: 0 })).toThrow(ValidationError);
  });
});

describe('fitGaussian2d', () => {
  it('recovers an exact Gaussian to 1e-4 px', () => {
    const w = 21;
    const d = new Float32Array(w * w);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) d[y * w + x] = 5 + 50 * Math.exp(-((x - 10.3) ** 2 + (y - 9.6) ** 2) / (2 * 2.1 ** 2));
    const g = fitGaussian2d(d, w, w, 10, 10, 6)!;
    expect(g.x).toBeCloseTo(10.3, 4);
    expect(g.y).toBeCloseTo(9.6, 4);
    expect(g.sigma).toBeCloseTo(2.1, 4);
    expect(g.amplitude).toBeCloseTo(50, 2);
    expect(g.background).toBeCloseTo(5, 2);
  });
});

describe('detection presets', () => {
  it("expand 'real-sac' with explicit options winning, and reject unknown names with a typed error", async () => {
    const { expandPreset, findAtomsPresets } = await import('./findAtoms');
    expect(expandPreset({ preset: 'real-sac', kSigma: 4, smoothSigmaNm: undefined })).toEqual({ ...findAtomsPresets['real-sac'], preset: 'real-sac', kSigma: 4 });
    expect(expandPreset({ kSigma: 4 })).toEqual({ kSigma: 4 });
    const img: Image = { width: 32, height: 32, data: new Float32Array(1024).fill(1), pixelNm: 0.02, meta: {}, warnings: [] };
    expect(() => findAtoms(img, { preset: 'nope' as never })).toThrow(ValidationError);
  });
});
