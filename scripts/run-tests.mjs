// The README's test command: type-check everything, run vitest, and end with one plain
// line "N passed, N failed, N skipped" that CI reads. Exit code is vitest's (or tsc's).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = (n) => path.join(process.cwd(), 'node_modules', '.bin', n);
const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  process.stdout.write('typecheck failed\n0 passed, 1 failed\n');
  process.exit(tsc.status ?? 1);
}
const outFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'siteproof-vitest-')), 'results.json');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...process.argv.slice(2)];
const r = spawnSync(bin('vitest'), args, { stdio: 'inherit' });
if (existsSync(outFile)) {
  const j = JSON.parse(readFileSync(outFile, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  process.stdout.write(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped\n`);
} else {
  process.stdout.write('\n0 passed, 1 failed\n');
}
process.exit(r.status ?? 1);
