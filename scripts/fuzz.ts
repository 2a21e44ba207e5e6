// `pnpm fuzz`: every reader/parser target of tests/fuzz/targets.ts with FUZZ_RUNS cases
// (default 10,000) each; FUZZ_SEED picks the seed, FUZZ_ONLY a substring of target names.
// Prints per-reader counts (ok / typed errors by kind / crashes) and exits 1 on any crash.
import { fuzzTarget, DEFAULT_SEED, type FuzzStats } from '../tests/fuzz/harness';
import { targets } from '../tests/fuzz/targets';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const only = process.env.FUZZ_ONLY;
const all: FuzzStats[] = [];
for (const t of targets) {
  if (only && !t.name.toLowerCase().includes(only.toLowerCase())) continue;
  const n = Math.max(10, Math.round(runs * (t.weight ?? 1)));
  const t0 = performance.now();
  const s = await fuzzTarget(t, n, seed);
  all.push(s);
  const errs = Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`${s.crash ? 'CRASH' : 'ok   '} ${t.name.padEnd(40)} ${String(s.cases).padStart(6)} cases  ${String(s.ok).padStart(6)} read  [${errs}]  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (s.crash) console.log(`      ${s.crash.error}\n      input ${s.crash.input}\n      replay: FUZZ_SEED=${s.crash.seed} path ${s.crash.path}`);
}
const crashed = all.filter((s) => s.crash);
console.log(`\n${all.length} targets, ${all.reduce((n, s) => n + s.cases, 0)} cases, ${crashed.length} crashed`);
process.exit(crashed.length ? 1 : 0);
