#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isSiteproofError } from '@siteproof/core';
import { loadCommands } from './registry';
import type { CommandSpec } from './command';
import { VERSION } from './version';

function helpText(specs: CommandSpec[]): string {
  const lines = [
    `siteproof ${VERSION} — evidence about catalyst active sites from XAS, ToF-SIMS and HAADF-STEM data`,
    '',
    'Usage: siteproof <command> [options]   (siteproof <command> --help for details)',
    '',
    'Commands:',
  ];
  const width = Math.max(...specs.map((s) => s.path.join(' ').length), 10);
  for (const s of specs) lines.push(`  ${s.path.join(' ').padEnd(width)}  ${s.summary}`);
  return lines.join('\n') + '\n';
}

function commandHelp(spec: CommandSpec): string {
  const lines = [`siteproof ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const [name, o] of Object.entries(spec.options)) {
    lines.push(`  --${name}${o.type === 'string' ? ' <value>' : ''}${o.short ? `, -${o.short}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * node's parseArgs reads `--pre1 -150` as a missing value followed by a flag; scientists type
 * negative energies and potentials that way, so join a numeric value to its string option.
 */
export function joinNegativeValues(args: string[], spec: CommandSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (name && spec.options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const out = (t: string) => void process.stdout.write(t);
  const err = (t: string) => void process.stderr.write(t);
  const specs = await loadCommands();
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(helpText(specs));
    return argv.length === 0 ? 1 : 0;
  }
  if (argv[0] === '--version') {
    out(`${VERSION}\n`);
    return 0;
  }
  // Longest command path that matches the leading words.
  let spec: CommandSpec | undefined;
  for (const s of specs) {
    if (s.path.every((w, i) => argv[i] === w) && (!spec || s.path.length > spec.path.length)) spec = s;
  }
  if (!spec) {
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
    err(`siteproof: unknown command '${words}'. Run 'siteproof --help' for the list.\n`);
    return 2;
  }
  const rest = argv.slice(spec.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(spec));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(rest, spec),
      options: { ...spec.options, quiet: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    err(`siteproof ${spec.path.join(' ')}: ${(e as Error).message}\n`);
    return 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const quiet = parsed.values.quiet === true;
  try {
    const code = await spec.run({
      positionals: parsed.positionals,
      values: parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>,
      cwd,
      out,
      err,
      interactive: !quiet && process.stderr.isTTY === true,
    });
    return code ?? 0;
  } catch (e) {
    if (isSiteproofError(e)) {
      err(`siteproof: error: ${e.message}\n`);
      return 1;
    }
    err(`siteproof: internal error (please report): ${(e as Error)?.stack ?? String(e)}\n`);
    return 3;
  }
}

const isEntry = process.argv[1] !== undefined && /main\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`siteproof: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
