// The in-memory mass spectrum every tofsims function works on.
import { ValidationError } from '@siteproof/core';

export type Polarity = 'positive' | 'negative';

export interface SpectrumMeta {
  /** Source name for messages (file name). */
  source?: string;
  /** Channels per bin of an IONTOF ASCII export ("# Binning: 200 channels"). */
  binning?: number;
  /** Whether the exporter says it applied the Poisson dead-time correction. */
  deadtimeCorrection?: boolean;
  polarity?: Polarity;
  /** Every `# key: value` header line, verbatim. */
  header?: Record<string, string>;
}

export interface Spectrum {
  /** m/z of each bin, non-decreasing (ties only from rounding in exports). */
  mz: Float64Array;
  /** Counts (or intensity) per bin. */
  intensity: Float64Array;
  /** ToF channel (or time) of each bin when the export has it: calibration is done in this space. */
  channel?: Float64Array;
  meta: SpectrumMeta;
}

/**
 * Check a spectrum: same lengths, non-empty, finite values, non-decreasing m/z.
 * Throws ValidationError naming the field and index.
 */
export function validateSpectrum(s: Spectrum, what = 'spectrum'): void {
  const n = s.mz.length;
  if (n === 0) throw new ValidationError(`${what} is empty`, { field: 'mz', file: s.meta.source });
  if (s.intensity.length !== n) {
    throw new ValidationError(`${what}: ${n} m/z values but ${s.intensity.length} intensities`, { field: 'intensity', file: s.meta.source });
  }
  if (s.channel && s.channel.length !== n) {
    throw new ValidationError(`${what}: ${n} m/z values but ${s.channel.length} channels`, { field: 'channel', file: s.meta.source });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(s.mz[i]) || !Number.isFinite(s.intensity[i])) {
      throw new ValidationError(`${what}: non-finite value at index ${i}`, { field: Number.isFinite(s.mz[i]) ? 'intensity' : 'mz', file: s.meta.source });
    }
    if (i > 0 && !(s.mz[i] >= s.mz[i - 1])) {
      throw new ValidationError(`${what}: m/z axis decreasing at index ${i} (${s.mz[i - 1]} then ${s.mz[i]})`, { field: 'mz', file: s.meta.source });
    }
  }
}

/** Total ion count (sum of all counts). */
export function totalIonCount(s: Pick<Spectrum, 'intensity'>): number {
  let t = 0;
  for (let i = 0; i < s.intensity.length; i++) t += s.intensity[i];
  return t;
}

/** Index of the first element ≥ x in a sorted array (binary search). */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
