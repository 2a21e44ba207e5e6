// Merge (average) repeated scans with a point-wise standard deviation, as Larch's merge_groups:
// every scan is interpolated (cubic, falling back to linear when cubic rings) onto the first
// scan's grid, then mean and population standard deviation (numpy std, ddof = 0) per point.
// Works on whatever array is merged — μ(E), normalized μ(E) or χ(k) — the caller picks.
//
// Difference from Larch, on purpose: Larch trims only the high end (xmax = min of the ends but
// xmin = min of the starts, notes §2.10), so points below a shorter scan's start are averaged
// with extrapolated values; here the output covers the range shared by all scans.
import { z } from 'zod';
import { ValidationError, parseOptions } from '@siteproof/core';
import { cubicSpline, interpLinear, splineEval } from './cubicInterp';

export interface MergeInput {
  name?: string;
  x: Float64Array;
  y: Float64Array;
}

export const mergeOptionsSchema = z
  .object({
    interpolation: z.enum(['cubic', 'linear']).default('cubic'),
    /** Keep only the range covered by every scan (default true). */
    trim: z.boolean().default(true),
  })
  .strict();
export type MergeOptions = z.input<typeof mergeOptionsSchema>;

export interface MergeResult {
  x: Float64Array;
  mean: Float64Array;
  /** Point-wise population standard deviation of the scans (numpy std, ddof = 0). */
  std: Float64Array;
  /** Interpolation actually used (cubic falls back to linear when it rings, as Larch). */
  interpolation: 'cubic' | 'linear';
  count: number;
  warnings: string[];
}

function validate(s: MergeInput, i: number): void {
  const what = s.name ?? `scan ${i}`;
  if (s.x.length !== s.y.length) throw new ValidationError(`${what}: x and y differ in length`, { field: what });
  if (s.x.length < 4) throw new ValidationError(`${what}: needs at least 4 points`, { field: what });
  for (let k = 0; k < s.x.length; k++) {
    if (!Number.isFinite(s.x[k]) || !Number.isFinite(s.y[k])) throw new ValidationError(`${what}: non-finite value at index ${k}`, { field: what });
    if (k > 0 && !(s.x[k] > s.x[k - 1])) throw new ValidationError(`${what}: x must be strictly increasing (index ${k})`, { field: what });
  }
}

export function mergeScans(scans: MergeInput[], options: MergeOptions = {}): MergeResult {
  const opts = parseOptions(mergeOptionsSchema, options, 'options');
  if (scans.length === 0) throw new ValidationError('nothing to merge', { field: 'scans' });
  scans.forEach(validate);
  const warnings: string[] = [];
  const master = scans[0].x;
  let lo = -Infinity;
  let hi = Infinity;
  for (const s of scans) {
    lo = Math.max(lo, s.x[0]);
    hi = Math.min(hi, s.x[s.x.length - 1]);
  }
  if (!(hi > lo)) throw new ValidationError('the scans share no range: cannot merge', { field: 'scans' });
  let i0 = 0;
  let i1 = master.length;
  if (opts.trim) {
    while (i0 < master.length && master[i0] < lo) i0++;
    while (i1 > i0 && master[i1 - 1] > hi) i1--;
    if (i1 - i0 < 2) throw new ValidationError('fewer than 2 points in the range shared by all scans', { field: 'scans' });
  }
  const x = master.slice(i0, i1);
  const run = (kind: 'cubic' | 'linear') => {
    const ys = scans.map((s) => (kind === 'cubic' ? splineEval(cubicSpline(s.x, s.y), x) : interpLinear(s.x, s.y, x)));
    const n = x.length;
    const mean = new Float64Array(n);
    const std = new Float64Array(n);
    for (const y of ys) for (let k = 0; k < n; k++) mean[k] += y[k];
    for (let k = 0; k < n; k++) mean[k] /= ys.length;
    for (const y of ys) {
      for (let k = 0; k < n; k++) {
        const d = y[k] - mean[k];
        std[k] += d * d;
      }
    }
    for (let k = 0; k < n; k++) std[k] = Math.sqrt(std[k] / ys.length);
    return { mean, std };
  };
  let kind = opts.interpolation;
  let r = run(kind);
  if (kind === 'cubic') {
    // Larch's guard: if the merged curve's largest step is > 50× the master's, cubic rang.
    const y0 = scans[0].y;
    let d0 = -Infinity;
    for (let k = 1; k < y0.length; k++) d0 = Math.max(d0, y0[k] - y0[k - 1]);
    let dm = -Infinity;
    for (let k = 1; k < r.mean.length; k++) dm = Math.max(dm, r.mean[k] - r.mean[k - 1]);
    if (dm > 50 * d0) {
      kind = 'linear';
      r = run(kind);
      warnings.push('cubic interpolation rang (steps > 50× the first scan): merged with linear interpolation');
    }
  }
  return { x, mean: r.mean, std: r.std, interpolation: kind, count: scans.length, warnings };
}
