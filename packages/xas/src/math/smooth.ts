// Larch `smooth` (larch/math/utils.py): convolve y(x) with a Lorentzian (or Gaussian) on a
// uniform grid, then interpolate back to x. find_e0 smooths dμ/dE with it, and the E0 it picks
// depends on every detail, so grid, padding and kernel follow Larch exactly:
//  - grid: xmin = xstep·trunc((min(x) − npad·xstep)/xstep), xmax likewise from max(x) + npad·xstep,
//    npts = min(1 + trunc(|xmax − xmin + 0.1·xstep|/xstep), 50·len(x)), linspace(xmin, xmax, npts);
//  - kernel on offsets −npts … npts−1 with width sigma/xstep grid points, normalized to sum 1;
//  - padding: left mirror without the edge point (y0[n−1] … y0[1]), right mirror with it
//    (y0[n−1] … y0[0]); 'valid' convolution then yields exactly npts points;
//  - back to x with Larch's linear `interp` (linear extrapolation, never needed in practice).
import { ValidationError } from '@siteproof/core';
import { fftComplex } from './fft';
import { interpLinear, interpLinearExtrapolate } from './interp';

export interface SmoothOptions {
  /** Width of the kernel (HWHM for Lorentzian, sigma for Gaussian), in x units. Default 1. */
  sigma?: number;
  /** Grid step for the uniform regridding; default min(diff(x)). */
  xstep?: number;
  /** Padding in grid steps beyond the data on each side; default 5. */
  npad?: number;
  form?: 'lorentzian' | 'gaussian';
}

/** Above this many grid points the convolution is done by FFT (measured crossover ≈ 100–150). */
const FFT_MIN_POINTS = 128;

export function smooth(x: ArrayLike<number>, y: ArrayLike<number>, options: SmoothOptions = {}): Float64Array {
  const n = x.length;
  if (y.length !== n) throw new ValidationError(`smooth: x and y differ in length (${n} vs ${y.length})`, { field: 'y' });
  if (n < 2) throw new ValidationError('smooth: need at least 2 points', { field: 'x' });
  let xstep = options.xstep;
  if (xstep === undefined) {
    xstep = Infinity;
    for (let i = 1; i < n; i++) xstep = Math.min(xstep, x[i] - x[i - 1]);
  }
  if (!(xstep >= 1e-12)) throw new ValidationError('cannot smooth: x must be strictly increasing', { field: 'xstep' });
  const npad = options.npad ?? 5;
  const sigma = (options.sigma ?? 1) / xstep;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  const xmin = xstep * Math.trunc((lo - npad * xstep) / xstep);
  const xmax = xstep * Math.trunc((hi + npad * xstep) / xstep);
  const npts1 = 1 + Math.trunc(Math.abs(xmax - xmin + xstep * 0.1) / xstep);
  const npts = Math.min(npts1, 50 * n);
  // numpy.linspace: start + i·step, last point exactly at stop.
  const x0 = new Float64Array(npts);
  const dstep = npts > 1 ? (xmax - xmin) / (npts - 1) : 0;
  for (let i = 0; i < npts; i++) x0[i] = i * dstep + xmin;
  if (npts > 1) x0[npts - 1] = xmax;
  const y0 = interpLinear(x, y, x0);

  // Kernel w[j] at offset d = j − npts, j = 0 … 2npts−1.
  const nw = 2 * npts;
  const w = new Float64Array(nw);
  let wsum = 0;
  const gauss = options.form === 'gaussian';
  for (let j = 0; j < nw; j++) {
    const d = (j - npts) / sigma;
    const v = gauss ? Math.exp(-0.5 * d * d) : 1 / (1 + d * d);
    w[j] = v;
    wsum += v;
  }
  for (let j = 0; j < nw; j++) w[j] /= wsum;

  // Padded signal y1 = [y0[npts−1] … y0[1]] ++ y0 ++ [y0[npts−1] … y0[0]], length 3npts−1.
  const y1 = new Float64Array(3 * npts - 1);
  for (let i = 0; i < npts - 1; i++) y1[i] = y0[npts - 1 - i];
  y1.set(y0, npts - 1);
  for (let i = 0; i < npts; i++) y1[2 * npts - 1 + i] = y0[npts - 1 - i];
  // 'valid' convolution y2[k] = Σ_j w[j]·y1[k + nw − 1 − j] (numpy.convolve(y1, w, 'valid')).
  // Direct sums of only the grid points that bracket some x (those the final interpolation uses)
  // on small grids; one FFT convolution of the whole grid on large ones (2× faster at npts ≈ 540,
  // find_e0 on an EXAFS scan). Both agree with numpy's direct sum to rounding (≈1e-15 of max|y|,
  // checked in smooth.test.ts): summation order already differs from numpy's in either case, and
  // the E0 picked from it is the same grid point.
  let y2: Float64Array;
  if (npts > FFT_MIN_POINTS) {
    y2 = convValidFft(y1, w, npts);
  } else {
    const need = new Uint8Array(npts);
    for (let i = 0; i < n; i++) {
      const j = bracketIndex(x0, x[i]);
      need[j] = 1;
      if (j + 1 < npts) need[j + 1] = 1;
    }
    y2 = convValidDirect(y1, w, npts, need);
  }
  return interpLinearExtrapolate(x0, y2, x);
}

/**
 * numpy.convolve(y1, w, 'valid') at the outputs k with need[k] ≠ 0 (others are left 0). The kernel
 * w (offsets −npts … npts−1) is even in the offset except for d = −npts, so with c = npts − 1:
 *   y2[k] = h0·y1[k+c] + Σ_{t=1}^{npts−1} h_t·(y1[k+c−t] + y1[k+c+t]) + h_npts·y1[k+2npts−1].
 */
export function convValidDirect(y1: Float64Array, w: Float64Array, npts: number, need?: Uint8Array): Float64Array {
  const h = new Float64Array(npts + 1);
  for (let t = 0; t < npts; t++) h[t] = w[npts + t];
  h[npts] = w[0]; // offset −npts
  const y2 = new Float64Array(npts);
  for (let k = 0; k < npts; k++) if (!need || need[k]) y2[k] = convAt(h, y1, npts, k);
  return y2;
}

/**
 * One output point of the even-kernel 'valid' convolution (see smooth). A top-level function with
 * its arrays as arguments: V8 compiles it to a tight loop, ~3× faster than the same loop in a
 * closure over smooth's locals. Same operations in the same order, so the same bits.
 */
function convAt(h: Float64Array, y1: Float64Array, npts: number, k: number): number {
  const m = k + npts - 1;
  // two partial sums break the add-latency chain
  let s0 = h[0] * y1[m];
  let s1 = h[npts] * y1[k + 2 * npts - 1];
  let t = 1;
  for (; t + 1 < npts; t += 2) {
    s0 += h[t] * (y1[m - t] + y1[m + t]);
    s1 += h[t + 1] * (y1[m - t - 1] + y1[m + t + 1]);
  }
  for (; t < npts; t++) s0 += h[t] * (y1[m - t] + y1[m + t]);
  return s0 + s1;
}

/** The segment index interpLinearExtrapolate uses for xq (first or last segment outside). */
function bracketIndex(x0: Float64Array, xq: number): number {
  const n = x0.length;
  if (n < 2 || xq <= x0[0]) return 0;
  if (xq >= x0[n - 1]) return Math.max(0, n - 2);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x0[mid] <= xq) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * 'valid' convolution of y1 (length 3npts−1) with w (length 2npts) by FFT: circular convolution of
 * length L ≥ len(y1) equals the linear one on the valid outputs. Both real inputs go in one complex
 * transform z = y1 + i·w; with a = Z[k], b = conj Z[−k], Y·W = (a² − b²)/(4i).
 */
export function convValidFft(y1: Float64Array, w: Float64Array, npts: number): Float64Array {
  const n1 = y1.length;
  let L = 2;
  while (L < n1) L *= 2;
  const z = new Float64Array(2 * L);
  for (let i = 0; i < n1; i++) z[2 * i] = y1[i];
  // Packing loses the smaller signal's relative precision unless both have similar norms: scale w
  // by a power of two (exact) to the norm of y1, and undo it at the end.
  let ny = 0;
  let nw = 0;
  for (let i = 0; i < n1; i++) ny += y1[i] * y1[i];
  for (let i = 0; i < w.length; i++) nw += w[i] * w[i];
  const sc = ny > 0 && nw > 0 ? 2 ** Math.round(0.5 * Math.log2(ny / nw)) : 1;
  for (let i = 0; i < w.length; i++) z[2 * i + 1] = sc * w[i];
  const Z = fftComplex(z);
  const P = z; // reuse
  for (let k = 0; k < L; k++) {
    const m = k === 0 ? 0 : L - k;
    const ar = Z[2 * k];
    const ai = Z[2 * k + 1];
    const br = Z[2 * m];
    const bi = -Z[2 * m + 1];
    P[2 * k] = (ar * ai - br * bi) / 2;
    P[2 * k + 1] = -(ar * ar - ai * ai - br * br + bi * bi) / 4;
  }
  const p = fftComplex(P, true);
  const out = new Float64Array(npts);
  const off = w.length - 1;
  for (let k = 0; k < npts; k++) out[k] = p[2 * (k + off)] / sc;
  return out;
}
