// Fast subset of the fuzz run (scripts/fuzz.ts = `pnpm fuzz` runs the same targets with
// FUZZ_RUNS, default 10,000, cases each). A few hundred cases per reader, fixed seed.
import { describe, expect, it } from 'vitest';
import { fuzzTarget } from './harness';
import { targets } from './targets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('every reader: mutated and garbage inputs → result or typed error with a location', () => {
  for (const t of targets) {
    const runs = Math.max(10, Math.round(RUNS * (t.weight ?? 1)));
    // Some readers' only seeds are real files in ../shared (DM, SER, EMD): without it there is
    // nothing to mutate, so the target skips and says why instead of passing with zero cases.
    const seedless = t.seeds().length === 0;
    if (seedless) console.warn(`skipping fuzz target ${t.name}: its seed files are in ../shared, which is absent`);
    it.skipIf(seedless)(`${t.name} (${runs} cases)`, async () => {
      const s = await fuzzTarget(t, runs);
      expect(s.crash, s.crash && `${t.name} crashed: ${s.crash.error}\ninput ${s.crash.input}\nreplay: seed ${s.crash.seed} path ${s.crash.path}`).toBeUndefined();
      expect(s.cases).toBeGreaterThan(0);
    });
  }
});

describe('fuzz seeds', () => {
  // Mutations only test something if the seeds themselves are valid files.
  for (const t of targets) {
    it(`${t.name}: every unmutated seed reads`, async () => {
      for (const s of t.seeds()) await t.run(s);
    });
  }
});
