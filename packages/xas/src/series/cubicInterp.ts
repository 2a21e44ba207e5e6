// Cubic interpolation as scipy's interp1d(kind='cubic') — the not-a-knot interpolating spline
// Larch uses for alignment, merge and LCF energy shifts — on top of the shared FITPACK-equivalent
// spline of ../math/spline (same spline: knots at x[2..m−3]); outside the data range the end
// pieces are extended (splev ext=0). A thin adapter so the series tools name what they use.
import { ValidationError } from '@siteproof/core';
import { interpLinearExtrapolate } from '../math/interp';
import { splev, splrep, type BSpline } from '../math/spline';

export type CubicSpline = BSpline;

/** The not-a-knot cubic spline through (x, y); x strictly increasing, at least 4 points. */
export function cubicSpline(x: ArrayLike<number>, y: ArrayLike<number>): CubicSpline {
  if (x.length !== y.length) throw new ValidationError(`x and y differ in length (${x.length} vs ${y.length})`, { field: 'y' });
  return splrep(x, y);
}

/** Evaluate the spline at every point of `at`. */
export function splineEval(s: CubicSpline, at: ArrayLike<number>, out?: Float64Array): Float64Array {
  return splev(s, at, out);
}

/** interp1d(x, y, kind='cubic') evaluated at `at` (with spline extrapolation). */
export function interpCubic(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  return splev(cubicSpline(x, y), at);
}

/** Linear interpolation with linear extrapolation from the end segments (Larch interp, kind='linear'). */
export function interpLinear(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  return interpLinearExtrapolate(x, y, at);
}
