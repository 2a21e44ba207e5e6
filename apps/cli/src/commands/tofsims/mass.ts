// `siteproof tofsims mass FORMULA…`: exact monoisotopic mass, m/z (electron mass accounted for)
// and isotope pattern of each ion formula.
import { ValidationError } from '@siteproof/core';
import { exactMass, formatFormula, isotopePattern, parseFormula } from '@siteproof/tofsims';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';

export default defineCommand({
  path: ['tofsims', 'mass'],
  summary: 'exact m/z and isotope pattern of ion formulas (NiN2C2+, [60Ni]N2C2+, C32H16CoN8+)',
  usage: 'tofsims mass FORMULA… [--threshold 0.001] [--mode fine|nominal] [--json]',
  options: { json: { type: 'boolean' }, threshold: { type: 'string' }, mode: { type: 'string' } },
  run(ctx) {
    if (ctx.positionals.length === 0) throw new ValidationError('give at least one formula, e.g. NiN2C2+', { field: 'formula' });
    const threshold = numberFlag(ctx, 'threshold') ?? 1e-3;
    const mode = stringFlag(ctx, 'mode') ?? 'fine';
    if (mode !== 'fine' && mode !== 'nominal') throw new ValidationError(`--mode must be fine or nominal, got '${mode}'`, { field: 'mode' });
    const out = ctx.positionals.map((formula) => {
      const f = parseFormula(formula);
      const m = exactMass(f);
      const pattern = isotopePattern(f, { threshold, mode }).map((p) => ({ mz: p.mz, abundance: p.abundance }));
      return { formula, hill: formatFormula(f), mz: m.mz, monoisotopicMass: m.monoisotopicMass, charge: m.charge, pattern };
    });
    if (ctx.values.json) {
      ctx.out(toJson(out) + '\n');
      return;
    }
    for (const o of out) {
      ctx.out(`${o.formula} (${o.hill}): m/z ${o.mz.toFixed(6)}  (neutral ${o.monoisotopicMass.toFixed(6)} u, charge ${o.charge})\n`);
      for (const p of o.pattern.filter((q) => q.abundance >= 0.01)) ctx.out(`  ${p.mz.toFixed(5)}  ${(p.abundance * 100).toFixed(2)} %\n`);
    }
  },
});
