// `pnpm demo`: the README's first command. Regenerates the example data if missing, normalizes
// the synthetic Ni K-edge spectrum through the same code path as `siteproof xas normalize`
// (JSON under ./out/), then runs the main job — `siteproof report examples/experiment` — and
// prints the path of ./out/report/report.html.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { edgePositions } from '@siteproof/xas';
import { toJson } from '../apps/cli/src/args';
import { readInput, writeFileAtomic } from '../apps/cli/src/io';
import { normalizeInput, normalizeSummary } from '../apps/cli/src/commands/xas/normalize';
import { makeExamples, REPO_ROOT, GENERATORS } from './make-examples';
import { runReport } from '../apps/cli/src/report/pipeline';
import { writeReport } from '../apps/cli/src/report/output';
import { makeProgress } from '../apps/cli/src/report/progress';

const EXAMPLE = 'examples/xas/ni_sac_example.xdi';

async function main(): Promise<void> {
  const examplePath = path.join(REPO_ROOT, EXAMPLE);
  const missing = GENERATORS.filter((g) => !existsSync(path.join(REPO_ROOT, g.path))).map((g) => g.path);
  if (!existsSync(examplePath) || missing.length > 0) {
    const made = await makeExamples((p) => missing.includes(p));
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

  // The main job: the evidence package of one experiment folder.
  const dir = path.join(REPO_ROOT, 'examples/experiment');
  const outDir = path.join(process.cwd(), 'out', 'report');
  process.stdout.write(`\nsiteproof report: in situ Cu K-edge series, shell fits, ToF-SIMS and HAADF of examples/experiment\n`);
  const data = await runReport({ dir, progress: makeProgress(process.stderr.isTTY === true, (t) => void process.stderr.write(t), process.stderr.columns || 80) });
  const w = await writeReport(data, outDir, data.files.map((f) => path.join(dir, f.file)));
  const shifts = data.xas.members.map((m) => `${m.variable.label} ${m.e0Shift >= 0 ? '+' : ''}${m.e0Shift.toFixed(2)} eV`).join(', ');
  process.stdout.write(`  E0 shift vs foil: ${shifts}\n  ${w.figures.length} figures, ${w.tables.length} tables, ${data.timings.total.toFixed(1)} s\n`);
  process.stdout.write(`\nreport: ${path.join(outDir, 'report.html')}\n`);
  process.stdout.write('same as: pnpm siteproof report examples/experiment --out out/report\n');
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
