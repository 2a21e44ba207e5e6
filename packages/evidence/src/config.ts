// The verdict's configuration: the "verdict" section of siteproof.json (or a verdict.json), which
// files form the with/without EXAFS models, the HAADF atoms, the ToF-SIMS sample and control and
// fragments. Every section is optional; missing ones are filled by discovery from the folder's
// file names (README "Config and discovery"). Validated with zod; defaults in the schema.
import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const verdictConfigSchema = z
  .object({
    /** The two metals of the putative pair, e.g. ["Fe", "Cu"]; default: from the EXAFS pair path. */
    metals: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
    exafs: z
      .object({
        /** Fit model (siteproof xas fit JSON) with the M–M′ path. */
        pair: z.string().min(1),
        /** The same model without the M–M′ path (Hamilton test). */
        without: z.string().min(1).optional(),
        /** Light scatterers at a similar distance instead: { "Fe–S": "fit-s.json" }. */
        alternatives: z.record(z.string(), z.string().min(1)).default({}),
        wavelet: z.boolean().default(true),
        waveletKweight: finite.default(2),
      })
      .strict()
      .optional(),
    haadf: z
      .object({
        /** Atom positions, CSV with x_nm, y_nm [, image, snr] (siteproof stem pairs --out … atoms.csv). */
        atoms: z.string().min(1),
        widthNm: finite.positive(),
        heightNm: finite.positive(),
        maxPairNm: finite.positive().default(0.35),
        simulations: z.number().int().min(19).max(100000).default(999),
        seed: z.number().int().default(1),
        /** siteproof stem pairs --json output: its "corrected" (efficiency-corrected) fraction is used. */
        pairs: z.string().min(1).optional(),
        snr: finite.positive().optional(),
      })
      .strict()
      .optional(),
    tofsims: z
      .object({
        sample: z.string().min(1),
        /** Spectrum of a single-atom control (e.g. a physical mixture of the two single-atom catalysts). */
        control: z.string().min(1).optional(),
        /** Default from metals [A, B]: ["ABN6O2+"]. */
        heteronuclear: z.array(z.string().min(1)).min(1).optional(),
        /** Default from metals: ["AN4+", "BN4+"]. */
        mononuclear: z.array(z.string().min(1)).min(1).optional(),
        tolPpm: finite.positive().default(50),
        recalibrate: z.boolean().default(true),
      })
      .strict()
      .optional(),
    xanes: z
      .object({
        /** Normalized μ(E) of the sample: two columns (energy, norm). */
        data: z.string().min(1),
        /** Single-atom references (same format). */
        references: z.array(z.string().min(1)).min(1),
        /** Optional pair reference; when absent only the residual is tested. */
        pairReference: z.string().min(1).optional(),
        /** Noise (σ of one normalized point); default: estimated from point-to-point differences. */
        noise: finite.positive().optional(),
        xmin: finite.optional(),
        xmax: finite.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type VerdictConfigInput = z.input<typeof verdictConfigSchema>;
export type VerdictConfig = z.output<typeof verdictConfigSchema>;

/** Names that discovery recognizes (relative to the folder). */
export const DISCOVERY = {
  exafsPair: 'fit-pair.json',
  exafsWithout: 'fit-without.json',
  /** fit-alt-NAME.json → alternative NAME. */
  exafsAlternative: /^fit-alt-(.+)\.json$/,
  tofsimsSample: /^sample\.(txt|csv|tsv|dat)$/,
  tofsimsControl: /^control\.(txt|csv|tsv|dat)$/,
} as const;

/**
 * Validate the config (the `verdict` section of siteproof.json, or the whole of verdict.json) and
 * fill absent sections from the folder listing (`files`, names relative to the folder).
 */
export function resolveVerdictConfig(input: unknown, files: readonly string[], label = 'siteproof.json#verdict'): VerdictConfig {
  const c = parseOptions(verdictConfigSchema, input ?? {}, label);
  const has = new Set(files);
  if (!c.exafs && has.has(DISCOVERY.exafsPair)) {
    const alternatives: Record<string, string> = {};
    for (const f of files) {
      const m = DISCOVERY.exafsAlternative.exec(f);
      if (m) alternatives[m[1]] = f;
    }
    c.exafs = { pair: DISCOVERY.exafsPair, ...(has.has(DISCOVERY.exafsWithout) ? { without: DISCOVERY.exafsWithout } : {}), alternatives, wavelet: true, waveletKweight: 2 };
  }
  if (!c.tofsims) {
    const sample = files.find((f) => DISCOVERY.tofsimsSample.test(f));
    const control = files.find((f) => DISCOVERY.tofsimsControl.test(f));
    if (sample) c.tofsims = { sample, ...(control ? { control } : {}), tolPpm: 50, recalibrate: true };
  }
  for (const [sec, v] of Object.entries({ exafs: c.exafs, haadf: c.haadf, tofsims: c.tofsims, xanes: c.xanes })) {
    if (!v) continue;
    const names = Object.entries(v).flatMap(([k, x]) => (typeof x === 'string' && !['heteronuclear', 'mononuclear'].includes(k) ? [[k, x] as const] : []));
    for (const [k, x] of names) if (!has.has(x)) throw new ValidationError(`file '${x}' not found in the folder`, { field: `${label}.${sec}.${k}` });
  }
  return c;
}

/** Default fragment lists from the two metals (porphyrin-like M–N4 and a bridged M–M′ fragment). */
export function defaultFragments(metals: [string, string]): { heteronuclear: string[]; mononuclear: string[] } {
  const [a, b] = metals;
  return { heteronuclear: [`${a}${b}N6O2+`], mononuclear: [`${a}N4+`, `${b}N4+`] };
}
