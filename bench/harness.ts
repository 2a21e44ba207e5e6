// Benchmark harness for `pnpm bench`: benchmarks are not tests, they print throughput and
// its ratio to the reference programs' timings in ../shared (Larch, scikit-image, mf-finder),
// and write bench/results.json. Each bench/*.bench.ts exports `benchmarks: Benchmark[]`.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = process.env.SITEPROOF_SHARED ?? path.resolve(REPO_ROOT, '../shared');

export interface Anchor {
  /** What the reference figure is, e.g. "Larch 2026.3.1 pre_edge, cu_metal_rt.xdi (median of 30)". */
  name: string;
  /** The reference throughput in the benchmark's unit (items per second). */
  value: number;
}

export interface Benchmark<C = unknown> {
  /** Stable id used in results.json, e.g. 'xas-normalize'. */
  name: string;
  /** Throughput unit, e.g. 'spectra/s', 'peaks/s', 'images/s'. */
  unit: string;
  /** Prepare inputs (not timed). Return a reason string in `skip` to skip. */
  setup?: () => C | Promise<C>;
  /** Run once over the prepared inputs; return the number of items processed (timed). */
  run: (ctx: C) => number | Promise<number>;
  /** Reference figure; undefined when ../shared is absent or no anchor exists. */
  anchor?: () => Anchor | undefined;
  /** Return a reason to skip (e.g. ../shared absent), or undefined to run. */
  skip?: () => string | undefined;
  /** Minimum total timed duration (default 1500 ms) and minimum iterations (default 3). */
  minTimeMs?: number;
  minIterations?: number;
  /** Extra figures to print (e.g. scaling of a batch mode). */
  notes?: (ctx: C) => string[] | Promise<string[]>;
}

export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  anchor: string | null;
  anchorValue: number | null;
  /** value / anchorValue: > 1 means siteproof is faster. */
  ratio: number | null;
  iterations: number;
  seconds: number;
}

export function hasShared(): boolean {
  return existsSync(path.join(SHARED_DIR, 'README.md'));
}

export function sharedPath(rel: string): string {
  return path.join(SHARED_DIR, rel);
}

export function loadSharedJson<T = any>(rel: string): T | undefined {
  const p = sharedPath(rel);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

/** Larch per-call timings (timings_larch_head.json): median ms of `call` on `file`. */
export function larchMedianMs(file: string, call: string): number | undefined {
  const t = loadSharedJson<any>('reference/xas/timings_larch_head.json');
  const v = t?.files?.[file]?.[call]?.median_ms;
  return typeof v === 'number' ? v : undefined;
}

/** Turn a per-item time in ms into a throughput anchor (items/s). */
export function anchorFromMs(name: string, ms: number | undefined): Anchor | undefined {
  if (ms === undefined || !(ms > 0)) return undefined;
  return { name, value: 1000 / ms };
}

/** Deterministic PRNG for perturbing inputs reproducibly (mulberry32 from @siteproof/core). */
export { mulberry32 as rng } from '@siteproof/core';

export async function runBenchmark<C>(b: Benchmark<C>): Promise<{ result?: BenchResult; skipped?: string; notes: string[] }> {
  const reason = b.skip?.();
  if (reason) return { skipped: reason, notes: [] };
  const ctx = (await b.setup?.()) as C;
  // Warm-up (JIT) is not timed.
  await b.run(ctx);
  const minTime = b.minTimeMs ?? 1500;
  // At least 5 timed passes: the figure is their MEDIAN throughput (the reference programs' timings
  // are medians too), which a burst of contention on this shared machine does not drag down the way
  // a total-time mean is; the spread is reported beside it.
  const minIt = Math.max(5, b.minIterations ?? 5);
  const rates: number[] = [];
  const t0 = performance.now();
  let elapsed = 0;
  while (rates.length < minIt || elapsed < minTime) {
    const t = performance.now();
    const n = await b.run(ctx);
    const dt = (performance.now() - t) / 1000;
    rates.push(n / Math.max(dt, 1e-9));
    elapsed = performance.now() - t0;
  }
  const iterations = rates.length;
  const seconds = elapsed / 1000;
  const sorted = rates.slice().sort((a, c) => a - c);
  const mid = iterations >> 1;
  const value = iterations % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  const anchor = b.anchor?.();
  const result: BenchResult = {
    name: b.name,
    unit: b.unit,
    value,
    anchor: anchor?.name ?? null,
    anchorValue: anchor?.value ?? null,
    ratio: anchor ? value / anchor.value : null,
    iterations,
    seconds,
  };
  const notes = [`median of ${iterations} passes; slowest ${fmt(sorted[0])}, fastest ${fmt(sorted[iterations - 1])} ${b.unit}`, ...((await b.notes?.(ctx)) ?? [])];
  return { result, notes };
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toPrecision(3);
}
