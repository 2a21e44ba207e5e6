import { mulberry32 } from '../statistics/rng';

/** Median of a numeric array (copy sorted; callers pass subsamples, so n log n is fine). */
export function median(values: ArrayLike<number>): number {
  const a = Float64Array.from(values as ArrayLike<number>);
  if (a.length === 0) return 0;
  a.sort();
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

export interface NoiseEstimate {
  /** Median of the image (the zero level of the background-subtracted image). */
  median: number;
  /** Robust standard deviation 1.4826·MAD; falls back to the plain SD when MAD is 0 (quantised data). */
  sigma: number;
  method: 'mad' | 'sd' | 'constant';
}

/**
 * Robust noise level by the median absolute deviation. Atoms cover a few % of the pixels, so
 * they barely move the MAD, unlike the SD. Uses a seeded random subsample of 2^16 pixels (σ to ≈ 0.5 %) for speed.
 */
export function robustNoise(data: Float32Array): NoiseEstimate {
  const n = data.length;
  // A fixed pseudo-random subsample (seeded, so results are reproducible): a regular stride can
  // alias with periodic structure (a lattice, scan lines) and over- or under-sample it.
  const m = Math.min(n, 1 << 16);
  const sub = new Float64Array(m);
  if (m === n) sub.set(data);
  else {
    const rand = mulberry32(0x5eed);
    for (let i = 0; i < m; i++) sub[i] = data[Math.floor(rand() * n)];
  }
  const s = sub.subarray(0, m);
  const med = median(s);
  const dev = new Float64Array(m);
  for (let i = 0; i < m; i++) dev[i] = Math.abs(s[i] - med);
  const mad = median(dev);
  if (mad > 0) return { median: med, sigma: 1.4826 * mad, method: 'mad' };
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (s[i] - med) ** 2;
  const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
  return sd > 0 ? { median: med, sigma: sd, method: 'sd' } : { median: med, sigma: 0, method: 'constant' };
}
