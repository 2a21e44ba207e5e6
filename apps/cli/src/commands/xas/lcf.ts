// `siteproof xas lcf FILE… --refs A,B,C [--sum-to-one] [--eshift] [--array norm|dmude|chi]`:
// linear-combination fit of each FILE with the reference spectra (files; NAME = base name without
// extension, or the group label for FILE.prj#GROUP). Every spectrum is normalized as Larch's pre_edge with its defaults. One FILE prints
// { weights: { NAME: { value, stderr } }, eShift, rFactor, redChi, … }; several print { fits: […] }
// and --csv writes the series table. --combinations N fits every subset of up to N references.
import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { lcf, lcfCombinations, lcfSeries, lcfSeriesCsv, spectrumSignal, type LcfOptions, type LcfReference, type LcfResult } from '@siteproof/xas';
import { defineCommand, type CommandContext } from '../../command';
import { boolFlag, listFlag, numberFlag, stringFlag, toJson } from '../../args';
import { writeFileAtomic } from '../../io';
import { loadSeries } from './series';

type ArrayKind = 'norm' | 'dmude' | 'chi';

export function refName(file: string): string {
  const hash = file.lastIndexOf('#');
  if (hash > 0) return file.slice(hash + 1); // Athena group label / scan
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function fitDoc(file: string, r: LcfResult) {
  return {
    file,
    weights: Object.fromEntries(r.weights.map((w) => [w.name, { value: w.value, stderr: w.stderr }])),
    sum: r.sum,
    eShift: r.eShift.value,
    eShiftStderr: r.eShift.stderr,
    rFactor: r.rFactor,
    redChi: r.redChi,
    chiSquare: r.chiSquare,
    npts: r.npts,
    nvarys: r.nvarys,
    window: [r.x[0], r.x[r.x.length - 1]],
    warnings: r.warnings,
  };
}

async function run(ctx: CommandContext) {
  if (ctx.positionals.length === 0) throw new ValidationError('expected one or more FILEs', { field: 'FILE' }, 'usage: siteproof xas lcf FILE --refs A,B,C --json');
  const refFiles = listFlag(ctx, 'refs');
  if (!refFiles || refFiles.length === 0) throw new ValidationError('--refs A,B,… is required', { field: 'refs' });
  const kind = (stringFlag(ctx, 'array') ?? 'norm') as ArrayKind;
  if (!['norm', 'dmude', 'chi'].includes(kind)) throw new ValidationError(`--array must be norm, dmude or chi, got '${kind}'`, { field: 'array' });
  const kweight = numberFlag(ctx, 'kweight') ?? 2;
  const mu = stringFlag(ctx, 'mu');
  const data = await loadSeries(ctx, ctx.positionals, mu);
  const refs = await loadSeries(ctx, refFiles, stringFlag(ctx, 'refs-mu') ?? mu);
  const references: LcfReference[] = refs.spectra.map((s, i) => ({ name: refName(refFiles[i]), ...spectrumSignal(s, kind, kweight) }));
  const signals = data.spectra.map((s) => spectrumSignal(s, kind, kweight));
  // Window: absolute --xmin/--xmax, else E0 of the (first) data spectrum + [emin, emax] (default −20…+60 eV,
  // the window of Larch's ferrihydrite example); in k for chi (default 3…12 Å⁻¹).
  const emin = numberFlag(ctx, 'emin') ?? -20;
  const emax = numberFlag(ctx, 'emax') ?? 60;
  const xmin = numberFlag(ctx, 'xmin') ?? (kind === 'chi' ? 3 : signals[0].e0 + emin);
  const xmax = numberFlag(ctx, 'xmax') ?? (kind === 'chi' ? 12 : signals[0].e0 + emax);
  const opts: LcfOptions = { xmin, xmax, sumToOne: boolFlag(ctx, 'sum-to-one'), varyEShift: boolFlag(ctx, 'eshift') };
  const maxShift = numberFlag(ctx, 'max-eshift');
  if (maxShift !== undefined) opts.maxEShift = maxShift;
  const combos = numberFlag(ctx, 'combinations');
  const warnings = [...data.warnings, ...refs.warnings];
  let doc: unknown;
  if (combos !== undefined) {
    if (ctx.positionals.length !== 1) throw new ValidationError('--combinations works on one FILE', { field: 'combinations' });
    const c = lcfCombinations(signals[0].x, signals[0].y, references, { maxComponents: combos, fit: opts, maxResults: 50 });
    doc = { file: ctx.positionals[0], fits: c.fits.map((f) => fitDoc(ctx.positionals[0], f)), skipped: c.skipped, tried: c.tried, warnings };
  } else if (ctx.positionals.length === 1) {
    const r = lcf(signals[0].x, signals[0].y, references, opts);
    doc = { ...fitDoc(ctx.positionals[0], r), warnings: warnings.concat(r.warnings) };
  } else {
    const res = lcfSeries(
      signals.map((s, i) => ({ name: ctx.positionals[i], x: s.x, y: s.y })),
      references,
      opts,
    );
    const csv = stringFlag(ctx, 'csv');
    if (csv) await writeFileAtomic(csv, lcfSeriesCsv(res), [...data.paths, ...refs.paths]);
    doc = { references: res.references, fits: res.rows.map((r) => (r.fit ? fitDoc(r.name, r.fit) : { file: r.name, error: r.error })), warnings };
  }
  const json = toJson(doc);
  const out = stringFlag(ctx, 'out');
  if (out) await writeFileAtomic(out, json + '\n', [...data.paths, ...refs.paths]);
  if (ctx.values.json) ctx.out(json + '\n');
  else {
    const d = doc as { fits?: ReturnType<typeof fitDoc>[] } & Partial<ReturnType<typeof fitDoc>>;
    const fits = d.fits ?? [d as ReturnType<typeof fitDoc>];
    const lines: string[] = [];
    for (const f of fits) {
      if (!f.weights) continue;
      lines.push(`${f.file}: R = ${f.rFactor.toExponential(3)}, redχ² = ${f.redChi.toExponential(3)}, ΔE = ${f.eShift.toFixed(3)} eV`);
      for (const [n, w] of Object.entries(f.weights)) lines.push(`  ${n.padEnd(24)} ${w.value.toFixed(4)} ± ${w.stderr === null ? 'n/a' : w.stderr.toFixed(4)}`);
    }
    for (const w of warnings) lines.push(`warning: ${w}`);
    ctx.out(lines.join('\n') + '\n');
  }
}

export default defineCommand({
  path: ['xas', 'lcf'],
  summary: 'linear-combination fit of spectra with reference spectra (weights in [0,1], optional Σ=1 and energy shift)',
  usage:
    'xas lcf FILE… --refs A,B,C [--sum-to-one] [--eshift] [--array norm|dmude|chi] [--kweight W] [--emin=-20 --emax 60 | --xmin E --xmax E] [--combinations N] [--mu EXPR] [--csv TABLE.csv] [--out FILE.json] [--json]',
  options: {
    refs: { type: 'string' },
    'refs-mu': { type: 'string' },
    'sum-to-one': { type: 'boolean' },
    eshift: { type: 'boolean' },
    'max-eshift': { type: 'string' },
    array: { type: 'string' },
    kweight: { type: 'string' },
    emin: { type: 'string' },
    emax: { type: 'string' },
    xmin: { type: 'string' },
    xmax: { type: 'string' },
    combinations: { type: 'string' },
    mu: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  run,
});
