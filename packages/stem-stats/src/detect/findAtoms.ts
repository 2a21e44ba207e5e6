import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import type { Image } from '../image';
import { gaussianBlur, subtractBackground } from '../preprocess/gaussian';
import { robustNoise } from '../preprocess/noise';
import { localMaxima, type Peak } from './maxima';
import { logSignificance } from './log';
import { refineCentroid } from './refine';
import { fitGaussian2d } from './gaussfit2d';
import { adaptiveSettingsPx, estimateImageScale, isImageScale } from './imageScale';

const pos = () => z.number().positive().refine(Number.isFinite, { message: 'must be finite' });

/**
 * Fixed defaults are in nm and follow the scikit-image anchor pipeline at 0.02 nm/px (background
 * Gaussian 0.5 nm = 25 px, smoothing 1 px, min distance 4 px, centroid r 3 px, annulus 5–7 px).
 * With `auto` (the default without a preset) the smoothing, minimum separation, threshold k (maxima
 * detector), background σ, centroid radius/annulus and LoG scales not given explicitly are derived
 * from the atom size and noise correlation measured in the image (imageScale.ts); the fixed values
 * are the fallback when no clear peaks exist, and what `auto: false` (CLI --no-auto) uses.
 */
export const findAtomsSchema = z.object({
  /** Named settings (see `findAtomsPresets`); options given explicitly override the preset's. */
  preset: z.enum(['real-sac']).optional(),
  /** Derive unset scales from the image (default: on, unless a preset is chosen). false: fixed defaults. */
  auto: z.boolean().optional(),
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
 * within 6 px, against P 0.62 / R 0.99 with the fixed defaults; the auto scales reach P 0.92 / R 0.93
 * without it). A preset switches auto off unless `auto: true` is also given.
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

/** The settings a run used (after preset, auto and defaults), in nm. */
export interface DetectionSettings {
  detector: 'maxima' | 'log';
  kSigma: number;
  backgroundSigmaNm: number;
  smoothSigmaNm: number;
  minSeparationNm: number;
  centroidRadiusNm: number;
  annulusNm: [number, number];
  logSigmasNm: number[];
}

/** What the image-adaptive step measured and which settings it chose (the others were explicit). */
export interface AutoScaleReport {
  /** False when no estimate could be made: the fixed defaults were used (see `reason`). */
  ok: boolean;
  reason?: string;
  /** Apparent atom σ: scale-normalised LoG scale at the brightest peaks (median), nm and px. */
  atomSigmaNm?: number;
  atomSigmaPx?: number;
  /** Interquartile range of the per-peak σ (nm). */
  atomSigmaIqrNm?: number;
  /** Noise correlation length ℓ (px; 0 = pixel-white) and σ_noise(1-px smoothing)/σ_noise(raw) it comes from. */
  noiseCorrelationPx?: number;
  noiseSmoothingRatio?: number;
  nPeaks?: number;
  /** The settings taken from the estimate (options given explicitly are not listed). */
  chosen: Partial<Omit<DetectionSettings, 'detector'>>;
  /** Settings auto would derive that the caller (or the preset) gave explicitly and were kept. */
  kept: string[];
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
  /** The settings used. */
  settings: DetectionSettings;
  /** Present unless `auto: false` (or a preset without `auto: true`). */
  auto?: AutoScaleReport;
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
  return smoothAndNoise(subtractBackground(data, w, h, o.backgroundSigmaNm / pixelNm), w, h, o.smoothSigmaNm / pixelNm);
}

function smoothAndNoise(flat: Float32Array, w: number, h: number, sPx: number): Processed {
  // 3σ truncation: the smoothing only sets the detection image (maxima are ranked, positions are
  // refined on `flat`); the dropped tail is 0.3 %. Wider (auto, atom-sized) kernels are cut at the
  // radius 6 of the unrolled blur, down to 2.5σ (≤ 1.2 % of the kernel dropped).
  const trunc = 3 * sPx <= 6 ? 3 : Math.max(2.5, 6 / sPx);
  const smooth = sPx > 0 ? gaussianBlur(flat, w, h, sPx, trunc) : flat;
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
  const given = expandPreset(options);
  const o = parseOptions(findAtomsSchema, given, 'options');
  const { width: w, height: h } = img;
  if (!(w > 0 && h > 0) || img.data.length !== w * h) {
    throw new ValidationError(`image is ${w}×${h} with ${img.data.length} pixels`, { file, field: 'data' });
  }
  const pixelNm = resolvePixelNm(img, o.pixelNm, file);
  const warnings = [...img.warnings];
  let flat = subtractBackground(img.data, w, h, o.backgroundSigmaNm / pixelNm);
  let auto: AutoScaleReport | undefined;
  if (o.auto ?? o.preset === undefined) {
    const r = adaptScales(flat, w, h, pixelNm, o, given as Record<string, unknown>);
    auto = r.report;
    if (r.report.chosen.backgroundSigmaNm !== undefined) flat = subtractBackground(img.data, w, h, o.backgroundSigmaNm / pixelNm);
    if (!r.report.ok) warnings.push(`auto scales: ${r.report.reason}; fixed defaults used`);
    for (const m of r.warnings) warnings.push(m);
  }
  const settings: DetectionSettings = {
    detector: o.detector, kSigma: o.kSigma, backgroundSigmaNm: o.backgroundSigmaNm, smoothSigmaNm: o.smoothSigmaNm, minSeparationNm: o.minSeparationNm,
    centroidRadiusNm: o.centroidRadiusNm, annulusNm: o.annulusNm, logSigmasNm: o.logSigmasNm,
  };
  if (o.centroidRadiusNm / pixelNm < 1.5) {
    warnings.push(`pixel size ${pixelNm.toPrecision(3)} nm is coarse for single atoms (centroid radius ${(o.centroidRadiusNm / pixelNm).toFixed(2)} px): detections are not atoms unless the image is atomic-resolution`);
  }
  const pre = smoothAndNoise(flat, w, h, o.smoothSigmaNm / pixelNm);
  const extra = { settings, ...(auto ? { auto } : {}) };
  const empty: AtomMap = { pixelNm, width: w, height: h, noiseSigma: pre.sigma, threshold: 0, atoms: [], warnings, ...extra };
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
  return { pixelNm, width: w, height: h, noiseSigma: pre.sigma, threshold, atoms, warnings, ...extra };
}

/** Keys auto may set; each is set only when the caller (or the preset) left it undefined. */
const AUTO_KEYS = ['kSigma', 'smoothSigmaNm', 'minSeparationNm', 'backgroundSigmaNm', 'centroidRadiusNm', 'annulusNm', 'logSigmasNm'] as const;

/** Measure the image's scales and overwrite the options the caller did not give (mutates `o`). */
function adaptScales(flat: Float32Array, w: number, h: number, pixelNm: number, o: Opts, given: Record<string, unknown>): { report: AutoScaleReport; warnings: string[] } {
  const est = estimateImageScale(flat, w, h);
  if (!isImageScale(est)) return { report: { ok: false, reason: est.reason, chosen: {}, kept: [] }, warnings: [] };
  const px = adaptiveSettingsPx(est, pixelNm, o.backgroundSigmaNm / pixelNm);
  const nm = (v: number) => v * pixelNm;
  const derived: Omit<DetectionSettings, 'detector'> = {
    kSigma: px.kSigma,
    smoothSigmaNm: nm(px.smoothSigma),
    minSeparationNm: nm(px.minSeparation),
    backgroundSigmaNm: nm(px.backgroundSigma),
    centroidRadiusNm: nm(px.centroidRadius),
    annulusNm: [nm(px.annulus[0]), nm(px.annulus[1])],
    logSigmasNm: px.logSigmas.map(nm),
  };
  const chosen: AutoScaleReport['chosen'] = {};
  const kept: string[] = [];
  const set = o as unknown as Record<string, unknown>;
  for (const k of AUTO_KEYS) {
    if (given[k] !== undefined) {
      kept.push(k);
      continue;
    }
    // k is in noise σ of the smoothed image for the maxima detector only (the LoG map has its own units).
    if (k === 'kSigma' && o.detector !== 'maxima') continue;
    // The background is re-done only when the atoms need a wider one than the default.
    if (k === 'backgroundSigmaNm' && !(derived.backgroundSigmaNm > o.backgroundSigmaNm * 1.0001)) continue;
    set[k] = derived[k];
    (chosen as Record<string, unknown>)[k] = derived[k];
  }
  const warnings: string[] = [];
  if (est.noiseCorrelationPx >= 0.5 * est.atomSigmaPx) {
    warnings.push(`the noise is correlated over ${est.noiseCorrelationPx.toFixed(1)} px, comparable to the atoms (σ ${est.atomSigmaPx.toFixed(1)} px): noise grains can pass for atoms (smoothing cannot remove them); consider a higher --k-sigma`);
  }
  return {
    report: {
      ok: true,
      atomSigmaNm: nm(est.atomSigmaPx),
      atomSigmaPx: est.atomSigmaPx,
      atomSigmaIqrNm: nm(est.atomSigmaIqrPx),
      noiseCorrelationPx: est.noiseCorrelationPx,
      noiseSmoothingRatio: est.noiseSmoothingRatio,
      nPeaks: est.nPeaks,
      chosen,
      kept,
    },
    warnings,
  };
}
