// numpy.gradient in index space (unit spacing): 2nd-order central differences inside and
// 1st-order one-sided differences at the ends. Larch differentiates as
// gradient(y)/gradient(x), which on a non-uniform grid is NOT np.gradient(y, x); keep it.

/** np.gradient(y) with unit spacing. Needs at least 2 points. */
export function gradient(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  if (n < 2) throw new RangeError(`gradient needs at least 2 points, got ${n}`);
  const g = new Float64Array(n);
  g[0] = y[1] - y[0];
  g[n - 1] = y[n - 1] - y[n - 2];
  for (let i = 1; i < n - 1; i++) g[i] = (y[i + 1] - y[i - 1]) / 2;
  return g;
}

/** Larch's derivative dy/dx = np.gradient(y)/np.gradient(x) (non-finite where x repeats). */
export function gradientRatio(y: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) throw new RangeError(`gradientRatio: x and y differ in length (${x.length} vs ${y.length})`);
  const gy = gradient(y);
  const gx = gradient(x);
  for (let i = 0; i < gy.length; i++) gy[i] /= gx[i];
  return gy;
}
