// `siteproof verdict DIR [--config FILE] [--json] [--out FILE]`: "single or dual atom?" — the
// evidence of each technique found in DIR side by side, each with an effect size, a test and its
// caveats, and a summary no stronger than the weakest row (packages/evidence).
import * as path from 'node:path';
import { IoError, ValidationError } from '@siteproof/core';
import { renderVerdictText, resolveVerdictConfig, runVerdict, verdictDocument } from '@siteproof/evidence';
import { defineCommand } from '../command';
import { stringFlag, toJson } from '../args';
import { readInput, resolveUserPath, writeFileAtomic } from '../io';
import { discoverFiles } from '../report/discover';

/** Config: --config FILE, else DIR/siteproof.json's "verdict" section, else DIR/verdict.json, else {}. */
async function loadConfig(dir: string, cwd: string, given: string | undefined): Promise<{ value: unknown; label: string }> {
  const parse = (bytes: Uint8Array, name: string) => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (e) {
      throw new ValidationError(`not valid JSON: ${(e as Error).message}`, { file: name });
    }
  };
  if (given !== undefined) {
    const f = await readInput(cwd, given);
    const j = parse(f.bytes, given) as Record<string, unknown>;
    return { value: j && typeof j === 'object' && 'verdict' in j ? j.verdict : j, label: given };
  }
  for (const [name, section] of [['siteproof.json', true], ['verdict.json', false]] as const) {
    let f;
    try {
      f = await readInput(dir, name);
    } catch (e) {
      if (e instanceof IoError) continue;
      throw e;
    }
    const j = parse(f.bytes, name) as Record<string, unknown>;
    if (section) {
      if (j && typeof j === 'object' && 'verdict' in j) return { value: j.verdict, label: `${name}#verdict` };
      continue;
    }
    return { value: j, label: name };
  }
  return { value: {}, label: 'defaults' };
}

export default defineCommand({
  path: ['verdict'],
  summary: 'single or dual atom? the evidence of every technique in DIR side by side, with tests and caveats',
  usage: 'verdict DIR [--config FILE (default: DIR/siteproof.json "verdict" section, or DIR/verdict.json)] [--out FILE.json] [--json]',
  options: {
    config: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new ValidationError(`expected one folder, got ${ctx.positionals.length}`, { field: 'DIR' }, 'usage: siteproof verdict DIR [--json]');
    const dir = resolveUserPath(ctx.cwd, ctx.positionals[0]);
    const cfg = await loadConfig(dir, ctx.cwd, stringFlag(ctx, 'config'));
    const listing = (await discoverFiles(dir)).map((f) => f.rel);
    const config = resolveVerdictConfig(cfg.value, listing, cfg.label);
    const read = async (name: string) => (await readInput(dir, name)).bytes;
    const v = await runVerdict(config, read);
    const doc = verdictDocument(v);
    const out = stringFlag(ctx, 'out');
    if (out !== undefined) await writeFileAtomic(resolveUserPath(ctx.cwd, out), toJson(doc) + '\n', listing.map((f) => path.join(dir, f)));
    if (ctx.values.json) ctx.out(toJson(doc) + '\n');
    else ctx.out(renderVerdictText(v));
  },
});
