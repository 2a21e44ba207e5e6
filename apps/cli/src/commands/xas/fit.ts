// `siteproof xas fit MODEL.json`: EXAFS shell fit of FEFF paths (Larch's feffit) described by a
// model file; data and path files are resolved relative to the model file. Prints Larch's style
// of report, or with --json the summary { params, chiSquare, redChi, rFactor, nIndependent, … }.
import * as path from 'node:path';
import { ParseError, ValidationError } from '@siteproof/core';
import { feffitReport, fitModelFiles, fitSummary, fitModelInputs, feffit, parseFitModel } from '@siteproof/xas';
import { defineCommand } from '../../command';
import { stringFlag, toJson } from '../../args';
import { readInput, writeFileAtomic } from '../../io';

export default defineCommand({
  path: ['xas', 'fit'],
  summary: 'fit FEFF paths to EXAFS data (Larch feffit) from a JSON model file',
  usage: 'xas fit MODEL.json [--json] [--out RESULT.json]',
  options: { json: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx) {
    const [modelFile, ...extra] = ctx.positionals;
    if (!modelFile) throw new ValidationError('no MODEL.json given', { field: 'MODEL' }, 'usage: siteproof xas fit MODEL.json [--json]');
    if (extra.length) throw new ValidationError(`unexpected arguments: ${extra.join(' ')}`, { field: 'MODEL' });
    const input = await readInput(ctx.cwd, modelFile);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(input.bytes));
    } catch (e) {
      throw new ParseError(`not valid JSON: ${(e as Error).message}`, { file: modelFile });
    }
    const parsed = parseFitModel(json);
    const baseDir = path.dirname(input.path);
    const files = new Map<string, Uint8Array>();
    for (const f of fitModelFiles(parsed)) {
      // relative to the model file; the message names the path as the user wrote it in the model
      const abs = path.resolve(baseDir, f);
      const got = await readInput(baseDir, abs);
      files.set(f, got.bytes);
    }
    const inputs = fitModelInputs(parsed, files);
    const res = feffit(parsed.model.params, inputs, { fixUnusedVariables: parsed.model.fixUnusedVariables, minCorrelation: parsed.model.minCorrelation });
    const out = stringFlag(ctx, 'out');
    if (out) {
      const full = { ...fitSummary(res), report: feffitReport(res, parsed.model.minCorrelation), arrays: res.datasets.map((d) => ({ k: d.k, chiData: d.chiData, chiModel: d.chiModel, kwin: d.kwin, paths: d.paths.map((p) => ({ label: p.label, chi: p.chi })) })) };
      await writeFileAtomic(path.resolve(ctx.cwd, out), toJson(full) + '\n', [input.path, ...[...files.keys()].map((f) => path.resolve(baseDir, f))]);
    }
    if (ctx.values.json) ctx.out(toJson(fitSummary(res)) + '\n');
    else {
      ctx.out(feffitReport(res, parsed.model.minCorrelation) + '\n');
      for (const w of res.warnings) ctx.err(`warning: ${w}\n`);
    }
  },
});
