// dy/dx as numpy's gradient(y)/gradient(x) (index-space central differences, one-sided at the
// ends): the form Larch uses for dmude, so derivative alignment and LCF match it point for point.
export function gradientRatio(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n < 2) return out;
  for (let i = 0; i < n; i++) {
    let dy: number;
    let dx: number;
    if (i === 0) {
      dy = y[1] - y[0];
      dx = x[1] - x[0];
    } else if (i === n - 1) {
      dy = y[n - 1] - y[n - 2];
      dx = x[n - 1] - x[n - 2];
    } else {
      dy = (y[i + 1] - y[i - 1]) / 2;
      dx = (x[i + 1] - x[i - 1]) / 2;
    }
    out[i] = dy / dx;
  }
  return out;
}

/** numpy.gradient(y) in index space (unit spacing). */
export function gradientIndex(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n < 2) return out;
  out[0] = y[1] - y[0];
  out[n - 1] = y[n - 1] - y[n - 2];
  for (let i = 1; i < n - 1; i++) out[i] = (y[i + 1] - y[i - 1]) / 2;
  return out;
}

/** Larch's boxcar: mean of 2·npts+1 points centred on each point, end values repeated. */
export function boxcar(y: ArrayLike<number>, npts: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = -npts; j <= npts; j++) {
      const k = i + j < 0 ? 0 : i + j >= n ? n - 1 : i + j;
      s += y[k];
    }
    out[i] = s / (2 * npts + 1);
  }
  return out;
}

/** Larch's index_of: the largest index with arr[i] <= v, 0 when v is below the first value. */
export function indexAtOrBelow(arr: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  if (!(v >= arr[0])) return 0;
  if (v >= arr[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}
