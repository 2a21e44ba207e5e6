// Combinatorial LCF (Athena's "fit all combinations", Larch's lincombo_fitall): every subset of
// the references from minComponents up to maxComponents, each fitted with the same options,
// ranked by reduced χ² (or R-factor). Subsets whose references are linearly dependent are
// reported in `skipped` instead of stopping the whole search.
import { z } from 'zod';
import { LimitError, SiteproofError, finite, parseOptions } from '@siteproof/core';
import { lcf, lcfOptionsSchema, type LcfOptions, type LcfReference, type LcfResult } from './lcf';

export const lcfCombinationsSchema = z
  .object({
    minComponents: z.number().int().min(1).default(1),
    /** Largest subset size (default: all references). */
    maxComponents: z.number().int().min(1).optional(),
    rankBy: z.enum(['redChi', 'rFactor']).default('redChi'),
    /** Drop fits where a weight is below this (the fit is then a smaller subset's), as Larch does. */
    minWeight: finite().min(0).default(0.0005),
    maxResults: z.number().int().min(1).default(16),
    fit: lcfOptionsSchema.optional(),
  })
  .strict();
export type LcfCombinationsOptions = z.input<typeof lcfCombinationsSchema>;

export interface LcfCombinationsResult {
  /** Best first. */
  fits: LcfResult[];
  /** Subsets that could not be fitted, with the reason. */
  skipped: { references: string[]; reason: string }[];
  /** Number of subsets tried. */
  tried: number;
}

function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

export function lcfCombinations(
  x: Float64Array,
  y: Float64Array,
  references: LcfReference[],
  options: LcfCombinationsOptions = {},
): LcfCombinationsResult {
  const opts = parseOptions(lcfCombinationsSchema, options, 'options');
  const n = references.length;
  const kmax = Math.min(n, opts.maxComponents ?? n);
  let count = 0;
  for (let k = opts.minComponents; k <= kmax; k++) {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
    count += c;
  }
  if (count > 5000) throw new LimitError(`${count} reference subsets: at most 5000 (lower maxComponents)`, { field: 'maxComponents' });
  const fitOpts = (opts.fit ?? {}) as LcfOptions;
  const fits: LcfResult[] = [];
  const skipped: { references: string[]; reason: string }[] = [];
  let tried = 0;
  for (let k = opts.minComponents; k <= kmax; k++) {
    for (const sub of subsets(n, k)) {
      tried++;
      const refs = sub.map((i) => references[i]);
      try {
        const r = lcf(x, y, refs, fitOpts);
        if (k > 1 && r.weights.some((w) => w.value < opts.minWeight)) continue;
        fits.push(r);
      } catch (e) {
        if (e instanceof SiteproofError) skipped.push({ references: refs.map((r) => r.name), reason: e.detail });
        else throw e;
      }
    }
  }
  const key = opts.rankBy;
  fits.sort((a, b) => a[key] - b[key]);
  return { fits: fits.slice(0, opts.maxResults), skipped, tried };
}
