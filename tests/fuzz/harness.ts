// Runs one fuzz target: `runs` inputs (mutated seeds, plus generated garbage for a fifth of
// them); each call must return or throw a typed SiteproofError that says where (file or field).
// Anything else (TypeError, RangeError, stack overflow, an untyped Error) is a crash; fast-check
// shrinks it to a minimal reproducer.
import fc from 'fast-check';
import { isSiteproofError, type ErrorKind } from '@siteproof/core';
import { garbageArb, mutate, mutationsArb } from './mutate';
import type { FuzzTarget } from './targets';

export interface FuzzStats {
  target: string;
  owner: string;
  cases: number;
  ok: number;
  errors: Partial<Record<ErrorKind, number>>;
  crash?: { error: string; input: string; seed: number; path?: string };
}

export const DEFAULT_SEED = 20261122;

function preview(b: Uint8Array): string {
  const t = Array.from(b.subarray(0, 300), (c) => (c >= 32 && c < 127 ? String.fromCharCode(c) : c === 10 ? '\\n' : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
  return `${b.length} bytes: ${t}${b.length > 300 ? '…' : ''}`;
}

export async function fuzzTarget(t: FuzzTarget, runs: number, seed = DEFAULT_SEED): Promise<FuzzStats> {
  const seeds = t.seeds();
  const stats: FuzzStats = { target: t.name, owner: t.owner, cases: 0, ok: 0, errors: {} };
  if (seeds.length === 0) return stats;
  const inputArb = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.nat({ max: seeds.length - 1 }), mutationsArb).map(([i, m]) => mutate(seeds[i], m)) },
    { weight: 1, arbitrary: garbageArb(t.vocabulary.length ? t.vocabulary : ['0']) },
  );
  const check = async (b: Uint8Array): Promise<void> => {
    stats.cases++;
    try {
      await t.run(b);
      stats.ok++;
    } catch (e) {
      if (!isSiteproofError(e)) throw e;
      const loc = e.location;
      if (loc.file === undefined && loc.field === undefined) throw new Error(`typed ${e.name} without file or field: ${e.message}`);
      stats.errors[e.kind] = (stats.errors[e.kind] ?? 0) + 1;
    }
  };
  const res = await fc.check(fc.asyncProperty(inputArb, check), { numRuns: runs, seed, endOnFailure: false });
  if (res.failed) {
    const err = res.errorInstance as Error | undefined;
    const input = res.counterexample?.[0] as Uint8Array | undefined;
    stats.crash = {
      error: err ? `${err.name}: ${err.message}`.slice(0, 400) : String(res.errorInstance),
      input: input ? preview(input) : '?',
      seed,
      path: res.counterexamplePath ?? undefined,
    };
  }
  return stats;
}
