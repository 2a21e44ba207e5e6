// Larch's boxcar smoothing (larch/math/utils.py boxcar), used by the Larix alignment objective.

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
