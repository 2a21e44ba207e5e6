// Normalized intensities with counting (Poisson) uncertainties. A peak normalized to the total
// ion count is a fraction of the same counts, so its error is binomial, √(p(1−p)/N); a peak
// normalized to another peak is a ratio of independent Poisson counts.
import { NumericalError, ValidationError } from '@siteproof/core';

export interface ValueWithError {
  value: number;
  /** 1σ uncertainty. */
  error: number;
}

function checkCounts(x: number, what: string): void {
  if (!Number.isFinite(x) || x < 0) throw new ValidationError(`${what} must be a finite count ≥ 0, got ${x}`, { field: what });
}

/** area / total ion count, σ = √(p(1 − p)/N). */
export function normalizeToTotal(area: number, total: number): ValueWithError {
  checkCounts(area, 'area');
  checkCounts(total, 'total');
  if (!(total > 0)) throw new NumericalError('total ion count is 0: cannot normalize', { field: 'total' });
  if (area > total) throw new ValidationError(`area ${area} exceeds the total ${total}`, { field: 'area' });
  const p = area / total;
  return { value: p, error: Math.sqrt((p * (1 - p)) / total) };
}

/** area / reference-peak area, σ = r·√(1/A + 1/R) (independent Poisson counts). */
export function normalizeToPeak(area: number, reference: number): ValueWithError {
  checkCounts(area, 'area');
  checkCounts(reference, 'reference');
  if (!(reference > 0)) throw new NumericalError('reference peak has 0 counts: cannot normalize', { field: 'reference' });
  const r = area / reference;
  return { value: r, error: area > 0 ? r * Math.sqrt(1 / area + 1 / reference) : Math.sqrt(1) / reference };
}
