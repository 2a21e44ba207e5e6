import { defineCommand } from '../command';
import { VERSION } from '../version';

export default defineCommand({
  path: ['version'],
  summary: 'print the siteproof version (with --json, also the Node version)',
  usage: 'version [--json]',
  options: { json: { type: 'boolean' } },
  run(ctx) {
    if (ctx.values.json) ctx.out(JSON.stringify({ version: VERSION, node: process.version }) + '\n');
    else ctx.out(`siteproof ${VERSION}\n`);
  },
});
