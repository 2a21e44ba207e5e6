// `siteproof xas normalize FILE`: read a spectrum, normalize it as Larch's pre_edge does and
// print the result (one JSON object with --json, a readable summary otherwise).
import { loadSpectrum, preEdge, type LoadSpectrumOptions, type PreEdgeOptions, type PreEdgeResult, type Spectrum } from '@siteproof/xas';
import { ValidationError } from '@siteproof/core';
import { defineCommand, type CommandContext } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { readInput, writeFileAtomic, type InputFile } from '../../io';

export interface NormalizeOutput {
  file: string;
  muExpr: string;
  e0: number;
  edgeStep: number;
  pre1: number;
  pre2: number;
  norm1: number;
  norm2: number;
  nnorm: number;
  nvict: number;
  energy: Float64Array;
  norm: Float64Array;
  flat: Float64Array;
}

/** Range flags shared by `xas normalize` and `xas edges` (values parsed by preEdgeFlags). */
export const PRE_EDGE_FLAG_OPTIONS = {
  pre1: { type: 'string' },
  pre2: { type: 'string' },
  norm1: { type: 'string' },
  norm2: { type: 'string' },
  nnorm: { type: 'string' },
  nvict: { type: 'string' },
} as const;

/** Flags shared by the normalize and edges commands, as preEdge options. */
export function preEdgeFlags(ctx: CommandContext): PreEdgeOptions {
  const o: PreEdgeOptions = {};
  for (const k of ['e0', 'pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict'] as const) {
    const v = numberFlag(ctx, k);
    if (v !== undefined) (o as Record<string, number>)[k] = v;
  }
  if (o.nnorm !== undefined && (!Number.isInteger(o.nnorm) || o.nnorm < 0 || o.nnorm > 5)) {
    throw new ValidationError(`--nnorm must be an integer from 0 to 5, got ${o.nnorm}`, { field: 'nnorm' });
  }
  return o;
}

/** Reading flags shared by `xas normalize` and `xas edges` (see readFlags). */
export const READ_FLAG_OPTIONS = {
  mu: { type: 'string' },
  energy: { type: 'string' },
  scan: { type: 'string' },
  group: { type: 'string' },
  'energy-policy': { type: 'string' },
} as const;

/** loadSpectrum options from the reading flags: mu expression, energy column, SPEC scan, Athena group, energy policy. */
export function readFlags(ctx: CommandContext): LoadSpectrumOptions {
  const o: LoadSpectrumOptions = {};
  const mu = stringFlag(ctx, 'mu');
  if (mu) o.mu = mu;
  const energy = stringFlag(ctx, 'energy');
  if (energy) o.energy = energy;
  const scan = stringFlag(ctx, 'scan');
  if (scan) o.scan = /^\d+$/.test(scan) ? Number(scan) : scan;
  const group = stringFlag(ctx, 'group');
  if (group) o.group = group;
  const policy = stringFlag(ctx, 'energy-policy');
  if (policy !== undefined) {
    if (policy !== 'strict' && policy !== 'larch') throw new ValidationError(`--energy-policy must be 'strict' or 'larch', got '${policy}'`, { field: 'energy-policy' });
    o.energyPolicy = policy;
  }
  return o;
}

/** Bytes → Spectrum with the mu expression (or the file's mu column). */
export function spectrumFromInput(input: InputFile, read: LoadSpectrumOptions | string | undefined): Spectrum {
  const opts: LoadSpectrumOptions = typeof read === 'string' ? { mu: read } : (read ?? {});
  return loadSpectrum(input.bytes, input.name, opts);
}

/** The code path of `xas normalize` (also used by `pnpm demo`). */
export function normalizeInput(input: InputFile, read: LoadSpectrumOptions | string | undefined, options: PreEdgeOptions): { spectrum: Spectrum; result: PreEdgeResult; output: NormalizeOutput } {
  const spectrum = spectrumFromInput(input, read);
  const energy = spectrum.eShift ? spectrum.energy.map((e) => e + spectrum.eShift!) : spectrum.energy;
  const result = preEdge(energy, spectrum.mu, options);
  const output: NormalizeOutput = {
    file: input.name,
    muExpr: spectrum.muExpr,
    e0: result.e0,
    edgeStep: result.edgeStep,
    pre1: result.pre1,
    pre2: result.pre2,
    norm1: result.norm1,
    norm2: result.norm2,
    nnorm: result.nnorm,
    nvict: result.nvict,
    energy: result.energy,
    norm: result.norm,
    flat: result.flat,
  };
  return { spectrum, result, output };
}

export function normalizeSummary(o: NormalizeOutput, warnings: string[] = []): string {
  const lines = [
    `${o.file}: mu = ${o.muExpr}, ${o.energy.length} points, ${o.energy[0].toFixed(2)}–${o.energy[o.energy.length - 1].toFixed(2)} eV`,
    `  E0         ${o.e0.toFixed(3)} eV (maximum of dμ/dE, as Larch find_e0)`,
    `  edge step  ${o.edgeStep.toPrecision(6)}`,
    `  pre-edge   ${o.pre1.toFixed(2)} … ${o.pre2.toFixed(2)} eV (linear${o.nvict ? `, Victoreen E^${o.nvict}` : ''})`,
    `  post-edge  ${o.norm1.toFixed(2)} … ${o.norm2.toFixed(2)} eV (polynomial degree ${o.nnorm})`,
    ...warnings.map((w) => `  warning: ${w}`),
  ];
  return lines.join('\n') + '\n';
}

export default defineCommand({
  path: ['xas', 'normalize'],
  summary: 'normalize an XAS spectrum (E0, edge step, norm, flat) exactly as Larch pre_edge',
  usage: 'xas normalize FILE [--mu EXPR] [--energy COL] [--scan N] [--group NAME] [--energy-policy strict|larch] [--e0 E] [--pre1 eV] [--pre2 eV] [--norm1 eV] [--norm2 eV] [--nnorm N] [--nvict N] [--out FILE.json] [--json]   (negative values as --pre1=-150)',
  options: {
    ...READ_FLAG_OPTIONS,
    e0: { type: 'string' },
    ...PRE_EDGE_FLAG_OPTIONS,
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw new ValidationError(`expected exactly one FILE, got ${ctx.positionals.length}`, { field: 'FILE' }, 'usage: siteproof xas normalize FILE [--mu EXPR] --json');
    }
    const options = preEdgeFlags(ctx);
    const input = await readInput(ctx.cwd, ctx.positionals[0]);
    const { spectrum, output } = normalizeInput(input, readFlags(ctx), options);
    const json = toJson(output);
    const out = stringFlag(ctx, 'out');
    if (out) await writeFileAtomic(out, json + '\n', [input.path]);
    if (ctx.values.json) ctx.out(json + '\n');
    else {
      ctx.out(normalizeSummary(output, spectrum.warnings));
      if (out) ctx.out(`  wrote ${out}\n`);
    }
  },
});
