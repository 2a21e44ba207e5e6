// Cubic B-splines the way scipy/FITPACK builds them, because Larch's AUTOBK (splrep, splev,
// UnivariateSpline(s=0)) and feffit's path interpolation depend on these exact conventions:
// - the interpolating cubic through m points has knots [x0]×4, x[2..m−3], [x_{m−1}]×4 (FITPACK's
//   choice for s = 0, equivalent to "not-a-knot" end conditions) and m coefficients;
// - evaluation outside the base interval extrapolates the end polynomial piece (splev ext=0).
// Written by hand: no npm package reproduces FITPACK's knot placement and B-spline coefficients.
import { NumericalError, ValidationError } from '@siteproof/core';

/** A cubic B-spline: knots t (length n), coefficients c (only the first n−4 are used), degree 3. */
export interface BSpline {
  t: Float64Array;
  c: Float64Array;
  k: 3;
}

const K = 3;

/** Index l of the knot interval used for x: t[l] ≤ x < t[l+1], clamped to [k, n−k−2] (extrapolation). */
export function findSpan(t: ArrayLike<number>, x: number): number {
  const n = t.length;
  const lo0 = K;
  const hi0 = n - K - 2;
  if (x < t[lo0 + 1]) return lo0;
  if (x >= t[hi0]) return hi0;
  let lo = lo0;
  let hi = hi0;
  // invariant: t[lo] <= x < t[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The 4 non-zero cubic B-spline basis values at x for the interval `span` (Cox–de Boor), written
 * into out[o..o+3]; they belong to coefficients span−3..span. Outside the interval the same
 * polynomial piece is evaluated, which is FITPACK's extrapolation.
 */
export function basisFunctions(t: ArrayLike<number>, span: number, x: number, out: Float64Array, o = 0): void {
  // Unrolled Cox–de Boor recursion for degree 3 (de Boor, A Practical Guide to Splines, BSPLVB).
  const l = span;
  const dr1 = t[l + 1] - x;
  const dr2 = t[l + 2] - x;
  const dr3 = t[l + 3] - x;
  const dl1 = x - t[l];
  const dl2 = x - t[l - 1];
  const dl3 = x - t[l - 2];
  // degree 1
  let saved = 0;
  let temp = 1 / (dr1 + dl1);
  const a0 = saved + dr1 * temp;
  saved = dl1 * temp;
  const a1 = saved;
  // degree 2
  temp = a0 / (dr1 + dl2);
  const b0 = dr1 * temp;
  saved = dl2 * temp;
  temp = a1 / (dr2 + dl1);
  const b1 = saved + dr2 * temp;
  const b2 = dl1 * temp;
  // degree 3
  temp = b0 / (dr1 + dl3);
  out[o] = dr1 * temp;
  saved = dl3 * temp;
  temp = b1 / (dr2 + dl2);
  out[o + 1] = saved + dr2 * temp;
  saved = dl2 * temp;
  temp = b2 / (dr3 + dl1);
  out[o + 2] = saved + dr3 * temp;
  out[o + 3] = dl1 * temp;
}

/** Precomputed basis values of a knot vector at fixed abscissae: evaluate many coefficient sets fast. */
export interface BasisTable {
  span: Int32Array;
  /** 4 basis values per point, for coefficients span−3..span. */
  b: Float64Array;
}

/**
 * findSpan(t, x) given the span `prev` of an abscissa ≤ x: walks forward over the knots instead of
 * bisecting (increasing abscissae cost O(points + knots) in total). Same result as findSpan: the
 * unique l in [k, n−k−2] with t[l] ≤ x < t[l+1], clamped at both ends.
 */
function findSpanFrom(t: ArrayLike<number>, x: number, prev: number): number {
  const hi0 = t.length - K - 2;
  let l = prev;
  while (l < hi0 && t[l + 1] <= x) l++;
  return l;
}

/**
 * Basis values of knots t at abscissae x. `into` (optional) supplies the arrays (span of x's length,
 * b of 4×), e.g. carved from one buffer with other arrays: V8 allocates each typed array over 64
 * bytes separately (see math/arena.ts), and AUTOBK builds three tables per geometry.
 */
export function basisTable(t: ArrayLike<number>, x: ArrayLike<number>, into?: BasisTable): BasisTable {
  const n = x.length;
  const span = into?.span ?? new Int32Array(n);
  const b = into?.b ?? new Float64Array(4 * n);
  if (span.length !== n || b.length !== 4 * n) throw new RangeError(`basisTable: arrays for ${n} points expected (got ${span.length} spans, ${b.length} values)`);
  for (let i = 0; i < n; i++) {
    const s = i > 0 && x[i] >= x[i - 1] ? findSpanFrom(t, x[i], span[i - 1]) : findSpan(t, x[i]);
    span[i] = s;
    basisFunctions(t, s, x[i], b, 4 * i);
  }
  return { span, b };
}

/** Σ_j c_j B_j(x_i) for every tabulated x_i. */
export function evalBasisTable(table: BasisTable, c: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = table.span.length;
  const y = out ?? new Float64Array(n);
  const { span, b } = table;
  for (let i = 0; i < n; i++) {
    const j = span[i] - 3;
    const o = 4 * i;
    y[i] = b[o] * c[j] + b[o + 1] * c[j + 1] + b[o + 2] * c[j + 2] + b[o + 3] * c[j + 3];
  }
  return y;
}

/** Evaluate a cubic B-spline (scipy `splev`, ext=0: extrapolates the end pieces). */
export function splev(spl: BSpline, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = x.length;
  const y = out ?? new Float64Array(n);
  const bb = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    const s = findSpan(spl.t, x[i]);
    basisFunctions(spl.t, s, x[i], bb);
    const j = s - 3;
    y[i] = bb[0] * spl.c[j] + bb[1] * spl.c[j + 1] + bb[2] * spl.c[j + 2] + bb[3] * spl.c[j + 3];
  }
  return y;
}

/** Evaluate a cubic B-spline at one point. */
export function splevAt(spl: BSpline, x: number): number {
  const bb = new Float64Array(4);
  const s = findSpan(spl.t, x);
  basisFunctions(spl.t, s, x, bb);
  const j = s - 3;
  return bb[0] * spl.c[j] + bb[1] * spl.c[j + 1] + bb[2] * spl.c[j + 2] + bb[3] * spl.c[j + 3];
}

/** FITPACK's knots for the interpolating cubic through abscissae x (m ≥ 4): length m + 4 (into `out` if given). */
export function interpolatingKnots(x: ArrayLike<number>, out?: Float64Array): Float64Array {
  const m = x.length;
  const t = out ?? new Float64Array(m + 4);
  for (let i = 0; i < 4; i++) {
    t[i] = x[0];
    t[m + i] = x[m - 1];
  }
  for (let i = 2; i <= m - 3; i++) t[i + 2] = x[i];
  return t;
}

/**
 * Factorized collocation system of the interpolating cubic spline on fixed abscissae x. Solving for
 * several right-hand sides reuses the factorization (AUTOBK solves one per spline coefficient).
 * The collocation matrix of B-splines is totally positive and banded (bandwidth 3), so Gaussian
 * elimination without pivoting is stable (de Boor 1978, ch. XIII).
 */
export class CubicInterpolator {
  readonly x: Float64Array;
  readonly t: Float64Array;
  private readonly lu: Float64Array; // m × 7 band, column offset j − i + 3
  private readonly m: number;

  /**
   * `mem` (optional) supplies the three arrays (m, m + 4 and 7m doubles, zero-filled), e.g. views
   * of one buffer (see math/arena.ts: separate typed arrays cost ≈ 4.5 µs each here).
   */
  constructor(x: ArrayLike<number>, what = 'x', mem?: { take(n: number): Float64Array }) {
    const m = x.length;
    if (m < 4) throw new ValidationError(`${what}: an interpolating cubic spline needs at least 4 points (got ${m})`, { field: what });
    for (let i = 1; i < m; i++) {
      if (!(x[i] > x[i - 1])) {
        throw new ValidationError(`${what} must be strictly increasing (index ${i}: ${x[i - 1]} then ${x[i]})`, { field: what });
      }
    }
    this.m = m;
    this.x = mem ? mem.take(m) : new Float64Array(m);
    for (let i = 0; i < m; i++) this.x[i] = x[i];
    this.t = interpolatingKnots(x, mem?.take(m + 4));
    const a = mem ? mem.take(m * 7) : new Float64Array(m * 7);
    const t = this.t;
    for (let i = 0; i < m; i++) {
      // The span of x[i] in closed form (x is strictly increasing, checked above): t[i+2] = x[i] for
      // 2 ≤ i ≤ m−3, the first two points lie in [t3, t4), the last two in the clamped last span —
      // what findSpan returns. The 4 values (columns s−3 … s) go straight into row i of the band
      // (offset column − i + 3): each entry is written once, and no value is −0 (all knot
      // distances are ≥ 0), so this equals adding them to the zero-filled row.
      const s = i < 2 ? K : i > m - 3 ? m - 1 : i + 2;
      basisFunctions(t, s, this.x[i], a, i * 7 + (s - i));
    }
    // Band LU without pivoting (L stored below the diagonal, unit diagonal implied).
    for (let i = 0; i < m; i++) {
      const piv = a[i * 7 + 3];
      if (!(Math.abs(piv) > 1e-300)) throw new NumericalError(`${what}: singular spline collocation matrix at index ${i}`, { field: what });
      const last = Math.min(i + 3, m - 1);
      for (let r = i + 1; r <= last; r++) {
        // a zero below the pivot (most of them: interior rows collocate at knots, a tridiagonal
        // band) needs no division; f = 0 also skips, as before (a nonzero that underflows stays)
        const ar = a[r * 7 + (i - r + 3)];
        if (ar === 0) continue;
        const f = ar / piv;
        if (f === 0) continue;
        a[r * 7 + (i - r + 3)] = f;
        if (last === i + 3) {
          // the general loop below unrolled (c = i+1 … i+3: the same operations)
          const ro = r * 7 + (i - r + 4);
          const io = i * 7 + 4;
          a[ro] -= f * a[io];
          a[ro + 1] -= f * a[io + 1];
          a[ro + 2] -= f * a[io + 2];
        } else for (let c = i + 1; c <= last; c++) a[r * 7 + (c - r + 3)] -= f * a[i * 7 + (c - i + 3)];
      }
    }
    this.lu = a;
  }

  /** The band LU of the collocation matrix (m × 7, column offset j − i + 3; read-only): for WebAssembly twins of solve. */
  get band(): Float64Array {
    return this.lu;
  }

  /** B-spline coefficients (length m) of the interpolant through (x, y). */
  solve(y: ArrayLike<number>, out?: Float64Array): Float64Array {
    const m = this.m;
    const a = this.lu;
    const z = out ?? new Float64Array(m);
    // Interior rows unrolled (the same three terms in the same order as the general loop).
    for (let i = 0; i < Math.min(3, m); i++) {
      let s = y[i];
      for (let c = 0; c < i; c++) s -= a[i * 7 + (c - i + 3)] * z[c];
      z[i] = s;
    }
    for (let i = 3; i < m; i++) {
      const o = i * 7;
      z[i] = y[i] - a[o] * z[i - 3] - a[o + 1] * z[i - 2] - a[o + 2] * z[i - 1];
    }
    for (let i = m - 1; i >= Math.max(0, m - 3); i--) {
      let s = z[i];
      for (let c = i + 1; c < m; c++) s -= a[i * 7 + (c - i + 3)] * z[c];
      z[i] = s / a[i * 7 + 3];
    }
    for (let i = m - 4; i >= 0; i--) {
      const o = i * 7;
      z[i] = (z[i] - a[o + 4] * z[i + 1] - a[o + 5] * z[i + 2] - a[o + 6] * z[i + 3]) / a[o + 3];
    }
    return z;
  }

  /** The interpolant as a B-spline (coefficients padded with zeros to the knot count, as FITPACK). */
  spline(y: ArrayLike<number>): BSpline {
    if (y.length !== this.m) throw new ValidationError(`y has ${y.length} points, x has ${this.m}`, { field: 'y' });
    const c = new Float64Array(this.m + 4);
    c.set(this.solve(y));
    return { t: this.t, c, k: 3 };
  }
}

/**
 * scipy `splrep(x, y, k=3, s=0)`: knots and B-spline coefficients of the interpolating cubic.
 * The coefficient array has the knot count's length with 4 trailing zeros, as FITPACK returns it.
 */
export function splrep(x: ArrayLike<number>, y: ArrayLike<number>): BSpline {
  if (x.length !== y.length) throw new ValidationError(`x and y differ in length (${x.length} vs ${y.length})`, { field: 'y' });
  return new CubicInterpolator(x).spline(y);
}

/**
 * scipy `UnivariateSpline(x, y, s=0)`: the interpolating (not-a-knot) cubic spline, with
 * extrapolation beyond the data. Returns a function of x plus its B-spline.
 */
export function interpolatingSpline(x: ArrayLike<number>, y: ArrayLike<number>): { spline: BSpline; evaluate: (xq: ArrayLike<number>) => Float64Array } {
  const spline = splrep(x, y);
  return { spline, evaluate: (xq) => splev(spline, xq) };
}
