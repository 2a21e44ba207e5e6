// Whole-series operations on Spectrum objects: align every spectrum to a standard (the shift is
// added to eShift, raw energies untouched) and merge a series in μ, norm or χ.
import { ValidationError } from '@siteproof/core';
import type { Spectrum } from '../io/types';
import { alignEnergy, type AlignOptions, type AlignResult } from './align';
import { mergeScans, type MergeOptions, type MergeResult } from './merge';
import { spectrumSignal, type SeriesArray } from './spectrumSignal';

export interface AlignSeriesResult {
  /** Copies with eShift updated (eShift_old + fitted shift). */
  spectra: Spectrum[];
  fits: (AlignResult & { file: string })[];
}

/** Align each spectrum (normalized μ) to spectra[standard]; the standard keeps its shift. */
export function alignSeries(spectra: Spectrum[], options: AlignOptions & { standard?: number } = {}): AlignSeriesResult {
  const { standard = 0, ...alignOpts } = options;
  if (!(standard >= 0 && standard < spectra.length)) throw new ValidationError(`standard index ${standard} is outside 0…${spectra.length - 1}`, { field: 'standard' });
  const sig = spectra.map((s) => spectrumSignal(s, 'norm'));
  const std = { energy: sig[standard].x, norm: sig[standard].y, e0: sig[standard].e0 };
  const fits = spectra.map((s, i) => {
    if (i === standard) return { file: s.file, eShift: 0, eShiftStderr: 0, scale: 1, window: [std.e0, std.e0] as [number, number], npts: 0, method: alignOpts.method ?? 'larix', warnings: [] } as AlignResult & { file: string };
    return { file: s.file, ...alignEnergy({ energy: sig[i].x, norm: sig[i].y, e0: sig[i].e0 }, std, alignOpts) };
  });
  return { spectra: spectra.map((s, i) => ({ ...s, eShift: (s.eShift ?? 0) + fits[i].eShift })), fits };
}

/** Merge a series in μ(E), normalized μ(E) or k^w·χ(k) (on the first spectrum's grid). */
export function mergeSpectra(spectra: Spectrum[], options: MergeOptions & { array?: SeriesArray; kweight?: number } = {}): MergeResult & { array: SeriesArray } {
  const { array = 'mu', kweight = 0, ...mergeOpts } = options;
  const inputs = spectra.map((s) => {
    const g = spectrumSignal(s, array, kweight);
    return { name: s.file, x: g.x, y: g.y };
  });
  return { ...mergeScans(inputs, mergeOpts), array };
}
