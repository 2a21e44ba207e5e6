import type { ParseArgsConfig } from 'node:util';

/** What a sub-command receives: parsed flags, positionals, and where to write. */
export interface CommandContext {
  /** Positional arguments after the command words (e.g. file names). */
  positionals: string[];
  /** Parsed option values (strings/booleans/arrays as declared in `options`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Directory the user ran the command in; resolve file arguments against it. */
  cwd: string;
  /** Write to stdout (with --json, only the JSON document goes here). */
  out: (text: string) => void;
  /** Write diagnostics to stderr. */
  err: (text: string) => void;
  /** True when stderr is a terminal and --quiet was not given: progress may be shown. */
  interactive: boolean;
}

export interface CommandSpec {
  /** Command words after `siteproof`, e.g. ['xas', 'normalize']. */
  path: string[];
  summary: string;
  /** Usage line(s) shown by --help, without the leading `siteproof`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code (0 when omitted). */
  run: (ctx: CommandContext) => Promise<number | void> | number | void;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
