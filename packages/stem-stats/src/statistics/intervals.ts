/** Wilson score interval for x successes in n trials (default 95 %); [0, 1] when n = 0. */
export function wilson(x: number, n: number, z = 1.959963984540054): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = x / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / den;
  const hw = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  // The exact bounds at x = 0 and x = n are 0 and 1; avoid 0.9999999999999999 from rounding.
  return [x <= 0 ? 0 : Math.max(0, c - hw), x >= n ? 1 : Math.min(1, c + hw)];
}

/** Linear-interpolated quantile (numpy's default) of an ascending-sorted array. */
export function quantileSorted(a: ArrayLike<number>, q: number): number {
  if (a.length === 0) return 0;
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, a.length - 1);
  return a[lo] + (a[hi] - a[lo]) * (pos - lo);
}

/** Percentile 95 % interval of bootstrap replicates. */
export function percentileInterval(reps: number[]): [number, number] {
  const s = Float64Array.from(reps).sort();
  return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
}
