// Helpers shared by the tofsims sub-commands (not a command: the file name starts with _).
import { ValidationError } from '@siteproof/core';
import { readAsciiSpectrum, type Spectrum } from '@siteproof/tofsims';
import type { InputFile } from '../../io';

/** Read a spectrum file: ASCII/CSV exports (SurfaceLab or 2/3-column). */
export function spectrumFromInput(input: InputFile, polarity?: 'positive' | 'negative'): Spectrum {
  if (/\.(imzml|mzml|ibd)$/i.test(input.name)) {
    throw new ValidationError('tofsims match reads ASCII spectrum exports; for imzML use `tofsims image`', { file: input.name });
  }
  return readAsciiSpectrum(input.bytes, input.name, polarity ? { polarity } : {});
}

export function polarityFlag(v: string | undefined): 'positive' | 'negative' | undefined {
  if (v === undefined) return undefined;
  if (/^(p|pos|positive|\+)$/i.test(v)) return 'positive';
  if (/^(n|neg|negative|-)$/i.test(v)) return 'negative';
  throw new ValidationError(`--polarity must be positive or negative, got '${v}'`, { field: 'polarity' });
}

/** Positional m/z values as numbers, naming the bad one. */
export function mzPositionals(values: string[]): number[] {
  return values.map((v, i) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x <= 0) throw new ValidationError(`m/z #${i + 1} '${v}' is not a positive number`, { field: 'mz' });
    return x;
  });
}
