// Baseline under a SIMS spectrum: morphological opening (moving minimum, then moving maximum)
// followed by a moving mean. The opening cannot rise into peaks narrower than the window and,
// unlike polynomial fits, follows the slowly varying chemical-noise background of ToF spectra.

/** Moving minimum (or maximum) over a centred window of 2·half+1 points, O(n) with a deque. */
export function movingExtremum(y: ArrayLike<number>, half: number, max: boolean): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  // Two copies of the loop (min / max) keep the comparison inlined.
  if (max) {
    for (let i = 0; i < n; i++) {
      const hi = Math.min(n - 1, i + half);
      while (next <= hi) {
        const v = y[next];
        while (tail > head && v >= y[dq[tail - 1]]) tail--;
        dq[tail++] = next++;
      }
      while (dq[head] < i - half) head++;
      out[i] = y[dq[head]];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const hi = Math.min(n - 1, i + half);
      while (next <= hi) {
        const v = y[next];
        while (tail > head && v <= y[dq[tail - 1]]) tail--;
        dq[tail++] = next++;
      }
      while (dq[head] < i - half) head++;
      out[i] = y[dq[head]];
    }
  }
  return out;
}

/** Centred moving mean over 2·half+1 points (shrinking at the ends). */
export function movingMean(y: ArrayLike<number>, half: number): Float64Array {
  const n = y.length;
  const c = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) c[i + 1] = c[i] + y[i];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    out[i] = (c[b] - c[a]) / (b - a);
  }
  return out;
}

/** Baseline estimate with a window of `window` points (should be several peak widths). */
export function estimateBaseline(y: ArrayLike<number>, window: number): Float64Array {
  const half = Math.max(1, Math.floor(window / 2));
  const opened = movingExtremum(movingExtremum(y, half, false), half, true);
  return movingMean(opened, half);
}
