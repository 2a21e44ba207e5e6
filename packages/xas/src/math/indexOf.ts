// Larch's index helpers (larch/math/utils.py index_of / index_nearest). Larch mixes the two
// when it picks fit windows, so results depend on which one is used: keep both exact.

/**
 * Largest index i with arr[i] <= value; 0 when value is below min(arr) (Larch `index_of`).
 * Works on unsorted arrays too, like Larch's `max(np.where(arr <= value))`.
 */
export function indexOf(arr: ArrayLike<number>, value: number): number {
  const n = arr.length;
  let min = Infinity;
  for (let i = 0; i < n; i++) if (arr[i] < min) min = arr[i];
  if (value < min) return 0;
  for (let i = n - 1; i >= 0; i--) if (arr[i] <= value) return i;
  return 0;
}

/** Index of the element nearest to value; the first one on ties (numpy argmin of |arr − value|). */
export function indexNearest(arr: ArrayLike<number>, value: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < arr.length; i++) {
    const d = Math.abs(arr[i] - value);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * indexOf for a strictly increasing array, by bisection: the same index as the linear scan
 * (largest i with arr[i] ≤ value, 0 below arr[0]) in O(log n).
 */
export function indexOfSorted(arr: ArrayLike<number>, value: number): number {
  const n = arr.length;
  if (n === 0 || !(value >= arr[0])) return 0;
  let lo = 0; // arr[lo] <= value
  let hi = n; // arr[hi] > value (or past the end)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= value) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * indexNearest for a strictly increasing array in O(log n). On such an array arr[i] − value is
 * non-decreasing (rounded subtraction is monotone), so |arr[i] − value| falls then rises and the
 * minimum is next to the bracket; equal distances resolve to the first index, as numpy's argmin.
 */
export function indexNearestSorted(arr: ArrayLike<number>, value: number): number {
  const n = arr.length;
  if (n === 0) return 0;
  const j = indexOfSorted(arr, value);
  let best = j;
  let bestD = Math.abs(arr[j] - value);
  if (j + 1 < n) {
    const d = Math.abs(arr[j + 1] - value);
    if (d < bestD) {
      best = j + 1;
      bestD = d;
    }
  }
  // the distance is non-increasing up to the minimum: walk back over exact ties
  while (best > 0 && Math.abs(arr[best - 1] - value) <= bestD) {
    best--;
    bestD = Math.abs(arr[best] - value);
  }
  return best;
}
