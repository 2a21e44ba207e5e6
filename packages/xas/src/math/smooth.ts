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
import FFTJS from 'fft.js';
import { fftComplex, rfft } from './fft';
import { lazyKernels } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/smooth';

interface SmoothKernels {
  matvec(pM: number, pY: number, pO: number, n: number, rows: number): void;
}
/** The matrix–vector product of smoothApprox in WebAssembly (assembly/smooth.ts; same bits as rowDot). */
const kernels = lazyKernels<SmoothKernels>(WASM_BASE64);
/**
 * Cost of a multiply-add of the matrix product relative to the plain-JS convolution's, for the
 * matrix-or-convolution choice: measured ≈ 0.15–0.25 with the WebAssembly kernel.
 */
const WASM_MAC_COST = 0.25;

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

/** Everything of a smooth call that depends on x and the options but not on y. */
interface SmoothPlan {
  x: Float64Array;
  xstep: number;
  sigma: number;
  npad: number;
  gauss: boolean;
  npts: number;
  x0: Float64Array;
  /** Bracket of each grid point in x for numpy.interp (−1: below x[0], −2: above x[n−1]). */
  inJ: Int32Array;
  w: Float64Array;
  /** The kernel folded on its even part: h[t] = w at offset t (t < npts), h[npts] = w at −npts. */
  h: Float64Array;
  /** Direct path: grid points whose value the final interpolation reads. */
  need?: Uint8Array;
  /** FFT path (see RealConvolution). */
  conv?: RealConvolution;
  /** Segment of x0 used for each x by Larch's linear interp (−1: exactly the last grid point). */
  outJ: Int32Array;
  /** Scratch: y on the grid (npts) and the valid convolution (npts). */
  y0: Float64Array;
  y2: Float64Array;
  /** Times this plan was found in the cache. */
  hits: number;
  /** The whole smoothing as an n×n matrix (row-major), built on reuse where it pays; null: not worth it. */
  matrix?: Float64Array | null;
  /** max over rows of Σ|M_ij|. */
  matrixRowAbs: number;
  /** Byte address of a copy of the matrix in the WebAssembly kernels' memory (when they run). */
  matrixPtr?: number;
}

/**
 * Plans for the last few (x, options): find_e0 smooths the same window of the same energy grid
 * for every spectrum of a series. A hit needs the exact same x values, so results do not depend
 * on the cache.
 */
const planCache: SmoothPlan[] = [];
const PLAN_CACHE_SIZE = 16;

function makePlan(x: ArrayLike<number>, xstep: number, sigmaX: number, npad: number, gauss: boolean): SmoothPlan {
  const n = x.length;
  const sigma = sigmaX / xstep;
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
  if (npts < 2) throw new ValidationError(`smooth: the grid step ${xstep} leaves fewer than 2 grid points`, { field: 'xstep' });
  // numpy.linspace: start + i·step, last point exactly at stop.
  const x0 = new Float64Array(npts);
  const dstep = (xmax - xmin) / (npts - 1);
  for (let i = 0; i < npts; i++) x0[i] = i * dstep + xmin;
  x0[npts - 1] = xmax;
  let increasing = true;
  for (let i = 1; i < n && increasing; i++) if (!(x[i] > x[i - 1])) increasing = false;
  const inJ = new Int32Array(npts);
  let walk = 0; // on increasing x the bracket only moves forward: the bisection's index by a walk
  for (let i = 0; i < npts; i++) {
    const v = x0[i];
    if (v <= x[0]) inJ[i] = -1;
    else if (v >= x[n - 1]) inJ[i] = -2;
    else if (increasing) {
      while (walk + 2 < n && x[walk + 1] <= v) walk++;
      inJ[i] = walk;
    } else inJ[i] = bracketIndex(x, v);
  }

  const kern = kernelFor(npts, sigma, gauss);
  const { w, h } = kern;

  // Larch's interp back to x: segment j of x0 (first/last segment outside, exact hit on the end).
  const outJ = new Int32Array(n);
  for (let i = 0; i < n; i++) outJ[i] = x[i] === x0[npts - 1] ? -1 : bracketIndex(x0, x[i]);

  const plan: SmoothPlan = { x: new Float64Array(x), xstep, sigma: sigmaX, npad, gauss, npts, x0, inJ, w, h, outJ, y0: new Float64Array(npts), y2: new Float64Array(npts), hits: 0, matrixRowAbs: 0 };
  if (npts > FFT_MIN_POINTS) {
    plan.conv = kern.conv ??= new RealConvolution(w, 3 * npts - 1);
  } else {
    const need = new Uint8Array(npts);
    for (let i = 0; i < n; i++) {
      const j = outJ[i] < 0 ? npts - 2 : outJ[i];
      need[j] = 1;
      if (j + 1 < npts) need[j + 1] = 1;
    }
    plan.need = need;
  }
  return plan;
}

/** The kernel depends only on (npts, sigma in grid steps, form), not on x: shared by plans. */
interface Kernel {
  key: string;
  w: Float64Array;
  h: Float64Array;
  conv?: RealConvolution;
}
const kernelCache: Kernel[] = [];
const KERNEL_CACHE_SIZE = 8;

function kernelFor(npts: number, sigma: number, gauss: boolean): Kernel {
  const key = `${npts}|${sigma}|${gauss}`;
  for (const k of kernelCache) if (k.key === key) return k;
  // Kernel w[j] at offset d = j − npts, j = 0 … 2npts−1.
  const nw = 2 * npts;
  const w = new Float64Array(nw);
  let wsum = 0;
  for (let j = 0; j < nw; j++) {
    const d = (j - npts) / sigma;
    const v = gauss ? Math.exp(-0.5 * d * d) : 1 / (1 + d * d);
    w[j] = v;
    wsum += v;
  }
  for (let j = 0; j < nw; j++) w[j] /= wsum;
  const k: Kernel = { key, w, h: foldKernel(w, npts) };
  kernelCache.unshift(k);
  if (kernelCache.length > KERNEL_CACHE_SIZE) kernelCache.pop();
  return k;
}

/** fft.js instances (their twiddle tables) by size. */
const fftCache = new Map<number, FFTJS>();
function fftOf(size: number): FFTJS {
  let f = fftCache.get(size);
  if (!f) fftCache.set(size, (f = new FFTJS(size)));
  return f;
}

function planFor(x: ArrayLike<number>, xstep: number, sigma: number, npad: number, gauss: boolean): SmoothPlan {
  const n = x.length;
  for (let c = 0; c < planCache.length; c++) {
    const p = planCache[c];
    if (p.xstep !== xstep || p.sigma !== sigma || p.npad !== npad || p.gauss !== gauss || p.x.length !== n) continue;
    const px = p.x;
    let i = 0;
    while (i < n && px[i] === x[i]) i++;
    if (i === n) {
      p.hits++;
      if (c > 0) {
        // most recently used first
        planCache.splice(c, 1);
        planCache.unshift(p);
      }
      return p;
    }
  }
  const p = makePlan(x, xstep, sigma, npad, gauss);
  planCache.unshift(p);
  if (planCache.length > PLAN_CACHE_SIZE) {
    const old = planCache.pop()!;
    if (old.matrixPtr !== undefined) kernels.get()?.heap.release(old.matrixPtr);
  }
  return p;
}

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
  const plan = planFor(x, xstep, options.sigma ?? 1, options.npad ?? 5, options.form === 'gaussian');
  const { npts, x0, inJ, outJ, y0 } = plan;

  // y on the grid: numpy.interp (slope·(v − x[j]) + y[j], numpy's form).
  for (let i = 0; i < npts; i++) {
    const j = inJ[i];
    if (j === -1) y0[i] = y[0];
    else if (j === -2) y0[i] = y[n - 1];
    else y0[i] = ((y[j + 1] - y[j]) / (x[j + 1] - x[j])) * (x0[i] - x[j]) + y[j];
  }

  // Padded signal y1 = [y0[npts−1] … y0[1]] ++ y0 ++ [y0[npts−1] … y0[0]], length 3npts−1, and the
  // 'valid' convolution y2[k] = Σ_j w[j]·y1[k + nw − 1 − j] (numpy.convolve(y1, w, 'valid')).
  // Direct sums of only the grid points that bracket some x (those the final interpolation uses)
  // on small grids; an FFT convolution of the whole grid with the cached kernel spectrum on large
  // ones (find_e0 on an EXAFS scan: npts ≈ 540). Both agree with numpy's direct sum to rounding
  // (≈1e-15 of max|y|, checked in smooth.test.ts): summation order already differs from numpy's
  // in either case, and the E0 picked from it is the same grid point.
  // The Lorentzian cannot be truncated instead: its tail beyond D grid steps holds ≈ 2σ/(πD) of
  // the weight, far above rounding for any useful D.
  let y2: Float64Array;
  if (plan.conv) {
    const c = plan.conv;
    const y1 = c.input;
    for (let i = 0; i < npts - 1; i++) y1[i] = y0[npts - 1 - i];
    y1.set(y0, npts - 1);
    for (let i = 0; i < npts; i++) y1[2 * npts - 1 + i] = y0[npts - 1 - i];
    const full = c.run();
    y2 = full.subarray(2 * npts - 1, 3 * npts - 1);
  } else {
    y2 = plan.y2;
    const y1 = padMirror(y0, npts);
    const { h, need } = plan;
    convNeeded(h, y1, npts, need, y2);
  }

  // Back to x with Larch's interp (linear, extrapolating): y2[j] + (v − x0[j])·slope.
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = outJ[i];
    if (j === -1) {
      out[i] = y2[npts - 1];
      continue;
    }
    const slope = (y2[j + 1] - y2[j]) / (x0[j + 1] - x0[j]);
    out[i] = y2[j] + (x[i] - x0[j]) * slope;
  }
  return out;
}

/**
 * Relative size of the error bound smoothApprox reports: far above the rounding of either the
 * matrix product or the convolution (≈1e-15 of max|y|), far below any difference that decides
 * anything in find_e0.
 */
const APPROX_REL = 1e-9;

/**
 * smooth(x, y, options) as a matrix-vector product when the same (x, options) has been smoothed
 * often enough: the map y → smooth(y) is linear, so for a series on one grid its n×n matrix is built
 * once (where n² is cheaper than one convolution, after enough calls to pay for building it) and each
 * call then costs n² multiply-adds instead of an FFT convolution. The matrix sums terms in another order than the convolution, so
 * the values differ from smooth() by rounding: the return value is an error bound ε ≥ |out − smooth(x, y)|
 * (conservative, APPROX_REL·Σ|M_ij|·max|y|) for callers that take decisions robust to it, or −1 when
 * no matrix is available (then call smooth()).
 */
export function smoothApprox(x: ArrayLike<number>, y: ArrayLike<number>, options: SmoothOptions, out: Float64Array): number {
  const n = x.length;
  const xstep = options.xstep;
  if (xstep === undefined || !(xstep >= 1e-12) || y.length !== n || n < 2 || out.length < n) return -1;
  const plan = planFor(x, xstep, options.sigma ?? 1, options.npad ?? 5, options.form === 'gaussian');
  if (plan.matrix === undefined) {
    // Costs in multiply-add units, calibrated on find_e0's pass 2 of cu_metal_rt (n = 132, 539 grid
    // points): an FFT convolution ≈ 2·L·log2 L, the matrix product n², building the matrix ≈ 1.5× its
    // operation count (≈ 15 FFT convolutions). Build it (ski-rental rule) once the calls so far would have paid for it:
    // a long series on one grid gains, a short one loses at most about what it has already spent.
    const exactCost = plan.conv ? 2 * plan.conv.size * Math.log2(plan.conv.size) : countNeed(plan) * plan.npts;
    const saving = exactCost - n * n * (kernels.get() ? WASM_MAC_COST : 1);
    if (!(saving > 0)) plan.matrix = null;
    else {
      const buildCost = 1.5 * (2 * n * (plan.w.length + plan.npts) + n * n);
      if (plan.hits * saving < buildCost) return -1;
      plan.matrix = buildMatrix(plan);
    }
    if (plan.matrix) {
      let rmax = 0;
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let j = 0; j < n; j++) r += Math.abs(plan.matrix[i * n + j]);
        rmax = Math.max(rmax, r);
      }
      plan.matrixRowAbs = rmax;
    }
  }
  const M = plan.matrix;
  if (!M) return -1;
  let ymax = 0;
  for (let j = 0; j < n; j++) ymax = Math.max(ymax, Math.abs(y[j]));
  const eps = APPROX_REL * plan.matrixRowAbs * ymax + Number.MIN_VALUE;
  const k = kernels.get();
  if (k) {
    const { heap } = k;
    if (plan.matrixPtr === undefined) {
      plan.matrixPtr = heap.alloc(n * n);
      heap.f64.set(M, plan.matrixPtr / 8);
    }
    const pY = heap.put(0, y, n);
    const pO = heap.scratch(1, n);
    k.exports.matvec(plan.matrixPtr, pY, pO, n, n);
    out.set(heap.f64.subarray(pO / 8, pO / 8 + n));
    return eps;
  }
  const yv = approxY.length >= n ? approxY : (approxY = new Float64Array(2 * n));
  for (let j = 0; j < n; j++) yv[j] = y[j];
  for (let i = 0; i < n; i++) out[i] = rowDot(M, i * n, yv, n);
  return eps;
}

let approxY = new Float64Array(512);

/** Σ_j M[o + j]·y[j] with four partial sums (independent add chains). */
function rowDot(M: Float64Array, o: number, y: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += M[o + j] * y[j];
    s1 += M[o + j + 1] * y[j + 1];
    s2 += M[o + j + 2] * y[j + 2];
    s3 += M[o + j + 3] * y[j + 3];
  }
  for (; j < n; j++) s0 += M[o + j] * y[j];
  return s0 + s1 + (s2 + s3);
}

function countNeed(plan: SmoothPlan): number {
  let c = 0;
  for (let k = 0; k < plan.npts; k++) if (plan.need![k]) c++;
  return c;
}

/**
 * Rows of the linear map y → smooth(y): interpolation onto the grid (2 weights per grid point),
 * mirror padding, the 'valid' convolution and the interpolation back (2 grid rows per output).
 */
function buildMatrix(plan: SmoothPlan): Float64Array {
  const { x, npts, x0, inJ, outJ, w } = plan;
  const n = x.length;
  const nw = w.length;
  // y0[g] = c0[g]·y[j0[g]] + c1[g]·y[j0[g] + 1]
  const j0 = new Int32Array(npts);
  const c0 = new Float64Array(npts);
  const c1 = new Float64Array(npts);
  for (let g = 0; g < npts; g++) {
    const j = inJ[g];
    if (j === -1) (j0[g] = 0), (c0[g] = 1);
    else if (j === -2) (j0[g] = n - 2), (c1[g] = 1);
    else {
      const t = (x0[g] - x[j]) / (x[j + 1] - x[j]);
      j0[g] = j;
      c0[g] = 1 - t;
      c1[g] = t;
    }
  }
  const rows = new Map<number, Float64Array>();
  const gridRow = (k: number): Float64Array => {
    let r = rows.get(k);
    if (r) return r;
    // Weight of y0[g] in y2[k] = Σ_q w[q]·y1[k + nw − 1 − q]: y0[g] sits in y1 at the middle copy
    // (kernel offset k − g), in the left mirror for g ≥ 1 (offset k + g) and in the right mirror
    // (offset k + g + 1 − 2npts); an offset counts when it is inside the kernel, −npts … npts−1.
    r = new Float64Array(n);
    for (let g = 0; g < npts; g++) {
      let kg = w[npts + k - g];
      if (g >= 1 && k + g <= npts - 1) kg += w[npts + k + g];
      if (k + g + 1 >= npts) kg += w[k + g + 1 - npts];
      r[j0[g]] += kg * c0[g];
      r[j0[g] + 1] += kg * c1[g];
    }
    rows.set(k, r);
    return r;
  };
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const J = outJ[i];
    const o = i * n;
    if (J === -1) {
      M.set(gridRow(npts - 1), o);
      continue;
    }
    const t = (x[i] - x0[J]) / (x0[J + 1] - x0[J]);
    const a = gridRow(J);
    const b = gridRow(J + 1);
    for (let j = 0; j < n; j++) M[o + j] = (1 - t) * a[j] + t * b[j];
  }
  return M;
}

let padScratch = new Float64Array(0);

/** y1 = [y0[npts−1] … y0[1]] ++ y0 ++ [y0[npts−1] … y0[0]] in a reused buffer. */
function padMirror(y0: Float64Array, npts: number): Float64Array {
  const len = 3 * npts - 1;
  if (padScratch.length < len) padScratch = new Float64Array(len);
  const y1 = padScratch;
  for (let i = 0; i < npts - 1; i++) y1[i] = y0[npts - 1 - i];
  y1.set(y0, npts - 1);
  for (let i = 0; i < npts; i++) y1[2 * npts - 1 + i] = y0[npts - 1 - i];
  return y1;
}

/** h[t] = w[npts + t] (offset t ≥ 0; equal to offset −t), h[npts] = w[0] (offset −npts, unpaired). */
function foldKernel(w: Float64Array, npts: number): Float64Array {
  const h = new Float64Array(npts + 1);
  for (let t = 0; t < npts; t++) h[t] = w[npts + t];
  h[npts] = w[0];
  return h;
}

/**
 * Linear convolution of a real signal of fixed length with a fixed real kernel by FFT, done with
 * real transforms: fft.js's real forward transform of length L, then the inverse of the Hermitian
 * product spectrum as ONE complex inverse FFT of length L/2 (even samples in the real part, odd
 * samples in the imaginary part). That is half the work of a complex inverse of length L.
 * Buffers and the kernel spectrum are kept: fill `input`, call run().
 */
class RealConvolution {
  /** The signal, zero-padded to L (only the first `len` entries are to be written). */
  readonly input: Float64Array;
  private readonly L: number;
  get size(): number {
    return this.L;
  }
  private readonly fftL: FFTJS;
  private readonly fftM: FFTJS;
  /** Kernel spectrum bins 0 … L/2 (interleaved). */
  private readonly W: Float64Array;
  /** e^{+2πik/L}, k < L/2 (interleaved). */
  private readonly tw: Float64Array;
  private readonly spec: Float64Array;
  private readonly Z: Float64Array;
  private readonly z: Float64Array;
  private readonly outBuf: Float64Array;

  constructor(kernel: Float64Array, len: number) {
    let L = 2;
    while (L < Math.max(len, 4)) L *= 2;
    const M = L / 2;
    this.L = L;
    this.fftL = fftOf(L);
    this.fftM = fftOf(M);
    this.input = new Float64Array(L);
    this.spec = new Float64Array(2 * L);
    this.Z = new Float64Array(2 * M);
    this.z = new Float64Array(2 * M);
    this.outBuf = new Float64Array(L);
    const kz = new Float64Array(L);
    kz.set(kernel.subarray(0, Math.min(L, kernel.length)));
    const ks = new Float64Array(2 * L);
    this.fftL.realTransform(ks, kz);
    this.W = ks.slice(0, 2 * (M + 1));
    this.tw = new Float64Array(2 * M);
    for (let k = 0; k < M; k++) {
      const a = (2 * Math.PI * k) / L;
      this.tw[2 * k] = Math.cos(a);
      this.tw[2 * k + 1] = Math.sin(a);
    }
  }

  /** The first L points of the linear convolution input ∗ kernel (circular of length L). */
  run(): Float64Array {
    const { L, W, tw, spec, Z, z } = this;
    const M = L / 2;
    this.fftL.realTransform(spec, this.input);
    // product spectrum P_k = Y_k·W_k for k = 0 … M
    for (let k = 0; k <= M; k++) {
      const yr = spec[2 * k];
      const yi = spec[2 * k + 1];
      const wr = W[2 * k];
      const wi = W[2 * k + 1];
      spec[2 * k] = yr * wr - yi * wi;
      spec[2 * k + 1] = yr * wi + yi * wr;
    }
    // Z_k = E_k + i·O_k with E_k = P_k + P_{k+M}, O_k = (P_k − P_{k+M})·e^{2πik/L}, P_{k+M} = conj(P_{M−k})
    for (let k = 0; k < M; k++) {
      const pr = spec[2 * k];
      const pi = spec[2 * k + 1];
      const qr = spec[2 * (M - k)];
      const qi = -spec[2 * (M - k) + 1];
      const er = pr + qr;
      const ei = pi + qi;
      const dr = pr - qr;
      const di = pi - qi;
      const cr = tw[2 * k];
      const ci = tw[2 * k + 1];
      const or = dr * cr - di * ci;
      const oi = dr * ci + di * cr;
      Z[2 * k] = er - oi;
      Z[2 * k + 1] = ei + or;
    }
    this.fftM.inverseTransform(z, Z); // includes 1/M = 2/L
    const out = this.outBuf;
    for (let m = 0; m < M; m++) {
      out[2 * m] = 0.5 * z[2 * m];
      out[2 * m + 1] = 0.5 * z[2 * m + 1];
    }
    return out;
  }
}

/** 'valid' convolution with a kernel given by its length-L spectrum W (y1 real, zero-padded to L). */
function convValidSpectrum(y1: Float64Array, W: Float64Array, L: number, npts: number, nw: number): Float64Array {
  const Y = rfft(y1, L, L / 2 + 1);
  const P = new Float64Array(2 * L);
  for (let k = 0; k <= L / 2; k++) {
    const yr = Y[2 * k];
    const yi = Y[2 * k + 1];
    const wr = W[2 * k];
    const wi = W[2 * k + 1];
    const pr = yr * wr - yi * wi;
    const pi = yr * wi + yi * wr;
    P[2 * k] = pr;
    P[2 * k + 1] = pi;
    if (k > 0 && k < L / 2) {
      P[2 * (L - k)] = pr;
      P[2 * (L - k) + 1] = -pi;
    }
  }
  const p = fftComplex(P, true);
  const out = new Float64Array(npts);
  for (let k = 0; k < npts; k++) out[k] = p[2 * (k + nw - 1)];
  return out;
}

/**
 * numpy.convolve(y1, w, 'valid') at the outputs k with need[k] ≠ 0 (others are left 0). The kernel
 * w (offsets −npts … npts−1) is even in the offset except for d = −npts, so with c = npts − 1:
 *   y2[k] = h0·y1[k+c] + Σ_{t=1}^{npts−1} h_t·(y1[k+c−t] + y1[k+c+t]) + h_npts·y1[k+2npts−1].
 */
export function convValidDirect(y1: Float64Array, w: Float64Array, npts: number, need?: Uint8Array): Float64Array {
  const h = foldKernel(w, npts);
  const y2 = new Float64Array(npts);
  convNeeded(h, y1, npts, need, y2);
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

/**
 * y2[k] = convAt(h, y1, npts, k) where need[k] ≠ 0 (all k without need). Two neighbouring outputs
 * per pass where both are needed (the usual case in find_e0: its grid is coarser than the data,
 * so every grid point brackets some x): each keeps convAt's exact sequence of operations, the pair
 * only shares the kernel loads and runs four add chains instead of two (~25 % faster).
 */
function convNeeded(h: Float64Array, y1: Float64Array, npts: number, need: Uint8Array | undefined, y2: Float64Array): void {
  let k = 0;
  for (; k + 1 < npts; k++) {
    if (need && !need[k]) continue;
    if (!need || need[k + 1]) {
      convPairAt(h, y1, npts, k, y2);
      k++;
    } else y2[k] = convAt(h, y1, npts, k);
  }
  if (k < npts && (!need || need[k])) y2[k] = convAt(h, y1, npts, k);
}

/**
 * y2[k] = convAt(h, y1, npts, k) and y2[k + 1] = convAt(h, y1, npts, k + 1), bit for bit: the same
 * products and sums in the same order for each output, interleaved (k + 1 < npts).
 */
function convPairAt(h: Float64Array, y1: Float64Array, npts: number, k: number, y2: Float64Array): void {
  const m = k + npts - 1;
  const m1 = m + 1;
  let a0 = h[0] * y1[m];
  let a1 = h[npts] * y1[k + 2 * npts - 1];
  let b0 = h[0] * y1[m1];
  let b1 = h[npts] * y1[k + 2 * npts];
  let t = 1;
  for (; t + 1 < npts; t += 2) {
    const h0 = h[t];
    const h1 = h[t + 1];
    a0 += h0 * (y1[m - t] + y1[m + t]);
    a1 += h1 * (y1[m - t - 1] + y1[m + t + 1]);
    b0 += h0 * (y1[m1 - t] + y1[m1 + t]);
    b1 += h1 * (y1[m1 - t - 1] + y1[m1 + t + 1]);
  }
  for (; t < npts; t++) {
    a0 += h[t] * (y1[m - t] + y1[m + t]);
    b0 += h[t] * (y1[m1 - t] + y1[m1 + t]);
  }
  y2[k] = a0 + a1;
  y2[k + 1] = b0 + b1;
}

/** The segment index interpLinearExtrapolate uses for xq (first or last segment outside). */
function bracketIndex(x0: ArrayLike<number>, xq: number): number {
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

/** numpy.convolve(y1, w, 'valid') by FFT (the path smooth takes on large grids; exported for its test). */
export function convValidFft(y1: Float64Array, w: Float64Array, npts: number): Float64Array {
  let L = 2;
  while (L < y1.length) L *= 2;
  const wz = new Float64Array(2 * L);
  for (let j = 0; j < w.length; j++) wz[2 * j] = w[j];
  return convValidSpectrum(y1, fftComplex(wz), L, npts, w.length);
}
