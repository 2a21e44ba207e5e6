// `siteproof xas edges FILE…`: E0 of each spectrum by several definitions and the shift of each
// relative to the first file or to --reference (e.g. the same sample's foil or a standard).
// With --tabulated E (the reference foil's tabulated edge energy, eV) all energies are calibrated
// by the shift that puts the reference's E0 (max derivative) on E; E may also be an element and
// edge ("Ni", "Pt:L3"), looked up in the project's edge table. The last column aligns dμ/dE
// to the reference by least squares (robust when the derivative maximum jumps between features).
import { E0_DEFINITIONS, edgeEnergy, edgeShifts, findE0, fitOxidationLine, foilCalibrationShift, predictValence, type E0Definition, type EdgeName, type LoadSpectrumOptions, type SpectrumInput } from '@siteproof/xas';
import { ValidationError } from '@siteproof/core';
import { defineCommand } from '../../command';
import { listFlag, stringFlag, toJson } from '../../args';
import { readInput } from '../../io';
import { PRE_EDGE_FLAG_OPTIONS, READ_FLAG_OPTIONS, preEdgeFlags, readFlags, spectrumFromInput } from './normalize';

async function load(cwd: string, file: string, read: LoadSpectrumOptions): Promise<SpectrumInput> {
  const s = spectrumFromInput(await readInput(cwd, file), read);
  return { name: file, energy: s.energy, mu: s.mu, eShift: s.eShift };
}

export default defineCommand({
  path: ['xas', 'edges'],
  summary: 'E0 by four definitions (max derivative, half step, 2nd-derivative zero, arctan fit) and edge shifts of a series',
  usage: 'xas edges FILE… [--mu EXPR] [--energy-policy strict|larch] [--reference FILE] [--tabulated E] [--valence FILE=V,…] [--definition D] [--pre1=…] [--json]',
  options: {
    ...READ_FLAG_OPTIONS,
    reference: { type: 'string' },
    tabulated: { type: 'string' },
    /** Known valences of reference compounds among the files: "feo.xdi=2,fe2o3.xdi=3". */
    valence: { type: 'string' },
    /** E0 definition used for the oxidation-state line (default halfStep). */
    definition: { type: 'string' },
    ...PRE_EDGE_FLAG_OPTIONS,
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new ValidationError('no FILE given', { field: 'FILE' }, 'usage: siteproof xas edges FILE… [--reference FILE] --json');
    const mu = readFlags(ctx);
    const pre = preEdgeFlags(ctx);
    const series: SpectrumInput[] = [];
    for (const f of ctx.positionals) series.push(await load(ctx.cwd, f, mu));
    const refFile = stringFlag(ctx, 'reference');
    const reference = refFile ? await load(ctx.cwd, refFile, mu) : undefined;
    const tabulated = tabulatedEnergy(stringFlag(ctx, 'tabulated'));
    let calibration: { tabulated: number; measured: number; eShift: number } | undefined;
    if (tabulated !== undefined) {
      const ref = reference ?? series[0];
      const measured = findE0(ref.energy, ref.mu);
      const eShift = foilCalibrationShift(measured, tabulated);
      calibration = { tabulated, measured, eShift };
      for (const s of [...series, ...(reference ? [reference] : [])]) s.eShift = (s.eShift ?? 0) + eShift;
    }
    const { reference: refName, rows } = edgeShifts(series, { reference, preEdge: pre });
    const oxidation = oxidationState(rows, listFlag(ctx, 'valence'), stringFlag(ctx, 'definition'));
    if (ctx.values.json) {
      ctx.out(
        toJson({
          reference: refName,
          definitions: E0_DEFINITIONS,
          calibration: calibration ?? null,
          oxidationState: oxidation ?? null,
          rows: rows.map((r) => ({ file: r.name, edgeStep: r.edgeStep, e0: r.e0, shift: r.shift, alignShift: r.alignShift, alignStderr: r.alignStderr })),
        }) + '\n',
      );
      return;
    }
    const sign = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(2);
    const head = ['file', 'E0 maxDeriv', 'halfStep', '2nd-deriv 0', 'arctan', 'shift maxDeriv', 'halfStep', '2nd-deriv 0', 'arctan', 'dμ/dE align'];
    const table = [
      head,
      ...rows.map((r) => [r.name, ...E0_DEFINITIONS.map((d) => r.e0[d].toFixed(2)), ...E0_DEFINITIONS.map((d) => sign(r.shift[d])), `${sign(r.alignShift)} ± ${r.alignStderr.toFixed(2)}`]),
    ];
    const w = head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
    const lines = table.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  '));
    ctx.out(`E0 (eV) and shifts relative to ${refName}${calibration ? ` (energies calibrated by ${calibration.eShift.toFixed(2)} eV so that the reference E0 = ${calibration.tabulated} eV)` : ''}\n${lines.join('\n')}\n`);
    if (oxidation) {
      const l = oxidation.line;
      ctx.out(`\noxidation-state line (E0 ${oxidation.definition}): E0 = ${l.intercept.toFixed(2)} + ${l.slope.toFixed(3)}·valence eV (n = ${l.n}, residual s = ${Number.isFinite(l.residualStd) ? l.residualStd.toFixed(3) : 'n/a'} eV)\n`);
      for (const p of oxidation.predictions) ctx.out(`  ${p.file}: valence ${p.valence.toFixed(2)} ± ${p.uncertainty.toFixed(2)}\n`);
    }
  },
});

/** Fit E0 vs known valence over the files given in --valence and predict the others. */
function oxidationState(rows: { name: string; e0: Record<E0Definition, number> }[], pairs: string[] | undefined, def: string | undefined) {
  if (!pairs) return undefined;
  const definition = (def ?? 'halfStep') as E0Definition;
  if (!E0_DEFINITIONS.includes(definition)) {
    throw new ValidationError(`--definition must be one of ${E0_DEFINITIONS.join(', ')}, got '${def}'`, { field: 'definition' });
  }
  const known = new Map<string, number>();
  for (const p of pairs) {
    const eq = p.lastIndexOf('=');
    const v = Number(p.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(v)) throw new ValidationError(`--valence items are FILE=NUMBER, got '${p}'`, { field: 'valence' });
    const file = p.slice(0, eq);
    if (!rows.some((r) => r.name === file)) throw new ValidationError(`--valence names '${file}', which is not among the FILE arguments`, { field: 'valence' });
    known.set(file, v);
  }
  const refs = rows.filter((r) => known.has(r.name)).map((r) => ({ name: r.name, valence: known.get(r.name)!, e0: r.e0[definition] }));
  const line = fitOxidationLine(refs);
  const predictions = rows
    .filter((r) => !known.has(r.name))
    .map((r) => {
      const p = Number.isFinite(line.residualStd) ? predictValence(line, r.e0[definition]) : { valence: (r.e0[definition] - line.intercept) / line.slope, uncertainty: NaN };
      return { file: r.name, e0: r.e0[definition], ...p };
    });
  return { definition, references: refs, line, predictions };
}

/** --tabulated: a number in eV, or an element with an optional edge ("Ni", "Ni:K", "Pt:L3"). */
function tabulatedEnergy(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() !== '' && Number.isFinite(x)) return x;
  const m = /^([A-Za-z]{1,2})(?::(K|L3))?$/.exec(v.trim());
  if (!m) throw new ValidationError(`--tabulated needs an energy in eV or an element[:edge] such as Ni or Pt:L3, got '${v}'`, { field: 'tabulated' });
  return edgeEnergy(m[1], (m[2] ?? 'K') as EdgeName);
}
