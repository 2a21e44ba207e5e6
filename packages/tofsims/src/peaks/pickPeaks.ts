// Peak picking for ToF-SIMS profile spectra. Works in index space (uniform in ToF channels,
// non-uniform in m/z) and converts positions to m/z/channel by interpolation, so it is valid
// for the √m-spaced axes of ToF exports. Steps: Savitzky–Golay smoothing (ml-savitzky-golay),
// baseline (opening + mean), local maxima whose height above baseline exceeds snr·σ with
// σ² = σ_noise² + baseline (Poisson counting), merging of maxima separated by a valley that is
// not significant, integration windows to the baseline or to the valley between overlapping
// peaks, centroid over the top half, FWHM by linear interpolation of the half-height crossings.
import * as sgModule from 'ml-savitzky-golay';
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import { validateSpectrum, type Spectrum } from '../spectrum';
import { estimateBaseline } from './baseline';

export interface Peak {
  /** Centroid m/z (top half of the peak, baseline-subtracted counts as weights). */
  mz: number;
  /** Centroid channel/time when the spectrum has channels. */
  channel?: number;
  /** Smoothed apex height above baseline. */
  height: number;
  /** Counts in the integration window minus the baseline under it. */
  area: number;
  /** Poisson σ of the area: √(raw counts in the window). */
  areaError: number;
  /** Full width at half maximum (u) and mass resolution m/Δm. */
  fwhm: number;
  resolution: number;
  /** Integration window in m/z and in indices (inclusive). */
  lower: number;
  upper: number;
  lowerIndex: number;
  upperIndex: number;
  apexIndex: number;
  /** True when a window ends at a valley shared with a neighbouring peak. */
  overlapped: boolean;
  /** height / σ at the apex. */
  snr: number;
}

export const PickPeaksOptions = z.object({
  /** Savitzky–Golay window (odd, ≥ 5); 0 disables smoothing. */
  smoothWindow: z.number().int().min(0).default(5),
  smoothPolynomial: z.number().int().min(1).max(6).default(2),
  /** Baseline window in points; 0 = no baseline (zero). */
  baselineWindow: z.number().int().min(0).default(201),
  /** Required height above baseline in units of σ. */
  snr: z.number().positive().default(3),
  /** Minimum height above baseline (counts) regardless of σ. */
  minHeight: z.number().nonnegative().default(0),
  /** Treat intensities as counts (Poisson σ from the baseline level). */
  counting: z.boolean().default(true),
});
export type PickPeaksOptions = z.input<typeof PickPeaksOptions>;

// ml-savitzky-golay is CommonJS with a default export: depending on the loader (vitest, tsx,
// bundlers) the function arrives as the namespace's default or default.default.
type SgFn = (data: number[], h: number, o: { windowSize: number; derivative: number; polynomial: number; pad: 'none' }) => number[];
const sgAny = sgModule as unknown as { default?: SgFn | { default?: SgFn } };
const savitzkyGolay: SgFn =
  typeof sgAny.default === 'function' ? sgAny.default : (sgAny.default as { default: SgFn }).default;

const coefficientCache = new Map<string, Float64Array>();

/**
 * Savitzky–Golay smoothing coefficients from ml-savitzky-golay: the filter applied to the unit
 * impulses e_j of one window gives its j-th weight. The convolution itself runs here on typed
 * arrays (the library works on plain Arrays, which costs ~3× at 10⁶ channels).
 */
function sgCoefficients(w: number, poly: number): Float64Array {
  const key = `${w}|${poly}`;
  let c = coefficientCache.get(key);
  if (!c) {
    c = new Float64Array(w);
    for (let j = 0; j < w; j++) {
      const e = new Array<number>(w).fill(0);
      e[j] = 1;
      c[j] = savitzkyGolay(e, 1, { windowSize: w, derivative: 0, polynomial: poly, pad: 'none' })[0];
    }
    coefficientCache.set(key, c);
  }
  return c;
}

function smooth(y: Float64Array, window: number, poly: number): Float64Array {
  if (window < 5 || y.length < window) return y;
  const w = window % 2 === 0 ? window + 1 : window;
  const c = sgCoefficients(w, poly);
  const half = (w - 1) / 2;
  const n = y.length;
  const out = new Float64Array(n);
  // Ends: replicate the edge values (as the library's 'replicate' padding).
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (i >= half && i < n - half) {
      const o = i - half;
      for (let l = 0; l < w; l++) s += c[l] * y[o + l];
    } else {
      for (let l = 0; l < w; l++) s += c[l] * y[Math.min(n - 1, Math.max(0, i - half + l))];
    }
    out[i] = s;
  }
  return out;
}

/** Robust σ of the high-frequency noise: 1.4826·MAD of (y − smoothed), on ≤ 65,536 samples. */
function robustNoise(y: Float64Array, ys: Float64Array): number {
  const n = y.length;
  const step = Math.max(1, Math.floor(n / 65536));
  const d = new Float64Array(Math.ceil(n / step));
  let k = 0;
  for (let i = 0; i < n; i += step) d[k++] = Math.abs(y[i] - ys[i]);
  const v = d.subarray(0, k).sort();
  return 1.4826 * v[k >> 1];
}

function logParabolaVertex(ys: Float64Array, base: Float64Array, apex: number, lo: number, hi: number, h: number): number {
  let a = apex;
  let b = apex;
  while (a > lo && ys[a - 1] - base[a - 1] >= 0.5 * h) a--;
  while (b < hi && ys[b + 1] - base[b + 1] >= 0.5 * h) b++;
  if (b - a < 2) {
    a = Math.max(lo, apex - 1);
    b = Math.min(hi, apex + 1);
    if (b - a < 2) return apex;
  }
  // Weighted LSQ of log(v) = c0 + c1·u + c2·u², u = j − apex, weights v.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
  for (let j = a; j <= b; j++) {
    const v = ys[j] - base[j];
    if (!(v > 0)) continue;
    const u = j - apex;
    const w = v;
    const L = Math.log(v);
    s0 += w; s1 += w * u; s2 += w * u * u; s3 += w * u * u * u; s4 += w * u * u * u * u;
    t0 += w * L; t1 += w * u * L; t2 += w * u * u * L;
  }
  // Solve the 3×3 normal equations by Cramer's rule.
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (!(Math.abs(det) > 0)) return apex;
  const c1 = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
  const c2 = (s0 * (s2 * t2 - t1 * s3) - s1 * (s1 * t2 - t1 * s2) + t0 * (s1 * s3 - s2 * s2)) / det;
  if (!(c2 < 0)) return apex;
  const v = -c1 / (2 * c2);
  return Math.abs(v) <= b - a ? apex + v : apex;
}

function interp(a: ArrayLike<number>, x: number): number {
  const i = Math.floor(x);
  if (i >= a.length - 1) return a[a.length - 1];
  if (i < 0) return a[0];
  const f = x - i;
  return a[i] + f * (a[i + 1] - a[i]);
}

/** Pick peaks in a spectrum (see the module comment for the method). */
export function pickPeaks(spectrum: Spectrum, options?: PickPeaksOptions): Peak[] {
  const o = parseOptions(PickPeaksOptions, options, 'options');
  validateSpectrum(spectrum);
  const y = spectrum.intensity;
  const n = y.length;
  const ys = smooth(y, o.smoothWindow, o.smoothPolynomial);
  const base = o.baselineWindow > 0 ? estimateBaseline(ys, o.baselineWindow) : new Float64Array(n);
  let sigmaNoise = robustNoise(y, ys);
  if (o.counting) sigmaNoise = Math.max(sigmaNoise, 1); // at least one count: sparse SIMS bins have MAD 0
  const sigmaAt = (i: number) => (o.counting ? Math.sqrt(sigmaNoise * sigmaNoise + Math.max(base[i], 0)) : sigmaNoise || Number.MIN_VALUE);

  // 1. Candidate maxima above threshold (squared comparison: no sqrt per local maximum).
  const cand: number[] = [];
  const snr2 = o.snr * o.snr;
  const s2 = sigmaNoise * sigmaNoise;
  for (let i = 1; i < n - 1; i++) {
    const v = ys[i];
    if (v > ys[i - 1] && v >= ys[i + 1]) {
      const h = v - base[i];
      if (h <= 0 || h < o.minHeight) continue;
      const var_ = o.counting ? s2 + (base[i] > 0 ? base[i] : 0) : s2 || Number.MIN_VALUE;
      if (h * h > snr2 * var_) cand.push(i);
    }
  }
  // 2. Merge maxima whose separating valley is not significant (noise on a flank).
  const kept: number[] = [];
  // Lowest point between two maxima; stops at the first point back at the baseline (then the
  // two are certainly resolved), so far-apart peaks cost nothing.
  const valleyBetween = (a: number, b: number) => {
    let m = a;
    for (let j = a; j <= b; j++) {
      if (ys[j] < ys[m]) m = j;
      if (ys[j] - base[j] <= 0) return j;
    }
    return m;
  };
  // Two maxima are separate peaks when the dip between them is significant given the counting
  // noise of BOTH the lower apex and the valley (not just of the baseline).
  const resolved = (p: number, i: number) => {
    const v = valleyBetween(p, i);
    if (ys[v] - base[v] <= 0) return true; // back to the baseline in between: separate peaks
    const low = Math.min(ys[p], ys[i]);
    const depth = low - ys[v];
    const sig = o.counting ? Math.sqrt(Math.max(low, 0) + Math.max(ys[v], 0) + 2 * sigmaNoise * sigmaNoise) : Math.SQRT2 * sigmaNoise;
    return depth > o.snr * sig && ys[v] - base[v] < 0.9 * Math.min(ys[p] - base[p], ys[i] - base[i]);
  };
  for (const i of cand) {
    let cur = i;
    // Not resolved from the previous kept maximum: keep the higher of the two and re-check.
    while (kept.length && !resolved(kept[kept.length - 1], cur)) {
      const p = kept.pop()!;
      if (ys[p] >= ys[cur]) cur = p;
    }
    kept.push(cur);
  }
  // 3. Windows, centroid, FWHM, area.
  const peaks: Peak[] = [];
  const mz = spectrum.mz;
  const ch = spectrum.channel;
  for (let k = 0; k < kept.length; k++) {
    const apex = kept[k];
    const h = ys[apex] - base[apex];
    const endLevel = sigmaAt(apex) * 0.5;
    let lo = apex;
    const prev = k > 0 ? kept[k - 1] : -1;
    while (lo > 0 && lo - 1 > prev && ys[lo - 1] - base[lo - 1] > Math.min(endLevel, h * 0.05)) lo--;
    let overlapped = false;
    if (lo - 1 === prev && prev >= 0) {
      lo = valleyBetween(prev, apex) + 1;
      overlapped = true;
    } else if (lo > 0) lo--; // include the point where the signal reached the baseline
    let hi = apex;
    const nextP = k + 1 < kept.length ? kept[k + 1] : n;
    while (hi < n - 1 && hi + 1 < nextP && ys[hi + 1] - base[hi + 1] > Math.min(endLevel, h * 0.05)) hi++;
    if (hi + 1 === nextP && nextP < n) {
      hi = valleyBetween(apex, nextP);
      overlapped = true;
    } else if (hi < n - 1) hi++;
    // Half-height crossings.
    const half = h / 2;
    let l = apex;
    while (l > lo && ys[l - 1] - base[l - 1] > half) l--;
    let fl = l;
    if (l > lo) {
      const a = ys[l - 1] - base[l - 1];
      const b = ys[l] - base[l];
      fl = l - (b - half) / (b - a);
    }
    let r = apex;
    while (r < hi && ys[r + 1] - base[r + 1] > half) r++;
    let fr = r;
    if (r < hi) {
      const a = ys[r] - base[r];
      const b = ys[r + 1] - base[r + 1];
      fr = r + (a - half) / (a - b);
    }
    // Centroid as a fractional index, converted to m/z and channel by interpolation (the
    // m/z axis is not linear in index): vertex of a weighted least-squares parabola through
    // log(signal) over the contiguous points above 50 % of the apex — exact for a Gaussian,
    // and, unlike a top-half weighted mean, hardly pulled by an overlapping neighbour.
    const cidx = logParabolaVertex(ys, base, apex, Math.max(lo, l - 1), Math.min(hi, r + 1), h);
    const cmz = interp(mz, cidx);
    const fwhm = Math.max(interp(mz, fr) - interp(mz, fl), mz[Math.min(apex + 1, n - 1)] - mz[apex]);
    peaks.push({
      mz: cmz,
      channel: ch ? interp(ch, cidx) : undefined,
      height: h,
      area: 0,
      areaError: 0,
      fwhm,
      resolution: cmz / fwhm,
      lower: mz[lo],
      upper: mz[hi],
      lowerIndex: lo,
      upperIndex: hi,
      apexIndex: apex,
      overlapped,
      snr: h / sigmaAt(apex),
    });
  }
  // 4. Areas above the local background: the mean of the raw counts outside every peak window
  // within the baseline window. (The opening used for detection sits at the minimum of the
  // noise, i.e. at 0 for sparse Poisson data with a mean of 0.3 counts per channel, and would
  // leave the background inside the areas.)
  const bg = o.baselineWindow > 0 ? localBackground(y, base, peaks, Math.floor(o.baselineWindow / 2)) : base;
  for (const p of peaks) {
    let area = 0;
    let raw = 0;
    for (let j = p.lowerIndex; j <= p.upperIndex; j++) {
      area += y[j] - bg[j];
      raw += Math.max(y[j], 0);
    }
    p.area = area;
    p.areaError = Math.sqrt(raw);
  }
  // 5. Counting data: the net area itself must be significant (snr·σ of the gross counts); this
  // removes single-channel blips of a sparse background (mean < 1 count) that the smoothed
  // height test lets through because the opening baseline there is 0.
  return o.counting ? peaks.filter((p) => p.area > o.snr * p.areaError) : peaks;
}

function localBackground(y: Float64Array, fallback: Float64Array, peaks: readonly Peak[], half: number): Float64Array {
  const n = y.length;
  const free = new Uint8Array(n).fill(1);
  for (const p of peaks) free.fill(0, p.lowerIndex, p.upperIndex + 1);
  const cs = new Float64Array(n + 1);
  const cc = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    cs[i + 1] = cs[i] + (free[i] ? y[i] : 0);
    cc[i + 1] = cc[i] + free[i];
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    const c = cc[b] - cc[a];
    out[i] = c >= Math.max(5, 0.1 * (b - a)) ? (cs[b] - cs[a]) / c : fallback[i];
  }
  return out;
}
