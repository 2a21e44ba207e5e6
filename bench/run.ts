// `pnpm bench [filter…]`: run every bench/*.bench.ts (or those whose benchmark names
// contain a filter word), print a table, and write bench/results.json atomically.
//
// Each benchmark runs in a process of its own (this script re-run with --child): a user runs one
// tool at a time, and in one shared process the JIT state left by earlier benchmarks (shared helpers
// seen with Float32Array images and Float64Array spectra become polymorphic, a 128 MB WebAssembly
// heap stays) cost the later ones up to 2× (measured: the EXAFS pipeline 21× Larch after the image
// benchmarks, 42× alone, per CPU-second).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT, fmt, runBenchmark, type Benchmark, type BenchResult } from './harness';

type Outcome = { result?: BenchResult; skipped?: string; notes: string[] };
const MARK = '@@siteproof-bench@@';

/** Child mode: run one benchmark and print its outcome as one marked JSON line. */
async function child(file: string, name: string): Promise<void> {
  const mod = (await import(pathToFileURL(file).href)) as { benchmarks?: Benchmark<any>[] };
  const b = (mod.benchmarks ?? []).find((x) => x.name === name);
  if (!b) throw new Error(`benchmark ${name} not found in ${file}`);
  const out: Outcome = await runBenchmark(b);
  process.stdout.write(`\n${MARK}${JSON.stringify(out)}\n`);
  // Worker pools or timers a benchmark left behind must not keep the child alive.
  process.exit(0);
}

function runIsolated(file: string, name: string): Outcome {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', file, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
  if (r.status !== 0 || !line) throw new Error(`exit ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}`);
  return JSON.parse(line.slice(MARK.length)) as Outcome;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1], argv[2]);
  const filters = argv.filter((a) => !a.startsWith('-'));
  const dir = path.join(REPO_ROOT, 'bench');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const results: BenchResult[] = [];
  const rows: string[][] = [['benchmark', 'throughput', 'unit', 'reference', 'ratio']];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { benchmarks?: Benchmark<any>[] };
    for (const b of mod.benchmarks ?? []) {
      if (filters.length && !filters.some((w) => b.name.includes(w))) continue;
      process.stderr.write(`running ${b.name} …\n`);
      try {
        const { result, skipped, notes } = runIsolated(path.join(dir, f), b.name);
        if (skipped || !result) {
          rows.push([b.name, 'skipped', '', skipped ?? '', '']);
          continue;
        }
        results.push(result);
        rows.push([
          b.name,
          fmt(result.value),
          result.unit,
          result.anchor ? `${result.anchor} = ${fmt(result.anchorValue!)}` : '—',
          result.ratio === null ? '—' : `${result.ratio.toFixed(2)}×`,
        ]);
        for (const n of notes) rows.push([`  · ${n}`]);
      } catch (e) {
        rows.push([b.name, 'FAILED', '', String((e as Error).message ?? e), '']);
        process.exitCode = 1;
      }
    }
  }
  // Note rows (one cell) are printed as they are and do not widen the table's columns.
  const tableRows = rows.filter((r) => r.length > 1);
  const widths = rows[0].map((_, c) => Math.max(...tableRows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) {
    const line = r.length === 1 ? r[0] : r.map((cell, c) => (cell ?? '').padEnd(widths[c])).join('  ');
    process.stdout.write(line.trimEnd() + '\n');
  }
  process.stdout.write('\nratio > 1 means siteproof is faster than the reference figure.\n');
  const out = path.join(dir, 'results.json');
  const tmp = `${out}.${process.pid}.tmp`;
  const fresh = results.map(({ name, unit, value, anchor, anchorValue, ratio }) => ({ name, unit, value, anchor, anchorValue, ratio }));
  // A filtered run (`pnpm bench xas`) updates its own entries and keeps the others.
  let merged = fresh;
  if (filters.length && existsSync(out)) {
    try {
      const old = JSON.parse(readFileSync(out, 'utf8')) as typeof fresh;
      const names = new Set(fresh.map((r) => r.name));
      merged = [...old.filter((r) => !names.has(r.name)), ...fresh];
    } catch {
      merged = fresh;
    }
  }
  writeFileSync(tmp, JSON.stringify(merged, null, 2) + '\n');
  renameSync(tmp, out);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
