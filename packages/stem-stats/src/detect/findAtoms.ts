import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import type { Image } from '../image';
import { gaussianBlur, subtractBackground } from '../preprocess/gaussian';
import { robustNoise } from '../preprocess/noise';
import { localMaxima, type Peak } from './maxima';
import { logSignificance } from './log';
import { refineCentroid } from './refine';
import { fitGaussian2d } from './gaussfit2d';

const pos = () => z.number().positive().refine(Number.isFinite, { message: 'must be finite' });

/**
 * Defaults are in nm and follow the scikit-image anchor pipeline at 0.02 nm/px (background
 * Gaussian 0.5 nm = 25 px, smoothing 1 px, min distance 4 px, centroid r 3 px, annulus 5–7 px).
 */
export const findAtomsSchema = z.object({
  /** Named settings (see `findAtomsPresets`); options given explicitly override the preset's. */
  preset: z.enum(['real-sac']).optional(),
  /** Overrides (or supplies) the image calibration. */
  pixelNm: pos().optional(),
  backgroundSigmaNm: pos().default(0.5),
  smoothSigmaNm: z.number().min(0).default(0.02),
  /** Detection threshold in units of the robust noise σ of the processed image. */
  kSigma: pos().default(5),
  minSeparationNm: pos().default(0.08),
  detector: z.enum(['maxima', 'log']).default('maxima'),
  /** LoG scales (nm); the default spans 0.67–1.33× the 0.045 nm probe σ of aberration-corrected HAADF. */
  logSigmasNm: z.array(pos()).min(1).default([0.03, 0.045, 0.06]),
  /**
   * 2: run the LoG on a 2×2 block-averaged image (≈3× faster; positions are still refined at full
   * resolution). Costs recall on dim atoms (hard synthetic: R 0.88 vs 0.97 at k 5), hence opt-in.
   * Needs the smallest scale ≥ 1.4 px, else full resolution is used with a warning.
   */
  logDownsample: z.union([z.literal(1), z.literal(2)]).default(1),
  refine: z.enum(['centroid', 'gaussian']).default('centroid'),
  centroidRadiusNm: pos().default(0.06),
  annulusNm: z.tuple([pos(), pos()]).default([0.1, 0.14]),
  iterations: z.number().int().min(1).max(50).default(3),
  borderPx: z.number().int().min(1).default(2),
});
export type FindAtomsOptions = z.input<typeof findAtomsSchema>;

/**
 * Presets for image families the defaults (tuned on probe-limited atoms with white shot noise,
 * like the synthetic benchmark) do not fit. 'real-sac': the labelled Re-bpy SAC images of Jeon et al.
 * (atoms with broad tails, noise correlated over a few pixels): twice the smoothing and a wider
 * minimum separation suppress split and noise peaks (bpy_crop20 at 0.02 nm/px: P 0.92 / R 0.94
 * within 6 px, against P 0.62 / R 0.99 with the defaults).
 */
export const findAtomsPresets: Record<'real-sac', Partial<FindAtomsOptions>> = {
  'real-sac': { backgroundSigmaNm: 0.4, smoothSigmaNm: 0.04, minSeparationNm: 0.14, kSigma: 5.5 },
};

/** The options with their preset expanded (explicit options win); no preset → unchanged. */
export function expandPreset(options: FindAtomsOptions): FindAtomsOptions {
  const name = options.preset;
  if (name === undefined || !(name in findAtomsPresets)) return options; // unknown names: zod rejects them
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...findAtomsPresets[name], ...set };
}
type Opts = z.output<typeof findAtomsSchema>;

export interface Atom {
  /** Sub-pixel position in pixels (x = column, y = row; pixel centres at integers). */
  x: number;
  y: number;
  xNm: number;
  yNm: number;
  /** Integrated intensity above the local background (counts·px). */
  intensity: number;
  /** Peak height of the processed image above background, in noise σ. */
  snr: number;
  /** Fitted Gaussian σ (nm) when refine = 'gaussian'. */
  sigmaNm?: number;
}

export interface AtomMap {
  pixelNm: number;
  width: number;
  height: number;
  /** Robust noise σ of the processed (background-subtracted, smoothed) image. */
  noiseSigma: number;
  threshold: number;
  atoms: Atom[];
  warnings: string[];
}

export interface Processed {
  /** Raw minus background. */
  flat: Float32Array;
  /** `flat` lightly smoothed: the detection image. */
  smooth: Float32Array;
  median: number;
  sigma: number;
}

/** Background removal, smoothing and robust noise: the shared front of every detector. */
export function preprocess(img: Image, pixelNm: number, o: Pick<Opts, 'backgroundSigmaNm' | 'smoothSigmaNm'>): Processed {
  const { width: w, height: h, data } = img;
  const flat = subtractBackground(data, w, h, o.backgroundSigmaNm / pixelNm);
  // 3σ truncation: the light smoothing only sets the detection image; the dropped tail is 0.3 %.
  const smooth = o.smoothSigmaNm > 0 ? gaussianBlur(flat, w, h, o.smoothSigmaNm / pixelNm, 3) : flat;
  const nz = robustNoise(smooth);
  return { flat, smooth, median: nz.median, sigma: nz.sigma };
}

/** The calibration to use: the user's, else the file's, else a ValidationError telling what to pass. */
export function resolvePixelNm(img: Image, pixelNm: number | undefined, file = '<image>'): number {
  const p = pixelNm ?? img.pixelNm;
  if (p === null || p === undefined) {
    throw new ValidationError('image has no pixel calibration', { file, field: 'pixelNm' }, 'pass --pixel-nm (options.pixelNm) with the pixel size in nm');
  }
  return p;
}

/** Find single atoms in a HAADF image: background, smoothing, detection, sub-pixel refinement. */
export function findAtoms(img: Image, options: FindAtomsOptions = {}, file = '<image>'): AtomMap {
  const o = parseOptions(findAtomsSchema, expandPreset(options), 'options');
  const { width: w, height: h } = img;
  if (!(w > 0 && h > 0) || img.data.length !== w * h) {
    throw new ValidationError(`image is ${w}×${h} with ${img.data.length} pixels`, { file, field: 'data' });
  }
  const pixelNm = resolvePixelNm(img, o.pixelNm, file);
  const warnings = [...img.warnings];
  if (o.centroidRadiusNm / pixelNm < 1.5) {
    warnings.push(`pixel size ${pixelNm.toPrecision(3)} nm is coarse for single atoms (centroid radius ${(o.centroidRadiusNm / pixelNm).toFixed(2)} px): detections are not atoms unless the image is atomic-resolution`);
  }
  const pre = preprocess(img, pixelNm, o);
  const empty: AtomMap = { pixelNm, width: w, height: h, noiseSigma: pre.sigma, threshold: 0, atoms: [], warnings };
  if (!(pre.sigma > 0)) {
    warnings.push('image is constant after background removal: no atoms can be found');
    return empty;
  }
  const minSep = o.minSeparationNm / pixelNm;
  let peaks: Peak[];
  let threshold: number;
  if (o.detector === 'log') {
    const sig = o.logSigmasNm.map((s) => s / pixelNm);
    threshold = o.kSigma;
    const down = o.logDownsample === 2 && Math.min(...sig) >= 1.4 && w >= 16 && h >= 16;
    if (o.logDownsample === 2 && !down) warnings.push('logDownsample 2 needs LoG scales ≥ 1.4 px and ≥ 16² pixels: full resolution used');
    if (down) {
      const ws = w >> 1;
      const hs = h >> 1;
      const small = new Float32Array(ws * hs);
      for (let y = 0; y < hs; y++) {
        const r0 = 2 * y * w;
        const r1 = r0 + w;
        for (let x = 0; x < ws; x++) small[y * ws + x] = 0.25 * (pre.flat[r0 + 2 * x] + pre.flat[r0 + 2 * x + 1] + pre.flat[r1 + 2 * x] + pre.flat[r1 + 2 * x + 1]);
      }
      const { z } = logSignificance(small, ws, hs, sig.map((s) => s / 2));
      const coarse = localMaxima(z, ws, hs, threshold, minSep / 2, Math.max(1, Math.floor(o.borderPx / 2)));
      // Back to full resolution: the brightest smoothed pixel of the 2×2 block (and its ring).
      peaks = coarse.map((p) => {
        let bx = 2 * p.x;
        let by = 2 * p.y;
        let bv = -Infinity;
        for (let y = Math.max(0, 2 * p.y - 1); y <= Math.min(h - 1, 2 * p.y + 2); y++)
          for (let x = Math.max(0, 2 * p.x - 1); x <= Math.min(w - 1, 2 * p.x + 2); x++)
            if (pre.smooth[y * w + x] > bv) {
              bv = pre.smooth[y * w + x];
              bx = x;
              by = y;
            }
        return { x: bx, y: by, value: p.value };
      });
      peaks = peaks.filter((p) => p.x >= o.borderPx && p.y >= o.borderPx && p.x < w - o.borderPx && p.y < h - o.borderPx);
    } else {
      const { z } = logSignificance(pre.flat, w, h, sig);
      peaks = localMaxima(z, w, h, threshold, minSep, o.borderPx);
    }
  } else {
    threshold = pre.median + o.kSigma * pre.sigma;
    peaks = localMaxima(pre.smooth, w, h, threshold, minSep, o.borderPx);
  }
  const ro = { radius: o.centroidRadiusNm / pixelNm, annulus: [o.annulusNm[0] / pixelNm, o.annulusNm[1] / pixelNm] as [number, number], iterations: o.iterations };
  const atoms: Atom[] = [];
  const buf = { a: new Float64Array(256) };
  let fallbacks = 0;
  for (const p of peaks) {
    const r = refineCentroid(pre.flat, w, h, p.x, p.y, ro, buf);
    if (r.fallback) fallbacks++;
    let x = r.x;
    let y = r.y;
    let sigmaNm: number | undefined;
    if (o.refine === 'gaussian') {
      const g = fitGaussian2d(pre.flat, w, h, x, y, Math.ceil(ro.annulus[0]));
      if (g && (g.x - x) ** 2 + (g.y - y) ** 2 <= ro.radius ** 2) {
        x = g.x;
        y = g.y;
        sigmaNm = g.sigma * pixelNm;
      }
    }
    const peak = pre.smooth[p.y * w + p.x] - pre.median;
    atoms.push({ x, y, xNm: x * pixelNm, yNm: y * pixelNm, intensity: r.intensity, snr: peak / pre.sigma, ...(sigmaNm !== undefined ? { sigmaNm } : {}) });
  }
  if (fallbacks) warnings.push(`${fallbacks} centroid(s) ran away and kept the integer peak position`);
  if (!atoms.length) warnings.push(`no peak above ${o.kSigma}·σ_noise`);
  return { pixelNm, width: w, height: h, noiseSigma: pre.sigma, threshold, atoms, warnings };
}
