// E0 as Larch's find_e0 (larch/xafs/pre_edge.py): the grid point of maximum dμ/dE, found in two
// passes (raw derivative over the whole scan, then a Lorentzian-smoothed derivative in a window
// of ±75 points) with Larch's guards against glitches. Every rule below is Larch's; see
// ../shared/notes/xas-anchors-and-larch-algorithms.md §2.1.
import { gradient } from '../math/gradient';
import { smooth, smoothApprox } from '../math/smooth';
import { findEnergyStep, orderedIndices, removeDups, TINY_ENERGY } from './energyGrid';
import { assertSpectrumArrays } from './validate';
import { lazyKernels } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/findE0';

interface FindE0Kernels {
  pass1(pE: number, pMu: number, n: number, pD: number): number;
  energyStep(pE: number, n: number, pBest: number): number;
}
/**
 * Pass 1 on a plain grid (derivative, scaling, high-point search over the whole scan) in
 * WebAssembly (assembly/findE0.ts: the same operations as passOn + passCore, so the same index):
 * ~2–3× faster than V8's loops here.
 */
const kernels = lazyKernels<FindE0Kernels>(WASM_BASE64);

export interface FindE0Pass {
  /** Energy of the selected point. */
  e0: number;
  /** Its index in the (de-duplicated, in-order) input of the pass. */
  index: number;
  /** Energy step used (pass 1: measured; pass 2: the smoothing step). NaN when Larch's is NaN. */
  estep: number;
}

/** Grid-only quantities of one _finde0 pass: de-duplicated in-order energies, their step and gradient. */
interface PassGrid {
  energy: Float64Array; // the input energies (cache key, compared value by value)
  ord: Int32Array;
  en: Float64Array;
  step: number; // find_energy_step
  gx: Float64Array; // np.gradient(en)
}

/**
 * Grids that need remove_dups or reordering are rare and costly to prepare, so they are cached for
 * the last few grids. A hit needs the exact same energy values: results are identical with or
 * without the cache.
 */
const gridCache: PassGrid[] = [];
const GRID_CACHE_SIZE = 16;

function passGrid(energy: ArrayLike<number>): PassGrid {
  const N = energy.length;
  for (let g = 0; g < gridCache.length; g++) {
    const c = gridCache[g].energy;
    if (c.length !== N) continue;
    let i = 0;
    while (i < N && c[i] === energy[i]) i++;
    if (i === N) return gridCache[g];
  }
  const dedup = removeDups(energy, TINY_ENERGY);
  const ord = orderedIndices(dedup);
  const n = ord.length;
  const en = new Float64Array(n);
  for (let i = 0; i < n; i++) en[i] = dedup[ord[i]];
  const grid: PassGrid = { energy: Float64Array.from(energy), ord, en, step: NaN, gx: n >= 2 ? gradient(en) : new Float64Array(n) };
  grid.step = findEnergyStep(en);
  gridCache.unshift(grid);
  if (gridCache.length > GRID_CACHE_SIZE) gridCache.pop();
  return grid;
}

/**
 * True when remove_dups leaves the energies as they are and Larch's in-order selection keeps
 * points 0 … N−2: every step exceeds 10·TINY_ENERGY (the usual measured scan).
 */
function isPlainGrid(energy: ArrayLike<number>): boolean {
  const lim = 10 * TINY_ENERGY;
  for (let i = 1; i < energy.length; i++) if (!(energy[i] - energy[i - 1] > lim)) return false;
  return true;
}

/** Scratch for the derivative of one pass (findE0 is synchronous and not re-entrant). */
let scratch = new Float64Array(1024);

/** One pass of Larch's _finde0 on (energy, mu); `estep` given ⇒ smoothed derivative. */
export function findE0Pass(energy: ArrayLike<number>, muIn: ArrayLike<number>, estep?: number, useSmooth = false): FindE0Pass {
  return passOn(energy, muIn, estep, useSmooth, isPlainGrid(energy));
}

/** findE0Pass with isPlainGrid(energy) known (a window of a plain grid is plain). */
function passOn(energy: ArrayLike<number>, muIn: ArrayLike<number>, estep: number | undefined, useSmooth: boolean, plain: boolean): FindE0Pass {
  if (plain) {
    // remove_dups is the identity and the in-order points are 0 … N−2: no copies, no cache.
    const n = energy.length - 1;
    const en = energy instanceof Float64Array ? energy.subarray(0, n) : new Float64Array(energy).subarray(0, n);
    const k = estep === undefined && !useSmooth && n >= 2 ? kernels.get() : null;
    if (k) {
      const { heap } = k;
      const pE = heap.put(0, en, n);
      const pMu = heap.put(1, muIn, n);
      const pD = heap.scratch(2, n);
      const imax = k.exports.pass1(pE, pMu, n, pD);
      return { e0: en[imax], index: imax, estep: k.exports.energyStep(pE, n, heap.scratch(3, 16 + n / 100)) };
    }
    if (scratch.length < n) scratch = new Float64Array(2 * n);
    const dmu = scratch;
    // Larch's gradient(mu)/gradient(en) (numpy.gradient, unit spacing); inside, (Δμ/2)/(ΔE/2) is
    // written Δμ/ΔE: halving is exact (no underflow here), so the rounded quotient is the same.
    if (n < 2) throw new RangeError(`gradient needs at least 2 points, got ${n}`); // as math/gradient
    dmu[0] = (muIn[1] - muIn[0]) / (en[1] - en[0]);
    for (let i = 1; i < n - 1; i++) dmu[i] = (muIn[i + 1] - muIn[i - 1]) / (en[i + 1] - en[i - 1]);
    dmu[n - 1] = (muIn[n - 1] - muIn[n - 2]) / (en[n - 1] - en[n - 2]);
    const step = estep ?? findEnergyStep(en, 0.01, 10, true);
    return passCore(en, dmu, n, step, useSmooth);
  }
  const { ord, en, gx, step: gridStep } = passGrid(energy);
  const n = ord.length;
  if (scratch.length < n) scratch = new Float64Array(2 * n);
  const dmu = scratch;
  const g = gradient(Float64Array.from(ord, (j) => muIn[j]));
  for (let i = 0; i < n; i++) dmu[i] = g[i] / gx[i];
  return passCore(en, dmu, n, estep ?? gridStep, useSmooth);
}

/** The rest of _finde0 on the derivative dmu[0 … n): smoothing, scaling to [0, 1], the high-point search. */
function passCore(en: Float64Array, dmuIn: Float64Array, n: number, step: number, useSmooth: boolean): FindE0Pass {
  let dmu = dmuIn;
  const nmin = Math.max(3, Math.trunc(n * 0.02));
  if (useSmooth) {
    const opts = { xstep: step, sigma: step };
    // A series on one grid: the smoothing as a cached matrix product, used only when every decision
    // below is the same for any values within its error bound of smooth()'s (else smooth() decides).
    if (approxBuf.length < n) approxBuf = new Float64Array(2 * n);
    const eps = smoothApprox(en, dmuIn.subarray(0, n), opts, approxBuf);
    if (eps >= 0) {
      const imax = robustPick(approxBuf, n, nmin, eps);
      if (imax >= 0) return { e0: en[imax], index: imax, estep: step };
    }
    dmu = smooth(en, dmuIn.subarray(0, n), opts);
  }
  // Non-finite derivatives become −1; then scale to [0, 1] with min and range of dmu[nmin : n−nmin]
  // (Python slice, end excluded). One pass for both.
  let lo = Infinity;
  let hi = -Infinity;
  const i0 = nmin;
  const i1 = n - nmin;
  for (let i = 0; i < n; i++) {
    let v = dmu[i];
    if (!Number.isFinite(v)) dmu[i] = v = -1;
    if (i >= i0 && i < i1) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi >= lo)) {
    // empty slice: numpy would raise; fall back to the whole array
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (dmu[i] < lo) lo = dmu[i];
      if (dmu[i] > hi) hi = dmu[i];
    }
  }
  const ptp = Math.max(1e-10, hi - lo);
  // scaled values, counting those above the first threshold on the way
  let dhigh = n > 20 ? 0.6 : 0.3;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = (dmu[i] - lo) / ptp;
    dmu[i] = v;
    if (v > dhigh) count++;
  }

  if (count < 3) {
    // Larch halves the threshold up to twice, stopping early only when MORE than 3 points pass.
    for (let k = 0; k < 2; k++) {
      if (count > 3) break;
      dhigh *= 0.5;
      count = countAbove(dmu, n, dhigh);
    }
  }
  // fewer than 3 high points even then: every point counts as high
  const all = count < 3;

  let imax = 0;
  let dmax = 0;
  const lastI = Math.min(n - 1, n - nmin);
  for (let i = nmin; i <= lastI; i++) {
    const d = dmu[i];
    if (!(d > dmax)) continue;
    // i ± 1 stay inside [0, n): nmin ≥ 3
    if (!all && !(d > dhigh && dmu[i + 1] > dhigh && dmu[i - 1] > dhigh)) continue;
    imax = i;
    dmax = d;
  }
  return { e0: en[imax], index: imax, estep: step };
}

let approxBuf = new Float64Array(1024);

// (top-level helpers rather than closures: no per-call function objects in the hot path)
function countAbove(d: Float64Array, n: number, t: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (d[i] > t) c++;
  return c;
}

/** Points of a above T, or −1 if one is within margin of T. */
function countAboveRobust(a: Float64Array, n: number, T: number, margin: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - T;
    if (Math.abs(d) <= margin) return -1;
    if (d > 0) count++;
  }
  return count;
}

/** Python max(0.01, min(1.0, v)); a NaN step (fewer than 100 points) becomes 1 eV as min(1.0, nan) does. */
function clipStep(v: number): number {
  return Number.isNaN(v) ? 1.0 : Math.max(0.01, Math.min(1.0, v));
}

/**
 * The index passCore would pick from the exact smoothed derivative r, given values a with
 * |a − r| ≤ eps, or −1 if some decision (threshold membership, the maximum) is within the error
 * margin or takes a rare branch. On a threshold t: r > lo + t·ptp is what the scaled test
 * (r − lo)/ptp > t decides (up to rounding of the scaling, ≪ eps); lo, ptp of a are within eps, 2·eps
 * of r's, so a decision is certain when a is more than 4·eps away from the threshold.
 */
function robustPick(a: Float64Array, n: number, nmin: number, eps: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = nmin; i < n - nmin; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) return -1;
  const ptp = hi - lo;
  if (!(ptp > 1e-10 + 4 * eps)) return -1; // flat derivative (or clamped range): leave it to the exact path
  const margin = 8 * eps + 1e-13 * ptp;
  let dhigh = n > 20 ? 0.6 : 0.3;
  let count = countAboveRobust(a, n, lo + dhigh * ptp, margin);
  if (count < 0) return -1;
  if (count < 3) {
    for (let k = 0; k < 2; k++) {
      if (count > 3) break;
      dhigh *= 0.5;
      count = countAboveRobust(a, n, lo + dhigh * ptp, margin);
      if (count < 0) return -1;
    }
  }
  if (count < 3) return -1;
  const T = lo + dhigh * ptp;
  let best = -1;
  let second = -Infinity;
  const lastI = Math.min(n - 1, n - nmin);
  for (let i = nmin; i <= lastI; i++) {
    const d = a[i];
    if (!(d > T && a[i + 1] > T && a[i - 1] > T)) continue;
    if (best < 0 || d > a[best]) {
      if (best >= 0) second = Math.max(second, a[best]);
      best = i;
    } else second = Math.max(second, d);
  }
  if (best < 0) return -1; // passCore would return index 0
  if (a[best] - second <= margin) return -1;
  return best;
}

export interface FindE0Result {
  e0: number;
  /** Pass-1 estimate and the window [istart, istop) of pass 2 (indices into the input). */
  e0Pass1: number;
  istart: number;
  istop: number;
  /** Smoothing step of pass 2 (eV). */
  estep: number;
}

function sliceOf(a: ArrayLike<number>, start: number, stop: number): Float64Array {
  if (a instanceof Float64Array) return a.subarray(start, Math.max(start, stop));
  const out = new Float64Array(Math.max(0, stop - start));
  for (let i = 0; i < out.length; i++) out[i] = a[start + i];
  return out;
}

/** Larch find_e0 with its intermediate values (energy increasing, finite values). */
export function findE0Details(energy: ArrayLike<number>, mu: ArrayLike<number>): FindE0Result {
  assertSpectrumArrays(energy, mu, 'findE0');
  return findE0Checked(energy, mu);
}

/** findE0Details on arrays already checked by assertSpectrumArrays (preEdge's grid). */
export function findE0Checked(energy: ArrayLike<number>, mu: ArrayLike<number>, plain = isPlainGrid(energy)): FindE0Result {
  const n = energy.length;
  const p1 = passOn(energy, mu, undefined, false, plain);
  let e1 = p1.e0;
  const ie0 = p1.index;
  let istart = Math.max(3, ie0 - 75);
  let istop = Math.min(ie0 + 75, n - 3);
  // An E0 in the first 5 % of the scan is usually a glitch: widen the window, mean energy as scale.
  if (ie0 < 0.05 * n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += energy[i];
    e1 = s / n;
    istart = Math.max(3, ie0 - 20);
    istop = n - 3;
  }
  const estep = 0.5 * (clipStep(p1.estep) + clipStep(e1 / 25000));
  const eslice = sliceOf(energy, istart, istop);
  const mslice = sliceOf(mu, istart, istop);
  let e0: number;
  if (eslice.length < 3) {
    e0 = energy[Math.min(istart + 2, n - 1)];
  } else {
    const p2 = passOn(eslice, mslice, estep, true, plain);
    e0 = p2.index < 1 ? energy[istart + 2] : p2.e0;
  }
  return { e0, e0Pass1: p1.e0, istart, istop, estep };
}

/** E0 (eV) as Larch's find_e0: maximum of the (smoothed) derivative, with glitch guards. */
export function findE0(energy: ArrayLike<number>, mu: ArrayLike<number>): number {
  return findE0Details(energy, mu).e0;
}
