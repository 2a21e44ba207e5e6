// Cubic-spline interpolation with not-a-knot end conditions, the same spline scipy's
// interp1d(kind='cubic') builds and Larch uses for alignment, merge and LCF energy shifts.
// Kept private to series/ (the shared math/interp seam had not landed when this was written);
// outside the data range the end cubic pieces are extended (scipy's spline extrapolation).
import { ValidationError } from '@siteproof/core';

export interface CubicSpline {
  x: Float64Array;
  y: Float64Array;
  /** Second derivatives at the knots. */
  m: Float64Array;
}

/** Build the not-a-knot cubic spline through (x, y); x strictly increasing, at least 2 points. */
export function cubicSpline(x: ArrayLike<number>, y: ArrayLike<number>): CubicSpline {
  const n = x.length;
  if (n !== y.length) throw new ValidationError(`x and y differ in length (${n} vs ${y.length})`, { field: 'y' });
  if (n < 2) throw new ValidationError('need at least 2 points to interpolate', { field: 'x' });
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  for (let i = 1; i < n; i++) {
    if (!(xs[i] > xs[i - 1])) {
      throw new ValidationError(`x must be strictly increasing (x[${i}] = ${xs[i]} after ${xs[i - 1]})`, { field: 'x' });
    }
  }
  const m = new Float64Array(n);
  if (n === 2) return { x: xs, y: ys, m };
  if (n === 3) {
    // Not-a-knot with 3 points is the parabola through them: constant second derivative.
    const d0 = (ys[1] - ys[0]) / (xs[1] - xs[0]);
    const d1 = (ys[2] - ys[1]) / (xs[2] - xs[1]);
    m.fill((2 * (d1 - d0)) / (xs[2] - xs[0]));
    return { x: xs, y: ys, m };
  }
  const h = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    h[i] = xs[i + 1] - xs[i];
    d[i] = (ys[i + 1] - ys[i]) / h[i];
  }
  // Unknowns M1..M(n-2); rows i = 1..n-2: h[i-1] M[i-1] + 2(h[i-1]+h[i]) M[i] + h[i] M[i+1] = 6(d[i]-d[i-1]).
  // Not-a-knot: M0 = ((h0+h1) M1 - h0 M2)/h1 and the mirror at the end, substituted into rows 1 and n-2.
  const k = n - 2;
  const a = new Float64Array(k); // sub-diagonal
  const b = new Float64Array(k); // diagonal
  const c = new Float64Array(k); // super-diagonal
  const r = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = j + 1;
    a[j] = h[i - 1];
    b[j] = 2 * (h[i - 1] + h[i]);
    c[j] = h[i];
    r[j] = 6 * (d[i] - d[i - 1]);
  }
  const h0 = h[0];
  const h1 = h[1];
  const hl = h[n - 2];
  const hl1 = h[n - 3];
  if (k === 1) {
    // n = 4: both end conditions act on the single unknown M1 = M2 relation; solve the 2x2 directly.
    // Rows: (h0(h0+h1)/h1 + 2(h0+h1)) M1 + (h1 - h0^2/h1) M2 = r1 and the mirrored row for M2.
    const a11 = (h0 * (h0 + h1)) / h1 + 2 * (h0 + h1);
    const a12 = h1 - (h0 * h0) / h1;
    const a22 = (hl * (hl + hl1)) / hl1 + 2 * (hl + hl1);
    const a21 = hl1 - (hl * hl) / hl1;
    const r1 = 6 * (d[1] - d[0]);
    const r2 = 6 * (d[2] - d[1]);
    const det = a11 * a22 - a12 * a21;
    const m1 = (r1 * a22 - a12 * r2) / det;
    const m2 = (a11 * r2 - a21 * r1) / det;
    m[1] = m1;
    m[2] = m2;
  } else {
    b[0] = (h0 * (h0 + h1)) / h1 + 2 * (h0 + h1);
    c[0] = h1 - (h0 * h0) / h1;
    a[k - 1] = hl1 - (hl * hl) / hl1;
    b[k - 1] = (hl * (hl + hl1)) / hl1 + 2 * (hl + hl1);
    // Thomas algorithm.
    for (let j = 1; j < k; j++) {
      const w = a[j] / b[j - 1];
      b[j] -= w * c[j - 1];
      r[j] -= w * r[j - 1];
    }
    m[k] = r[k - 1] / b[k - 1];
    for (let j = k - 2; j >= 0; j--) m[j + 1] = (r[j] - c[j] * m[j + 2]) / b[j];
  }
  m[0] = ((h0 + h1) * m[1] - h0 * m[2]) / h1;
  m[n - 1] = ((hl + hl1) * m[n - 2] - hl * m[n - 3]) / hl1;
  return { x: xs, y: ys, m };
}

function segment(xs: Float64Array, v: number): number {
  const n = xs.length;
  if (v <= xs[1]) return 0;
  if (v >= xs[n - 2]) return n - 2;
  let lo = 1;
  let hi = n - 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Evaluate the spline (value) at v. */
export function splineValue(s: CubicSpline, v: number): number {
  const i = segment(s.x, v);
  const h = s.x[i + 1] - s.x[i];
  const t1 = s.x[i + 1] - v;
  const t0 = v - s.x[i];
  return (
    (s.m[i] * t1 * t1 * t1 + s.m[i + 1] * t0 * t0 * t0) / (6 * h) +
    (s.y[i] / h - (s.m[i] * h) / 6) * t1 +
    (s.y[i + 1] / h - (s.m[i + 1] * h) / 6) * t0
  );
}

/** Evaluate the spline at every point of `at` (a sorted `at` is walked segment by segment). */
export function splineEval(s: CubicSpline, at: ArrayLike<number>, out = new Float64Array(at.length)): Float64Array {
  const xs = s.x;
  const n = xs.length;
  let i = -1;
  let prev = -Infinity;
  for (let j = 0; j < at.length; j++) {
    const v = at[j];
    if (v < prev || i < 0) i = segment(xs, v);
    else while (i < n - 2 && v > xs[i + 1]) i++;
    prev = v;
    const h = xs[i + 1] - xs[i];
    const t1 = xs[i + 1] - v;
    const t0 = v - xs[i];
    out[j] =
      (s.m[i] * t1 * t1 * t1 + s.m[i + 1] * t0 * t0 * t0) / (6 * h) +
      (s.y[i] / h - (s.m[i] * h) / 6) * t1 +
      (s.y[i + 1] / h - (s.m[i + 1] * h) / 6) * t0;
  }
  return out;
}

/** interp1d(x, y, kind='cubic') evaluated at `at` (with spline extrapolation). */
export function interpCubic(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  return splineEval(cubicSpline(x, y), at);
}

/** Linear interpolation with linear extrapolation from the end segments. */
export function interpLinear(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n < 2) throw new ValidationError('need at least 2 points to interpolate', { field: 'x' });
  const out = new Float64Array(at.length);
  const xs = x instanceof Float64Array ? x : Float64Array.from(x);
  for (let j = 0; j < at.length; j++) {
    const i = segment(xs, at[j]);
    const t = (at[j] - x[i]) / (x[i + 1] - x[i]);
    out[j] = y[i] + t * (y[i + 1] - y[i]);
  }
  return out;
}
