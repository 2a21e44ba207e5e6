// Isotope patterns by convolution of per-element distributions (binary exponentiation with
// pruning), the approach of IsoSpec/isotopic-distribution. Written here rather than taken
// from `isotopic-distribution` so the result carries the nominal mass of every isotopologue
// (needed for nominal-mass centroids without a guessed bin width) and is memoized per formula
// for matching thousands of peaks. Checked against isotopic-distribution in the tests.
import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import { getElement, getIsotope } from './elements';
import { massToMz } from './exactMass';
import { formatFormula, parseFormula, splitAtomKey, type ParsedFormula } from './parseFormula';

export interface PatternPeak {
  /** m/z (ion) or mass (neutral). */
  mz: number;
  /** Intensity relative to the most intense isotopologue (= 1). */
  abundance: number;
  /** Absolute probability of the isotopologue (sums to ≤ 1 over all peaks). */
  probability: number;
  /** Nominal mass (sum of mass numbers) of the neutral isotopologue. */
  nominal: number;
}

export const IsotopePatternOptions = z.object({
  /** Keep peaks with abundance ≥ threshold (relative to the most intense). */
  threshold: z.number().min(0).max(1).default(1e-4),
  /** 'fine': every resolved isotopologue; 'nominal': centroids per nominal mass. */
  mode: z.enum(['fine', 'nominal']).default('fine'),
});
export type IsotopePatternOptions = z.input<typeof IsotopePatternOptions>;

interface Dist {
  mass: number[];
  prob: number[];
  nominal: number[];
}

function convolve(a: Dist, b: Dist, pruneRel: number): Dist {
  const mass: number[] = [];
  const prob: number[] = [];
  const nominal: number[] = [];
  let max = 0;
  for (let i = 0; i < a.prob.length; i++) for (let j = 0; j < b.prob.length; j++) max = Math.max(max, a.prob[i] * b.prob[j]);
  const cut = max * pruneRel;
  for (let i = 0; i < a.prob.length; i++) {
    for (let j = 0; j < b.prob.length; j++) {
      const p = a.prob[i] * b.prob[j];
      if (p < cut) continue;
      mass.push(a.mass[i] + b.mass[j]);
      prob.push(p);
      nominal.push(a.nominal[i] + b.nominal[j]);
    }
  }
  return mergeSame({ mass, prob, nominal });
}

/** Merge entries that are the same isotopologue reached by different paths (equal masses). */
function mergeSame(d: Dist): Dist {
  const idx = d.mass.map((_, i) => i).sort((i, j) => d.mass[i] - d.mass[j]);
  const out: Dist = { mass: [], prob: [], nominal: [] };
  for (const i of idx) {
    const k = out.mass.length - 1;
    if (k >= 0 && Math.abs(out.mass[k] - d.mass[i]) < 1e-7 && out.nominal[k] === d.nominal[i]) {
      const p = out.prob[k] + d.prob[i];
      out.mass[k] = (out.mass[k] * out.prob[k] + d.mass[i] * d.prob[i]) / p;
      out.prob[k] = p;
    } else {
      out.mass.push(d.mass[i]);
      out.prob.push(d.prob[i]);
      out.nominal.push(d.nominal[i]);
    }
  }
  return out;
}

const UNIT: Dist = { mass: [0], prob: [1], nominal: [0] };

function elementPower(single: Dist, n: number, pruneRel: number): Dist {
  let result = UNIT;
  let base = single;
  let k = n;
  while (k > 0) {
    if (k & 1) result = convolve(result, base, pruneRel);
    k >>= 1;
    if (k > 0) base = convolve(base, base, pruneRel);
  }
  return result;
}

const memo = new Map<string, PatternPeak[]>();
const MEMO_MAX = 20_000;

/**
 * Isotope pattern of a formula (ion m/z when charged). Abundances are relative to the most
 * intense peak; `probability` keeps the absolute value. Memoized on (formula, options).
 */
export function isotopePattern(formula: string | ParsedFormula, options?: IsotopePatternOptions): PatternPeak[] {
  const opts = parseOptions(IsotopePatternOptions, options, 'options');
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const key = `${formatFormula(f)}|${opts.threshold}|${opts.mode}`;
  const hit = memo.get(key);
  if (hit) return hit.map((p) => ({ ...p }));

  // Intermediate pruning well below the output threshold so the kept peaks are exact.
  const pruneRel = Math.min(opts.threshold, 1e-4) * 1e-3;
  let dist = UNIT;
  for (const [k, n] of Object.entries(f.atoms)) {
    const { symbol, nominal } = splitAtomKey(k);
    let single: Dist;
    if (nominal !== undefined) {
      const iso = getIsotope(symbol, nominal);
      if (!iso) throw new ValidationError(`unknown isotope '${k}'`, { field: 'formula' });
      single = { mass: [iso.mass], prob: [1], nominal: [iso.nominal] };
    } else {
      const el = getElement(symbol);
      if (!el) throw new ValidationError(`unknown element '${symbol}'`, { field: 'formula' });
      const isos = el.isotopes.filter((i) => i.abundance > 0);
      single = { mass: isos.map((i) => i.mass), prob: isos.map((i) => i.abundance), nominal: isos.map((i) => i.nominal) };
    }
    dist = convolve(dist, elementPower(single, n, pruneRel), pruneRel);
  }

  let peaks: PatternPeak[] = dist.mass.map((m, i) => ({ mz: m, abundance: 0, probability: dist.prob[i], nominal: dist.nominal[i] }));
  if (opts.mode === 'nominal') {
    const byNominal = new Map<number, { w: number; p: number }>();
    for (const p of peaks) {
      const e = byNominal.get(p.nominal) ?? { w: 0, p: 0 };
      e.w += p.mz * p.probability;
      e.p += p.probability;
      byNominal.set(p.nominal, e);
    }
    peaks = [...byNominal.entries()].map(([nom, e]) => ({ mz: e.w / e.p, abundance: 0, probability: e.p, nominal: nom }));
  }
  let max = 0;
  for (const p of peaks) max = Math.max(max, p.probability);
  const out: PatternPeak[] = [];
  for (const p of peaks) {
    const a = p.probability / max;
    if (a >= opts.threshold) out.push({ mz: massToMz(p.mz, f.charge), abundance: a, probability: p.probability, nominal: p.nominal });
  }
  out.sort((a, b) => a.mz - b.mz);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, out);
  return out.map((p) => ({ ...p }));
}

/**
 * Merge pattern peaks closer than m/R (what an instrument of resolving power R shows):
 * abundance-weighted centroids, abundances summed and renormalized to the strongest = 1.
 */
export function mergePattern(pattern: readonly PatternPeak[], resolvingPower: number): PatternPeak[] {
  if (!(resolvingPower > 0)) throw new ValidationError('resolving power must be > 0', { field: 'resolvingPower' });
  const sorted = [...pattern].sort((a, b) => a.mz - b.mz);
  const out: PatternPeak[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.mz - last.mz < last.mz / resolvingPower) {
      const prob = last.probability + p.probability;
      last.mz = (last.mz * last.probability + p.mz * p.probability) / prob;
      last.probability = prob;
      last.abundance += p.abundance;
      if (p.probability > last.probability - p.probability) last.nominal = p.nominal;
    } else out.push({ ...p });
  }
  const max = Math.max(...out.map((p) => p.abundance));
  for (const p of out) p.abundance /= max;
  return out;
}
