// `pnpm examples`: regenerate every example data file the project ships (examples/**). Each
// generator is a pure function returning file contents; this script only writes them (atomically).
// Add new generators to GENERATORS.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../apps/cli/src/io';
import { generateXasExample } from './examples/xasSpectrum';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ExampleFile {
  /** Path relative to the repository root. */
  path: string;
  contents: () => string | Uint8Array;
}

export const GENERATORS: ExampleFile[] = [{ path: 'examples/xas/ni_sac_example.xdi', contents: () => generateXasExample().xdi }];

export async function makeExamples(only?: (p: string) => boolean): Promise<string[]> {
  const written: string[] = [];
  for (const g of GENERATORS) {
    if (only && !only(g.path)) continue;
    const target = path.join(REPO_ROOT, g.path);
    await writeFileAtomic(target, g.contents());
    written.push(g.path);
  }
  return written;
}

const isEntry = process.argv[1] !== undefined && /make-examples\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  makeExamples().then(
    (files) => process.stdout.write(files.map((f) => `wrote ${f}\n`).join('')),
    (e) => {
      process.stderr.write(`make-examples: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
