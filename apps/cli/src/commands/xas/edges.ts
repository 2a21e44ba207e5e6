// `siteproof xas edges FILE…`: E0 of each spectrum by several definitions and the shift of each
// relative to the first file or to --reference (e.g. the same sample's foil or a standard).
// With --tabulated E (the reference foil's tabulated edge energy, eV) all energies are calibrated
// by the shift that puts the reference's E0 (max derivative) on E. The last column aligns dμ/dE
// to the reference by least squares (robust when the derivative maximum jumps between features).
import { E0_DEFINITIONS, edgeShifts, findE0, foilCalibrationShift, type SpectrumInput } from '@siteproof/xas';
import { ValidationError } from '@siteproof/core';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { readInput } from '../../io';
import { preEdgeFlags, spectrumFromInput } from './normalize';

async function load(cwd: string, file: string, mu: string | undefined): Promise<SpectrumInput> {
  const s = spectrumFromInput(await readInput(cwd, file), mu);
  return { name: file, energy: s.energy, mu: s.mu, eShift: s.eShift };
}

export default defineCommand({
  path: ['xas', 'edges'],
  summary: 'E0 by four definitions (max derivative, half step, 2nd-derivative zero, arctan fit) and edge shifts of a series',
  usage: 'xas edges FILE… [--mu EXPR] [--reference FILE] [--tabulated E] [--pre1 …] [--json]',
  options: {
    mu: { type: 'string' },
    reference: { type: 'string' },
    tabulated: { type: 'string' },
    pre1: { type: 'string' },
    pre2: { type: 'string' },
    norm1: { type: 'string' },
    norm2: { type: 'string' },
    nnorm: { type: 'string' },
    nvict: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new ValidationError('no FILE given', { field: 'FILE' }, 'usage: siteproof xas edges FILE… [--reference FILE] --json');
    const mu = stringFlag(ctx, 'mu');
    const pre = preEdgeFlags(ctx);
    if (pre.e0 !== undefined) throw new ValidationError('--e0 is not accepted here: each spectrum gets its own E0', { field: 'e0' });
    const series: SpectrumInput[] = [];
    for (const f of ctx.positionals) series.push(await load(ctx.cwd, f, mu));
    const refFile = stringFlag(ctx, 'reference');
    const reference = refFile ? await load(ctx.cwd, refFile, mu) : undefined;
    const tabulated = numberFlag(ctx, 'tabulated');
    let calibration: { tabulated: number; measured: number; eShift: number } | undefined;
    if (tabulated !== undefined) {
      const ref = reference ?? series[0];
      const measured = findE0(ref.energy, ref.mu);
      const eShift = foilCalibrationShift(measured, tabulated);
      calibration = { tabulated, measured, eShift };
      for (const s of [...series, ...(reference ? [reference] : [])]) s.eShift = (s.eShift ?? 0) + eShift;
    }
    const { reference: refName, rows } = edgeShifts(series, { reference, preEdge: pre });
    if (ctx.values.json) {
      ctx.out(
        toJson({
          reference: refName,
          definitions: E0_DEFINITIONS,
          calibration: calibration ?? null,
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
  },
});
