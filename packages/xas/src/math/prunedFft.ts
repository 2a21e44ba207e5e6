// Pruned power-of-two FFTs for the XAFS transforms, written by hand because their inputs are mostly
// zero-padding and only a prefix of their outputs is used, which a general FFT library cannot exploit:
// - xftf: ≤ 2048 real points of which only the ~250 up to kmax + dk are non-zero;
// - xftr and the wavelet rows: complex spectra with short support, of which only the first few
//   hundred outputs (q ≤ qmax, k ≤ max k) are returned.
// fft.js (math/fft.ts) remains the general-purpose transform. Measured on the shared 2-core machine,
// fft.js realTransform(2048) took 40–160 µs per call (it does not stay optimized in a long run),
// this code ~10 µs for xftf's case (see bench xas-xftf).
//
// Algorithm: iterative radix-2 decimation in time on split re/im arrays. With input support
// m < S = n/P, the bit-reversed input occupies only multiples of P, so the first log2(P) stages only
// copy each value over its block of P (a P-point DFT of [z, 0, …, 0] is [z, z, …, z]). With only
// outputs j < nOut wanted, a stage producing DFTs of size 2h needs outputs t < min(2h, nOut) of
// each block, so the last stages compute half-butterflies or nothing. Convention as numpy:
// sign −1: X_j = Σ z_m e^(−2πi·mj/n); sign +1: the same with e^(+…) and NO 1/n factor.

import { ValidationError } from '@siteproof/core';
import { lazyKernels, type WasmHeap, type WasmKernels } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/fft';

// WebAssembly twin (assembly/fft.ts): the same stages with two neighbouring butterflies per f64x2
// instruction and the same operations per output, so the same bits (prunedFft.wasm.test.ts); the
// JS below runs when WebAssembly is off. Why: V8 runs these typed-array loops at ~0.3
// multiply-adds/ns on the reference machine; measured (A/B in one process, medians) the real
// transform of xftf (2048, 251 points, 326 bins) took 33–44 µs in JS, 9–13 µs in WebAssembly.
interface FftKernels {
  cfft(pl: number, n: number, pRe: number, pIm: number, len: number, S: number, shift: number, sign: number, nOut: number): void;
  rfft(pl: number, m: number, pX: number, len: number, nOut: number, scale: number, oRe: number, oIm: number, oMag: number): void;
  rfft3(pl: number, m: number, pA: number, pB: number, pC: number, len: number, nOut: number, scale: number, oRe: number, oIm: number, oMag: number): void;
  rfftGrid(pl: number, m: number, pK: number, pChi: number, pTab: number, nGrid: number, len: number, nOut: number, scale: number, oRe: number, oIm: number, oMag: number): number;
}
const kernels = lazyKernels<FftKernels>(WASM_BASE64);
/** Scratch slots of this module's heap. */
const SLOT_RE = 0;
const SLOT_IM = 1;
const SLOT_X = 2;
const SLOT_OUT = 3;
const SLOT_B = 4;
const SLOT_C = 5;
const SLOT_K = 6;

/**
 * Plans resident in wasm memory, by complex size n (most recently used last). Bounded by count and
 * by memory (17n doubles each): the wavelets cycle through several power-of-two sizes per call.
 */
const wasmPlans = new Map<number, number>();
const WASM_PLANS_MAX = 16;
const WASM_PLANS_MAX_DOUBLES = 1 << 20;
let wasmPlansDoubles = 0;

/**
 * The plan's tables in the kernels' memory, laid out as assembly/fft.ts expects (doubles from the
 * block start): re, im, cr, ci (n each), rev (n u32 in n doubles' room), radix-4 twiddles
 * (per sign 3n; quarter size h at 6h: c1 s1 c2 s2 c3 s3 of twiddles4, h each), radix-2 twiddles
 * (per sign 2n; half size h at 2h: cos, sign·sin at stride n/2h), real-FFT twiddles cos and sin of
 * 2πk/2n for k ≤ n at 15n and 16n + 1. Every value is the one the JS stages use.
 */
function wasmPlan(k: WasmKernels<FftKernels>, plan: FftPlan): number {
  const { n, cos, sin } = plan;
  const hit = wasmPlans.get(n);
  if (hit !== undefined) {
    if (wasmPlans.size > 1) {
      wasmPlans.delete(n);
      wasmPlans.set(n, hit);
    }
    return hit;
  }
  while (wasmPlans.size > 0 && (wasmPlans.size >= WASM_PLANS_MAX || wasmPlansDoubles + 17 * n + 2 > WASM_PLANS_MAX_DOUBLES)) {
    const [oldN, oldP] = wasmPlans.entries().next().value as [number, number];
    wasmPlans.delete(oldN);
    wasmPlansDoubles -= 17 * oldN + 2;
    k.heap.release(oldP);
  }
  const ptr = k.heap.alloc(17 * n + 2);
  wasmPlansDoubles += 17 * n + 2;
  const f = k.heap.f64;
  const o = ptr / 8;
  new Uint32Array(k.heap.memory.buffer, ptr + 32 * n, n).set(plan.rev);
  for (let si = 0; si < 2; si++) {
    const sign = si ? 1 : -1;
    for (let h = 1; 4 * h <= n; h *= 2) {
      const b = o + 5 * n + si * 3 * n + 6 * h;
      const stride = n / (4 * h);
      for (let t = 0; t < h; t++) {
        const kk = t * stride;
        f[b + t] = cos[kk];
        f[b + h + t] = sign * sin[kk];
        f[b + 2 * h + t] = cos[2 * kk];
        f[b + 3 * h + t] = sign * sin[2 * kk];
        f[b + 4 * h + t] = cos[3 * kk];
        f[b + 5 * h + t] = sign * sin[3 * kk];
      }
    }
    for (let h = 1; 2 * h <= n; h *= 2) {
      const b = o + 11 * n + si * 2 * n + 2 * h;
      const stride = n / (2 * h);
      for (let t = 0; t < h; t++) {
        f[b + t] = cos[t * stride];
        f[b + h + t] = sign * sin[t * stride];
      }
    }
  }
  const tw = halfTwiddles(2 * n);
  f.set(tw.c, o + 15 * n);
  f.set(tw.s, o + 16 * n + 1);
  wasmPlans.set(n, ptr);
  return ptr;
}

export interface FftPlan {
  readonly n: number;
  /** cos(2πk/n), sin(2πk/n) for k < n (radix-4 stages index up to 3n/4). */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  /** Bit reversal of m < n. */
  readonly rev: Uint32Array;
  /** Work arrays (the plan is not re-entrant; JS is single-threaded per realm). */
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** The input's first S values in bit-reversed order (S = support rounded up to a power of two). */
  readonly cr: Float64Array;
  readonly ci: Float64Array;
  /** Radix-4 twiddles per quarter-block size h and sign: [cos, ±sin] of t, 2t, 3t times 2π/4h, t < h. */
  readonly tw4: Map<number, Float64Array>;
}

const plans = new Map<number, FftPlan>();

export function fftPlan(n: number): FftPlan {
  let p = plans.get(n);
  if (p) return p;
  if (!(Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0)) throw new ValidationError(`FFT length must be a power of two ≥ 2 (got ${n})`, { field: 'nfft' });
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let m = 0; m < n; m++) {
    let r = 0;
    for (let b = 0, v = m; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[m] = r;
  }
  p = { n, cos, sin, rev, re: new Float64Array(n), im: new Float64Array(n), cr: new Float64Array(n), ci: new Float64Array(n), tw4: new Map() };
  plans.set(n, p);
  return p;
}

/** Smallest power of two ≥ v (v ≥ 1). */
function pow2AtLeast(v: number): number {
  let s = 1;
  while (s < v) s *= 2;
  return s;
}

/** Radix-4 twiddles with the transform's sign applied to the sines (sign ±1). */
function twiddles4(plan: FftPlan, h: number, sign: -1 | 1): Float64Array {
  const key = 2 * h + (sign > 0 ? 1 : 0);
  let t4 = plan.tw4.get(key);
  if (!t4) {
    const { n, cos, sin } = plan;
    const stride = n / (4 * h);
    t4 = new Float64Array(6 * h);
    for (let t = 0; t < h; t++) {
      const k = t * stride;
      t4[6 * t] = cos[k];
      t4[6 * t + 1] = sign * sin[k];
      t4[6 * t + 2] = cos[2 * k];
      t4[6 * t + 3] = sign * sin[2 * k];
      t4[6 * t + 4] = cos[3 * k];
      t4[6 * t + 5] = sign * sin[3 * k];
    }
    plan.tw4.set(key, t4);
  }
  return t4;
}

/**
 * Complex DFT of z (z_m = inRe[m] + i·inIm[m] for m < len, 0 beyond) of length plan.n; the
 * first nOut outputs are left in plan.re/plan.im (the rest are garbage). inIm may be null (real z).
 */
export function fftPruned(plan: FftPlan, inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, len: number, sign: -1 | 1, nOut: number): void {
  const { n, rev, cr, ci } = plan;
  const S = Math.min(n, pow2AtLeast(Math.max(1, len)));
  const P = n / S;
  const shift = Math.log2(P);
  // Compact bit-reversed load: position rev(m)/P of the first S values.
  const lim = Math.min(len, S);
  const k = kernels.get();
  if (k) {
    const pl = wasmPlan(k, plan);
    const pRe = k.heap.put(SLOT_RE, inRe, lim);
    const pIm = inIm ? k.heap.put(SLOT_IM, inIm, lim) : 0;
    const f = k.heap.f64;
    k.exports.cfft(pl, n, pRe, pIm, len, S, shift, sign, nOut);
    const cnt = Math.min(nOut, n);
    const o = pl / 8;
    plan.re.set(f.subarray(o, o + cnt));
    plan.im.set(f.subarray(o + n, o + n + cnt));
    return;
  }
  if (inIm) {
    for (let m = 0; m < lim; m++) {
      const q = rev[m] >>> shift;
      cr[q] = inRe[m];
      ci[q] = inIm[m];
    }
  } else {
    for (let m = 0; m < lim; m++) {
      const q = rev[m] >>> shift;
      cr[q] = inRe[m];
      ci[q] = 0;
    }
  }
  for (let m = lim; m < S; m++) {
    const q = rev[m] >>> shift;
    cr[q] = 0;
    ci[q] = 0;
  }
  stages(plan, P, sign, nOut);
}

const halfTw = new Map<number, { c: Float64Array; s: Float64Array }>();

/** cos, sin(2πk/n) for k ≤ n/2: the real-FFT post-processing twiddles of length n. */
function halfTwiddles(n: number): { c: Float64Array; s: Float64Array } {
  let tw = halfTw.get(n);
  if (!tw) {
    const m = n / 2;
    tw = { c: new Float64Array(m + 1), s: new Float64Array(m + 1) };
    for (let k = 0; k <= m; k++) {
      tw.c[k] = Math.cos((2 * Math.PI * k) / n);
      tw.s[k] = Math.sin((2 * Math.PI * k) / n);
    }
    halfTw.set(n, tw);
  }
  return tw;
}

/**
 * Forward DFT of the real sequence x[0..len) zero-padded to n (power of two ≥ 4): bins
 * j < nOut (≤ n/2 + 1) times `scale` into outRe/outIm. The n real points are packed as n/2
 * complex ones, transformed, and separated with the usual twiddle post-processing.
 */
export function rfftPruned(x: ArrayLike<number>, len: number, n: number, nOut: number, scale: number, outRe: Float64Array, outIm: Float64Array): void {
  if (len > n) throw new ValidationError(`rfft: ${len} points do not fit in an FFT of length ${n}`, { field: 'nfft' });
  if (nOut > n / 2 + 1) throw new ValidationError(`rfft: at most n/2+1 bins (asked ${nOut})`, { field: 'nOut' });
  const m = n / 2;
  const plan = fftPlan(m);
  const k = kernels.get();
  if (k) {
    const pl = wasmPlan(k, plan);
    const pX = k.heap.put(SLOT_X, x, len);
    const pO = k.heap.scratch(SLOT_OUT, 2 * nOut);
    const f = k.heap.f64;
    k.exports.rfft(pl, m, pX, len, nOut, scale, pO, pO + 8 * nOut, 0);
    outRe.set(f.subarray(pO / 8, pO / 8 + nOut));
    outIm.set(f.subarray(pO / 8 + nOut, pO / 8 + 2 * nOut));
    return;
  }
  const tw = halfTwiddles(n);
  // Pack z_q = x[2q] + i·x[2q+1] into the compact bit-reversed arrays (as fftPruned's load).
  const { re, im, rev, cr, ci } = plan;
  const half = (len + 1) >> 1;
  const S = Math.min(m, pow2AtLeast(Math.max(1, half)));
  const P = m / S;
  const shift = Math.log2(P);
  for (let q = 0; q < S; q++) {
    const pos = rev[q] >>> shift;
    cr[pos] = 2 * q < len ? x[2 * q] : 0;
    ci[pos] = 2 * q + 1 < len ? x[2 * q + 1] : 0;
  }
  stages(plan, P, -1, m);
  const tc = tw.c;
  const ts = tw.s;
  const hs = 0.5 * scale;
  for (let j = 0; j < nOut; j++) {
    const a = j === m ? 0 : j;
    const b = j === 0 ? 0 : m - j;
    const Ar = re[a];
    const Ai = im[a];
    const Br = re[b];
    const Bi = -im[b];
    const Er = Ar + Br;
    const Ei = Ai + Bi;
    const Dr = Ar - Br;
    const Di = Ai - Bi;
    const c = tc[j];
    const s = ts[j];
    outRe[j] = hs * (Er - s * Dr + c * Di);
    outIm[j] = hs * (Ei - s * Di - c * Dr);
  }
}

let prodScratch = new Float64Array(0);

/** Arrays kept in the FFT kernels' memory (xftf's grid, window and k^w per setting). */
export interface FftResident {
  readonly heap: WasmHeap;
  readonly ptr: number;
  readonly n: number;
}

/** Copies of the arrays (n values each) laid end to end in the kernels' memory; undefined without WebAssembly. */
export function fftResident(parts: readonly Float64Array[]): FftResident | undefined {
  const k = kernels.get();
  if (!k) return undefined;
  const n = parts[0].length;
  const ptr = k.heap.alloc(parts.length * n);
  const f = k.heap.f64;
  parts.forEach((a, i) => f.set(a, ptr / 8 + i * n));
  return { heap: k.heap, ptr, n };
}

export function releaseFftResident(r: FftResident | undefined): void {
  r?.heap.release(r.ptr);
}

/**
 * xftf's common case in one WebAssembly call: `tab` holds (kg, k^w, window) of a grid; when
 * k[i] === kg[i] for i < len (AUTOBK's k), returns bins j < nOut of rfftPrunedProduct(χ, k^w,
 * window) and their modulus as new arrays (sliced from wasm memory: no zero-fill, one copy).
 * Returns undefined when k is off the grid or WebAssembly is off (the caller then takes the JS route).
 */
export function rfftGridProduct(tab: FftResident, k: ArrayLike<number>, chi: ArrayLike<number>, len: number, n: number, nOut: number, scale: number, outRe: Float64Array, outIm: Float64Array, outMag: Float64Array): boolean {
  const kw = kernels.get();
  if (!kw || kw.heap !== tab.heap || len > tab.n || len > n || k.length < len || nOut > n / 2 + 1) return false;
  const pl = wasmPlan(kw, fftPlan(n / 2));
  const pK = kw.heap.put(SLOT_K, k, len);
  const pChi = kw.heap.put(SLOT_X, chi, len);
  const pO = kw.heap.scratch(SLOT_OUT, 3 * nOut);
  if (!kw.exports.rfftGrid(pl, n / 2, pK, pChi, tab.ptr, tab.n, len, nOut, scale, pO, pO + 8 * nOut, pO + 16 * nOut)) return false;
  const f = kw.heap.f64;
  const o = pO / 8;
  outRe.set(f.subarray(o, o + nOut));
  outIm.set(f.subarray(o + nOut, o + 2 * nOut));
  outMag.set(f.subarray(o + 2 * nOut, o + 3 * nOut));
  return true;
}

/**
 * rfftPruned of x_i = (a_i·b_i)·c_i, i < len, with |X_j| into outMag as well: xftf's χ·k^w·window
 * and |χ(R)| inside the one WebAssembly call (the JS path: the product, rfftPruned, the modulus
 * Math.sqrt(re² + im²); the same bits either way).
 */
export function rfftPrunedProduct(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  len: number,
  n: number,
  nOut: number,
  scale: number,
  outRe: Float64Array,
  outIm: Float64Array,
  outMag: Float64Array,
): void {
  if (len > n) throw new ValidationError(`rfft: ${len} points do not fit in an FFT of length ${n}`, { field: 'nfft' });
  if (nOut > n / 2 + 1) throw new ValidationError(`rfft: at most n/2+1 bins (asked ${nOut})`, { field: 'nOut' });
  const k = kernels.get();
  if (k) {
    const pl = wasmPlan(k, fftPlan(n / 2));
    const pA = k.heap.put(SLOT_X, a, len);
    const pB = k.heap.put(SLOT_B, b, len);
    const pC = k.heap.put(SLOT_C, c, len);
    const pO = k.heap.scratch(SLOT_OUT, 3 * nOut);
    const f = k.heap.f64;
    k.exports.rfft3(pl, n / 2, pA, pB, pC, len, nOut, scale, pO, pO + 8 * nOut, pO + 16 * nOut);
    const o = pO / 8;
    outRe.set(f.subarray(o, o + nOut));
    outIm.set(f.subarray(o + nOut, o + 2 * nOut));
    outMag.set(f.subarray(o + 2 * nOut, o + 3 * nOut));
    return;
  }
  if (prodScratch.length < len) prodScratch = new Float64Array(len);
  const x = prodScratch;
  for (let i = 0; i < len; i++) x[i] = a[i] * b[i] * c[i];
  rfftPruned(x, len, n, nOut, scale, outRe, outIm);
  for (let j = 0; j < nOut; j++) outMag[j] = Math.sqrt(outRe[j] * outRe[j] + outIm[j] * outIm[j]);
}

/**
 * DIT stages from half-size P up on the loaded work arrays: radix-4 (two radix-2 stages fused, one
 * load/store per element instead of two) while all outputs of the blocks are needed, then
 * radix-2 with the output pruning described at the top.
 */
function stages(plan: FftPlan, P: number, sign: -1 | 1, nOut: number): void {
  const { n, cos, sin, re, im, cr, ci } = plan;
  let h = P;
  if (4 * P <= n && nOut >= 4 * P) {
    // First radix-4 stage straight from the compact input: the quarter-blocks of P are constant
    // (copies of one input value), so A…D are loaded once per block and only twiddled per t.
    const tw = twiddles4(plan, P, sign);
    for (let b = 0, q = 0; b < n; b += 4 * P, q += 4) {
      const ar = cr[q];
      const ai = ci[q];
      const br = cr[q + 1];
      const bi = ci[q + 1];
      const cR = cr[q + 2];
      const cI = ci[q + 2];
      const dr = cr[q + 3];
      const di = ci[q + 3];
      for (let t = 0; t < P; t++) {
        const o = 6 * t;
        const c1 = tw[o];
        const s1 = tw[o + 1];
        const c2 = tw[o + 2];
        const s2 = tw[o + 3];
        const c3 = tw[o + 4];
        const s3 = tw[o + 5];
        const y1r = cR * c1 - cI * s1;
        const y1i = cR * s1 + cI * c1;
        const y2r = br * c2 - bi * s2;
        const y2i = br * s2 + bi * c2;
        const y3r = dr * c3 - di * s3;
        const y3i = dr * s3 + di * c3;
        const s02r = ar + y2r;
        const s02i = ai + y2i;
        const d02r = ar - y2r;
        const d02i = ai - y2i;
        const s13r = y1r + y3r;
        const s13i = y1i + y3i;
        const e13r = -sign * (y1i - y3i);
        const e13i = sign * (y1r - y3r);
        const i0 = b + t;
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        re[i0 + 2 * P] = s02r - s13r;
        im[i0 + 2 * P] = s02i - s13i;
        re[i0 + P] = d02r + e13r;
        im[i0 + P] = d02i + e13i;
        re[i0 + 3 * P] = d02r - e13r;
        im[i0 + 3 * P] = d02i - e13i;
      }
    }
    h = 4 * P;
  } else {
    // Too few outputs wanted for a radix-4 first stage: copy each value over its block of P.
    for (let q = 0; q < n / P; q++) {
      const vr = cr[q];
      const vi = ci[q];
      const b = q * P;
      for (let t = 0; t < P; t++) {
        re[b + t] = vr;
        im[b + t] = vi;
      }
    }
  }
  while (4 * h <= n && nOut >= 4 * h) {
    const size = 4 * h;
    const tw = twiddles4(plan, h, sign);
    for (let t = 0; t < h; t++) {
      // Y0 = A, Y1 = W^t·C, Y2 = W^2t·B, Y3 = W^3t·D with W = e^(sign·2πi/size): in bit-reversed
      // order the quarter-blocks A, B, C, D hold the DFTs of the samples ≡ 0, 2, 1, 3 (mod 4).
      const o = 6 * t;
      const c1 = tw[o];
      const s1 = tw[o + 1];
      const c2 = tw[o + 2];
      const s2 = tw[o + 3];
      const c3 = tw[o + 4];
      const s3 = tw[o + 5];
      for (let i0 = t; i0 < n; i0 += size) {
        const i1 = i0 + h;
        const i2 = i1 + h;
        const i3 = i2 + h;
        const ar = re[i0];
        const ai = im[i0];
        const br = re[i1];
        const bi = im[i1];
        const cR = re[i2];
        const cI = im[i2];
        const dr = re[i3];
        const di = im[i3];
        const y1r = cR * c1 - cI * s1;
        const y1i = cR * s1 + cI * c1;
        const y2r = br * c2 - bi * s2;
        const y2i = br * s2 + bi * c2;
        const y3r = dr * c3 - di * s3;
        const y3i = dr * s3 + di * c3;
        const s02r = ar + y2r;
        const s02i = ai + y2i;
        const d02r = ar - y2r;
        const d02i = ai - y2i;
        const s13r = y1r + y3r;
        const s13i = y1i + y3i;
        // sign·i·(Y1 − Y3)
        const e13r = -sign * (y1i - y3i);
        const e13i = sign * (y1r - y3r);
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        re[i2] = s02r - s13r;
        im[i2] = s02i - s13i;
        re[i1] = d02r + e13r;
        im[i1] = d02i + e13i;
        re[i3] = d02r - e13r;
        im[i3] = d02i - e13i;
      }
    }
    h *= 4;
  }
  if (4 * h <= n && nOut > 2 * h) {
    // One radix-4 stage with 2h < nOut < 4h wanted outputs per block: t + 2h only for
    // t < nOut − 2h, t + 3h only for t < nOut − 3h (fuses two pruned radix-2 stages into one pass).
    const size = 4 * h;
    const tw = twiddles4(plan, h, sign);
    const t3 = nOut - 2 * h;
    const t4 = nOut - 3 * h;
    for (let t = 0; t < h; t++) {
      const o = 6 * t;
      const c1 = tw[o];
      const s1 = tw[o + 1];
      const c2 = tw[o + 2];
      const s2 = tw[o + 3];
      const c3 = tw[o + 4];
      const s3 = tw[o + 5];
      const third = t < t3;
      const fourth = t < t4;
      for (let i0 = t; i0 < n; i0 += size) {
        const i1 = i0 + h;
        const i2 = i1 + h;
        const i3 = i2 + h;
        const ar = re[i0];
        const ai = im[i0];
        const br = re[i1];
        const bi = im[i1];
        const cR = re[i2];
        const cI = im[i2];
        const dr = re[i3];
        const di = im[i3];
        const y1r = cR * c1 - cI * s1;
        const y1i = cR * s1 + cI * c1;
        const y2r = br * c2 - bi * s2;
        const y2i = br * s2 + bi * c2;
        const y3r = dr * c3 - di * s3;
        const y3i = dr * s3 + di * c3;
        const s02r = ar + y2r;
        const s02i = ai + y2i;
        const d02r = ar - y2r;
        const d02i = ai - y2i;
        const s13r = y1r + y3r;
        const s13i = y1i + y3i;
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        const e13r = -sign * (y1i - y3i);
        const e13i = sign * (y1r - y3r);
        re[i1] = d02r + e13r;
        im[i1] = d02i + e13i;
        if (third) {
          re[i2] = s02r - s13r;
          im[i2] = s02i - s13i;
        }
        if (fourth) {
          re[i3] = d02r - e13r;
          im[i3] = d02i - e13i;
        }
      }
    }
    h *= 4;
  }
  for (; h < n; h *= 2) {
    const size = 2 * h;
    const stride = n / size;
    const need = Math.min(size, nOut);
    const full = Math.max(0, Math.min(h, need - h)); // t < full: both outputs; full ≤ t < top: upper only
    const top = Math.min(h, need);
    // Block-outer (the last stages have only 1–4 blocks of up to n points).
    for (let b = 0; b < n; b += size) {
      for (let t = 0, k = 0; t < full; t++, k += stride) {
        const c = cos[k];
        const s = sign * sin[k];
        const i0 = b + t;
        const i1 = i0 + h;
        const xr = re[i1];
        const xi = im[i1];
        const vr = xr * c - xi * s;
        const vi = xr * s + xi * c;
        const ur = re[i0];
        const ui = im[i0];
        re[i0] = ur + vr;
        im[i0] = ui + vi;
        re[i1] = ur - vr;
        im[i1] = ui - vi;
      }
      for (let t = full, k = full * stride; t < top; t++, k += stride) {
        const c = cos[k];
        const s = sign * sin[k];
        const i1 = b + t + h;
        const xr = re[i1];
        const xi = im[i1];
        re[b + t] += xr * c - xi * s;
        im[b + t] += xr * s + xi * c;
      }
    }
  }
}

/** Whether the WebAssembly stages run (false: the JS stages above; same numbers either way). */
export function prunedFftWasmActive(): boolean {
  return kernels.get() !== null;
}
