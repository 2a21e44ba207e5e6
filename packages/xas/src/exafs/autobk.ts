// AUTOBK background removal as Larch does it (larch/xafs/autobk.py; see the design note §2.3):
// the background μ0(E) is a cubic B-spline in k whose nspl COEFFICIENTS are the variables; the
// knots come from splrep through nspl points spread over [kmin, kmax] (number set by rbkg); the
// residual is the low-R part (R < rbkg) of the windowed FT of χ = spline-interpolation of
// (μ − μ0) onto the uniform k grid, plus "clamps" on the first/last χ points weighted by
// 0.1 + 10·mean(out²), recomputed at every evaluation.
//
// Speed: everything except the clamp scale is LINEAR in the coefficients (B-spline background,
// interpolating spline onto k, windowed FT). We therefore build the residual as o0 + A·c and
// minimize with Levenberg–Marquardt on the exact analytic Jacobian (including the clamp-scale
// derivative). Larch uses MINPACK lmdif with forward differences on the same objective; both reach
// the same minimum (verified against Larch's χ(k) in tests/xas/autobk.golden.test.ts).
// - A (∂ low-R FT / ∂c) depends only on the grid, E0 and the options ("geometry"). The
//   interpolant of a background B-spline is the B-spline itself (its knots are data points, see
//   buildSetup), so ∂χ(k)/∂c_q = B_q(k): 4 non-zeros per k, and A costs one short DFT over each
//   B-spline's support (≈ 4 dense columns in all) — no spline solves. Cached per geometry, but
//   in-situ series move E0 every scan, so the rebuild is kept cheap rather than relied upon.
// - Per spectrum: one banded spline solve for χ0 = χ(c = 0), one low-R DFT column for o0, then a
//   few LM iterations on nspl ≤ 128 variables.
// - The dense loops of both run in WebAssembly when available (assembly/autobk.ts, the geometry's
//   arrays resident in its memory): χ0, the DFTs, the LM's out = o0 + A·c and normal equations, and
//   the output curves — each a twin of the JS code below with the same operations in the same
//   order, so the results have the same bits either way (autobk.wasm.test.ts).
import { z } from 'zod';
import { parseOptionsCached } from '../normalize/parseOptionsCached';
import { assertFiniteArray, finite, NumericalError, parseOptions, ValidationError } from '@siteproof/core';
import { basisTable, CubicInterpolator, type BasisTable } from '../math/spline';
import { Float64Arena } from '../math/arena';
import { isPowerOfTwo } from '../math/fft';
import { ETOK, indexOfFloor, pyInt } from './constants';
import { ftwindowRaw, windowNameSchema } from './ftwindow';
import { levenbergMarquardtSmall, partialNormalMatrix, type LmProblem } from './leastSquares';
import { npInterp } from './xftf';
import { erf, studentTQuantile } from '@siteproof/core';
import { lazyKernels, type WasmHeap } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/autobk';

const SQRT_PI = Math.sqrt(Math.PI);

// WebAssembly twins of the hot per-spectrum loops (assembly/autobk.ts): the same operations in the
// same order, so the same bits. Why: the low-R DFT runs ≈ 5× faster with two f64 lanes than V8's
// typed-array loop (see wasm/instance.ts); with the LM's dense work, χ0 and the output curves there
// too, AUTOBK on a cached geometry takes ≈ 0.5–0.6× the CPU time of the JS path (measured
// alternating in one process). (Cholesky steps of n ≈ 12 measured no faster in wasm: left in JS.)
interface AutobkKernels {
  lowRDft(pV: number, pW: number, f: number, lo: number, len: number, pX: number, pTab: number, nT: number, nB: number, pCs: number, nfft: number, irbkg: number, sc: number, pOut: number, stride: number): void;
  outFresh(pAT: number, pO0: number, pC: number, pOut: number, nout: number, nspl: number): number;
  chi0(pY: number, m: number, pLU: number, pSpan: number, pB: number, nk: number, pOut: number): void;
  normalRows(pA: number, rows: number, n: number, pAtA: number, pAT: number): void;
  outputs(pMu: number, N: number, i0: number, nraw: number, pBkSpan: number, pBkB: number, pCV: number, pChi0: number, nk: number, pGSpan: number, pGB: number, es: number, pBkg: number, pInitBkg: number, pChie: number, pChi: number, pInitChi: number): number;
  basisValues(pT: number, nt: number, pX: number, pSpan: number, n: number, pB: number): void;
  normalEq(pA: number, pOut: number, nout: number, nspl: number, pC: number, scale: number, pGc: number, pChiC: number, pClampW: number, nc: number, pAtA: number, pGs: number, pJc: number, pJtr: number, pJtJ: number): void;
}
const kernels = lazyKernels<AutobkKernels>(WASM_BASE64);
// heap.scratch slots of this module
const W_V = 0;
const W_X = 1;
const W_OUT = 2;
const W_G = 3;
const W_C = 4;
const W_LOUT = 5;
const W_GS = 6;
const W_JTR = 7;
const W_JTJ = 8;
const W_JC = 9;
const W_GC = 10;
const W_CHIC = 11;
const W_CLAMPW = 12;
const W_Y = 13;
const W_MU = 14;
const W_CV = 15;
const W_CHI0R = 16;
const W_BKG = 17;
const W_CHI = 18;
const W_BT = 19;
const W_BX = 20;
const W_BS = 21;
const W_BB = 22;
/** A block of cached data in the module's memory (released with the cache entry that owns it). */
interface WasmBlock {
  heap: WasmHeap;
  ptr: number;
}
function upload(heap: WasmHeap, a: Float64Array): WasmBlock {
  const ptr = heap.alloc(a.length);
  heap.f64.set(a, ptr / 8);
  return { heap, ptr };
}
/** The interleaved trig tables in wasm memory, per nfft (dropped with trigCache). */
const trigWasm = new Map<number, WasmBlock>();

export const autobkSchema = z
  .object({
    /** Edge energy E0 (eV); Larch's ek0. Required: run preEdge first (or pass Larch's value). */
    e0: finite(),
    /** Edge step used to normalize χ. */
    edgeStep: finite().refine((v) => v > 0, { message: 'must be positive' }),
    rbkg: finite().refine((v) => v > 0, { message: 'rbkg must be > 0 Å' }).default(1),
    kweight: finite().min(0).default(1),
    kmin: finite().min(0).default(0),
    /** Default: the end of the data. */
    kmax: finite().positive().optional(),
    dk: finite().min(0).default(0.1),
    window: windowNameSchema.default('hanning'),
    nfft: z.number().int().refine(isPowerOfTwo, { message: 'must be a power of two' }).default(2048),
    kstep: finite().positive().default(0.05),
    nclamp: z.number().int().min(0).default(3),
    clampLo: finite().default(0),
    clampHi: finite().default(1),
    /** Number of spline knots (overrides the rbkg rule); clipped to [5, 128] as Larch. */
    nknots: z.number().int().positive().optional(),
    /** A standard χ(k) (edge-step units × edge step, i.e. μ units, as Larch's chi_std) to subtract. */
    standard: z.object({ k: z.array(finite()).or(z.instanceof(Float64Array)), chi: z.array(finite()).or(z.instanceof(Float64Array)) }).optional(),
  })
  .refine((o) => o.kmax === undefined || o.kmin < o.kmax, { message: 'kmin must be below kmax', path: ['kmin'] });
export type AutobkOptions = z.input<typeof autobkSchema>;

export interface AutobkDetails {
  /** Knot vector of the background B-spline (splrep through the nspl points). */
  knots: Float64Array;
  /** Final B-spline coefficients (length of knots; entries ≥ nspl repeat the last one, as Larch). */
  coefs: Float64Array;
  initCoefs: Float64Array;
  /** √(redchi·covar_ii), Larch's coefs_std. */
  coefsStd: Float64Array;
  /** (JᵀJ)⁻¹ at the solution, nspl×nspl row-major (scipy leastsq cov_x, unscaled). */
  covar: Float64Array | undefined;
  nspl: number;
  irbkg: number;
  chisqr: number;
  redchi: number;
  iek0: number;
  iemax: number;
  ek0: number;
  kmin: number;
  kmax: number;
  /** k of the spline points and Larch's initial y values there. */
  splK: Float64Array;
  initKnotsY: Float64Array;
  initBkg: Float64Array;
  initChi: Float64Array;
  iterations: number;
}

export interface AutobkResult {
  /** Uniform k grid kstep·[0 … kmax] (Å⁻¹). */
  k: Float64Array;
  /** χ(k) = (μ − μ0)/edgeStep interpolated onto k. */
  chi: Float64Array;
  /** μ0(E) on the input energies (μ itself outside the fitted range, as Larch). */
  bkg: Float64Array;
  /** (μ − μ0)/edgeStep on the input energies. */
  chie: Float64Array;
  /** k of each input energy from E[iek0] on (negative just below E0). */
  kraw: Float64Array;
  e0: number;
  edgeStep: number;
  /** rbkg actually used (≥ 2 R-grid steps). */
  rbkg: number;
  details: AutobkDetails;
}

/**
 * cos/sin(2π·m/nfft) for m < nfft interleaved (cs[2m] = cos, cs[2m+1] = sin: one cache line per
 * lookup), cached per nfft: the low-R DFT reads entry (n·j) mod nfft.
 */
const trigCache = new Map<number, Float64Array>();
function trigTable(nfft: number): Float64Array {
  let cs = trigCache.get(nfft);
  if (!cs) {
    cs = new Float64Array(2 * nfft);
    for (let m = 0; m < nfft; m++) {
      const ph = (2 * Math.PI * m) / nfft;
      cs[2 * m] = Math.cos(ph);
      cs[2 * m + 1] = Math.sin(ph);
    }
    if (trigCache.size > 16) {
      trigCache.clear();
      for (const w of trigWasm.values()) w.heap.release(w.ptr);
      trigWasm.clear();
    }
    trigCache.set(nfft, cs);
  }
  return cs;
}

/**
 * The trig table re-laid out for lowRDft's four-frequency passes: for frequencies 4b … 4b+3 and
 * point n, the eight values cos/sin(2π·n·j/nfft) sit in one cache line at tab[8·(b·nT + n)] — the
 * same doubles the interleaved table holds at (n·j) mod nfft, read in order instead of through
 * masked indices. Kept per nfft, grown to the largest (blocks, points) asked for; not built when
 * it would exceed 2 MB (lowRDft then reads the interleaved table).
 */
interface BlockTable {
  nBlocks: number;
  nT: number;
  tab: Float64Array;
  /** tab in wasm memory (uploaded on first use, released when the table leaves blockCache). */
  wasm?: WasmBlock;
}
const blockCache = new Map<number, BlockTable>();
const BLOCK_TABLE_MAX = 1 << 18; // doubles (2 MB; rbkg 1 on a 0–16 Å⁻¹ grid needs ≈ 26,000)
function blockTable(nfft: number, irbkg: number, npts: number): BlockTable | undefined {
  const have = blockCache.get(nfft);
  const nb = irbkg >> 2;
  if (have && have.nBlocks >= nb && have.nT >= npts) return have;
  const nBlocks = Math.max(nb, have?.nBlocks ?? 0);
  const nT = Math.max(npts, have?.nT ?? 0);
  if (8 * nBlocks * nT > BLOCK_TABLE_MAX) return undefined;
  const cs = trigTable(nfft);
  const tab = new Float64Array(8 * nBlocks * nT);
  for (let b = 0; b < nBlocks; b++) {
    for (let n = 0; n < nT; n++) {
      const p = 8 * (b * nT + n);
      for (let u = 0; u < 4; u++) {
        const m = 2 * ((n * (4 * b + u)) % nfft);
        tab[p + 2 * u] = cs[m];
        tab[p + 2 * u + 1] = cs[m + 1];
      }
    }
  }
  const t: BlockTable = { nBlocks, nT, tab };
  if (have?.wasm) {
    have.wasm.heap.release(have.wasm.ptr);
    have.wasm = undefined;
  }
  if (blockCache.size > 4) {
    for (const b of blockCache.values()) if (b.wasm) b.wasm.heap.release(b.wasm.ptr);
    blockCache.clear();
  }
  blockCache.set(nfft, t);
  return t;
}

/**
 * The Jacobian of χ(kout) with respect to the coefficients, G (χ = χ0 − G·c), stored by column:
 * column q is non-zero only for n in [lo_q, lo_q + len_q), its values at val[off_q + n − lo_q].
 */
interface Columns {
  lo: Int32Array;
  len: Int32Array;
  off: Int32Array;
  val: Float64Array;
}

/** Geometry of one AUTOBK problem: grids, knots and the linear operators (independent of μ). */
interface AutobkSetup {
  iek0: number;
  iemax: number;
  kraw: Float64Array;
  nraw: number; // points used in the fit: kraw[0 .. nraw−1]
  kout: Float64Array;
  ftwin: Float64Array;
  nspl: number;
  irbkg: number;
  rbkg: number;
  kmin: number;
  kmax: number;
  splK: Float64Array;
  splIdx: Int32Array;
  /** Interpolating cubic through the spline points (splrep of the initial coefficients). */
  splInterp: CubicInterpolator;
  knots: Float64Array;
  bkgTable: BasisTable; // background basis at kraw_
  interp: CubicInterpolator; // interpolating spline on kraw_
  outTable: BasisTable; // its basis at kout
  /** Background basis at kout: the rows of G (G[n, q] = B_q(kout[n])). */
  gTable: BasisTable;
  G: Columns;
}

export type AutobkParsedOptions = z.output<typeof autobkSchema>;
type ParsedOptions = AutobkParsedOptions;

/** Larch `index_nearest` on an increasing array (first index on ties, as numpy argmin), by bisection. */
function indexNearestSorted(arr: Float64Array, v: number): number {
  const n = arr.length;
  // first index with arr[i] ≥ v; the nearest is it or its predecessor
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo === n) lo = n - 1;
  else if (lo > 0 && Math.abs(arr[lo - 1] - v) <= Math.abs(arr[lo] - v)) lo--; // the first wins ties
  while (lo > 0 && arr[lo - 1] === arr[lo]) lo--; // repeated values (rounding): the first one
  return lo;
}

/**
 * The arrays of one geometry carved from one ArrayBuffer: V8 allocates every typed array over 64
 * bytes separately (≈ 4.5 µs each here, see math/arena.ts), and a geometry has about twenty-five,
 * rebuilt for every spectrum when E0 moves. Views are zero-filled, 8-byte aligned and disjoint.
 * The buffer of an evicted geometry is reused (spareBuffers): a fresh ~100 kB ArrayBuffer costs
 * ≈ 40 µs here (measured; page faults and GC), zeroing a reused one ≈ 3 µs.
 */
class GeometryMem {
  readonly buf: ArrayBuffer;
  private off = 0; // doubles
  /** A reused buffer: take() zero-fills, takeFull() leaves it to the caller to write every element. */
  private dirty = false;

  constructor(readonly total: number) {
    const bytes = 8 * total;
    let best = -1;
    for (let i = 0; i < spareBuffers.length; i++) {
      const b = spareBuffers[i].byteLength;
      if (b >= bytes && b <= 2 * bytes && (best < 0 || b < spareBuffers[best].byteLength)) best = i;
    }
    if (best >= 0) {
      this.buf = spareBuffers.splice(best, 1)[0];
      this.dirty = true;
    } else this.buf = new ArrayBuffer(bytes + 8 * 1024 - (bytes % (8 * 1024))); // rounded up: the next, slightly larger geometry of a series fits too
  }

  private room(n: number): void {
    if (this.off + n > this.total) throw new RangeError(`geometry block of ${this.total} doubles: cannot take ${n} more at ${this.off}`);
  }

  /** n zeros. */
  take(n: number): Float64Array {
    const a = this.takeFull(n);
    if (this.dirty) a.fill(0);
    return a;
  }

  /** n doubles of undefined content, for an array the caller overwrites entirely. */
  takeFull(n: number): Float64Array {
    this.room(n);
    const a = new Float64Array(this.buf, 8 * this.off, n);
    this.off += n;
    return a;
  }

  copy(src: ArrayLike<number>): Float64Array {
    const a = this.takeFull(src.length);
    if (src instanceof Float64Array) a.set(src);
    else for (let i = 0; i < src.length; i++) a[i] = src[i];
    return a;
  }

  /** n int32 of undefined content (the caller writes every element), 8-byte aligned. */
  takeI32Full(n: number): Int32Array {
    const d = (n + 1) >> 1;
    this.room(d);
    const a = new Int32Array(this.buf, 8 * this.off, n);
    this.off += d;
    return a;
  }
}

/**
 * basisTable(t, x, into) by the module's basisValues (the same spans, and the same operations as
 * math/spline.ts's basisFunctions, two points per f64x2): a geometry's three tables cost six
 * divisions per point, which two lanes halve.
 */
function basisTableWasm(k: AutobkKernels, heap: WasmHeap, t: Float64Array, x: Float64Array, into: BasisTable): BasisTable {
  const n = x.length;
  const pT = heap.scratch(W_BT, t.length);
  const pX = heap.scratch(W_BX, n);
  const pS = heap.scratch(W_BS, (n + 1) >> 1);
  const pB = heap.scratch(W_BB, 4 * n);
  const mem = heap.f64;
  mem.set(t, pT / 8);
  mem.set(x, pX / 8);
  k.basisValues(pT, t.length, pX, pS, n, pB);
  into.span.set(new Int32Array(mem.buffer, pS, n));
  into.b.set(mem.subarray(pB / 8, pB / 8 + 4 * n));
  return into;
}

/**
 * basisTable(t, x) by the WebAssembly kernel, or undefined when the kernels are unavailable. For
 * the test that compares it with math/spline.ts's basisTable bit for bit.
 * @internal
 */
export function basisTableByKernel(t: Float64Array, x: Float64Array): BasisTable | undefined {
  const k = kernels.get();
  return k ? basisTableWasm(k.exports, k.heap, t, x, { span: new Int32Array(x.length), b: new Float64Array(4 * x.length) }) : undefined;
}

/** buildSetup's geometry plus room for buildGeometry's A, AᵀA and energy copy in the same buffer. */
function buildSetup(energy: ArrayLike<number>, o: ParsedOptions): { s: AutobkSetup; mem: GeometryMem } {
  const N = energy.length;
  const ek0 = o.e0;
  if (!(ek0 > energy[0] && ek0 < energy[N - 1])) {
    throw new ValidationError(`e0 = ${ek0} eV is outside the energy range ${energy[0]}–${energy[N - 1]} eV`, { field: 'options.e0' });
  }
  const iek0 = indexOfFloor(energy, ek0);
  const rgrid = Math.PI / (o.kstep * o.nfft);
  const rbkg = Math.max(o.rbkg, 2 * rgrid);
  const nk0 = N - iek0;
  // max kraw before kraw exists (its size decides the buffer): e ↦ sign(e − E0)·√(ETOK·|e − E0|) is
  // non-decreasing in e under IEEE rounding (subtraction, product and sqrt are monotone), so the
  // largest kraw is that of the largest energy — the same double as the maximum over kraw.
  let eMax = -Infinity;
  for (let i = iek0; i < N; i++) if (energy[i] > eMax) eMax = energy[i];
  const dMax = eMax - ek0;
  const krawMax = Math.sign(dMax) * Math.sqrt(ETOK * Math.abs(dMax));
  if (nk0 < 8) throw new ValidationError(`too few points above E0: ${nk0 - 1} (AUTOBK needs at least 7)`, { field: 'energy' });
  let kmax: number;
  if (o.kmax === undefined) kmax = krawMax;
  else {
    if (o.kmax > krawMax + 0.5 * o.kstep) {
      throw new ValidationError(`k range beyond the data: kmax = ${o.kmax} Å⁻¹ but the data end at k = ${krawMax.toFixed(3)} Å⁻¹`, { field: 'options.kmax' });
    }
    kmax = Math.max(0, Math.min(krawMax, o.kmax));
  }
  const kmin = o.kmin;
  if (!(kmin < kmax)) {
    throw new ValidationError(`k range beyond the data: kmin = ${kmin} Å⁻¹ but the data end at k = ${kmax.toFixed(3)} Å⁻¹`, { field: 'options.kmin' });
  }
  const nk = pyInt(1.01 + kmax / o.kstep);
  if (nk > o.nfft) throw new ValidationError(`nfft = ${o.nfft} is too small for ${nk} k points`, { field: 'options.nfft' });
  const iemax = Math.min(N, 2 + indexOfFloor(energy, ek0 + (kmax * kmax) / ETOK)) - 1;

  let nspl = 1 + pyInt((2 * rbkg * (kmax - kmin)) / Math.PI);
  const irbkg = pyInt(1 + ((nspl - 1) * Math.PI) / (2 * rgrid * (kmax - kmin)));
  if (o.nknots !== undefined) nspl = o.nknots;
  nspl = Math.max(5, Math.min(128, nspl));
  if (irbkg > o.nfft / 2) throw new ValidationError(`rbkg = ${o.rbkg} Å is beyond the R range of the transform`, { field: 'options.rbkg' });

  const nraw = iemax - iek0 + 1;
  if (nraw < Math.max(8, nspl + 2)) {
    throw new ValidationError(`too few points above E0 (${nraw} up to kmax) for a ${nspl}-knot background`, { field: 'energy' });
  }
  // doubles: kraw, kout, ftwin, splK, splInterp (x, t, LU), bkgTable.b, interp (x, t, LU), outTable.b,
  // gTable.b, G.val; int32 pairs: splIdx, the three tables' spans, G's lo/hi/len/off; then A, AᵀA, energy
  const i32 = (n: number) => (n + 1) >> 1;
  const mem = new GeometryMem(
    nk0 + 2 * nk + nspl + (9 * nspl + 4) + 4 * nraw + (9 * nraw + 4) + 12 * nk +
      i32(nspl) + i32(nraw) + 2 * i32(nk) + 4 * i32(nspl) +
      2 * irbkg * nspl + nspl * nspl + N,
  );
  const kraw = mem.takeFull(nk0);
  for (let i = 0; i < nk0; i++) {
    const d = energy[iek0 + i] - ek0;
    kraw[i] = Math.sign(d) * Math.sqrt(ETOK * Math.abs(d));
  }
  const kout = mem.takeFull(nk);
  for (let i = 0; i < nk; i++) kout[i] = o.kstep * i;
  // the window, then weighted in place: ftwin = k^kweight · window
  const ftwin = ftwindowRaw(kout, kmin, kmax, o.dk, o.dk, o.window, mem.take(nk));
  // k² as k·k: bit-identical to ** for the exponent 2 (and what numpy computes for k**2), without a pow call per point
  const kw = o.kweight;
  for (let i = 0; i < nk; i++) ftwin[i] = (kw === 2 ? kout[i] * kout[i] : kw === 1 ? kout[i] : kout[i] ** kw) * ftwin[i];

  const splK = mem.takeFull(nspl);
  const splIdx = mem.takeI32Full(nspl);
  for (let i = 0; i < nspl; i++) {
    const q = kmin + (i * (kmax - kmin)) / (nspl - 1);
    // kraw is strictly increasing (energy is), so bisection finds numpy's argmin |kraw − q|
    const ik = indexNearestSorted(kraw, q);
    splIdx[i] = ik;
    splK[i] = kraw[ik];
    if (i > 0 && !(splK[i] > splK[i - 1])) {
      throw new ValidationError(`too few points above E0: two of the ${nspl} spline knots fall on the same data point (k = ${splK[i].toFixed(3)}); lower rbkg/nknots or use finer data`, { field: 'energy' });
    }
  }
  const splInterp = new CubicInterpolator(splK, 'x', mem);
  const knots = splInterp.t;
  const krawFit = kraw.subarray(0, nraw);
  const kb = kernels.get();
  const table = (t: Float64Array, x: Float64Array, into: BasisTable) => (kb ? basisTableWasm(kb.exports, kb.heap, t, x, into) : basisTable(t, x, into));
  const bkgTable = table(knots, krawFit, { span: mem.takeI32Full(nraw), b: mem.takeFull(4 * nraw) });
  const interp = new CubicInterpolator(krawFit, 'energy', mem);
  const outTable = table(interp.t, kout, { span: mem.takeI32Full(nk), b: mem.takeFull(4 * nk) });

  // G column j is the interpolating spline on kraw_ of the background basis function B_j sampled
  // there, evaluated at kout. B_j's breakpoints are knots[4 … nspl−1] = kraw at splIdx[2 … nspl−3]
  // (its end pieces extend polynomially, as splev does), and the interpolating spline's knots are
  // kraw_[2 … nraw−3] (not-a-knot). splIdx is strictly increasing (checked above) with
  // splIdx[nspl−1] ≤ nraw−1 (the point nearest kmax is at most iemax), so splIdx[i] ∈ [2, nraw−3]
  // for 2 ≤ i ≤ nspl−3: B_j lies in the interpolating spline's space, its interpolant is B_j
  // itself, and G[n, j] = B_j(kout[n]) — non-zero on B_j's 4 knot intervals only. This replaces
  // nspl banded solves and makes the low-R DFT of G run over ~4·nk points instead of nspl·nk.
  for (let i = 2; i <= nspl - 3; i++) {
    if (splIdx[i] < 2 || splIdx[i] > nraw - 3) throw new NumericalError(`AUTOBK spline point ${i} at data index ${splIdx[i]} is outside [2, ${nraw - 3}]`, { field: 'energy' });
  }
  const gTable = table(knots, kout, { span: mem.takeI32Full(nk), b: mem.takeFull(4 * nk) });
  const G = basisColumns(gTable, nspl, mem);
  return { s: { iek0, iemax, kraw, nraw, kout, ftwin, nspl, irbkg, rbkg, kmin, kmax, splK, splIdx, splInterp, knots, bkgTable, interp, outTable, gTable, G }, mem };
}

/** The columns B_q(x_n) of a basis table (each B-spline's support is one run of consecutive n). */
function basisColumns(t: BasisTable, nspl: number, mem: GeometryMem): Columns {
  const n = t.span.length;
  const lo = mem.takeI32Full(nspl).fill(-1);
  const hi = mem.takeI32Full(nspl);
  for (let i = 0; i < n; i++) {
    const s = t.span[i] - 3;
    for (let p = 0; p < 4; p++) {
      if (lo[s + p] < 0) lo[s + p] = i;
      hi[s + p] = i;
    }
  }
  const len = mem.takeI32Full(nspl).fill(0);
  const off = mem.takeI32Full(nspl);
  let tot = 0;
  for (let q = 0; q < nspl; q++) {
    if (lo[q] < 0) lo[q] = 0; // a B-spline with no point in its support: empty column
    else len[q] = hi[q] - lo[q] + 1;
    off[q] = tot;
    tot += len[q];
  }
  const val = mem.takeFull(tot); // tot = 4n: each point lies in the support of its 4 B-splines only
  // point i of column q goes to val[off[q] − lo[q] + i] (hi is free now: it holds off − lo)
  for (let q = 0; q < nspl; q++) hi[q] = off[q] - lo[q];
  const { span, b } = t;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const s = span[i] - 3;
    val[hi[s] + i] = b[o];
    val[hi[s + 1] + i] = b[o + 1];
    val[hi[s + 2] + i] = b[o + 2];
    val[hi[s + 3] + i] = b[o + 3];
  }
  return { lo, len, off, val };
}

/**
 * Low-R DFT sc·Σ_n x[n]·e^(−2πi nj/nfft), j < irbkg, of x[n] = f·w[n]·v[n − lo] for n in
 * [lo, lo + len): Re into out[2j·stride + o], Im into out[(2j+1)·stride + o]. The sums run
 * over n in increasing order (the support only: outside it x is zero). Four frequencies per
 * pass share the loads of x (about twice as fast as one); nfft is a power of two, so the table
 * index (n·j) mod nfft is kept with a mask.
 */
function lowRDft(v: Float64Array, voff: number, lo: number, len: number, w: Float64Array, f: number, irbkg: number, nfft: number, cs: Float64Array, sc: number, x: Float64Array, out: Float64Array, stride: number, o: number, bt?: BlockTable): void {
  // indices into the interleaved table are 2·((n·j) mod nfft) = (2·n·j) mod 2·nfft
  const mask = 2 * nfft - 1;
  for (let t = 0; t < len; t++) x[t] = f * w[lo + t] * v[voff + t];
  let j = 0;
  if (bt !== undefined && lo + len <= bt.nT) {
    // The same table values read in order from the block table: same products, same sums.
    const tab = bt.tab;
    const nB = Math.min(bt.nBlocks, irbkg >> 2);
    for (let b = 0; b < nB; b++, j += 4) {
      let p = 8 * (b * bt.nT + lo);
      let r0 = 0;
      let i0 = 0;
      let r1 = 0;
      let i1 = 0;
      let r2 = 0;
      let i2 = 0;
      let r3 = 0;
      let i3 = 0;
      for (let t = 0; t < len; t++, p += 8) {
        const g = x[t];
        r0 += tab[p] * g;
        i0 -= tab[p + 1] * g;
        r1 += tab[p + 2] * g;
        i1 -= tab[p + 3] * g;
        r2 += tab[p + 4] * g;
        i2 -= tab[p + 5] * g;
        r3 += tab[p + 6] * g;
        i3 -= tab[p + 7] * g;
      }
      out[2 * j * stride + o] = sc * r0;
      out[(2 * j + 1) * stride + o] = sc * i0;
      out[(2 * j + 2) * stride + o] = sc * r1;
      out[(2 * j + 3) * stride + o] = sc * i1;
      out[(2 * j + 4) * stride + o] = sc * r2;
      out[(2 * j + 5) * stride + o] = sc * i2;
      out[(2 * j + 6) * stride + o] = sc * r3;
      out[(2 * j + 7) * stride + o] = sc * i3;
    }
  }
  for (; j + 3 < irbkg; j += 4) {
    const d0 = 2 * j;
    const d1 = d0 + 2;
    const d2 = d0 + 4;
    const d3 = d0 + 6;
    let m0 = (lo * d0) & mask;
    let m1 = (lo * d1) & mask;
    let m2 = (lo * d2) & mask;
    let m3 = (lo * d3) & mask;
    let r0 = 0;
    let i0 = 0;
    let r1 = 0;
    let i1 = 0;
    let r2 = 0;
    let i2 = 0;
    let r3 = 0;
    let i3 = 0;
    for (let t = 0; t < len; t++) {
      const g = x[t];
      r0 += cs[m0] * g;
      i0 -= cs[m0 + 1] * g;
      r1 += cs[m1] * g;
      i1 -= cs[m1 + 1] * g;
      r2 += cs[m2] * g;
      i2 -= cs[m2 + 1] * g;
      r3 += cs[m3] * g;
      i3 -= cs[m3 + 1] * g;
      m0 = (m0 + d0) & mask;
      m1 = (m1 + d1) & mask;
      m2 = (m2 + d2) & mask;
      m3 = (m3 + d3) & mask;
    }
    out[2 * j * stride + o] = sc * r0;
    out[(2 * j + 1) * stride + o] = sc * i0;
    out[(2 * j + 2) * stride + o] = sc * r1;
    out[(2 * j + 3) * stride + o] = sc * i1;
    out[(2 * j + 4) * stride + o] = sc * r2;
    out[(2 * j + 5) * stride + o] = sc * i2;
    out[(2 * j + 6) * stride + o] = sc * r3;
    out[(2 * j + 7) * stride + o] = sc * i3;
  }
  for (; j < irbkg; j++) {
    const d = 2 * j;
    let m = (lo * d) & mask;
    let re = 0;
    let im = 0;
    for (let t = 0; t < len; t++) {
      const g = x[t];
      re += cs[m] * g;
      im -= cs[m + 1] * g;
      m = (m + d) & mask;
    }
    out[2 * j * stride + o] = sc * re;
    out[(2 * j + 1) * stride + o] = sc * im;
  }
}

/**
 * lowRDft on the module (see assembly/autobk.ts): v at pV, w at pW, out at pOut (byte addresses;
 * stride in doubles), x in scratch. Reads nfft's current block table when it covers [lo, lo + len)
 * (only tables in blockCache are uploaded, so eviction releases them all), else the interleaved
 * table: the same doubles in the same order either way.
 */
function lowRDftWasm(k: AutobkKernels, heap: WasmHeap, pV: number, pW: number, lo: number, len: number, f: number, irbkg: number, nfft: number, sc: number, pOut: number, stride: number): void {
  const bt = blockCache.get(nfft);
  let pTab = 0;
  let nT = 0;
  let nB = 0;
  if (bt !== undefined && lo + len <= bt.nT) {
    if (!bt.wasm) bt.wasm = upload(heap, bt.tab);
    pTab = bt.wasm.ptr;
    nT = bt.nT;
    nB = Math.min(bt.nBlocks, irbkg >> 2);
  }
  let pCs = 0;
  if (4 * nB < irbkg) {
    let w = trigWasm.get(nfft);
    if (!w) trigWasm.set(nfft, (w = upload(heap, trigTable(nfft))));
    pCs = w.ptr;
  }
  k.lowRDft(pV, pW, f, lo, len, heap.scratch(W_X, len), pTab, nT, nB, pCs, nfft, irbkg, sc, pOut, stride);
}

/**
 * A geometry's arrays in wasm memory: one block (one allocation and one release per geometry,
 * which matters when E0 moves every scan and each spectrum builds one), addresses inside it.
 */
interface GeometryWasm {
  heap: WasmHeap;
  block: number;
  ftwin: number;
  A: number;
  /** Aᵀ (nspl × 2·irbkg row-major): computeOutFresh's rows side by side in a vector. */
  AT: number;
  AtA: number;
  /** evalChi0's operators: the interpolating spline's band LU, the basis table at kout (span as i32). */
  lu: number;
  span: number;
  outB: number;
  /** The background basis at kraw (μ0) and at k (χ), spans as i32. */
  bkSpan: number;
  bkB: number;
  gSpan: number;
  gB: number;
}

/** Sizes (doubles, even: 16-byte offsets) of the arrays in a geometry's wasm block, in GeometryWasm's order. */
function wasmBlockSizes(s: AutobkSetup): number[] {
  const nk = s.kout.length;
  const nA = 2 * s.irbkg * s.nspl;
  const even = (n: number) => (n + 1) & ~1;
  return [nk, nA, nA, s.nspl * s.nspl, 7 * s.nraw, (nk + 1) >> 1, 4 * nk, (s.nraw + 1) >> 1, 4 * s.nraw, (nk + 1) >> 1, 4 * nk].map(even);
}

/** Allocates a geometry's block and uploads everything but A, Aᵀ and AᵀA (see fillNormal). */
function allocGeometryWasm(heap: WasmHeap, s: AutobkSetup): GeometryWasm {
  const band = s.interp.band;
  const sizes = wasmBlockSizes(s);
  let total = 0;
  for (const z of sizes) total += z;
  const block = heap.alloc(total);
  const at: number[] = [];
  let p = block;
  for (const z of sizes) {
    at.push(p);
    p += 8 * z;
  }
  const g: GeometryWasm = { heap, block, ftwin: at[0], A: at[1], AT: at[2], AtA: at[3], lu: at[4], span: at[5], outB: at[6], bkSpan: at[7], bkB: at[8], gSpan: at[9], gB: at[10] };
  const mem = heap.f64;
  mem.set(s.ftwin, g.ftwin / 8);
  mem.set(band, g.lu / 8);
  mem.set(s.outTable.b, g.outB / 8);
  mem.set(s.bkgTable.b, g.bkB / 8);
  mem.set(s.gTable.b, g.gB / 8);
  const i32 = new Int32Array(heap.memory.buffer);
  i32.set(s.outTable.span, g.span / 4);
  i32.set(s.bkgTable.span, g.bkSpan / 4);
  i32.set(s.gTable.span, g.gSpan / 4);
  return g;
}

/** AᵀA (upper triangle, JS layout) and Aᵀ from A in the block, by the kernel (partialNormalMatrix's sums); AᵀA also into `out` if given. */
function fillNormal(k: AutobkKernels, g: GeometryWasm, rows: number, nspl: number, out?: Float64Array): void {
  k.normalRows(g.A, rows, nspl, g.AtA, g.AT);
  out?.set(g.heap.f64.subarray(g.AtA / 8, g.AtA / 8 + nspl * nspl));
}

function geometryWasm(geo: Geometry, k: AutobkKernels, heap: WasmHeap): GeometryWasm {
  if (!geo.wasm) {
    const g = allocGeometryWasm(heap, geo.s);
    heap.f64.set(geo.A, g.A / 8);
    fillNormal(k, g, 2 * geo.s.irbkg, geo.s.nspl);
    geo.wasm = g;
  }
  return geo.wasm;
}

/**
 * Buffers of geometries dropped from the cache, for the next GeometryMem. Safe: a geometry's arrays
 * never leave this module (results are copies) and an evicted geometry is unreachable — eviction
 * happens in buildGeometry before the call that built the new entry uses it, and calls do not nest.
 */
const spareBuffers: ArrayBuffer[] = [];
const SPARE_BUFFERS = 4;
const SPARE_BUFFER_MAX_BYTES = 4e6;

function releaseGeometry(geo: Geometry): void {
  const buf = geo.mem.buf;
  if (buf.byteLength <= SPARE_BUFFER_MAX_BYTES) {
    if (spareBuffers.length >= SPARE_BUFFERS) spareBuffers.shift();
    spareBuffers.push(buf);
  }
  const w = geo.wasm;
  if (!w) return;
  w.heap.release(w.block);
  geo.wasm = undefined;
}

interface Geometry {
  e0: number;
  rbkg: number;
  kweight: number;
  kmin: number;
  kmax: number | undefined;
  dk: number;
  window: string;
  nfft: number;
  kstep: number;
  nknots: number | undefined;
  energy: Float64Array;
  s: AutobkSetup;
  /** The buffer all of the geometry's arrays are views of (recycled on eviction). */
  mem: GeometryMem;
  /** ∂out/∂c (2·irbkg × nspl row-major): constant, since out is linear in the coefficients. */
  A: Float64Array;
  trig: Float64Array;
  bt: BlockTable | undefined;
  /** AᵀA (upper triangle): the constant low-R rows' share of the LM normal matrix. */
  AtA: Float64Array;
  wasm?: GeometryWasm;
}

/**
 * Everything that depends on the energy grid, E0 and the options but not on μ — knots, spline
 * factorizations, the window and the Jacobian of the low-R transform — cached for the last few
 * (grid, E0, options): the spectra of a series often share them (same monochromator grid), so
 * each further spectrum costs one spline solve and one DFT column. A hit requires the exact same
 * energy values, so results are identical with or without the cache. In-situ series whose E0
 * moves from scan to scan miss every time, so the build itself is kept cheap (see buildSetup).
 */
const geometryCache: Geometry[] = [];
const GEOMETRY_CACHE_SIZE = 32;
/** Also bounded in memory (typical entries are ~0.1 MB; huge nfft/nknots ones are not kept by the dozen). */
const GEOMETRY_CACHE_BYTES = 32e6;
let geometryCacheBytes = 0;
// (the wasm copy is counted whether or not it exists yet, so an entry weighs the same in and out)
const geometryBytes = (g: Geometry) =>
  8 * (g.energy.length + g.A.length + g.AtA.length + g.s.G.val.length + 2 * g.s.kraw.length + 3 * g.s.kout.length + 5 * (g.s.nraw + 2 * g.s.kout.length) + 8 * g.s.nraw) +
  8 * wasmBlockSizes(g.s).reduce((a, b) => a + b, 0);

function sameGeometry(c: Geometry, energy: ArrayLike<number>, o: ParsedOptions): boolean {
  if (c.e0 !== o.e0 || c.rbkg !== o.rbkg || c.kweight !== o.kweight || c.kmin !== o.kmin || c.kmax !== o.kmax || c.dk !== o.dk) return false;
  if (c.window !== o.window || c.nfft !== o.nfft || c.kstep !== o.kstep || c.nknots !== o.nknots || c.energy.length !== energy.length) return false;
  for (let i = 0; i < energy.length; i++) if (c.energy[i] !== energy[i]) return false;
  return true;
}

/** The cached geometry for (energy, options), moved to the front of the cache; undefined if none. */
function cachedGeometry(energy: ArrayLike<number>, o: ParsedOptions): Geometry | undefined {
  for (let g = 0; g < geometryCache.length; g++) {
    const c = geometryCache[g];
    if (!sameGeometry(c, energy, o)) continue;
    if (g > 0) {
      geometryCache.splice(g, 1);
      geometryCache.unshift(c);
    }
    return c;
  }
  return undefined;
}

function buildGeometry(energy: ArrayLike<number>, o: ParsedOptions): Geometry {
  const { s, mem } = buildSetup(energy, o);
  const { nspl, irbkg, kout, ftwin, G } = s;
  const trig = trigTable(o.nfft);
  const A = mem.takeFull(2 * irbkg * nspl); // every entry written below
  const bt = blockTable(o.nfft, irbkg, kout.length);
  const k = kernels.get();
  let gw: GeometryWasm | undefined;
  let AtA: Float64Array;
  if (k) {
    const { heap } = k;
    gw = allocGeometryWasm(heap, s);
    const pG = heap.scratch(W_G, G.val.length);
    heap.f64.set(G.val, pG / 8);
    for (let q = 0; q < nspl; q++) lowRDftWasm(k.exports, heap, pG + 8 * G.off[q], gw.ftwin, G.lo[q], G.len[q], -1, irbkg, o.nfft, o.kstep / SQRT_PI, gw.A + 8 * q, nspl);
    A.set(heap.f64.subarray(gw.A / 8, gw.A / 8 + A.length));
    AtA = mem.takeFull(nspl * nspl);
    fillNormal(k.exports, gw, 2 * irbkg, nspl, AtA);
  } else {
    const x = new Float64Array(kout.length);
    for (let q = 0; q < nspl; q++) lowRDft(G.val, G.off[q], G.lo[q], G.len[q], ftwin, -1, irbkg, o.nfft, trig, o.kstep / SQRT_PI, x, A, nspl, q, bt);
    AtA = partialNormalMatrix(A, 2 * irbkg, nspl);
  }
  const geo: Geometry = {
    e0: o.e0,
    rbkg: o.rbkg,
    kweight: o.kweight,
    kmin: o.kmin,
    kmax: o.kmax,
    dk: o.dk,
    window: o.window,
    nfft: o.nfft,
    kstep: o.kstep,
    nknots: o.nknots,
    energy: mem.copy(energy),
    s,
    mem,
    A,
    trig,
    bt,
    AtA,
    wasm: gw,
  };
  geometryCache.unshift(geo);
  geometryCacheBytes += geometryBytes(geo);
  while (geometryCache.length > 1 && (geometryCache.length > GEOMETRY_CACHE_SIZE || geometryCacheBytes > GEOMETRY_CACHE_BYTES)) {
    const old = geometryCache.pop()!;
    geometryCacheBytes -= geometryBytes(old);
    releaseGeometry(old);
  }
  return geo;
}

/**
 * Forgets the buffers kept for reuse, so that the next geometry is built in a fresh one. For tests
 * comparing a build in a fresh buffer with one in a reused (dirty) buffer.
 * @internal
 */
export function clearAutobkSpareBuffers(): void {
  spareBuffers.length = 0;
}

/**
 * Drops the cached geometries (and their WebAssembly memory). For tests that compare geometries
 * built independently (with and without the kernels).
 * @internal
 */
export function clearAutobkGeometryCache(): void {
  while (geometryCache.length > 0) releaseGeometry(geometryCache.pop()!);
  geometryCacheBytes = 0;
}

/** χ0 on kout (μ units): the interpolating spline of μ versus kraw (χ at zero coefficients). */
function evalChi0(s: AutobkSetup, mu: ArrayLike<number>): Float64Array {
  const y = scratchF64(S_Y, s.nraw);
  for (let i = 0; i < s.nraw; i++) y[i] = mu[s.iek0 + i];
  const coef = s.interp.solve(y, y);
  const chi = scratchF64(S_CHI0, s.kout.length);
  const { span, b } = s.outTable;
  for (let i = 0; i < chi.length; i++) {
    const j = span[i] - 3;
    const o4 = 4 * i;
    chi[i] = b[o4] * coef[j] + b[o4 + 1] * coef[j + 1] + b[o4 + 2] * coef[j + 2] + b[o4 + 3] * coef[j + 3];
  }
  return chi;
}

/** evalChi0 by the WebAssembly kernel (the same operations); χ0 also stays in wasm memory (scratch W_V). */
function evalChi0Wasm(k: AutobkKernels, heap: WasmHeap, g: GeometryWasm, s: AutobkSetup, mu: ArrayLike<number>): Float64Array {
  const nk = s.kout.length;
  const pY = heap.scratch(W_Y, s.nraw);
  const pV = heap.scratch(W_V, nk);
  const mem = heap.f64;
  if (mu instanceof Float64Array) mem.set(mu.subarray(s.iek0, s.iek0 + s.nraw), pY / 8);
  else for (let i = 0; i < s.nraw; i++) mem[pY / 8 + i] = mu[s.iek0 + i];
  k.chi0(pY, s.nraw, g.lu, g.span, g.outB, nk, pV);
  const chi = scratchF64(S_CHI0, nk);
  chi.set(heap.f64.subarray(pV / 8, pV / 8 + nk));
  return chi;
}

/**
 * autobkParsed's final curves by the WebAssembly kernel (the same expressions; fitted and initial
 * coefficients in the two lanes). χ0 is the one in wasm memory (W_V) unless chi0Raw is given
 * (a standard was subtracted there). Returns Σ (v − v) as the JS loops.
 */
function outputsWasm(k: AutobkKernels, heap: WasmHeap, g: GeometryWasm, s: AutobkSetup, mu: ArrayLike<number>, best: Float64Array, init: Float64Array, chi0Raw: Float64Array | undefined, es: number, bkg: Float64Array, initBkg: Float64Array, chie: Float64Array, chi: Float64Array, initChi: Float64Array): number {
  const N = bkg.length;
  const nk = chi.length;
  const nspl = best.length;
  const pMu = heap.scratch(W_MU, N);
  const pCV = heap.scratch(W_CV, 2 * nspl);
  const pChi0 = chi0Raw ? heap.scratch(W_CHI0R, nk) : heap.scratch(W_V, nk);
  const pBkg = heap.scratch(W_BKG, 3 * N);
  const pChi = heap.scratch(W_CHI, 2 * nk);
  let mem = heap.f64;
  if (mu instanceof Float64Array) mem.set(mu, pMu / 8);
  else for (let i = 0; i < N; i++) mem[pMu / 8 + i] = mu[i];
  for (let q = 0; q < nspl; q++) {
    mem[pCV / 8 + 2 * q] = best[q];
    mem[pCV / 8 + 2 * q + 1] = init[q];
  }
  if (chi0Raw) mem.set(chi0Raw, pChi0 / 8);
  const z = k.outputs(pMu, N, s.iek0, s.nraw, g.bkSpan, g.bkB, pCV, pChi0, nk, g.gSpan, g.gB, es, pBkg, pBkg + 8 * N, pBkg + 16 * N, pChi, pChi + 8 * nk);
  mem = heap.f64;
  const b = pBkg / 8;
  bkg.set(mem.subarray(b, b + N));
  initBkg.set(mem.subarray(b + N, b + 2 * N));
  chie.set(mem.subarray(b + 2 * N, b + 3 * N));
  const c = pChi / 8;
  chi.set(mem.subarray(c, c + nk));
  initChi.set(mem.subarray(c + nk, c + 2 * nk));
  return z;
}

/**
 * Per-call work arrays (never returned, fully written before they are read unless zeroed at the
 * call site) reused between calls: a typed array of more than 64 bytes is a separate allocation
 * that the GC must track, and AUTOBK would otherwise make a dozen per spectrum.
 */
const scratchPool: Float64Array[] = [];
const S_DFT = 0;
const S_O0 = 1;
const S_RESID = 2;
const S_GC = 3;
const S_Y = 4;
const S_CHI0 = 5;
const S_OUT = 6;
const S_LASTC = 7;
const S_GS = 8;
const S_FOUT = 9;
function scratchF64(slot: number, n: number): Float64Array {
  let a = scratchPool[slot];
  if (a === undefined || a.length < n) {
    a = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)));
    scratchPool[slot] = a;
  }
  return a.length === n ? a : a.subarray(0, n);
}

/** AutobkProblem's arrays in wasm memory (byte addresses) for the WebAssembly kernels. */
interface ProblemWasm {
  k: AutobkKernels;
  heap: WasmHeap;
  g: GeometryWasm;
  o0: number;
  c: number;
  out: number;
  gs: number;
  Jtr: number;
  JtJ: number;
  Jc: number;
  Gc: number;
  chiC: number;
  clampW: number;
}

/**
 * AUTOBK's least-squares problem: residual = [out = o0 + A·c (low-R FT); clampW·scale·χ(clamp
 * points)], scale = 0.1 + 10·mean(out²). A class rather than closures: no per-spectrum function
 * objects (tsx names every closure it creates).
 */
class AutobkProblem implements LmProblem {
  readonly m: number;
  readonly n: number;
  readonly constantRows: { rows: number; JtJ: Float64Array; J: Float64Array };
  private readonly nout: number;
  private readonly out: Float64Array;
  // LM evaluates the Jacobian at the point whose residual it just computed (and the fit's end
  // re-evaluates the residual there): reuse `out` and the scale when c is unchanged (same values).
  private readonly lastC: Float64Array;
  private lastScale = NaN;
  private readonly gs: Float64Array;
  private readonly fOut: Float64Array;

  constructor(
    private readonly A: Float64Array,
    AtA: Float64Array,
    private readonly o0: Float64Array,
    private readonly chi0: Float64Array,
    private readonly Gc: Float64Array,
    private readonly clampIdx: Int32Array,
    private readonly clampW: Float64Array,
    nspl: number,
    private readonly w?: ProblemWasm,
  ) {
    this.nout = o0.length;
    this.m = this.nout + clampIdx.length;
    this.n = nspl;
    this.constantRows = { rows: this.nout, JtJ: AtA, J: A };
    this.out = scratchF64(S_OUT, this.nout);
    this.lastC = scratchF64(S_LASTC, nspl);
    this.gs = scratchF64(S_GS, nspl);
    this.fOut = scratchF64(S_FOUT, this.nout);
  }

  private computeOut(c: Float64Array): number {
    const nspl = this.n;
    if (this.lastScale === this.lastScale) {
      let q = 0;
      while (q < nspl && this.lastC[q] === c[q]) q++;
      if (q === nspl) return this.lastScale;
    }
    const scale = this.computeOutFresh(c);
    this.lastC.set(c);
    this.lastScale = scale;
    return scale;
  }

  private computeOutFresh(c: Float64Array): number {
    const { A, o0, out, nout, w } = this;
    if (w) {
      w.heap.f64.set(c, w.c / 8);
      return w.k.outFresh(w.g.AT, w.o0, w.c, w.out, nout, this.n);
    }
    const nspl = this.n;
    // two rows per pass: independent sums, each in coefficient order (same bits as one by one)
    let ss = 0;
    let r = 0;
    for (; r + 1 < nout; r += 2) {
      let v0 = o0[r];
      let v1 = o0[r + 1];
      const b0 = r * nspl;
      const b1 = b0 + nspl;
      for (let q = 0; q < nspl; q++) {
        const cq = c[q];
        v0 += A[b0 + q] * cq;
        v1 += A[b1 + q] * cq;
      }
      out[r] = v0;
      out[r + 1] = v1;
      ss += v0 * v0;
      ss += v1 * v1;
    }
    for (; r < nout; r++) {
      let v = o0[r];
      for (let q = 0; q < nspl; q++) v += A[r * nspl + q] * c[q];
      out[r] = v;
      ss += v * v;
    }
    return 0.1 + (10 * ss) / nout;
  }

  /** χ (μ units) at clamp point e. */
  private chiAt(e: number, c: Float64Array): number {
    const nspl = this.n;
    const Gc = this.Gc;
    let v = this.chi0[this.clampIdx[e]];
    for (let q = 0; q < nspl; q++) v -= Gc[e * nspl + q] * c[q];
    return v;
  }

  residual(c: Float64Array, r: Float64Array): void {
    const scale = this.computeOut(c);
    const w = this.w;
    r.set(w ? w.heap.f64.subarray(w.out / 8, w.out / 8 + this.nout) : this.out);
    const { clampW, nout } = this;
    for (let e = 0; e < clampW.length; e++) r[nout + e] = clampW[e] * scale * this.chiAt(e, c);
  }

  /** jacobian + normalMatrix in one WebAssembly call (the same numbers; see assembly/autobk.ts). */
  normalEquations(c: Float64Array, _r: Float64Array, J: Float64Array, JtJ: Float64Array, Jtr: Float64Array): boolean {
    const w = this.w;
    if (!w) return false;
    const scale = this.computeOut(c);
    const { nout, clampW } = this;
    const n = this.n;
    const nc = clampW.length;
    w.heap.f64.set(c, w.c / 8);
    w.k.normalEq(w.g.A, w.out, nout, n, w.c, scale, w.Gc, w.chiC, w.clampW, nc, w.g.AtA, w.gs, w.Jc, w.Jtr, w.JtJ);
    const mem = w.heap.f64;
    JtJ.set(mem.subarray(w.JtJ / 8, w.JtJ / 8 + n * n));
    Jtr.set(mem.subarray(w.Jtr / 8, w.Jtr / 8 + n));
    J.set(mem.subarray(w.Jc / 8, w.Jc / 8 + nc * n), nout * n);
    return true;
  }

  jacobian(c: Float64Array, J: Float64Array): void {
    // rows < nout are A (constant; the solver holds them)
    const { A, Gc, clampW, nout, out, fOut, gs } = this;
    const nspl = this.n;
    if (clampW.length === 0) return;
    const scale = this.computeOut(c);
    // ∂scale/∂c_q = (20/nout)·Σ_r out_r·A_rq
    for (let r = 0; r < nout; r++) fOut[r] = (20 / nout) * out[r];
    let q = 0;
    for (; q + 3 < nspl; q += 4) {
      // four independent sums per pass over the rows (each in row order)
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      for (let r = 0; r < nout; r++) {
        const f = fOut[r];
        const b = r * nspl + q;
        g0 += f * A[b];
        g1 += f * A[b + 1];
        g2 += f * A[b + 2];
        g3 += f * A[b + 3];
      }
      gs[q] = g0;
      gs[q + 1] = g1;
      gs[q + 2] = g2;
      gs[q + 3] = g3;
    }
    for (; q < nspl; q++) {
      let g = 0;
      for (let r = 0; r < nout; r++) g += fOut[r] * A[r * nspl + q];
      gs[q] = g;
    }
    for (let e = 0; e < clampW.length; e++) {
      const chiv = this.chiAt(e, c);
      for (let p = 0; p < nspl; p++) J[(nout + e) * nspl + p] = clampW[e] * (scale * -Gc[e * nspl + p] + chiv * gs[p]);
    }
  }
}

/**
 * AUTOBK (Larch `autobk`): background μ0(E) and χ(k) from μ(E). `e0` and `edgeStep` are inputs
 * (from preEdge, or Larch's values). Options and defaults are Larch's: rbkg 1, kweight 1, kmin 0,
 * kmax = end of data, dk 0.1, hanning, nfft 2048, kstep 0.05, nclamp 3, clampLo 0, clampHi 1.
 */
export function autobk(energy: ArrayLike<number>, mu: ArrayLike<number>, options: AutobkOptions): AutobkResult {
  return autobkParsed(energy, mu, parseOptionsCached(autobkSchema, options, 'options'), false);
}

/**
 * autobk with options parsed by autobkSchema. `validated`: energy and μ come from preEdge's result
 * (finite, strictly increasing after its duplicate separation), so their checks are skipped — the
 * EXAFS pipeline's case.
 * @internal
 */
export function autobkParsed(energy: ArrayLike<number>, mu: ArrayLike<number>, o: ParsedOptions, validated: boolean): AutobkResult {
  const N = energy.length;
  if (mu.length !== N) throw new ValidationError(`energy and mu differ in length (${N} vs ${mu.length})`, { field: 'mu' });
  if (N < 10) throw new ValidationError(`too few points (${N}) for AUTOBK`, { field: 'energy' });
  // A cached geometry's energies were validated when it was built (NaN never equals a cached value).
  let geo = cachedGeometry(energy, o);
  if (!geo) {
    assertFiniteArray(energy, 'energy');
    if (!validated) assertFiniteArray(mu, 'mu');
    for (let i = 1; i < N; i++) {
      if (!(energy[i] > energy[i - 1])) throw new ValidationError(`energy must be strictly increasing (index ${i}: ${energy[i - 1]} then ${energy[i]})`, { field: 'energy' });
    }
    geo = buildGeometry(energy, o);
  } else if (!validated) assertFiniteArray(mu, 'mu');
  const { s, A, trig, bt, AtA } = geo;
  const { nspl, irbkg, kout, ftwin, G } = s;
  const nk = kout.length;

  // Every array this call returns, in one buffer (see math/arena.ts: one allocation, not thirteen).
  const nKnots = s.knots.length;
  const arena = new Float64Arena(3 * N + 3 * nk + s.kraw.length + 3 * nKnots + 5 * nspl + nspl * nspl);
  // Initial coefficients: splrep through Larch's smoothed μ at the spline points.
  const splY = arena.take(nspl);
  const last = s.kraw.length - 1;
  for (let i = 0; i < nspl; i++) {
    const ik = s.splIdx[i];
    splY[i] = (2 * mu[ik + s.iek0] + mu[Math.min(last, ik + 5) + s.iek0] + mu[Math.max(0, ik - 5) + s.iek0]) / 4;
  }
  const initCoefs = s.splInterp.solve(splY, arena.take(nspl));

  // χ0 = χ at c = 0 (the spline interpolation of μ itself); χ(c) = χ0 − G·c.
  const k = kernels.get();
  const chi0Raw = k ? evalChi0Wasm(k.exports, k.heap, geometryWasm(geo, k.exports, k.heap), s, mu) : evalChi0(s, mu);
  const chi0 = o.standard ? chi0Raw.slice() : chi0Raw;
  if (o.standard) {
    const std = npInterp(kout, o.standard.k, o.standard.chi);
    for (let i = 0; i < nk; i++) chi0[i] -= std[i];
  }
  // Low-R part of the FT of ftwin·χ0; the coefficient part A is geometry (cached).
  const nout = 2 * irbkg;
  const o0 = scratchF64(S_O0, nout);
  if (k) {
    const { heap } = k;
    const gw = geometryWasm(geo, k.exports, heap);
    const pV = heap.scratch(W_V, nk); // χ0 from evalChi0Wasm
    const pO = heap.scratch(W_OUT, nout);
    if (o.standard) heap.f64.set(chi0, pV / 8);
    lowRDftWasm(k.exports, heap, pV, gw.ftwin, 0, nk, 1, irbkg, o.nfft, o.kstep / SQRT_PI, pO, 1);
    o0.set(heap.f64.subarray(pO / 8, pO / 8 + nout));
  } else lowRDft(chi0, 0, 0, nk, ftwin, 1, irbkg, o.nfft, trig, o.kstep / SQRT_PI, scratchF64(S_DFT, nk), o0, 1, 0, bt);

  const nclamp = Math.min(o.nclamp, nk);
  const nc = nclamp > 0 ? 2 * nclamp : 0;
  const clampIdx = new Int32Array(nc);
  const clampW = new Float64Array(nc);
  for (let e = 0; e < nclamp; e++) {
    clampIdx[e] = e;
    clampW[e] = Math.abs(o.clampLo);
    clampIdx[nclamp + e] = nk - nclamp + e;
    clampW[nclamp + e] = Math.abs(o.clampHi);
  }
  const m = nout + nc;
  // rows of G at the clamped points (dense, nspl wide; zero outside each column's support)
  const Gc = scratchF64(S_GC, nc * nspl).fill(0);
  for (let e = 0; e < nc; e++) {
    const i = clampIdx[e];
    for (let q = 0; q < nspl; q++) if (i >= G.lo[q] && i < G.lo[q] + G.len[q]) Gc[e * nspl + q] = G.val[G.off[q] + i - G.lo[q]];
  }
  let pw: ProblemWasm | undefined;
  if (k) {
    const { heap } = k;
    const g = geometryWasm(geo, k.exports, heap);
    pw = {
      k: k.exports,
      heap,
      g,
      o0: heap.scratch(W_OUT, nout), // lowRDft's output above
      c: heap.scratch(W_C, nspl),
      out: heap.scratch(W_LOUT, nout),
      gs: heap.scratch(W_GS, nspl),
      Jtr: heap.scratch(W_JTR, nspl),
      JtJ: heap.scratch(W_JTJ, nspl * nspl),
      Jc: heap.scratch(W_JC, nc * nspl),
      Gc: heap.scratch(W_GC, nc * nspl),
      chiC: heap.scratch(W_CHIC, nc),
      clampW: heap.scratch(W_CLAMPW, nc),
    };
    const mem = heap.f64;
    mem.set(Gc, pw.Gc / 8);
    mem.set(clampW, pw.clampW / 8);
    for (let e = 0; e < nc; e++) mem[pw.chiC / 8 + e] = chi0[clampIdx[e]];
  }
  const problem = new AutobkProblem(A, AtA, o0, chi0, Gc, clampIdx, clampW, nspl, pw);
  if (m <= nspl || 2 * irbkg + 2 * o.nclamp - nspl <= 0) {
    throw new ValidationError(`AUTOBK needs more residuals (${m}) than spline coefficients (${nspl}); raise rbkg or lower nknots`, { field: 'options.nknots' });
  }
  const fit = levenbergMarquardtSmall(problem, initCoefs, { out: { x: arena.take(nspl), covar: arena.take(nspl * nspl) } });
  const best = fit.x;
  const resid = scratchF64(S_RESID, m);
  problem.residual(best, resid);
  let chisqr = 0;
  for (let i = 0; i < m; i++) chisqr += resid[i] * resid[i];
  const dof = 2 * irbkg + 2 * o.nclamp - nspl;
  const redchi = chisqr / dof;
  const coefsStd = arena.take(nspl);
  if (fit.covar) for (let i = 0; i < nspl; i++) coefsStd[i] = Math.sqrt(Math.max(0, redchi * fit.covar[i * nspl + i]));

  const coefs = arena.take(nKnots).fill(best[nspl - 1]);
  coefs.set(best);
  const initFull = arena.take(nKnots).fill(initCoefs[nspl - 1]);
  initFull.set(initCoefs);

  // χ and μ0 for the final and initial coefficients through the linear operators (χ = χ0 − G·c).
  // (One pass for the final and initial curves each, with the division by the edge step and the
  // finiteness test folded in: the same expressions, in the same order, as a basis-table evaluation
  // followed by separate passes.)
  const es = o.edgeStep;
  const bkg = arena.take(N);
  const initBkg = arena.take(N);
  const chie = arena.take(N);
  const chi = arena.take(nk);
  const initChi = arena.take(nk);
  let z = 0; // Σ (v − v) over bkg and χ: 0 if all finite, NaN otherwise
  if (k) z = outputsWasm(k.exports, k.heap, geometryWasm(geo, k.exports, k.heap), s, mu, best, initCoefs, o.standard ? chi0Raw : undefined, es, bkg, initBkg, chie, chi, initChi);
  else {
    {
      const { span, b } = s.bkgTable;
      const i0 = s.iek0;
      const i1 = s.iek0 + s.nraw;
      for (let i = 0; i < N; i++) {
        let v: number;
        if (i >= i0 && i < i1) {
          const t = i - i0;
          const j = span[t] - 3;
          const o4 = 4 * t;
          const b0 = b[o4];
          const b1 = b[o4 + 1];
          const b2 = b[o4 + 2];
          const b3 = b[o4 + 3];
          v = b0 * best[j] + b1 * best[j + 1] + b2 * best[j + 2] + b3 * best[j + 3];
          initBkg[i] = b0 * initCoefs[j] + b1 * initCoefs[j + 1] + b2 * initCoefs[j + 2] + b3 * initCoefs[j + 3];
        } else v = initBkg[i] = mu[i];
        bkg[i] = v;
        z += v - v;
        chie[i] = (mu[i] - v) / es;
      }
    }
    {
      const { span, b } = s.gTable;
      for (let i = 0; i < nk; i++) {
        const j = span[i] - 3;
        const o4 = 4 * i;
        const b0 = b[o4];
        const b1 = b[o4 + 1];
        const b2 = b[o4 + 2];
        const b3 = b[o4 + 3];
        const c0 = chi0Raw[i];
        const v = (c0 - b0 * best[j] - b1 * best[j + 1] - b2 * best[j + 2] - b3 * best[j + 3]) / es;
        chi[i] = v;
        z += v - v;
        initChi[i] = (c0 - b0 * initCoefs[j] - b1 * initCoefs[j + 1] - b2 * initCoefs[j + 2] - b3 * initCoefs[j + 3]) / es;
      }
    }
  }
  if (z !== 0) {
    assertFiniteArray(chi, 'chi(k)');
    assertFiniteArray(bkg, 'bkg');
  }
  if (!Number.isFinite(chisqr)) throw new NumericalError('AUTOBK fit did not converge (non-finite residual)', { field: 'chi' });

  return {
    // Copies: the geometry is cached across calls and must never be shared with (or transferred by) callers.
    k: arena.copy(kout),
    chi,
    bkg,
    chie,
    kraw: arena.copy(s.kraw),
    e0: o.e0,
    edgeStep: o.edgeStep,
    rbkg: s.rbkg,
    details: {
      knots: arena.copy(s.knots),
      coefs,
      initCoefs: initFull,
      coefsStd,
      covar: fit.covar,
      nspl,
      irbkg,
      chisqr,
      redchi,
      iek0: s.iek0,
      iemax: s.iemax,
      ek0: o.e0,
      kmin: s.kmin,
      kmax: s.kmax,
      splK: arena.copy(s.splK),
      initKnotsY: splY,
      initBkg,
      initChi,
      iterations: fit.iterations,
    },
  };
}

export const deltaChiSchema = z.object({ errSigma: finite().positive().default(1) });

/**
 * Larch `autobk_delta_chi`: uncertainty of χ(k) and μ0(E) propagated from the spline-coefficient
 * covariance, δf² = Σ_ij J_i J_j covar_ij, scaled by √redchi and the Student-t factor for
 * errSigma. The Jacobian is exact here (the model is linear in the coefficients; Larch's central
 * differences give the same numbers). As in Larch, deltaChi is in μ units (not divided by the
 * edge step) and deltaBkg is zero outside the fitted energy range.
 */
export function autobkDeltaChi(energy: ArrayLike<number>, result: AutobkResult, options: { errSigma?: number } = {}): { deltaChi: Float64Array; deltaBkg: Float64Array } {
  const { errSigma } = parseOptions(deltaChiSchema, options, 'options');
  const d = result.details;
  if (!d.covar) throw new NumericalError('AUTOBK covariance is not available (singular fit)', { field: 'covar' });
  const nspl = d.nspl;
  // The Jacobians of χ(k) and μ0(E) w.r.t. the coefficients are the background B-splines at k and
  // at kraw (see buildSetup: the interpolant of a background basis function is itself), each row
  // with 4 non-zero entries, so δf² needs only the 4×4 block of the covariance per point.
  const nraw = d.iemax - d.iek0 + 1;
  const nk = result.k.length;
  const covar = d.covar;
  const quad = (t: BasisTable, n: number, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const j = t.span[i] - 3;
      let s = 0;
      for (let a = 0; a < 4; a++) {
        const ja = t.b[4 * i + a];
        if (ja === 0) continue;
        for (let b = 0; b < 4; b++) s += ja * t.b[4 * i + b] * covar[(j + a) * nspl + j + b];
      }
      out[i] = s;
    }
  };
  const dfchi = new Float64Array(nk);
  const dfbkg = new Float64Array(nraw);
  quad(basisTable(d.knots, result.k), nk, dfchi);
  quad(basisTable(d.knots, result.kraw.subarray(0, nraw)), nraw, dfbkg);
  const prob = 0.5 * (1 + erf(errSigma / Math.SQRT2));
  if (nk - nspl <= 0 || nraw - nspl <= 0) throw new ValidationError('too few points for the AUTOBK uncertainty (degrees of freedom ≤ 0)', { field: 'k' });
  const tchi = studentTQuantile(prob, nk - nspl);
  const tbkg = studentTQuantile(prob, nraw - nspl);
  const deltaChi = new Float64Array(nk);
  for (let i = 0; i < nk; i++) deltaChi[i] = tchi * Math.sqrt(Math.max(0, dfchi[i] * d.redchi));
  const deltaBkg = new Float64Array(energy.length);
  for (let i = 0; i < nraw; i++) deltaBkg[d.iek0 + i] = tbkg * Math.sqrt(Math.max(0, dfbkg[i] * d.redchi));
  return { deltaChi, deltaBkg };
}
