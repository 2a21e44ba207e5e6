// One row of the evidence table: what a technique shows about "single or dual atom", with an
// effect size, the test behind it, its p-value or interval, and what limits it.

/** What a row (or the whole table) supports. */
export type Support = 'pair' | 'single' | 'inconclusive';

export interface EvidenceRow {
  technique: 'EXAFS' | 'EXAFS wavelet' | 'HAADF-STEM' | 'ToF-SIMS' | 'XANES';
  /** One sentence: what was compared. */
  evidence: string;
  /** The effect size in words with its number (e.g. "ΔR-factor 0.012 → 0.004"). */
  effect: string;
  /** The test used (e.g. "Hamilton R-factor ratio, F(3, 8.4)"). */
  test: string;
  /** p-value of the test (null when the row rests on an interval or the test does not apply). */
  p: number | null;
  /** Interval of the key quantity, printed (e.g. "N(Fe–Cu) = 1.1 [0.6, 1.6] (95 %)"). */
  interval: string | null;
  supports: Support;
  caveats: string[];
  /** Numbers behind the row (for JSON and the report). */
  details: Record<string, unknown>;
}

/** Significance level used throughout (two models are told apart at p < ALPHA). */
export const ALPHA = 0.05;

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

export function fmtP(p: number | null): string {
  if (p === null) return '—';
  if (p < 1e-4) return 'p < 1e-4';
  return `p = ${fmt(p, 2)}`;
}
