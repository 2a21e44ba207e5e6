// The report's options (siteproof.json in the experiment folder, or --config FILE): every field
// has a default in the schema, and the resolved options are printed in the report and saved in
// results.json, so a reader knows exactly what was run.
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const reportConfigSchema = z
  .object({
    title: z.string().default('siteproof report'),
    xas: z
      .object({
        /** μ(E) expression; default: the reader's choice (mutrans, ln(i0/itrans), fluorescence …). */
        mu: z.string().min(1).optional(),
        /** Reference (foil) channel expression; used when every file has its columns. */
        referenceChannel: z.string().min(1).default('ln(itrans/irefer)'),
        /** Series variable: read from metadata (metadataKey), or given per file (values: {file: value}). */
        variable: z
          .object({
            name: z.string().default('potential'),
            metadataKey: z.string().default('Sample.electrochemical_potential'),
            unit: z.string().default('V'),
            values: z.record(z.string(), z.union([z.string(), finite])).optional(),
          })
          .strict()
          .prefault({}),
        /** Normalization (Athena's defaults: the post-edge line starts 150 eV above E0, away from χ(k)). */
        preEdge: z
          .object({ pre1: finite.default(-150), pre2: finite.default(-30), norm1: finite.default(150), norm2: finite.optional(), nnorm: z.number().int().min(0).max(5).optional() })
          .strict()
          .prefault({}),
        /** Edge zoom window around the mean E0 (eV). */
        zoom: z.tuple([finite, finite]).default([-15, 30]),
        autobk: z.object({ rbkg: finite.positive().default(1), kweight: finite.min(0).default(2) }).strict().prefault({}),
        xftf: z
          .object({ kmin: finite.min(0).default(3), kmax: finite.positive().default(12), dk: finite.min(0).default(1), window: z.string().default('hanning'), kweight: finite.min(0).default(2) })
          .strict()
          .prefault({}),
        wavelet: z
          .object({ kind: z.enum(['cauchy', 'morlet']).default('cauchy'), rmax: finite.positive().default(5), member: z.enum(['first', 'last']).default('last') })
          .strict()
          .prefault({}),
        /** Fit every series member with each model file found (its `data` is replaced per member). */
        fitAllMembers: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    tofsims: z
      .object({
        fragments: z.array(z.string().min(1)).min(1).default(['Ni+', 'NiCN+', 'NiN2C2+', 'Fe+', 'FeN2C2+', 'Co+', 'CoN2C2+', 'Cu+', 'CuN2C2+']),
        /** A file whose name contains this (case-insensitive) is the control. */
        control: z.string().default('control'),
        tolPpm: finite.positive().default(50),
        /** Annotated window: the fragment (default: the first of `fragments` with an isotope partner found) ± m/z. */
        window: z.object({ fragment: z.string().optional(), from: finite.optional(), to: finite.optional() }).strict().prefault({}),
      })
      .strict()
      .prefault({}),
    haadf: z
      .object({
        /** Pixel size (nm) for images without calibration. */
        pixelNm: finite.positive().optional(),
        maxPairNm: finite.positive().default(0.35),
        bootstrap: z.number().int().min(0).max(100000).default(2000),
        seed: z.number().int().default(1),
      })
      .strict()
      .prefault({}),
    /** The cross-technique verdict (packages/evidence); validated by that package when it runs. */
    verdict: z.unknown().optional(),
  })
  .strict();

export type ReportConfigInput = z.input<typeof reportConfigSchema>;
export type ReportConfig = z.output<typeof reportConfigSchema>;

export function parseReportConfig(input: unknown, label = 'siteproof.json'): ReportConfig {
  return parseOptions(reportConfigSchema, input ?? {}, label);
}
