// Pre-edge subtraction, normalization and flattening exactly as Larch's pre_edge/preedge
// (larch/xafs/pre_edge.py; ../shared/notes/xas-anchors-and-larch-algorithms.md §2.2):
// Larch's CODE defaults (which differ from its docstrings), banker's rounding of the default
// ranges, index_of for window starts and index_nearest for window ends (half-open slices), and
// the edge step taken at the grid point nearest E0.
import { z } from 'zod';
import { parseOptionsCached } from './parseOptionsCached';
import { NumericalError, ValidationError } from '@siteproof/core';
import { gradientRatio } from '../math/gradient';
import { indexNearest, indexNearestSorted, indexOf, indexOfSorted } from '../math/indexOf';
import { polyfit } from '../math/polyfit';
import { argsort, removeDups, roundHalfEven, TINY_ENERGY } from './energyGrid';
import { findE0Checked } from './findE0';
import { assertSpectrumArrays, MIN_POINTS } from './validate';
import { lazyKernels } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/preEdge';

interface PreEdgeKernels {
  scan(pE: number, pMu: number, n: number, lim: number): number;
  curves(pE: number, pMu: number, n: number, a: number, b: number, c0: number, c1: number, c2: number, last: number, pPre: number, pPost: number, pRes: number): void;
  normalize(pMu: number, pPre: number, n: number, step: number, pNorm: number): number;
}
/**
 * The passes over the whole spectrum (checks, pre-/post-edge curves, normalization) in WebAssembly
 * (assembly/preEdge.ts, the same expressions as below, so the same bits): V8's typed-array loops
 * are 2–3× slower on them here.
 */
const kernels = lazyKernels<PreEdgeKernels>(WASM_BASE64);


const MAX_NNORM = 5;
const optNumber = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' }).optional();

/** Options of preEdge; undefined means "Larch's default" (computed from the data). */
export const PreEdgeOptionsSchema = z
  .object({
    /** Edge energy (eV); found with findE0 when absent or outside (E[1], E[n−2]). */
    e0: optNumber(),
    /** Edge step; computed from the pre/post-edge curves when absent. */
    step: optNumber(),
    /** Pre-edge range relative to E0 (eV). Default: 5·round((E[1]−E0)/5) and half of it. */
    pre1: optNumber(),
    pre2: optNumber(),
    /** Post-edge range relative to E0 (eV). Default norm2: 5·round((Emax−E0)/5); norm1: min(25, 5·round(norm2/15)). */
    norm1: optNumber(),
    norm2: optNumber(),
    /** Degree of the post-edge polynomial (0–5). Default: 2, or 1 if norm2−norm1 < 300, 0 if < 30. */
    nnorm: z.number().int().min(0).max(MAX_NNORM).optional(),
    /** Victoreen exponent: the pre-edge line is fit to mu·E^nvict. */
    nvict: z.number().default(0),
    /** Pre-edge degree: 1 = line (default), 0 = constant. */
    npre: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Compute the flattened spectrum (default true). */
    makeFlat: z.boolean().default(true),
    /** Calculated spectrum (FEFF/FDMNES): E0 at the largest derivative, pre-edge = mu[0]. */
    isCalc: z.boolean().default(false),
  })
  .strict();

export type PreEdgeOptions = z.input<typeof PreEdgeOptionsSchema>;

export interface PreEdgeResult {
  /** Energy grid of all outputs: the input, sorted, with repeated values pushed apart by 0.0005 eV as Larch does. */
  energy: Float64Array;
  /** mu on that grid (the input reordered if it was not sorted; never modified in place). */
  mu: Float64Array;
  e0: number;
  /** Index of the grid point nearest E0 (where the edge step is evaluated). */
  ie0: number;
  edgeStep: number;
  pre1: number;
  pre2: number;
  norm1: number;
  norm2: number;
  nnorm: number;
  nvict: number;
  npre: number;
  /** Pre-edge line: (preOffset + preSlope·E)·E^(−nvict). */
  preOffset: number;
  preSlope: number;
  /** Post-edge polynomial (ascending, absolute E) fitted to mu − preEdge. */
  normCoefs: number[];
  preEdge: Float64Array;
  postEdge: Float64Array;
  norm: Float64Array;
  flat: Float64Array;
  /** Larch's flat_alt: norm minus a quadratic fitted to norm over [norm1, norm2]; coefficients c0..c2. */
  flatAlt?: Float64Array;
  flatCoefs?: [number, number, number];
  /** Derivatives of norm (gradient ratio, as Larch). */
  dmude: Float64Array;
  d2mude: Float64Array;
}

/** Larch find_e0_calc: the energy where dμ/dE first exceeds 0.99·max (for calculated spectra). */
export function findE0Calc(energy: ArrayLike<number>, mu: ArrayLike<number>): number {
  const d = gradientRatio(mu, energy);
  let max = -Infinity;
  for (const v of d) if (v > max) max = v;
  for (let i = 0; i < d.length; i++) if (d[i] > 0.99 * max) return energy[i];
  throw new NumericalError('findE0Calc: derivative has no maximum', { field: 'mu' });
}

function sortedCopy(energy: ArrayLike<number>, mu: ArrayLike<number>): { energy: Float64Array; mu: Float64Array } {
  let sorted = true;
  for (let i = 1; i < energy.length; i++) if (energy[i] < energy[i - 1]) sorted = false;
  if (sorted) return { energy: copyOf(energy), mu: copyOf(mu) };
  const idx = argsort(energy);
  return { energy: Float64Array.from(idx, (i) => energy[i]), mu: Float64Array.from(idx, (i) => mu[i]) };
}

function copyOf(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a.slice() : new Float64Array(a);
}

/**
 * True when every step exceeds 10·TINY_ENERGY: the data are sorted and remove_dups leaves them
 * as they are (the usual measured scan), so the grid is a plain copy.
 */
function isPlainGrid(energy: ArrayLike<number>): boolean {
  const lim = 10 * TINY_ENERGY;
  for (let i = 1; i < energy.length; i++) if (!(energy[i] - energy[i - 1] > lim)) return false;
  return true;
}

function isNonDecreasing(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i] >= a[i - 1])) return false;
  return true;
}

/**
 * Larch's index_of(energy − e0, value) without building energy − e0: the differences are rounded
 * exactly as that array's elements, and on a non-decreasing grid they are non-decreasing too, so
 * bisection finds the same index as the linear scan.
 */
function indexOfRelative(energy: Float64Array, e0: number, value: number, sorted: boolean): number {
  const n = energy.length;
  if (!sorted) {
    const rel = new Float64Array(n);
    for (let i = 0; i < n; i++) rel[i] = energy[i] - e0;
    return indexOf(rel, value);
  }
  if (!(value >= energy[0] - e0)) return 0;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (energy[mid] - e0 <= value) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** mu − preEdge over the post-edge window, reused between calls (polyfit copies what it needs). */
let presubScratch = new Float64Array(512);

function slice(a: Float64Array, p1: number, p2: number): Float64Array {
  return a.subarray(Math.max(0, p1), Math.max(0, p2));
}

/** v − v is 0 for finite v and NaN otherwise: one cheap pass says whether to look closer. */
function allFinite(a: Float64Array): boolean {
  let z = 0;
  for (let i = 0; i < a.length; i++) z += a[i] - a[i];
  return z === 0;
}

/**
 * Normalize mu(E) as Larch's pre_edge. Inputs must be finite and of equal length (≥ 10 points);
 * they are never modified.
 */
export function preEdge(energyIn: ArrayLike<number>, muIn: ArrayLike<number>, options: PreEdgeOptions = {}): PreEdgeResult {
  return preEdgeParsed(energyIn, muIn, parseOptionsCached(PreEdgeOptionsSchema, options, 'options'));
}

/**
 * preEdge with options already parsed by PreEdgeOptionsSchema (the EXAFS pipeline parses its
 * defaults once, not per spectrum). The arrays are validated here as in preEdge.
 * @internal
 */
export function preEdgeParsed(energyIn: ArrayLike<number>, muIn: ArrayLike<number>, o: z.output<typeof PreEdgeOptionsSchema>): PreEdgeResult {
  return preEdgeImpl(energyIn, muIn, o, false) as PreEdgeResult;
}

/** What the EXAFS pipeline reads of preEdge: the grid used (a copy), μ on it, E0 and the edge step. */
export type PreEdgeCore = Pick<PreEdgeResult, 'energy' | 'mu' | 'e0' | 'edgeStep'>;

/**
 * preEdgeParsed for callers that need only E0, the edge step and the grid (the EXAFS pipeline):
 * the same checks, errors and numbers, without copying out the pre-edge, post-edge and normalized
 * curves (made and checked in WebAssembly, left there), and `mu` may be the caller's own array
 * when the grid needs no sorting (read it, do not modify it). Without WebAssembly: preEdgeParsed.
 * @internal
 */
export function preEdgeCore(energyIn: ArrayLike<number>, muIn: ArrayLike<number>, o: z.output<typeof PreEdgeOptionsSchema>): PreEdgeCore {
  return preEdgeImpl(energyIn, muIn, o, true);
}

function preEdgeImpl(energyIn: ArrayLike<number>, muIn: ArrayLike<number>, o: z.output<typeof PreEdgeOptionsSchema>, lean: boolean): PreEdgeResult | PreEdgeCore {
  let energy: Float64Array;
  let mu: Float64Array;
  let sorted: boolean;
  let plain: boolean;
  const k = kernels.get();
  if (k && energyIn.length === muIn.length && energyIn.length >= MIN_POINTS) {
    // the finiteness check and the plain-grid test in one pass (the JS check names the bad value)
    const N = energyIn.length;
    const flags = k.exports.scan(k.heap.put(0, energyIn, N), k.heap.put(1, muIn, N), N, 10 * TINY_ENERGY);
    if (flags & 1) assertSpectrumArrays(energyIn, muIn, 'preEdge');
    plain = (flags & 2) === 0;
  } else {
    assertSpectrumArrays(energyIn, muIn, 'preEdge');
    plain = isPlainGrid(energyIn);
  }
  if (plain) {
    energy = copyOf(energyIn);
    mu = lean && k && muIn instanceof Float64Array ? muIn : copyOf(muIn);
    sorted = true;
  } else {
    const s = sortedCopy(energyIn, muIn);
    energy = removeDups(s.energy, TINY_ENERGY);
    mu = s.mu;
    // remove_dups can (rarely) push a point past its successor: then use the linear scans
    sorted = isNonDecreasing(energy);
  }
  const idxOf = sorted ? indexOfSorted : indexOf;
  const idxNearest = sorted ? indexNearestSorted : indexNearest;
  const n = energy.length;
  const emin = energy[0];
  const emax = energy[n - 1];

  let e0 = o.e0;
  if (e0 === undefined || e0 < energy[1] || e0 > energy[n - 2]) {
    e0 = o.isCalc ? findE0Calc(energy, mu) : findE0Checked(energy, mu, plain || undefined).e0;
  }
  const ie0 = idxNearest(energy, e0);

  let nvict = o.nvict;
  let npre: number = o.npre;
  let pre1 = o.pre1;
  if (pre1 === undefined) {
    // skip the first point (often bad); Python round() is banker's rounding
    pre1 = ie0 > 20 ? 5 * roundHalfEven((energy[1] - e0) / 5) : 2 * roundHalfEven((energy[1] - e0) / 2);
  }
  pre1 = Math.max(pre1, emin - e0);
  let pre2 = o.pre2 ?? 0.5 * pre1;
  if (pre1 > pre2) [pre1, pre2] = [pre2, pre1];
  if (o.isCalc) pre1 = pre2 = energy[0] - e0;
  // Larch tests the span on energy − e0 (not energy vs e0 + pre): same here, bit for bit.
  if (indexOfRelative(energy, e0, pre2, sorted) - indexOfRelative(energy, e0, pre1, sorted) < 3) {
    nvict = 0;
    npre = 0;
  }

  let norm2 = o.norm2 ?? 5 * roundHalfEven((emax - e0) / 5);
  if (norm2 < 0) norm2 = emax - e0 - norm2; // any negative norm2 ends up as the full range
  norm2 = Math.min(norm2, emax - e0);
  let norm1 = o.norm1 ?? Math.min(25, 5 * roundHalfEven(norm2 / 15));
  if (norm1 > norm2) [norm1, norm2] = [norm2, norm1];
  norm1 = Math.min(norm1, norm2 - 2);
  let nnorm = o.nnorm;
  if (nnorm === undefined) {
    nnorm = 2;
    if (norm2 - norm1 < 300) nnorm = 1;
    if (norm2 - norm1 < 30) nnorm = 0;
  }
  nnorm = Math.max(Math.min(nnorm, MAX_NNORM), 0);

  // Pre-edge line over [index_of(e0+pre1), index_nearest(e0+pre2)).
  let p1 = idxOf(energy, pre1 + e0);
  let p2 = idxNearest(energy, pre2 + e0);
  let preOffset: number;
  let preSlope: number;
  // With nvict = 0 the pre-edge curve is the line preOffset + E·preSlope (slope 0 for a constant:
  // the same values as a fill), made below with the post-edge curve (in WebAssembly when available).
  let preEdgeCurve: Float64Array | undefined;
  if (o.isCalc) {
    preOffset = mu[0];
    preSlope = 0;
    npre = 0;
  } else if (npre === 0) {
    if (p2 === p1) p2 += 1;
    const seg = slice(mu, p1, p2);
    if (seg.length === 0) throw new NumericalError('preEdge: empty pre-edge range', { field: 'pre1' });
    let sum = 0;
    for (let i = 0; i < seg.length; i++) sum += seg[i];
    preOffset = sum / seg.length;
    preSlope = 0;
  } else {
    if (p2 - p1 < 2) p2 = Math.min(n, p1 + 2);
    const ex = slice(energy, p1, p2);
    let mx: Float64Array;
    if (nvict === 0) mx = mu.subarray(p1, p1 + ex.length);
    else {
      mx = new Float64Array(ex.length);
      for (let i = 0; i < ex.length; i++) mx[i] = mu[p1 + i] * ex[i] ** nvict;
    }
    const c = polyfit(ex, mx, 1);
    preOffset = c[0];
    preSlope = c[1];
    if (nvict !== 0) {
      preEdgeCurve = new Float64Array(n);
      for (let i = 0; i < n; i++) preEdgeCurve[i] = (preOffset + energy[i] * preSlope) * energy[i] ** -nvict;
    }
  }

  // Post-edge polynomial in absolute E fitted to mu − preEdge over [index_of(e0+norm1), index_nearest(e0+norm2)).
  p1 = idxOf(energy, norm1 + e0);
  p2 = idxNearest(energy, norm2 + e0);
  if (p1 > n - 3) p1 = n - 3;
  if (p2 - p1 < 2) {
    p1 -= 2;
    nnorm = 0;
  } else if (p2 - p1 < 5) {
    nnorm = Math.min(1, nnorm);
  }
  const ex = slice(energy, p1, p2);
  if (presubScratch.length < ex.length) presubScratch = new Float64Array(2 * ex.length);
  const presub = presubScratch.subarray(0, ex.length);
  if (preEdgeCurve) for (let i = 0; i < ex.length; i++) presub[i] = mu[p1 + i] - preEdgeCurve[p1 + i];
  else for (let i = 0; i < ex.length; i++) presub[i] = mu[p1 + i] - (preOffset + energy[p1 + i] * preSlope);
  if (ex.length < nnorm + 1) {
    throw new ValidationError(`preEdge: post-edge range [${norm1}, ${norm2}] eV holds ${ex.length} point(s), too few for degree ${nnorm}`, { field: 'norm1' });
  }
  const nc = polyfit(ex, presub, nnorm);
  const normCoefs: number[] = [];
  for (let j = 0; j < nc.length; j++) normCoefs.push(nc[j]);
  let postEdge: Float64Array;
  let norm: Float64Array;
  // Horner from p = 0 (as a loop over the coefficients would), unrolled for the usual degrees;
  // z collects v − v (0 if finite, NaN if not) and muRange the largest |mu − mu[0]|, on the way.
  let z = 0;
  let muRange = 0;
  const m0 = mu[0];
  const last = nc.length - 1;
  const kc = !preEdgeCurve && last <= 2 ? k : null;
  if (kc) {
    // the same expressions in WebAssembly (assembly/preEdge.ts), the curves copied out
    const { heap } = kc;
    if (!plain) {
      heap.put(0, energy, n);
      heap.put(1, mu, n);
    }
    const pE = heap.scratch(0, n);
    const pMu = heap.scratch(1, n);
    const pPre = heap.scratch(2, n);
    const pPost = heap.scratch(3, n);
    const pNorm = heap.scratch(4, n);
    const pRes = heap.scratch(5, 2);
    kc.exports.curves(pE, pMu, n, preOffset, preSlope, nc[0], last >= 1 ? nc[1] : 0, last >= 2 ? nc[2] : 0, last, pPre, pPost, pRes);
    let mem = heap.f64;
    z = mem[pRes / 8];
    muRange = mem[pRes / 8 + 1];
    const edgeStepK = checkedStep(o.step ?? mem[pPost / 8 + ie0] - mem[pPre / 8 + ie0], o.step, muRange, m0);
    z += kc.exports.normalize(pMu, pPre, n, edgeStepK, pNorm);
    // every curve finite (else the full result below names the bad one): the lean result suffices
    if (lean && z === 0 && !o.makeFlat) return { energy, mu, e0, edgeStep: edgeStepK };
    mem = heap.f64;
    preEdgeCurve = mem.slice(pPre / 8, pPre / 8 + n);
    postEdge = mem.slice(pPost / 8, pPost / 8 + n);
    norm = mem.slice(pNorm / 8, pNorm / 8 + n);
    return finish(o, energy, mu, e0, ie0, edgeStepK, [pre1, pre2, norm1, norm2, nnorm, nvict, npre], preOffset, preSlope, normCoefs, preEdgeCurve, postEdge, norm, z, idxOf, idxNearest);
  }
  if (!preEdgeCurve) {
    preEdgeCurve = new Float64Array(n);
    for (let i = 0; i < n; i++) preEdgeCurve[i] = preOffset + energy[i] * preSlope;
  }
  postEdge = new Float64Array(n);
  if (last <= 2) {
    const c0 = nc[0];
    const c1 = last >= 1 ? nc[1] : 0;
    const c2 = last >= 2 ? nc[2] : 0;
    for (let i = 0; i < n; i++) {
      const x = energy[i];
      let p = 0;
      if (last === 2) p = p * x + c2;
      if (last >= 1) p = p * x + c1;
      p = p * x + c0;
      const pe = preEdgeCurve[i];
      const v = pe + p;
      postEdge[i] = v;
      z += v - v + (pe - pe);
      const dm = Math.abs(mu[i] - m0);
      if (dm > muRange) muRange = dm;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = energy[i];
      let p = 0;
      for (let j = last; j >= 0; j--) p = p * x + nc[j];
      const pe = preEdgeCurve[i];
      const v = pe + p;
      postEdge[i] = v;
      z += v - v + (pe - pe);
      const dm = Math.abs(mu[i] - m0);
      if (dm > muRange) muRange = dm;
    }
  }
  const edgeStep = checkedStep(o.step ?? postEdge[ie0] - preEdgeCurve[ie0], o.step, muRange, m0);
  norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = (mu[i] - preEdgeCurve[i]) / edgeStep;
    norm[i] = v;
    z += v - v;
  }
  return finish(o, energy, mu, e0, ie0, edgeStep, [pre1, pre2, norm1, norm2, nnorm, nvict, npre], preOffset, preSlope, normCoefs, preEdgeCurve, postEdge, norm, z, idxOf, idxNearest);
}

/**
 * Larch clamps the step at 1e-12 and divides anyway; a step that small against the data means
 * there is no edge, and norm would be noise × 1e12: say so instead.
 */
function checkedStep(raw: number, given: number | undefined, muRange: number, m0: number): number {
  const edgeStep = Math.max(1e-12, Math.abs(raw));
  if (given === undefined) {
    if (edgeStep <= 1e-9 * Math.max(muRange, Math.abs(m0), 1e-300)) {
      throw new NumericalError(`edge step ${edgeStep.toExponential(2)} is zero against mu (range ${muRange.toExponential(2)}): no absorption edge in the data or in the chosen ranges`, { field: 'edgeStep' });
    }
  }
  return edgeStep;
}

/** Flattening, the finiteness verdict and the result object: the common end of preEdgeParsed. */
function finish(
  o: z.output<typeof PreEdgeOptionsSchema>,
  energy: Float64Array,
  mu: Float64Array,
  e0: number,
  ie0: number,
  edgeStep: number,
  ranges: [number, number, number, number, number, number, number],
  preOffset: number,
  preSlope: number,
  normCoefs: number[],
  preEdgeCurve: Float64Array,
  postEdge: Float64Array,
  norm: Float64Array,
  z: number,
  idxOf: (a: Float64Array, v: number) => number,
  idxNearest: (a: Float64Array, v: number) => number,
): PreEdgeResult {
  const n = energy.length;
  const [, , norm1, norm2] = ranges;

  // Flattening: remove the post-edge curve's shape above E0, keeping continuity at ie0.
  let flat: Float64Array | undefined;
  let flatAlt: Float64Array | undefined;
  let flatCoefs: [number, number, number] | undefined;
  if (o.makeFlat) {
    flat = flatten({ norm, preEdge: preEdgeCurve, postEdge, edgeStep, ie0 });
    // flat_alt: Larch fits c0 + c1·E + c2·E² (c1, c2 free only with ≥ 2, ≥ 3 norm coefficients)
    // to norm over [index_of(e0+norm1), index_nearest(e0+norm2)) with lmfit; that is linear least squares.
    const q1 = idxOf(energy, norm1 + e0);
    let q2 = idxNearest(energy, norm2 + e0);
    if (q2 - q1 < 2) q2 = Math.min(n, q1 + 2);
    const deg = Math.min(2, normCoefs.length - 1);
    const fx = slice(energy, q1, q2);
    if (fx.length > deg) {
      const c = polyfit(fx, slice(norm, q1, q2), deg);
      const fc: [number, number, number] = [c[0], deg >= 1 ? c[1] : 0, deg >= 2 ? c[2] : 0];
      flatCoefs = fc;
      const qe0 = fc[0] + energy[ie0] * (fc[1] + energy[ie0] * fc[2]);
      flatAlt = norm.slice();
      for (let i = ie0; i < n; i++) {
        const e = energy[i];
        flatAlt[i] = norm[i] - (fc[0] + e * (fc[1] + e * fc[2])) + qe0;
      }
    }
  }

  // The outputs every caller reads are finite or this throws (flat without makeFlat is norm).
  if (!(z === 0 && (flat === undefined || allFinite(flat)))) {
    for (const [name, arr] of [['norm', norm], ['flat', flat ?? norm], ['preEdge', preEdgeCurve], ['postEdge', postEdge]] as const) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(arr[i])) throw new NumericalError(`preEdge: ${name} is not finite at E = ${energy[i]} eV`, { field: name });
      }
    }
  }
  return new PreEdgeData(
    energy,
    mu,
    e0,
    ie0,
    edgeStep,
    ranges,
    preOffset,
    preSlope,
    normCoefs,
    preEdgeCurve,
    postEdge,
    norm,
    flat,
    flatAlt,
    flatCoefs,
  );
}

/**
 * The result of preEdge. flat without makeFlat (a copy of norm) and the derivatives dmude =
 * gradient(norm)/gradient(E), d2mude = gradient(dmude)/gradient(E) (Larch) are made on first access:
 * the EXAFS pipeline reads none of them, and an object of plain fields plus prototype getters is far
 * cheaper to create than one with per-object accessors. They are computed from norm and energy as
 * returned (read them before modifying those); JSON.stringify includes them (toJSON), but object
 * spread and structuredClone copy own fields only: read them explicitly there.
 */
class PreEdgeData implements PreEdgeResult {
  pre1: number;
  pre2: number;
  norm1: number;
  norm2: number;
  nnorm: number;
  nvict: number;
  npre: number;
  #flat: Float64Array | undefined;
  #dmude: Float64Array | undefined;
  #d2mude: Float64Array | undefined;

  constructor(
    public energy: Float64Array,
    public mu: Float64Array,
    public e0: number,
    public ie0: number,
    public edgeStep: number,
    ranges: [number, number, number, number, number, number, number],
    public preOffset: number,
    public preSlope: number,
    public normCoefs: number[],
    public preEdge: Float64Array,
    public postEdge: Float64Array,
    public norm: Float64Array,
    flat: Float64Array | undefined,
    public flatAlt: Float64Array | undefined,
    public flatCoefs: [number, number, number] | undefined,
  ) {
    [this.pre1, this.pre2, this.norm1, this.norm2, this.nnorm, this.nvict, this.npre] = ranges;
    this.#flat = flat;
  }

  get flat(): Float64Array {
    return (this.#flat ??= this.norm.slice());
  }
  set flat(v: Float64Array) {
    this.#flat = v;
  }
  get dmude(): Float64Array {
    return (this.#dmude ??= ratioGradient(this.norm, this.energy, new Float64Array(this.norm.length)));
  }
  set dmude(v: Float64Array) {
    this.#dmude = v;
  }
  get d2mude(): Float64Array {
    return (this.#d2mude ??= ratioGradient(this.dmude, this.energy, new Float64Array(this.norm.length)));
  }
  set d2mude(v: Float64Array) {
    this.#d2mude = v;
  }

  /** All fields in the order of PreEdgeResult, the lazy ones included. */
  toJSON(): PreEdgeResult {
    return {
      energy: this.energy,
      mu: this.mu,
      e0: this.e0,
      ie0: this.ie0,
      edgeStep: this.edgeStep,
      pre1: this.pre1,
      pre2: this.pre2,
      norm1: this.norm1,
      norm2: this.norm2,
      nnorm: this.nnorm,
      nvict: this.nvict,
      npre: this.npre,
      preOffset: this.preOffset,
      preSlope: this.preSlope,
      normCoefs: this.normCoefs,
      preEdge: this.preEdge,
      postEdge: this.postEdge,
      norm: this.norm,
      flat: this.flat,
      flatAlt: this.flatAlt,
      flatCoefs: this.flatCoefs,
      dmude: this.dmude,
      d2mude: this.d2mude,
    };
  }
}

/**
 * out = gradient(y)/gradient(x) (numpy.gradient, unit spacing) in one pass. Inside, numpy's
 * (Δy/2)/(Δx/2) is written Δy/Δx: halving is exact (the differences are far from underflow), so
 * the rounded quotient is the same number.
 */
function ratioGradient(y: Float64Array, x: Float64Array, out: Float64Array): Float64Array {
  const n = y.length;
  out[0] = (y[1] - y[0]) / (x[1] - x[0]);
  for (let i = 1; i < n - 1; i++) out[i] = (y[i + 1] - y[i - 1]) / (x[i + 1] - x[i - 1]);
  out[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
  return out;
}

/** Larch's flattened spectrum from a normalization result (norm below E0, flattened above). */
export function flatten(r: Pick<PreEdgeResult, 'norm' | 'preEdge' | 'postEdge' | 'edgeStep' | 'ie0'>): Float64Array {
  const flat = r.norm.slice();
  const f0 = (r.postEdge[r.ie0] - r.preEdge[r.ie0]) / r.edgeStep;
  for (let i = r.ie0; i < flat.length; i++) flat[i] = r.norm[i] - (r.postEdge[i] - r.preEdge[i]) / r.edgeStep + f0;
  return flat;
}
