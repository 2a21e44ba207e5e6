// Truncation: keep only the points with xmin ≤ x ≤ xmax (Athena's "truncate before/after").
// Returns copies; the raw arrays are never changed.
import { ValidationError } from '@siteproof/core';
import type { XY } from './deglitch';

export function truncate<T extends XY>(s: T, range: { xmin?: number; xmax?: number }): T {
  const lo = range.xmin ?? -Infinity;
  const hi = range.xmax ?? Infinity;
  if (!(hi > lo)) throw new ValidationError(`empty truncation range ${lo}–${hi}`, { field: 'xmax' });
  const keep: number[] = [];
  for (let i = 0; i < s.x.length; i++) if (s.x[i] >= lo && s.x[i] <= hi) keep.push(i);
  if (keep.length < 2) throw new ValidationError(`fewer than 2 points left after truncating to ${lo}–${hi}`, { field: 'xmin' });
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  return { ...s, x: pick(s.x), y: pick(s.y), extra: s.extra?.map(pick) };
}
