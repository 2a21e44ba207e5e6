// Energy-grid conventions of Larch that find_e0 and pre_edge depend on (larch/math/utils.py
// remove_dups, larch/xafs/pre_edge.py find_energy_step). Re-implemented, not approximated:
// which points survive these steps decides which grid point becomes E0.

/** Larch's TINY_ENERGY (eV): repeated energies are pushed apart by this much. */
export const TINY_ENERGY = 0.0005;

/**
 * Larch remove_dups: if the smallest step exceeds 10·tiny the array is returned as is (a copy);
 * otherwise each value within `tiny` of its predecessor gets predecessor's offset + tiny.
 */
export function removeDups(arr: ArrayLike<number>, tiny = TINY_ENERGY): Float64Array {
  const n = arr.length;
  const work = new Float64Array(arr); // a copy
  if (n <= 1) return work;
  let minStep = Infinity;
  for (let i = 1; i < n; i++) minStep = Math.min(minStep, work[i] - work[i - 1]);
  if (minStep > 10 * tiny) return work;
  const add = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    if (Math.abs(work[i] - work[i - 1]) < tiny) add[i] = add[i - 1] + tiny;
  }
  for (let i = 0; i < n; i++) work[i] += add[i];
  return work;
}

/** Indices i that sort the array (stable; values are distinct after removeDups). */
export function argsort(arr: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: arr.length }, (_, i) => i);
  idx.sort((a, b) => arr[a] - arr[b] || a - b);
  return idx;
}

/**
 * Larch's "in order" selection `np.where(np.diff(np.argsort(x)) == 1)[0]`: positions i where
 * argsort[i+1] − argsort[i] = 1. For increasing data this is 0 … n−2, i.e. it always drops
 * the last point; Larch's find_e0 inherits that, and so do we.
 */
export function orderedIndices(arr: ArrayLike<number>): Int32Array {
  let increasing = true;
  for (let i = 1; i < arr.length && increasing; i++) if (!(arr[i] > arr[i - 1])) increasing = false;
  if (increasing) {
    const out = new Int32Array(Math.max(0, arr.length - 1));
    for (let i = 0; i < out.length; i++) out[i] = i;
    return out;
  }
  const s = argsort(arr);
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length; i++) if (s[i + 1] - s[i] === 1) out.push(i);
  return Int32Array.from(out);
}

/**
 * Larch find_energy_step: nskip = trunc(frac·N); drop nskip points at both ends of the
 * in-order energies and average the `nave` smallest steps after skipping the nskip smallest.
 * For N < 100, nskip = 0 and Larch's slice [0:-0] is empty, giving NaN: returned as NaN here
 * too; the caller turns it into 1.0 exactly as Python's min(1.0, nan) does.
 * `knownIncreasing` skips the check for a grid the caller has already found strictly increasing.
 */
export function findEnergyStep(energy: ArrayLike<number>, fracIgnore = 0.01, nave = 10, knownIncreasing = false): number {
  const nskip = Math.trunc(fracIgnore * energy.length);
  if (nskip === 0) return NaN; // Python a[0:-0] is empty
  // in-order energies: all but the last point of an increasing grid (no index array needed)
  let increasing = true;
  if (!knownIncreasing) for (let i = 1; i < energy.length && increasing; i++) if (!(energy[i] > energy[i - 1])) increasing = false;
  const ord = increasing ? undefined : orderedIndices(energy);
  const nOrd = ord ? ord.length : Math.max(0, energy.length - 1);
  // kept = in-order energies [nskip, len − nskip); steps between consecutive kept values
  const k0 = nskip;
  const k1 = Math.max(nskip, nOrd - nskip);
  // Larch sorts all steps and averages sorted[nskip : nskip + nave]. Only the nskip + nave smallest
  // matter: keep them in a small sorted buffer (one pass, no full sort). The picked values and
  // their ascending summation order are the same, so the mean is bit for bit Larch's.
  const keep = nskip + nave;
  const best = new Float64Array(keep);
  let count = 0;
  for (let i = k0 + 1; i < k1; i++) {
    const d = ord ? energy[ord[i]] - energy[ord[i - 1]] : energy[i] - energy[i - 1];
    if (count === keep && !(d < best[keep - 1])) continue;
    let j = count < keep ? count++ : keep - 1;
    while (j > 0 && best[j - 1] > d) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = d;
  }
  if (count <= nskip) return NaN;
  let s = 0;
  for (let i = nskip; i < count; i++) s += best[i];
  return s / (count - nskip);
}

/** Python's round(): halves go to the even neighbour (round(−37.5) = −38; JS gives −37). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}
