// Linear interpolation with numpy.interp semantics (constant extrapolation with the end values).
// Larch uses np.interp when it regrids data (smooth, xftf_prep, feffit); its own `interp`
// extrapolates with a polynomial instead, which is `interpLinearExtrapolate` below.

function checkInputs(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new RangeError(`interp: x and y differ in length (${x.length} vs ${y.length})`);
  if (x.length === 0) throw new RangeError('interp: empty x');
}

/** Index lo with x[lo] <= xq < x[lo+1] for x increasing (binary search); assumes x[0] <= xq < x[n-1]. */
function bracket(x: ArrayLike<number>, xq: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= xq) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * numpy.interp(xq, x, y): x increasing; below x[0] → y[0], above x[n−1] → y[n−1].
 * The slope·(xq − x[j]) + y[j] form is numpy's, so results agree to the last bit in general.
 */
export function interpLinear(x: ArrayLike<number>, y: ArrayLike<number>, xq: ArrayLike<number>): Float64Array {
  checkInputs(x, y);
  const n = x.length;
  const out = new Float64Array(xq.length);
  for (let i = 0; i < xq.length; i++) {
    const v = xq[i];
    if (Number.isNaN(v)) {
      out[i] = NaN;
    } else if (v <= x[0]) {
      out[i] = y[0];
    } else if (v >= x[n - 1]) {
      out[i] = y[n - 1];
    } else {
      const j = bracket(x, v);
      const slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
      out[i] = slope * (v - x[j]) + y[j];
    }
  }
  return out;
}

/**
 * Larch `interp(x, y, xnew, kind='linear')`: linear inside (scipy interp1d), and outside the
 * range a straight line through the first (or last) two points, i.e. linear extrapolation.
 */
export function interpLinearExtrapolate(x: ArrayLike<number>, y: ArrayLike<number>, xq: ArrayLike<number>): Float64Array {
  checkInputs(x, y);
  const n = x.length;
  if (n < 2) throw new RangeError('interp: need at least 2 points to extrapolate');
  const out = new Float64Array(xq.length);
  for (let i = 0; i < xq.length; i++) {
    const v = xq[i];
    let j: number;
    if (v < x[0]) j = 0;
    else if (v > x[n - 1]) j = n - 2;
    else if (v === x[n - 1]) {
      out[i] = y[n - 1];
      continue;
    } else j = bracket(x, v);
    const slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
    out[i] = y[j] + (v - x[j]) * slope;
  }
  return out;
}
