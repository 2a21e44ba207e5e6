// `siteproof xas series FILE… --var NAME=V1,V2,… [--reference-channel EXPR] [--element EL --edge K]`:
// E0, E0 shift, edge step and white line of every spectrum of a series (in situ potential steps,
// temperature, time), ordered by the series variable. With a reference channel, e0Shift is the
// sample's E0 minus its foil's E0 in the same scan; with --element the foil is also calibrated
// to the tabulated edge (the shift is kept as eShift, raw data never rewritten).
import { ValidationError, SiteproofError } from '@siteproof/core';
import { alignSeries, calibrate, loadSpectrum, summarizeSeries, type EdgeName, type SeriesVariable, type Spectrum } from '@siteproof/xas';
import { defineCommand, type CommandContext } from '../../command';
import { stringFlag, toJson } from '../../args';
import { readInput, writeFileAtomic } from '../../io';

/** Load FILE… as spectra; a reference expression that fails in a file becomes a warning for that file. */
export async function loadSeries(ctx: CommandContext, files: string[], mu?: string, reference?: string): Promise<{ spectra: Spectrum[]; warnings: string[]; paths: string[] }> {
  const spectra: Spectrum[] = [];
  const warnings: string[] = [];
  const paths: string[] = [];
  for (const spec of files) {
    // FILE#GROUP picks one group of an Athena project (or scan of a SPEC file).
    const hash = spec.lastIndexOf('#');
    const f = hash > 0 ? spec.slice(0, hash) : spec;
    const group = hash > 0 ? spec.slice(hash + 1) : undefined;
    const input = await readInput(ctx.cwd, f);
    paths.push(input.path);
    const opts = { ...(mu ? { mu } : {}), ...(group ? (/^\d+(\.\d+)?$/.test(group) ? { scan: group } : { group }) : {}) };
    let s: Spectrum;
    if (reference) {
      try {
        s = loadSpectrum(input.bytes, input.name, { ...opts, reference });
      } catch (e) {
        if (!(e instanceof SiteproofError) || e.kind !== 'validation') throw e;
        s = loadSpectrum(input.bytes, input.name, opts);
        warnings.push(`${spec}: reference channel '${reference}' not available (${e.detail})`);
      }
    } else s = loadSpectrum(input.bytes, input.name, opts);
    spectra.push(s);
  }
  return { spectra, warnings, paths };
}

/** --var NAME=V1,V2,… (values in file order) or --var NAME (read from each file's metadata). */
export function parseVar(spec: string | undefined): SeriesVariable | undefined {
  if (spec === undefined) return undefined;
  const eq = spec.indexOf('=');
  if (eq < 0) {
    if (!spec.trim()) throw new ValidationError('--var needs NAME or NAME=V1,V2,…', { field: 'var' });
    return { name: spec.trim(), metadataKey: spec.trim() };
  }
  const name = spec.slice(0, eq).trim();
  const values = spec.slice(eq + 1).split(',').map((v) => v.trim());
  if (!name || values.some((v) => v === '')) throw new ValidationError(`--var '${spec}' must be NAME=V1,V2,… with no empty value`, { field: 'var' });
  return { name, values };
}

export default defineCommand({
  path: ['xas', 'series'],
  summary: 'E0, E0 shift, edge step and white line per spectrum of a series, ordered by a variable',
  usage:
    'xas series FILE… [--var NAME=V1,V2,… | --var METADATA_KEY] [--mu EXPR] [--reference-channel EXPR] [--element EL [--edge K|L3]] [--align] [--out FILE.json] [--json]',
  options: {
    var: { type: 'string' },
    mu: { type: 'string' },
    'reference-channel': { type: 'string' },
    element: { type: 'string' },
    edge: { type: 'string' },
    align: { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new ValidationError('expected one or more FILEs', { field: 'FILE' }, 'usage: siteproof xas series FILE… --var NAME=V1,V2,… --json');
    const ref = stringFlag(ctx, 'reference-channel');
    const element = stringFlag(ctx, 'element');
    const edge = stringFlag(ctx, 'edge') ?? 'K';
    if (edge !== 'K' && edge !== 'L3') throw new ValidationError(`--edge must be K or L3, got '${edge}'`, { field: 'edge' });
    if (element && !ref) throw new ValidationError('--element calibrates the reference channel: give --reference-channel too', { field: 'element' });
    const { spectra: loaded, warnings, paths } = await loadSeries(ctx, ctx.positionals, stringFlag(ctx, 'mu'), ref);
    let spectra = loaded;
    if (element) {
      spectra = loaded.map((s) => {
        if (!s.reference) return s;
        const c = calibrate(s, { element, edge: edge as EdgeName, channel: 'reference' });
        warnings.push(...c.warnings);
        return c.spectrum;
      });
    }
    const summary = summarizeSeries(spectra, { variable: parseVar(stringFlag(ctx, 'var')), useReference: !!ref });
    // --align: the shift (eV, to add to the energy) that best overlays each normalized spectrum on
    // the first one (Larix objective: norm and derivative over E0 − 25 … E0 + 50 eV); −alignShift
    // is the whole-edge shift, less sensitive than E0 to a derivative peak that changes shape.
    const aligned = ctx.values.align ? new Map(alignSeries(spectra).fits.map((f, i) => [spectra[i].file, f])) : undefined;
    const doc = {
      variable: summary.variable ?? null,
      spectra: summary.spectra.map(({ warnings: _w, ...r }) => (aligned ? { ...r, alignShift: aligned.get(r.file)!.eShift, alignShiftStderr: aligned.get(r.file)!.eShiftStderr } : r)),
      warnings: [...warnings, ...summary.warnings, ...(aligned ? [...aligned.values()].flatMap((f) => f.warnings) : [])],
    };
    const json = toJson(doc);
    const out = stringFlag(ctx, 'out');
    if (out) await writeFileAtomic(out, json + '\n', paths);
    if (ctx.values.json) ctx.out(json + '\n');
    else {
      const lines = [`${doc.spectra.length} spectra${doc.variable ? `, ordered by ${doc.variable}` : ''}:`];
      lines.push(`  ${'file'.padEnd(28)} ${(doc.variable ?? 'var').padEnd(10)} ${'E0 (eV)'.padStart(10)} ${'ΔE0'.padStart(8)} ${'step'.padStart(8)} ${'WL E (eV)'.padStart(10)} ${'WL h'.padStart(6)}`);
      for (const r of doc.spectra) {
        lines.push(
          `  ${r.file.padEnd(28)} ${String(r.var ?? '').padEnd(10)} ${r.e0.toFixed(2).padStart(10)} ${r.e0Shift.toFixed(2).padStart(8)} ${r.edgeStep.toPrecision(4).padStart(8)} ${r.whiteLine.energy.toFixed(2).padStart(10)} ${r.whiteLine.height.toFixed(3).padStart(6)}`,
        );
      }
      for (const w of doc.warnings) lines.push(`  warning: ${w}`);
      ctx.out(lines.join('\n') + '\n');
    }
  },
});
