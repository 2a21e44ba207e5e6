// Physical constants and small index helpers with Larch's exact semantics (larch/xafs/xafsutils.py,
// larch/math/utils.py). Kept local to exafs/ so the EXAFS stage does not depend on the order in
// which the shared math helpers land.

/** KTOE = 1e20·ħ²/(2·m_e·e) in eV·Å² (scipy.constants CODATA, as Larch). */
export const KTOE = 3.8099819442818976;
/** ETOK = 1/KTOE: k = sqrt(ETOK·(E − E0)). */
export const ETOK = 1 / KTOE;

/** Larch `index_of`: the largest index with arr[i] ≤ v (arr increasing); 0 if v < arr[0]. */
export function indexOfFloor(arr: ArrayLike<number>, v: number): number {
  const n = arr.length;
  if (n === 0 || v < arr[0]) return 0;
  let lo = 0;
  let hi = n - 1;
  if (arr[hi] <= v) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Larch `index_nearest`: argmin |arr − v| (first one on ties, as numpy argmin). */
export function indexNearest(arr: ArrayLike<number>, v: number): number {
  let best = 0;
  let bd = Infinity;
  for (let i = 0; i < arr.length; i++) {
    const d = Math.abs(arr[i] - v);
    if (d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/** Python int() of a float: truncation toward zero. */
export const pyInt = (v: number): number => Math.trunc(v);
