// Interpolating cubic spline with not-a-knot ends, stored as piecewise polynomials.
// This is what scipy's UnivariateSpline(x, y, s=0) / splrep(k=3) computes (FITPACK puts the
// interior knots at x[2..m-3], i.e. not-a-knot), and it extrapolates with the end pieces (ext=0).
// Private to the path model: it needs fast monotone-sweep evaluation of precomputed
// coefficients; replace with math/spline.ts if that module grows the same sweep API.
import { ValidationError } from '@siteproof/core';

export interface PiecewiseCubic {
  x: Float64Array;
  /** Coefficients per interval i: y = c0 + c1·t + c2·t² + c3·t³, t = x − x[i]. */
  c0: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  c3: Float64Array;
}

export function notAKnotSpline(x: ArrayLike<number>, y: ArrayLike<number>): PiecewiseCubic {
  const n = x.length;
  if (n < 4 || y.length !== n) throw new ValidationError(`spline needs ≥ 4 points and equal lengths (got ${n}, ${y.length})`, { field: 'x' });
  const dx = new Float64Array(n - 1);
  const slope = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    dx[i] = x[i + 1] - x[i];
    if (!(dx[i] > 0)) throw new ValidationError('spline abscissae must increase strictly', { field: 'x' });
    slope[i] = (y[i + 1] - y[i]) / dx[i];
  }
  // Tridiagonal system for the knot slopes s (same formulation as scipy's CubicSpline).
  const lo = new Float64Array(n);
  const di = new Float64Array(n);
  const up = new Float64Array(n);
  const b = new Float64Array(n);
  let d = x[2] - x[0];
  di[0] = dx[1];
  up[0] = d;
  b[0] = ((dx[0] + 2 * d) * dx[1] * slope[0] + dx[0] * dx[0] * slope[1]) / d;
  for (let i = 1; i < n - 1; i++) {
    lo[i] = dx[i];
    di[i] = 2 * (dx[i - 1] + dx[i]);
    up[i] = dx[i - 1];
    b[i] = 3 * (dx[i] * slope[i - 1] + dx[i - 1] * slope[i]);
  }
  d = x[n - 1] - x[n - 3];
  di[n - 1] = dx[n - 3];
  lo[n - 1] = d;
  b[n - 1] = (dx[n - 2] * dx[n - 2] * slope[n - 3] + (2 * d + dx[n - 2]) * dx[n - 3] * slope[n - 2]) / d;
  // Thomas algorithm.
  for (let i = 1; i < n; i++) {
    const m = lo[i] / di[i - 1];
    di[i] -= m * up[i - 1];
    b[i] -= m * b[i - 1];
  }
  const s = new Float64Array(n);
  s[n - 1] = b[n - 1] / di[n - 1];
  for (let i = n - 2; i >= 0; i--) s[i] = (b[i] - up[i] * s[i + 1]) / di[i];
  const c0 = new Float64Array(n - 1);
  const c1 = new Float64Array(n - 1);
  const c2 = new Float64Array(n - 1);
  const c3 = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    c0[i] = y[i];
    c1[i] = s[i];
    c2[i] = (3 * slope[i] - 2 * s[i] - s[i + 1]) / dx[i];
    c3[i] = (s[i] + s[i + 1] - 2 * slope[i]) / (dx[i] * dx[i]);
  }
  return { x: Float64Array.from(x), c0, c1, c2, c3 };
}

/** Interval index for xq (end pieces extend outward). */
export function splineInterval(sp: PiecewiseCubic, xq: number): number {
  const x = sp.x;
  const last = x.length - 2;
  if (xq <= x[1]) return 0;
  if (xq >= x[last]) return last;
  let lo = 1;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= xq) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function splineEval(sp: PiecewiseCubic, xq: number): number {
  const i = splineInterval(sp, xq);
  const t = xq - sp.x[i];
  return sp.c0[i] + t * (sp.c1[i] + t * (sp.c2[i] + t * sp.c3[i]));
}
