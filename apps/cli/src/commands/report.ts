// `siteproof report DIR [--out OUT] [--config siteproof.json] [--jobs N] [--quiet] [--json]`:
// the evidence package of one experiment — every XAS spectrum, shell-fit model, ToF-SIMS
// spectrum and HAADF image found in DIR, processed with the defaults printed in the report, into
// OUT/report.html (self-contained), OUT/results.json and CSV tables.
import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { defineCommand } from '../command';
import { numberFlag, stringFlag } from '../args';
import { resolveUserPath } from '../io';
import { runReport } from '../report/pipeline';
import { writeReport } from '../report/output';
import { makeProgress } from '../report/progress';

export default defineCommand({
  path: ['report'],
  summary: 'the evidence package of one experiment folder: report.html, results.json and CSV tables',
  usage: 'report DIR [--out OUT (default: DIR-report beside DIR)] [--config FILE (default: DIR/siteproof.json)] [--jobs N (default: all cores for batches over ~30 s)] [--quiet] [--json]',
  options: {
    out: { type: 'string' },
    config: { type: 'string' },
    jobs: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new ValidationError(`expected one folder, got ${ctx.positionals.length}`, { field: 'DIR' }, 'usage: siteproof report DIR [--out OUT]');
    const dir = resolveUserPath(ctx.cwd, ctx.positionals[0]);
    const jobs = numberFlag(ctx, 'jobs');
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new ValidationError(`--jobs must be a positive integer, got ${jobs}`, { field: 'jobs' });
    const outArg = stringFlag(ctx, 'out');
    const outDir = outArg ? resolveUserPath(ctx.cwd, outArg) : path.join(path.dirname(dir), `${path.basename(dir)}-report`);
    const cfg = stringFlag(ctx, 'config');
    const progress = makeProgress(ctx.interactive, ctx.err, process.stderr.columns || 80);
    const data = await runReport({ dir, ...(cfg ? { configFile: resolveUserPath(ctx.cwd, cfg) } : {}), ...(jobs !== undefined ? { jobs } : {}), progress });
    const inputs = data.files.map((f) => path.join(dir, f.file));
    progress.stage('writing report', 1);
    const w = await writeReport(data, outDir, inputs);
    progress.done();
    const html = path.join(outDir, 'report.html');
    const skipped = data.files.filter((f) => f.status === 'skipped');
    if (ctx.values.json) {
      ctx.out(JSON.stringify({ report: html, results: path.join(outDir, 'results.json'), files: w.files, figures: w.figures.map((f) => f.id), tables: w.tables.map((t) => t.file), skipped, timings: data.timings }) + '\n');
      return 0;
    }
    const M = data.xas.members;
    const lines = [`siteproof report: ${path.relative(ctx.cwd, dir) || '.'} (options: ${data.configSource}, ${data.timings.jobs} job${data.timings.jobs === 1 ? '' : 's'}, ${data.timings.total.toFixed(1)} s)`];
    if (M.length) lines.push(`  XAS       ${M.length} spectra (${M.map((m) => `${m.variable.label}: ΔE0 ${m.e0Shift >= 0 ? '+' : ''}${m.e0Shift.toFixed(2)} eV`).join(', ')}), ${data.xas.fits.length} shell fit(s)`);
    if (data.tofsims.spectra.length) {
      const s = data.tofsims.spectra.find((x) => x.role === 'sample') ?? data.tofsims.spectra[0];
      lines.push(`  ToF-SIMS  ${data.tofsims.spectra.length} spectra; ${s.file}: ${s.out.matches.filter((m) => m.accepted).map((m) => m.fragment).join(', ') || 'no fragment accepted'}`);
    }
    for (const im of data.haadf.images) {
      const st = im.out.stats as { nAtoms: number; nPairs: number; nSites: number; pairSiteFraction: number; ci95: { pairSiteFraction: { wilson: [number, number] } } };
      lines.push(`  HAADF     ${im.file}: ${st.nAtoms} atoms, ${st.nPairs}/${st.nSites} sites are pairs (${(100 * st.pairSiteFraction).toFixed(1)} %, 95 % ${st.ci95.pairSiteFraction.wilson.map((x) => (100 * x).toFixed(1)).join('–')} %)`);
    }
    for (const f of skipped) lines.push(`  skipped   ${f.file}: ${f.reason}`);
    lines.push(`wrote ${html}`);
    ctx.out(lines.join('\n') + '\n');
    return 0;
  },
});
