/** Median of a numeric array (a copy is partially ordered by selection: O(n), input untouched). */
export function median(values: ArrayLike<number>): number {
  const a = Float64Array.from(values as ArrayLike<number>);
  return medianInPlace(a, a.length);
}

/** Median of a[0..n), reordering a; the same value a full sort would give. */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  const m = n >> 1;
  const hi = select(a, n, m);
  if (n % 2) return hi;
  // After selection a[0..m) ≤ a[m]: the lower middle is their maximum.
  let lo = -Infinity;
  for (let i = 0; i < m; i++) if (a[i] > lo) lo = a[i];
  return 0.5 * (lo + hi);
}

/** k-th smallest of a[0..n) (Hoare selection, in place); afterwards a[0..k) ≤ a[k]. */
export function select(a: Float64Array, n: number, k: number): number {
  let l = 0;
  let r = n - 1;
  while (l < r) {
    // Median-of-three pivot: sorted or constant runs do not degrade to O(n²).
    const mid = (l + r) >> 1;
    const x = a[l];
    const y = a[mid];
    const z = a[r];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return a[k];
  }
  return a[k];
}

export interface NoiseEstimate {
  /** Median of the image (the zero level of the background-subtracted image). */
  median: number;
  /** Robust standard deviation 1.4826·MAD; falls back to the plain SD when MAD is 0 (quantised data). */
  sigma: number;
  method: 'mad' | 'sd' | 'constant';
}

/** Size of the random subsample the noise is estimated on (σ to ≈ 0.5 %). */
const SAMPLE = 1 << 16;

/**
 * Pixel indices of the noise subsample of an n-pixel image: all of them when n ≤ 2^16, else a fixed
 * pseudo-random draw (mulberry32 seed 0x5eed, written out): a regular stride can alias with periodic
 * structure (a lattice, scan lines) and over- or under-sample it.
 */
function drawSampleIndices(n: number): Int32Array {
  const m = Math.min(n, SAMPLE);
  const idx = new Int32Array(m);
  if (m === n) {
    for (let i = 0; i < m; i++) idx[i] = i;
    return idx;
  }
  let state = 0x5eed;
  for (let i = 0; i < m; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    idx[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  }
  // In memory order: the median and MAD do not depend on the order, and a sorted gather from a
  // 16 MB image is several times faster than a random one (cache and TLB misses).
  return idx.sort();
}

const cache = new Map<number, Int32Array>();

/**
 * The subsample's pixel indices for an n-pixel image (ascending), kept for the last few image
 * sizes (every image of a batch; the image and the tiles of the automatic scale estimate
 * alternate). Shared: callers must not modify the array.
 */
export function noiseSampleIndices(n: number): Int32Array {
  let idx = cache.get(n);
  if (idx) {
    cache.delete(n); // re-insert: most recently used last
  } else {
    idx = drawSampleIndices(n);
    if (cache.size >= 4) cache.delete(cache.keys().next().value as number);
  }
  cache.set(n, idx);
  return idx;
}

/**
 * Robust noise level by the median absolute deviation. Atoms cover a few % of the pixels, so
 * they barely move the MAD, unlike the SD. Uses a seeded random subsample of 2^16 pixels (σ to ≈ 0.5 %) for speed.
 */
export function robustNoise(data: Float32Array): NoiseEstimate {
  const idx = noiseSampleIndices(data.length);
  const m = idx.length;
  if (scratchA.length < m) {
    scratchA = new Float64Array(m);
    scratchB = new Float64Array(m);
  }
  const sub = scratchA.subarray(0, m);
  for (let i = 0; i < m; i++) sub[i] = data[idx[i]];
  return noiseOf(sub, scratchB.subarray(0, m));
}

// Reused between calls (no 1 MB of garbage per image and per LoG scale).
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

/** robustNoise from the subsample values (any order); `sub` is reordered. */
export function noiseOfSample(sub: Float64Array): NoiseEstimate {
  return noiseOf(sub, new Float64Array(sub.length));
}

/** noiseOfSample with a scratch array of the same length for the values. */
function noiseOf(sub: Float64Array, vals: Float64Array): NoiseEstimate {
  const m = sub.length;
  vals.set(sub);
  const med = medianInPlace(sub, m);
  const dev = sub;
  for (let i = 0; i < m; i++) dev[i] = Math.abs(vals[i] - med);
  const mad = medianInPlace(dev, m);
  if (mad > 0) return { median: med, sigma: 1.4826 * mad, method: 'mad' };
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (vals[i] - med) ** 2;
  const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
  return sd > 0 ? { median: med, sigma: sd, method: 'sd' } : { median: med, sigma: 0, method: 'constant' };
}
