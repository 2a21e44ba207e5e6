// The image-adaptive scales against images whose truth is known: seeded synthetic HAADF fields with
// atoms of a chosen σ and white or correlated noise (the noise is white noise blurred by a Gaussian
// of σ ℓ and rescaled, i.e. exactly the model the correlation length is defined by).
import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from '../statistics/rng';
import { gaussianBlur } from '../preprocess/gaussian';
import { subtractBackground } from '../preprocess/gaussian';
import type { Image } from '../image';
import { adaptiveSettingsPx, estimateImageScale, isImageScale, logResponses, PAIR_RESOLUTION_NM, type ImageScale } from './imageScale';
import { findAtoms } from './findAtoms';

interface Field {
  img: Image;
  truth: { x: number; y: number }[];
}

/**
 * size² field at 0.02 nm/px: single atoms and 0.25 nm pairs (Gaussian spots of σ `sigma` px and
 * height `peak`) on 100 counts with a gentle gradient, plus noise of SD `noise` whose correlation
 * length is `ell` px (0: white).
 */
function field(seed: number, o: { sigma: number; peak?: number; noise?: number; ell?: number; size?: number; sites?: number }): Field {
  const size = o.size ?? 320;
  const peak = o.peak ?? 80;
  const noiseSd = o.noise ?? 10;
  const rand = mulberry32(seed);
  const truth: { x: number; y: number }[] = [];
  const sites: { x: number; y: number }[] = [];
  const margin = 12 + 4 * o.sigma;
  for (let t = 0; t < 5000 && sites.length < (o.sites ?? 36); t++) {
    const p = { x: margin + rand() * (size - 2 * margin), y: margin + rand() * (size - 2 * margin) };
    if (sites.every((q) => Math.hypot(q.x - p.x, q.y - p.y) > 40)) sites.push(p);
  }
  sites.forEach((s, i) => {
    if (i % 2) {
      const th = rand() * Math.PI;
      const d = 12.5 / 2;
      truth.push({ x: s.x - d * Math.cos(th), y: s.y - d * Math.sin(th) }, { x: s.x + d * Math.cos(th), y: s.y + d * Math.sin(th) });
    } else truth.push(s);
  });
  let noise = Float32Array.from({ length: size * size }, () => gaussian(rand));
  if (o.ell) {
    noise = gaussianBlur(noise, size, size, o.ell);
    let ss = 0;
    for (const v of noise) ss += v * v;
    const k = 1 / Math.sqrt(ss / noise.length);
    for (let i = 0; i < noise.length; i++) noise[i] *= k;
  }
  const data = new Float32Array(size * size);
  const R = Math.ceil(5 * o.sigma);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = 100 + 0.03 * x + noiseSd * noise[y * size + x];
  for (const t of truth) {
    for (let y = Math.max(0, Math.floor(t.y) - R); y <= Math.min(size - 1, Math.ceil(t.y) + R); y++)
      for (let x = Math.max(0, Math.floor(t.x) - R); x <= Math.min(size - 1, Math.ceil(t.x) + R); x++)
        data[y * size + x] += peak * Math.exp(-((x - t.x) ** 2 + (y - t.y) ** 2) / (2 * o.sigma * o.sigma));
  }
  return { img: { width: size, height: size, data, pixelNm: 0.02, meta: {}, warnings: [] }, truth };
}

function measure(f: Field): ImageScale {
  const flat = subtractBackground(f.img.data, f.img.width, f.img.height, 25);
  const r = estimateImageScale(flat, f.img.width, f.img.height);
  if (!isImageScale(r)) throw new Error(r.reason);
  return r;
}

function recallPrecision(atoms: { x: number; y: number }[], truth: { x: number; y: number }[], tol: number) {
  const used = new Set<number>();
  let tp = 0;
  for (const t of truth) {
    let best = -1;
    let bd = tol;
    atoms.forEach((a, i) => {
      const d = Math.hypot(a.x - t.x, a.y - t.y);
      if (!used.has(i) && d <= bd) [bd, best] = [d, i];
    });
    if (best >= 0) {
      used.add(best);
      tp++;
    }
  }
  return { recall: tp / truth.length, precision: atoms.length ? tp / atoms.length : 1 };
}

describe('logResponses (scale-normalised LoG at a point)', () => {
  it('peaks at the σ of a noise-free Gaussian spot (Lindeberg scale selection), to 3 %', () => {
    const w = 96;
    for (const s of [1.2, 2.25, 4]) {
      const img = new Float32Array(w * w);
      for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) img[y * w + x] = 50 * Math.exp(-((x - 48.3) ** 2 + (y - 47.6) ** 2) / (2 * s * s));
      const sig: number[] = [];
      for (let v = 0.6; v < 12; v *= 1.02) sig.push(v);
      const out = new Float64Array(sig.length);
      const n = logResponses(img, w, 48.3, 47.6, sig, out);
      let k = 0;
      for (let i = 1; i < n; i++) if (out[i] > out[k]) k = i;
      expect(Math.abs(sig[k] / s - 1)).toBeLessThan(0.03);
    }
  });
});

describe('estimateImageScale on images of known truth', () => {
  // Truth σ from 0.03 to 0.08 nm (1.5–4 px at 0.02 nm/px), white noise: the brief asks for ~20 %;
  // the typical-curve LoG scale is within 10 %.
  for (const sigma of [1.5, 2.25, 3, 4]) {
    it(`atom σ ${sigma} px (white noise) is recovered within 10 %`, () => {
      const r = measure(field(11, { sigma, peak: 80 * Math.min(1, 2.25 / sigma) ** 0.5 }));
      expect(Math.abs(r.atomSigmaPx / sigma - 1)).toBeLessThan(0.1);
      expect(r.nPeaks).toBeGreaterThanOrEqual(5);
      // White noise: a 1-px Gaussian keeps 0.28 of its σ, i.e. no correlation length.
      // (the ratio of two MADs over 1024 points is good to ≈ ±0.03).
      expect(r.noiseSmoothingRatio).toBeLessThan(0.34);
      expect(r.noiseCorrelationPx).toBeLessThan(0.4);
    });
  }

  it('correlated noise (ℓ = 1.5 px): atom σ still within 10 %, and ℓ and its share are measured', () => {
    const r = measure(field(12, { sigma: 2.25, noise: 6, ell: 1.5 }));
    expect(Math.abs(r.atomSigmaPx / 2.25 - 1)).toBeLessThan(0.1);
    // The noise is white noise blurred by ℓ = 1.5 (2.5) px: recovered within 30 % (MADs of ~1000
    // random probes at 0, 1 and 2 px smoothing: each σ to ≈ ±3 %, which ℓ amplifies).
    expect(Math.abs(r.noiseCorrelationPx / 1.5 - 1)).toBeLessThan(0.3);
    const r2 = measure(field(13, { sigma: 2.25, noise: 6, ell: 2.5 }));
    expect(Math.abs(r2.noiseCorrelationPx / 2.5 - 1)).toBeLessThan(0.3);
    expect(r2.noiseCorrelationPx).toBeGreaterThan(r.noiseCorrelationPx);
  });

  it('pure noise and tiny images give a reason, not a guess', () => {
    const rand = mulberry32(4);
    const n = Float32Array.from({ length: 200 * 200 }, () => 5 * gaussian(rand));
    const r = estimateImageScale(n, 200, 200);
    expect(isImageScale(r)).toBe(false);
    expect((r as { reason: string }).reason).toMatch(/clear peaks/);
    expect(isImageScale(estimateImageScale(new Float32Array(100), 10, 10))).toBe(false);
  });
});

describe('adaptiveSettingsPx', () => {
  it('follows the atom: wider atoms get wider smoothing, separation, centroid and LoG scales; pairs stay resolved', () => {
    const narrow = measure(field(21, { sigma: 1.5 }));
    const wide = measure(field(21, { sigma: 3, peak: 60 }));
    const a = adaptiveSettingsPx(narrow, 0.02, 25);
    const b = adaptiveSettingsPx(wide, 0.02, 25);
    expect(b.smoothSigma).toBeGreaterThan(a.smoothSigma);
    expect(b.minSeparation).toBeGreaterThan(a.minSeparation);
    expect(b.centroidRadius / a.centroidRadius).toBeCloseTo(wide.atomSigmaPx / narrow.atomSigmaPx, 10);
    for (const [s, m] of [[a, narrow], [b, wide]] as const) {
      expect(s.smoothSigma).toBeLessThanOrEqual(m.atomSigmaPx + 1e-12);
      const eff = Math.hypot(m.atomSigmaPx, s.smoothSigma);
      expect(s.minSeparation).toBeCloseTo(2 * eff, 10);
      // A 0.25 nm pair (12.5 px) stays ≥ 3 σ_eff apart in the detection image.
      expect((PAIR_RESOLUTION_NM / 0.02) / eff).toBeGreaterThanOrEqual(3 - 1e-9);
      expect(s.backgroundSigma).toBeGreaterThanOrEqual(25);
      expect(s.logSigmas[1]).toBeCloseTo(m.atomSigmaPx, 12);
    }
  });

  it('noise correlated over about an atom: smoothing stays lighter than in white noise (it would only cost SNR)', () => {
    const white = measure(field(31, { sigma: 2.25 }));
    const corr = measure(field(31, { sigma: 2.25, noise: 8, ell: 2.2 }));
    expect(adaptiveSettingsPx(corr, 0.02, 25).smoothSigma).toBeLessThan(adaptiveSettingsPx(white, 0.02, 25).smoothSigma);
  });

  it('never smooths a pair together: atoms already wider than 0.25/3 nm get at most 1 px', () => {
    const r: ImageScale = { atomSigmaPx: 5, atomSigmaIqrPx: 0, noiseCorrelationPx: 0, noiseSmoothingRatio: 0.28, nPeaks: 20, nPixels: 1 };
    expect(adaptiveSettingsPx(r, 0.02, 25).smoothSigma).toBe(1);
  });
});

describe('findAtoms with auto scales', () => {
  it('broad atoms (σ 3.5 px): auto finds every atom and pair member; the fixed anchor settings split them', () => {
    const f = field(41, { sigma: 3.5, peak: 45 });
    const auto = findAtoms(f.img);
    const fixed = findAtoms(f.img, { auto: false });
    const ra = recallPrecision(auto.atoms, f.truth, 3.5);
    const rf = recallPrecision(fixed.atoms, f.truth, 3.5);
    expect(auto.auto?.ok).toBe(true);
    expect(Math.abs(auto.auto!.atomSigmaNm! / 0.07 - 1)).toBeLessThan(0.1);
    expect(ra.recall).toBeGreaterThanOrEqual(0.97);
    expect(ra.precision).toBeGreaterThanOrEqual(0.97);
    expect(ra.precision).toBeGreaterThanOrEqual(rf.precision);
  });

  it('explicit options win; auto: false and presets keep the fixed settings; the report names what auto chose', () => {
    const f = field(42, { sigma: 2.25 });
    const a = findAtoms(f.img, { smoothSigmaNm: 0.03 });
    expect(a.settings.smoothSigmaNm).toBe(0.03);
    expect(a.auto!.chosen.smoothSigmaNm).toBeUndefined();
    expect(a.auto!.kept).toEqual(['smoothSigmaNm']);
    expect(a.auto!.chosen.minSeparationNm).toBe(a.settings.minSeparationNm);
    const off = findAtoms(f.img, { auto: false });
    expect(off.auto).toBeUndefined();
    expect(off.settings).toMatchObject({ smoothSigmaNm: 0.02, minSeparationNm: 0.08, backgroundSigmaNm: 0.5, centroidRadiusNm: 0.06, annulusNm: [0.1, 0.14] });
    const p = findAtoms(f.img, { preset: 'real-sac' });
    expect(p.auto).toBeUndefined();
    expect(p.settings.smoothSigmaNm).toBe(0.04);
    const pa = findAtoms(f.img, { preset: 'real-sac', auto: true });
    expect(pa.settings).toMatchObject({ smoothSigmaNm: 0.04, minSeparationNm: 0.14, backgroundSigmaNm: 0.4 });
    expect(pa.auto!.chosen.centroidRadiusNm).toBe(pa.settings.centroidRadiusNm);
  });

  it('no clear peaks: warns and falls back to the fixed defaults', () => {
    const rand = mulberry32(9);
    const img: Image = { width: 160, height: 160, data: Float32Array.from({ length: 160 * 160 }, () => 100 + 5 * gaussian(rand)), pixelNm: 0.02, meta: {}, warnings: [] };
    const r = findAtoms(img);
    expect(r.auto?.ok).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/auto scales: .*fixed defaults used/);
    expect(r.settings.smoothSigmaNm).toBe(0.02);
  });
});
