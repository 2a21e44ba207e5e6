// Least-squares polynomial with ascending coefficients in the ORIGINAL abscissa, as Larch's
// polyfit (numpy Polynomial.fit(x, y, deg).convert().coef). Like numpy we fit in a scaled
// variable t = off + scl·x ∈ [−1, 1] (energies near 9000 eV make the raw Vandermonde matrix
// hopeless), then expand back. A small Householder QR is written here rather than using
// ml-matrix because these fits run in the hot loop of every normalization (2×deg ≤ 6 columns).
import { NumericalError } from '@siteproof/core';
import { lazyKernels, type WasmHeap } from '../wasm/instance';
import { WASM_BASE64 } from '../wasm/generated/polyfit';

interface PolyfitKernels {
  fitScaled(pX: number, pY: number, m: number, n: number, off: number, scl: number, pA: number, pB: number, pC: number): number;
}
/**
 * The design matrix and QR of fits with ≤ 3 columns in WebAssembly (assembly/polyfit.ts, the same
 * operations as lstsqQR below, so the same bits): ~3× faster than V8's loops here, and preEdge fits
 * two such polynomials per spectrum.
 */
const kernels = lazyKernels<PolyfitKernels>(WASM_BASE64);
const RANK_DEFICIENT = 'polyfit: design matrix is rank-deficient (too few distinct x values)';

/**
 * Solve min ||A·c − b|| for a column-major A (m rows, n cols) by Householder QR.
 * A and b are overwritten. Throws NumericalError when A is rank-deficient.
 */
function lstsqQR(a: Float64Array, m: number, n: number, b: Float64Array): Float64Array {
  const dots = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    // plain sum of squares: columns are powers of t ∈ [−1, 1], so no overflow guard (hypot) is needed
    let ss = 0;
    for (let i = k; i < m; i++) ss += a[col + i] * a[col + i];
    const norm = Math.sqrt(ss);
    if (norm === 0) throw new NumericalError(RANK_DEFICIENT);
    const alpha = a[col + k] > 0 ? -norm : norm;
    // v = x − alpha·e1, stored in place of column k (rows k..m-1).
    a[col + k] -= alpha;
    // One pass for v·v, v·a_j (j > k) and v·b, one pass for the reflections of a_j and b: each sum
    // still runs over i = k … m−1 in order, so the numbers are those of the column-by-column loops.
    const rest = n - 1 - k; // columns right of k
    if (rest <= 2) {
      // the fits of preEdge (≤ 3 columns): scalar accumulators, same sums in the same order
      const c1 = (k + 1) * m;
      const c2 = (k + 2) * m;
      let vv = 0;
      let d1 = 0;
      let d2 = 0;
      let db = 0;
      for (let i = k; i < m; i++) {
        const vi = a[col + i];
        vv += vi * vi;
        if (rest >= 1) d1 += vi * a[c1 + i];
        if (rest === 2) d2 += vi * a[c2 + i];
        db += vi * b[i];
      }
      if (vv > 0) {
        const f1 = (2 * d1) / vv;
        const f2 = (2 * d2) / vv;
        const fb = (2 * db) / vv;
        for (let i = k; i < m; i++) {
          const vi = a[col + i];
          if (rest >= 1) a[c1 + i] -= f1 * vi;
          if (rest === 2) a[c2 + i] -= f2 * vi;
          b[i] -= fb * vi;
        }
      }
    } else {
      let vv = 0;
      dots.fill(0);
      for (let i = k; i < m; i++) {
        const vi = a[col + i];
        vv += vi * vi;
        for (let j = k + 1; j < n; j++) dots[j] += vi * a[j * m + i];
        dots[n] += vi * b[i];
      }
      if (vv > 0) {
        for (let j = k + 1; j <= n; j++) dots[j] = (2 * dots[j]) / vv;
        for (let i = k; i < m; i++) {
          const vi = a[col + i];
          for (let j = k + 1; j < n; j++) a[j * m + i] -= dots[j] * vi;
          b[i] -= dots[n] * vi;
        }
      }
    }
    a[col + k] = alpha; // R diagonal
  }
  // Back-substitution with R (upper triangle: R[i][j] = a[j*m + i] for i < j, diag = alpha).
  const c = new Float64Array(n);
  const scale = Math.abs(a[0]);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[j * m + i] * c[j];
    const d = a[i * m + i];
    if (Math.abs(d) <= 1e-13 * scale) throw new NumericalError(RANK_DEFICIENT);
    c[i] = s / d;
  }
  return c;
}

/** polyfit runs for every spectrum (2–3 fits): its work arrays are kept between calls. */
let scratchA = new Float64Array(1024);
let scratchB = new Float64Array(512);

/**
 * Fit y ≈ Σ c_j x^j (j = 0..deg) by least squares; returns c in ascending order, in the
 * original x. Needs at least deg+1 distinct x values.
 */
export function polyfit(x: ArrayLike<number>, y: ArrayLike<number>, deg: number): Float64Array {
  const m = x.length;
  if (y.length !== m) throw new RangeError(`polyfit: x and y differ in length (${m} vs ${y.length})`);
  if (!Number.isInteger(deg) || deg < 0) throw new RangeError(`polyfit: degree must be a non-negative integer, got ${deg}`);
  const n = deg + 1;
  if (m < n) throw new NumericalError(`polyfit: ${m} point(s) cannot determine a degree-${deg} polynomial`);
  let xmin = Infinity;
  let xmax = -Infinity;
  for (let i = 0; i < m; i++) {
    if (x[i] < xmin) xmin = x[i];
    if (x[i] > xmax) xmax = x[i];
  }
  // numpy's mapparms for domain [xmin, xmax] → window [−1, 1]. A single x value maps to 0.
  let off = 0;
  let scl = 1;
  if (xmax > xmin) {
    scl = 2 / (xmax - xmin);
    off = -(xmax + xmin) / (xmax - xmin);
  } else {
    off = -xmin;
  }
  const k = n <= 3 ? kernels.get() : null;
  const ct = k ? fitWasm(k.exports, k.heap, x, y, m, n, off, scl) : fitJs(x, y, m, n, off, scl);
  // Expand Σ ct_k (off + scl·x)^k into powers of x (Horner on polynomials, like numpy's convert).
  let res = new Float64Array(n);
  res[0] = ct[n - 1];
  for (let k = n - 2; k >= 0; k--) {
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      if (res[j] === 0) continue;
      next[j] += res[j] * off;
      if (j + 1 < n) next[j + 1] += res[j] * scl;
    }
    next[0] += ct[k];
    res = next;
  }
  return res;
}

function fitWasm(ex: PolyfitKernels, heap: WasmHeap, x: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number, off: number, scl: number): Float64Array {
  const pX = heap.put(0, x, m);
  const pY = heap.put(1, y, m);
  const pA = heap.scratch(2, m * n);
  const pB = heap.scratch(3, m);
  const pC = heap.scratch(4, n);
  if (ex.fitScaled(pX, pY, m, n, off, scl, pA, pB, pC) !== 0) throw new NumericalError(RANK_DEFICIENT);
  return heap.f64.slice(pC / 8, pC / 8 + n);
}

function fitJs(x: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number, off: number, scl: number): Float64Array {
  // design matrix and right-hand side in reused buffers (every entry is written below)
  if (scratchA.length < m * n) scratchA = new Float64Array(2 * m * n);
  if (scratchB.length < m) scratchB = new Float64Array(2 * m);
  const a = scratchA;
  const b = scratchB;
  for (let i = 0; i < m; i++) {
    const t = off + scl * x[i];
    let p = 1;
    for (let j = 0; j < n; j++) {
      a[j * m + i] = p;
      p *= t;
    }
    b[i] = y[i];
  }
  return lstsqQR(a, m, n, b);
}

/** Evaluate Σ c_j x^j (ascending coefficients) at x. */
export function polyval(coefs: ArrayLike<number>, x: number): number {
  let s = 0;
  for (let j = coefs.length - 1; j >= 0; j--) s = s * x + coefs[j];
  return s;
}
