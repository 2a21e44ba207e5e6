// `siteproof tofsims search MZ… --ranges "C0-10 H0-10 N0-6 Fe0-2"`: candidate formulas within a
// tolerance, with an RDBE filter using explicit metal valences; one batch for all masses.
import { ValidationError } from '@siteproof/core';
import { FormulaSearcher, readPeakList } from '@siteproof/tofsims';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { readInput } from '../../io';
import { mzPositionals } from './_shared';

export default defineCommand({
  path: ['tofsims', 'search'],
  summary: 'candidate formulas for observed m/z values (element ranges, ppm tolerance, RDBE with metal valences)',
  usage: 'tofsims search MZ… --ranges "C0-10 H0-10 N0-6 O0-4 Fe0-2 Ni0-2" [--tol-ppm 20] [--charge 1] [--rdbe-min -0.5] [--rdbe-max N] [--peak-list FILE.csv] [--max-results 50] [--json]',
  options: {
    json: { type: 'boolean' },
    ranges: { type: 'string' },
    'tol-ppm': { type: 'string' },
    charge: { type: 'string' },
    'rdbe-min': { type: 'string' },
    'rdbe-max': { type: 'string' },
    'no-rdbe': { type: 'boolean' },
    'peak-list': { type: 'string' },
    'max-results': { type: 'string' },
  },
  async run(ctx) {
    const ranges = stringFlag(ctx, 'ranges');
    if (!ranges) throw new ValidationError('--ranges is required, e.g. --ranges "C0-10 H0-10 N0-6 Ni0-2"', { field: 'ranges' });
    let mzs = mzPositionals(ctx.positionals);
    const listFile = stringFlag(ctx, 'peak-list');
    if (listFile) mzs = mzs.concat(Array.from(readPeakList((await readInput(ctx.cwd, listFile)).bytes, listFile).mz));
    if (mzs.length === 0) throw new ValidationError('give m/z values or --peak-list', { field: 'mz' });
    const noRdbe = ctx.values['no-rdbe'] === true;
    const searcher = new FormulaSearcher({
      ranges,
      tolPpm: numberFlag(ctx, 'tol-ppm') ?? 20,
      charge: numberFlag(ctx, 'charge') ?? 1,
      rdbeMin: noRdbe ? null : (numberFlag(ctx, 'rdbe-min') ?? -0.5),
      rdbeMax: noRdbe ? null : (numberFlag(ctx, 'rdbe-max') ?? null),
      maxResults: numberFlag(ctx, 'max-results') ?? 50,
    });
    const lists = searcher.searchBatch(mzs);
    const doc = mzs.map((mz, i) => ({ mz, candidates: lists[i].map((c) => ({ formula: c.formula, mz: c.mz, ppm: c.ppm, mDa: c.mDa, rdbe: c.rdbe })) }));
    if (ctx.values.json) {
      ctx.out(toJson(doc) + '\n');
      return;
    }
    for (const d of doc) {
      ctx.out(`m/z ${d.mz}: ${d.candidates.length} candidate${d.candidates.length === 1 ? '' : 's'}\n`);
      for (const c of d.candidates) ctx.out(`  ${c.formula.padEnd(16)} ${c.mz.toFixed(5)}  ${c.ppm.toFixed(2)} ppm  RDBE ${c.rdbe}\n`);
    }
  },
});
