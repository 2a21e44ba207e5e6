// Comparing a normalized peak between two samples (e.g. CoPc+ before/after electrolysis):
// ratio and % change with a confidence interval from counting statistics. The interval is
// computed on ln(ratio) (delta method), where it is symmetric and stays positive.
import { z } from 'zod';
import { NumericalError, parseOptions, ValidationError } from '@siteproof/core';

export interface SampleCounts {
  /** Counts in the peak. */
  counts: number;
  /** Normalization denominator: total ion count (default) or a reference peak's counts. */
  total: number;
}

export const CompareOptions = z.object({
  confidence: z.number().gt(0).lt(1).default(0.95),
  /** 'tic': the peak is part of the total (binomial); 'peak': independent reference peak (Poisson). */
  normalization: z.enum(['tic', 'peak']).default('tic'),
});
export type CompareOptions = z.input<typeof CompareOptions>;

export interface Comparison {
  /** (after/total_after) / (before/total_before). */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  /** (ratio − 1)·100 and its interval. */
  changePercent: number;
  changeLow: number;
  changeHigh: number;
  /** σ of ln(ratio). */
  sigmaLn: number;
  confidence: number;
}

/** Standard normal quantile (Acklam's rational approximation, |ε| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new ValidationError(`probability must be in (0, 1), got ${p}`, { field: 'p' });
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function lnVariance(s: SampleCounts, kind: 'tic' | 'peak', which: string): number {
  if (!Number.isFinite(s.counts) || !Number.isFinite(s.total) || s.counts < 0 || s.total <= 0) {
    throw new ValidationError(`${which}: counts must be ≥ 0 and total > 0`, { field: which });
  }
  if (s.counts === 0) throw new NumericalError(`${which}: the peak has 0 counts, the ratio is undefined`, { field: which }, 'integrate a wider window or report an upper limit');
  if (kind === 'tic') {
    if (s.counts > s.total) throw new ValidationError(`${which}: counts exceed the total`, { field: which });
    return (1 - s.counts / s.total) / s.counts;
  }
  return 1 / s.counts + 1 / s.total;
}

/** Ratio and % change of a normalized peak from `before` to `after`, with an interval. */
export function compareSamples(before: SampleCounts, after: SampleCounts, options?: CompareOptions): Comparison {
  const o = parseOptions(CompareOptions, options, 'options');
  const v = lnVariance(before, o.normalization, 'before') + lnVariance(after, o.normalization, 'after');
  const ratio = after.counts / after.total / (before.counts / before.total);
  const sigmaLn = Math.sqrt(v);
  const zq = normalQuantile(0.5 + o.confidence / 2);
  const ratioLow = ratio * Math.exp(-zq * sigmaLn);
  const ratioHigh = ratio * Math.exp(zq * sigmaLn);
  return {
    ratio,
    ratioLow,
    ratioHigh,
    changePercent: (ratio - 1) * 100,
    changeLow: (ratioLow - 1) * 100,
    changeHigh: (ratioHigh - 1) * 100,
    sigmaLn,
    confidence: o.confidence,
  };
}
