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
