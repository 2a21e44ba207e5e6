// Test helpers for the CLI: run `main` in-process with stdout/stderr captured.
import { vi } from 'vitest';
import { main } from './main';

/** Capture process.stdout/stderr writes until restore() is called. */
export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((t: any) => (out.push(String(t)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((t: any) => (err.push(String(t)), true));
  return { out, err, restore: () => (so.mockRestore(), se.mockRestore()) };
}

/** Run `siteproof ARGV…` in-process; returns the exit code and what it printed. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  try {
    const code = await main(argv);
    return { code, out: c.out.join(''), err: c.err.join('') };
  } finally {
    c.restore();
  }
}
