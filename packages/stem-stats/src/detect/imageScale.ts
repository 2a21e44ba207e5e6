// Image-adaptive detection scales. Measures, from the background-subtracted image itself, how wide
// the atoms look (σ of the scale-normalised LoG at the brightest peaks, the size TrackMate and
// blob_log ask the user for) and over how many pixels the noise is correlated (from how much of its
// σ survives a 1-px smoothing), then derives the detection settings from those two lengths
// (adaptiveSettingsPx). Pure functions; the cost is bounded: 128² tiles of a large image until 16
// clear peaks are measured (at most 16 tiles, 2^18 pixels), and 1024 noise probes.
import { mulberry32 } from '../statistics/rng';
import { localMaxima } from './maxima';
import { select } from '../preprocess/noise';

export interface ImageScale {
  /**
   * σ (px) of the atoms' image: the scale at which the typical (pointwise median of the peak-normalised)
   * scale-normalised LoG response −σ²∇²G_σ of the brightest peaks is largest. For a Gaussian spot of σ_a
   * that response ∝ σ²σ_a²/(σ² + σ_a²)², maximal at σ = σ_a (Lindeberg's scale selection).
   */
  atomSigmaPx: number;
  /** Interquartile range of the per-peak scales (px): how uniform the atoms are. */
  atomSigmaIqrPx: number;
  /**
   * Correlation length (px) of the noise and support texture, from how its robust σ (MADs at random
   * points, so atoms do not count) falls under 1- and 2-px Gaussians: noise that is white noise
   * blurred by a Gaussian of σ ℓ has variance ∝ 1/(ℓ_t² + s²) after a Gaussian of σ s, with
   * ℓ_t² = ℓ² + ℓ_px² and ℓ_px ≈ 0.29 px what pixel-white noise shows. 0 for white noise.
   */
  noiseCorrelationPx: number;
  /** σ_noise(1-px Gaussian) / σ_noise(raw): 0.28 for white noise, → 1 for noise correlated over many pixels. */
  noiseSmoothingRatio: number;
  /** Peaks whose scale was measured. */
  nPeaks: number;
  /** Pixels analysed (whole image or tiles). */
  nPixels: number;
}

/** Why no estimate could be made (the caller then keeps its fixed defaults). */
export interface ImageScaleFailure {
  reason: string;
}

export function isImageScale(r: ImageScale | ImageScaleFailure): r is ImageScale {
  return (r as ImageScale).atomSigmaPx !== undefined;
}

/** Random pixels at which the raw and 1-px-smoothed noise is sampled (MAD ratio to ≈ ±0.03). */
const NOISE_POINTS = 1024;
/** The apparent ℓ_t of pixel-white noise: a sampled 1-px Gaussian keeps √Σk² = 0.282 of its σ. */
const WHITE_ELL_PX = 0.282 / Math.sqrt(1 - 0.282 * 0.282);

/** TILE² tiles are analysed until TARGET_PEAKS peaks are measured (≤ MAX_TILES); small images whole. */
const TILE = 128;
const MAX_TILES = 16;
const TARGET_PEAKS = 16;
const PEAKS_PER_TILE = 8;
/** LoG scales (px): geometric grid, 15 % steps; the selected scale is refined by a parabola in log σ. */
const SCALE_STEP = 1.15;
const SCALE_MIN = 0.6;
/** Atoms wider than 8 px (σ) are far oversampled (0.16 nm at 0.02 nm/px); the cap bounds the windows. */
const SCALE_MAX = 8;

interface Region {
  x0: number;
  y0: number;
  tw: number;
  th: number;
}

/**
 * Tiles in the order they are analysed: the whole image when it is at most 4 tiles, else tiles at
 * the cells of successively finer grids (2×2 cell centres first, then the 4×4 cells not yet used),
 * so the first round already samples all four quadrants and later rounds fill in between.
 */
function tileOrder(w: number, h: number): Region[] {
  if (w * h <= 4 * TILE * TILE || w < 2 * TILE || h < 2 * TILE) return [{ x0: 0, y0: 0, tw: w, th: h }];
  const out: Region[] = [];
  const seen = new Set<string>();
  for (const g of [2, 4, 8]) {
    const cells: [number, number][] = [];
    for (let j = 0; j < g; j++) for (let i = 0; i < g; i++) cells.push([i, j]);
    // Interleave quadrants: sort by a bit-reversed cell index so consecutive tiles are far apart.
    cells.sort((p, q) => ((p[0] & 1) + 2 * (p[1] & 1)) - ((q[0] & 1) + 2 * (q[1] & 1)) || p[1] - q[1] || p[0] - q[0]);
    for (const [i, j] of cells) {
      const x0 = Math.min(w - TILE, Math.max(0, Math.round(((i + 0.5) * w) / g - TILE / 2)));
      const y0 = Math.min(h - TILE, Math.max(0, Math.round(((j + 0.5) * h) / g - TILE / 2)));
      const key = `${Math.round(x0 / TILE)},${Math.round(y0 / TILE)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ x0, y0, tw: TILE, th: TILE });
      if (out.length >= MAX_TILES) return out;
    }
  }
  return out;
}

/**
 * Candidate map of a region at half resolution: 2×2 block means, then a [1 2 1]/4 binomial in x and
 * y (σ ≈ 1.5 px of the full image in all). Enough to keep single noisy pixels and scan streaks from
 * posing as candidate peaks, at about a sixth of the cost of smoothing the tile at full resolution.
 */
function binnedCandidates(img: Float32Array, w: number, r: Region): { map: Float32Array; bw: number; bh: number } {
  const bw = r.tw >> 1;
  const bh = r.th >> 1;
  const bin = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const s0 = (r.y0 + 2 * y) * w + r.x0;
    const s1 = s0 + w;
    const o = y * bw;
    for (let x = 0; x < bw; x++) bin[o + x] = 0.25 * (img[s0 + 2 * x] + img[s0 + 2 * x + 1] + img[s1 + 2 * x] + img[s1 + 2 * x + 1]);
  }
  const tmp = bin.slice();
  for (let y = 0; y < bh; y++) {
    const o = y * bw;
    for (let x = 1; x < bw - 1; x++) tmp[o + x] = 0.25 * (bin[o + x - 1] + bin[o + x + 1]) + 0.5 * bin[o + x];
  }
  const map = tmp.slice();
  for (let y = 1; y < bh - 1; y++) {
    const o = y * bw;
    for (let x = 0; x < bw; x++) map[o + x] = 0.25 * (tmp[o - bw + x] + tmp[o + bw + x]) + 0.5 * tmp[o + x];
  }
  return { map, bw, bh };
}

/**
 * Median and 1.4826·MAD of a seeded subsample of 512 pixels of a region (σ to ≈ 5 %: enough for a
 * clip level or a 6σ candidate cut, and a fraction of the cost of sorting the tile).
 */
function robustRegion(img: Float32Array, w: number, r: Region, seed: number): { median: number; sigma: number } {
  const m = 512;
  const a = new Float64Array(m);
  const rand = mulberry32(seed);
  for (let i = 0; i < m; i++) a[i] = img[(r.y0 + Math.floor(rand() * r.th)) * w + r.x0 + Math.floor(rand() * r.tw)];
  const med = select(a, a.length, m >> 1);
  for (let i = 0; i < m; i++) a[i] = Math.abs(a[i] - med);
  return { median: med, sigma: 1.4826 * select(a, a.length, m >> 1) };
}

/** Scratch rows for the windowed sums (no allocation per peak or scale). */
interface Scratch {
  gx: Float64Array;
  gy: Float64Array;
  gx2: Float64Array;
}

function scratch(maxR: number): Scratch {
  const n = 2 * maxR + 1;
  return { gx: new Float64Array(n), gy: new Float64Array(n), gx2: new Float64Array(n) };
}

/**
 * Scale-normalised LoG response −σ²∇²G_σ ∗ I at the sub-pixel point (cx, cy) for ascending σ,
 * summed directly over a (2R+1)² window (R = ⌈4σ⌉; at 3σ the cut negative lobe, 8 % of the centre
 * weight, biases the selected scale by up to 5 % between integer radii): the kernel (2 − r²/σ²)·G_σ/(2πσ²) is a sum of
 * separable terms, so the window needs no exp per pixel. The kernel's small non-zero sum on a finite
 * window is removed (times the window mean), so residual background does not leak into the response.
 * Stops 3 scales past the maximum once the response has fallen below 85 % of it (the large windows
 * cost most and cannot hold the maximum any more); returns the number of scales computed.
 */
export function logResponses(img: Float32Array, w: number, cx: number, cy: number, sigmas: readonly number[], out: Float64Array, buf: Scratch = scratch(Math.ceil(4 * sigmas[sigmas.length - 1]))): number {
  const ix = Math.round(cx);
  const iy = Math.round(cy);
  const { gx, gy, gx2 } = buf;
  let best = 0;
  for (let k = 0; k < sigmas.length; k++) {
    const s = sigmas[k];
    const R = Math.ceil(4 * s);
    const n = 2 * R + 1;
    const inv = 1 / (2 * s * s);
    let sgx = 0, sgy = 0, sx2 = 0, sy2 = 0;
    for (let i = 0; i < n; i++) {
      const dx = ix - R + i - cx;
      const dy = iy - R + i - cy;
      gx[i] = Math.exp(-dx * dx * inv);
      gy[i] = Math.exp(-dy * dy * inv);
      gx2[i] = dx * dx * gx[i];
      sgx += gx[i];
      sgy += gy[i];
      sx2 += gx2[i];
      sy2 += dy * dy * gy[i];
    }
    let s00 = 0, s20 = 0, s02 = 0, sum = 0;
    for (let j = 0; j < n; j++) {
      const o = (iy - R + j) * w + ix - R;
      let a = 0, b = 0, c = 0;
      for (let i = 0; i < n; i++) {
        const v = img[o + i];
        a += v * gx[i];
        b += v * gx2[i];
        c += v;
      }
      const dy = iy - R + j - cy;
      s00 += a * gy[j];
      s20 += b * gy[j];
      s02 += a * gy[j] * dy * dy;
      sum += c;
    }
    const c0 = 1 / (2 * Math.PI * s * s);
    const s2 = s * s;
    const kSum = c0 * (2 * sgx * sgy - (sx2 * sgy + sgx * sy2) / s2);
    out[k] = c0 * (2 * s00 - (s20 + s02) / s2) - (kSum * sum) / (n * n);
    if (out[k] > out[best]) best = k;
    if (k >= best + 3 && out[best] > 0 && out[k] < 0.85 * out[best]) return k + 1;
  }
  return sigmas.length;
}

/** Normalised (2R+1)² Gaussian of σ px truncated at R = 3σ, for smoothings at pixel centres. */
function kernel2d(sigma: number): { k: Float64Array; R: number } {
  const R = Math.ceil(3 * sigma);
  const n = 2 * R + 1;
  const k = new Float64Array(n * n);
  let t = 0;
  for (let j = -R; j <= R; j++) for (let i = -R; i <= R; i++) t += k[(j + R) * n + i + R] = Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= t;
  return { k, R };
}
const G1 = kernel2d(1).k;
const K2 = kernel2d(2);

/** (G ∗ img) at the pixel (ix, iy) for a kernel2d kernel; (ix, iy) must be ≥ R inside the image. */
function kernelAt(img: Float32Array, w: number, ix: number, iy: number, g: { k: Float64Array; R: number }): number {
  const n = 2 * g.R + 1;
  let acc = 0;
  for (let j = 0; j < n; j++) {
    const o = (iy - g.R + j) * w + ix - g.R;
    for (let i = 0; i < n; i++) acc += g.k[j * n + i] * img[o + i];
  }
  return acc;
}

/** (G_1px ∗ img) at the pixel (ix, iy), which must be ≥ 3 px inside the image. */
function gauss1At(img: Float32Array, w: number, ix: number, iy: number): number {
  let acc = 0;
  for (let j = 0; j < 7; j++) {
    const o = (iy - 3 + j) * w + ix - 3;
    const k = j * 7;
    acc += G1[k] * img[o] + G1[k + 1] * img[o + 1] + G1[k + 2] * img[o + 2] + G1[k + 3] * img[o + 3] + G1[k + 4] * img[o + 4] + G1[k + 5] * img[o + 5] + G1[k + 6] * img[o + 6];
  }
  return acc;
}

/** Argmax of a sampled curve, refined by a parabola in log σ (the grid is geometric); null at the grid edge. */
function peakScale(resp: Float64Array, len: number, sigmas: readonly number[]): number | null {
  let k = 0;
  for (let i = 1; i < len; i++) if (resp[i] > resp[k]) k = i;
  if (!(resp[k] > 0) || k === 0 || k === len - 1) return null;
  const a = resp[k - 1], b = resp[k], c = resp[k + 1];
  const den = a - 2 * b + c;
  const t = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
  return sigmas[k] * SCALE_STEP ** t;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  const p = q * (sorted.length - 1);
  const i = Math.floor(p);
  return i + 1 < sorted.length ? sorted[i] + (p - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Measure the apparent atom σ and the noise correlation of a background-subtracted image (`flat`,
 * e.g. `Processed.flat`). Returns a failure with the reason when fewer than 5 clear peaks exist.
 */
export function estimateImageScale(flat: Float32Array, w: number, h: number): ImageScale | ImageScaleFailure {
  // Scales up to a tenth of the shorter side, so the LoG window (±4σ) fits around most peaks.
  const sMax = Math.min(SCALE_MAX, Math.min(w, h) / 10);
  const sigmas: number[] = [];
  for (let s = SCALE_MIN; s <= sMax * 1.0001; s *= SCALE_STEP) sigmas.push(s);
  if (sigmas.length < 6) return { reason: `image ${w}×${h} is too small to measure the atom size` };
  // Windows reach beyond a tile into the rest of the image; only the image edge needs a margin.
  const margin = Math.ceil(4 * sigmas[sigmas.length - 1]) + 1;
  const all = tileOrder(w, h);
  const perTile = all.length === 1 ? 4 * PEAKS_PER_TILE : PEAKS_PER_TILE;
  const scales: number[] = [];
  const resp = new Float64Array(sigmas.length);
  const buf = scratch(margin);
  const centres: [number, number][] = [];
  const curves: Float64Array[] = [];
  const used: Region[] = [];
  let nPixels = 0;
  for (let ri = 0; ri < all.length && scales.length < TARGET_PEAKS; ri++) {
    const r = all[ri];
    used.push(r);
    const { x0, y0, tw, th } = r;
    nPixels += tw * th;
    // Candidates: maxima of the half-resolution candidate map ≥ 6σ of its noise, ≥ 3 px apart,
    // brightest first, at least `margin` from the image edge.
    const { map: sm, bw, bh } = binnedCandidates(flat, w, r);
    const ns = robustRegion(sm, bw, { x0: 0, y0: 0, tw: bw, th: bh }, 0x5ca1f + ri);
    if (!(ns.sigma > 0)) continue;
    const peaks = localMaxima(sm, bw, bh, ns.median + 6 * ns.sigma, 1.5, 1)
      .map((p) => ({ x: x0 + 2 * p.x + 0.5, y: y0 + 2 * p.y + 0.5 }))
      .filter((p) => p.x >= margin && p.y >= margin && p.x < w - margin && p.y < h - margin)
      .slice(0, perTile);
    for (const p of peaks) {
      // Sub-pixel centre at full resolution: the brightest 1-px-Gaussian value among the 4×4 pixels
      // of the block pair, then the centroid of its 3×3 neighbourhood (an off-centre LoG reads a
      // larger σ).
      let bx = 0, by = 0, bv = -Infinity;
      const loc = new Float64Array(36);
      for (let j = 0; j < 6; j++)
        for (let i = 0; i < 6; i++) {
          const v = gauss1At(flat, w, Math.floor(p.x) - 2 + i, Math.floor(p.y) - 2 + j);
          loc[j * 6 + i] = v;
          if (i >= 1 && i <= 4 && j >= 1 && j <= 4 && v > bv) [bv, bx, by] = [v, i, j];
        }
      const base = Math.min(loc[(by - 1) * 6 + bx - 1], loc[(by + 1) * 6 + bx + 1], loc[(by - 1) * 6 + bx + 1], loc[(by + 1) * 6 + bx - 1]);
      let sw = 0, sx = 0, sy = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const v = loc[(by + dy) * 6 + bx + dx] - base;
          if (v > 0) {
            sw += v;
            sx += v * dx;
            sy += v * dy;
          }
        }
      const cx = Math.floor(p.x) - 2 + bx + (sw > 0 ? sx / sw : 0);
      const cy = Math.floor(p.y) - 2 + by + (sw > 0 ? sy / sw : 0);
      const len = logResponses(flat, w, cx, cy, sigmas, resp, buf);
      const s = peakScale(resp, len, sigmas);
      if (s !== null) {
        scales.push(s);
        centres.push([cx, cy]);
        // The curve normalised to its maximum; scales past the early stop keep the last value
        // (the response is falling there).
        let mx = 0;
        for (let k = 0; k < len; k++) if (resp[k] > mx) mx = resp[k];
        const cur = new Float64Array(sigmas.length);
        for (let k = 0; k < sigmas.length; k++) cur[k] = resp[Math.min(k, len - 1)] / mx;
        curves.push(cur);
      }
    }
  }
  if (scales.length < 5) return { reason: `only ${scales.length} clear peaks (≥ 6σ) to measure the atom size from` };
  scales.sort((a, b) => a - b);
  // The atom σ: the scale of the typical (pointwise median) normalised LoG curve. One noisy or odd
  // peak shifts its own argmax a lot; the median curve's maximum is robust to both.
  const typical = new Float64Array(sigmas.length);
  const col = new Float64Array(curves.length);
  for (let k = 0; k < sigmas.length; k++) {
    for (let i = 0; i < curves.length; i++) col[i] = curves[i][k];
    typical[k] = select(col, col.length, col.length >> 1);
  }
  const atomSigmaPx = peakScale(typical, sigmas.length, sigmas) ?? quantile(scales, 0.5);
  const rr = mulberry32(0x5ca20);
  // Raw, 1-px- and 2-px-smoothed values at random pixel centres of the analysed tiles (atoms cover
  // a few % of them; the MAD ignores those).
  const raw = new Float64Array(NOISE_POINTS);
  const one = new Float64Array(NOISE_POINTS);
  const two = new Float64Array(NOISE_POINTS >> 1);
  const e = K2.R + 1;
  for (let t = 0; t < raw.length; t++) {
    const r = used[t % used.length];
    const ix = Math.min(w - e, Math.max(e, r.x0 + Math.floor(rr() * r.tw)));
    const iy = Math.min(h - e, Math.max(e, r.y0 + Math.floor(rr() * r.th)));
    raw[t] = flat[iy * w + ix];
    one[t] = gauss1At(flat, w, ix, iy);
    // Half the probes for the 2-px value: its window costs 3.4× the 1-px one.
    if (!(t & 1)) two[t >> 1] = kernelAt(flat, w, ix, iy, K2);
  }
  const mad = (a: Float64Array): number => {
    const m = select(a, a.length, a.length >> 1);
    for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i] - m);
    return select(a, a.length, a.length >> 1);
  };
  const v = [mad(raw), mad(one), mad(two)].map((x) => x * x);
  const ratio = v[0] > 0 ? Math.sqrt(v[1] / v[0]) : 0;
  // Noise variance after a Gaussian of σ s falls as 1/(ℓ_t² + s²) for noise that is white noise
  // blurred by ℓ (ℓ_t² = ℓ² + ℓ_px²): fit ℓ_t² to s = 0, 1, 2 px in log variance (the 2-px point
  // keeps ℓ of 2–4 px measurable, where the 0/1 ratio is close to 1).
  let bestT2 = 0;
  let bestErr = Infinity;
  if (v.every((x) => x > 0)) {
    const lv = v.map(Math.log);
    for (let g = 0; g <= 240; g++) {
      const t2 = 0.01 * 1.05 ** g; // 0.01 … ≈ 1200 px²
      const res = [0, 1, 4].map((s2, i) => lv[i] + Math.log(t2 + s2));
      const c = (res[0] + res[1] + res[2]) / 3;
      const err = res.reduce((a, r) => a + (r - c) ** 2, 0);
      if (err < bestErr) [bestErr, bestT2] = [err, t2];
    }
  }
  const ell = Math.sqrt(Math.max(0, bestT2 - WHITE_ELL_PX * WHITE_ELL_PX));
  return {
    atomSigmaPx,
    atomSigmaIqrPx: quantile(scales, 0.75) - quantile(scales, 0.25),
    noiseCorrelationPx: ell,
    noiseSmoothingRatio: ratio,
    nPeaks: scales.length,
    nPixels,
  };
}

/** Detection settings derived from the measured scales (px), before conversion to nm. */
export interface AdaptiveSettingsPx {
  smoothSigma: number;
  minSeparation: number;
  backgroundSigma: number;
  centroidRadius: number;
  annulus: [number, number];
  logSigmas: number[];
  /** Threshold (noise σ of the detection image) with the anchor's false-alarm rate per area (see below). */
  kSigma: number;
}

/** The anchor pipeline's threshold (k = 5 at 1-px smoothing of pixel-white noise). */
export const ANCHOR_K = 5;

/**
 * Threshold k whose expected number of noise maxima per unit area equals the anchor's (k = 5 at a
 * 1-px Gaussian on pixel-white noise). For a smooth Gaussian random field the expected number of
 * local maxima above u per unit area is ∝ u·e^(−u²/2)/W², W the field's smoothness (Worsley's
 * expected Euler characteristic); here W² ∝ σ_s² + ℓ_t² (the detection smoothing on noise that is
 * already correlated over ℓ_t). A smoother detection image has fewer independent noise grains, so
 * the same false-alarm rate needs a lower k. Clamped to [4, 6].
 */
export function equalFalseAlarmK(smoothPx: number, noiseCorrelationPx: number): number {
  const ref = 1 + WHITE_ELL_PX ** 2;
  const q = (smoothPx * smoothPx + noiseCorrelationPx ** 2 + WHITE_ELL_PX ** 2) / ref;
  const target = Math.log(q * ANCHOR_K) - (ANCHOR_K * ANCHOR_K) / 2;
  // ln u − u²/2 is decreasing for u > 1: bisection.
  let lo = 3;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (Math.log(mid) - (mid * mid) / 2 > target) lo = mid;
    else hi = mid;
  }
  return Math.min(6, Math.max(4, 0.5 * (lo + hi)));
}

/**
 * Pair spacing the detection image must keep resolved (nm): dual-atom sites sit at ≈ 0.22–0.30 nm
 * (the synthetic Fe–Zn pairs at 0.25 ± 0.015 nm). Two Gaussians 3σ apart keep a 35 % dip between
 * their maxima (the Rayleigh criterion's dip is 26 %), so the smoothed atom σ_eff is held ≤ 0.25/3 nm.
 */
export const PAIR_RESOLUTION_NM = 0.25;

/**
 * Settings from the measured atom σ (σ_a) and noise correlation length (ℓ), each with its reason:
 * - smoothing σ_s = √(σ_a² − 2ℓ²): the Gaussian that maximises a Gaussian spot's peak SNR in
 *   Gaussian-correlated noise (SNR ∝ √(ℓ² + σ_s²)/(σ_a² + σ_s²)). In white noise (ℓ → 0) this is the
 *   matched filter σ_s = σ_a, which also makes every noise grain atom-sized, so a noisy atom or one
 *   with a broad tail gives one maximum instead of several; when the noise grains are themselves
 *   about atom-sized, smoothing cannot separate them and only costs SNR, so σ_s shrinks. Never below
 *   min(1 px, σ_a) (the anchor's smoothing of pixel noise), and capped so that the smoothed atom
 *   σ_eff = √(σ_a² + σ_s²) ≤ PAIR_RESOLUTION_NM / 3 (pairs stay resolved), down to that floor.
 * - minimum separation 2·σ_eff: two equal Gaussians closer than 2σ form a single maximum (Sparrow
 *   limit), so maxima closer than that cannot be two resolved atoms (anchor: 4 px at σ_a = 2.25 px,
 *   σ_s = 1 px gives 2σ_eff = 4.9 px).
 * - threshold k: the anchor's false-alarm rate per area (equalFalseAlarmK), for the maxima detector.
 * - background σ ≥ 8·σ_eff (never below the fixed default): a Gaussian background of σ_b removes
 *   σ_eff²/(σ_eff² + σ_b²) ≤ 1.5 % of an atom's peak.
 * - centroid radius 4/3·σ_a and annulus 2.2–3.1·σ_a: the anchor pipeline's 3 px and 5–7 px at
 *   σ = 2.25 px, scaled with the atom (the annulus starts where the atom is below 9 % of its peak).
 * - LoG scales 2/3, 1, 4/3 × σ_a: the fixed defaults' span around the 0.045 nm probe, rescaled.
 */
export function adaptiveSettingsPx(scale: ImageScale, pixelNm: number, defaultBackgroundPx: number): AdaptiveSettingsPx {
  const sa = scale.atomSigmaPx;
  const l = scale.noiseCorrelationPx;
  let s = Math.max(Math.min(1, sa), Math.sqrt(Math.max(0, sa * sa - 2 * l * l)));
  s = Math.min(s, sa);
  const effMax = PAIR_RESOLUTION_NM / 3 / pixelNm;
  if (sa * sa + s * s > effMax * effMax) s = Math.max(Math.sqrt(Math.max(0, effMax * effMax - sa * sa)), Math.min(s, 1));
  const eff = Math.sqrt(sa * sa + s * s);
  return {
    smoothSigma: s,
    minSeparation: 2 * eff,
    backgroundSigma: Math.max(defaultBackgroundPx, 8 * eff),
    centroidRadius: (4 / 3) * sa,
    annulus: [2.2 * sa, 3.1 * sa],
    logSigmas: [(2 / 3) * sa, sa, (4 / 3) * sa],
    kSigma: equalFalseAlarmK(s, l),
  };
}
