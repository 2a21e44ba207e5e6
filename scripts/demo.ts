// `pnpm demo`: the README's first command. Regenerates the example data if missing, then
// normalizes the synthetic Ni K-edge spectrum through the same code path as
// `siteproof xas normalize` and writes the result as JSON under ./out/.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { edgePositions } from '@siteproof/xas';
import { toJson } from '../apps/cli/src/args';
import { readInput, writeFileAtomic } from '../apps/cli/src/io';
import { normalizeInput, normalizeSummary } from '../apps/cli/src/commands/xas/normalize';
import { makeExamples, REPO_ROOT } from './make-examples';

const EXAMPLE = 'examples/xas/ni_sac_example.xdi';

async function main(): Promise<void> {
  const examplePath = path.join(REPO_ROOT, EXAMPLE);
  if (!existsSync(examplePath)) {
    const made = await makeExamples();
    process.stdout.write(`generated ${made.join(', ')}\n`);
  }
  const input = await readInput(REPO_ROOT, EXAMPLE);
  const { output, result, spectrum } = normalizeInput(input, 'ln(i0/itrans)', {});
  process.stdout.write('siteproof demo: XAS normalization (Larch-compatible pre_edge) of a synthetic Ni single-atom-catalyst scan\n\n');
  process.stdout.write(normalizeSummary(output, spectrum.warnings));
  const p = edgePositions(result);
  process.stdout.write(
    `  E0 by other definitions: half step ${p.halfStep.toFixed(2)} eV, 2nd-derivative zero ${p.secondDerivativeZero.toFixed(2)} eV, arctan fit ${p.arctan.toFixed(2)}${p.arctanStderr === null ? '' : ` ± ${p.arctanStderr.toFixed(2)}`} eV\n`,
  );
  const trueE0 = Number(spectrum.metadata['Siteproof.true_e0'] ?? NaN);
  if (Number.isFinite(trueE0)) process.stdout.write(`  (E0 built into the synthetic data: ${trueE0.toFixed(2)} eV)\n`);
  const outFile = path.join(process.cwd(), 'out', 'ni_sac_example.normalized.json');
  await writeFileAtomic(outFile, toJson({ ...output, edgePositions: p }) + '\n', [input.path]);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), outFile) || outFile}\n`);
  process.stdout.write(`same as: pnpm siteproof xas normalize ${EXAMPLE} --mu "ln(i0/itrans)" --json\n`);
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
