// Small helpers shared by the series tools (the derivative itself comes from ../math/gradient).

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

/** Larch's index_of on a sorted array (binary search): largest i with arr[i] <= v, 0 below the start. */
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
