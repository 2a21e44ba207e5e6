// Report benchmarks: the whole `siteproof report` on the example experiment (4 XAS spectra with
// a foil channel, 4 shell fits, a wavelet map, 2 ToF-SIMS spectra, 1 HAADF image → HTML, JSON,
// CSV), and the batch mode (worker_threads) on 256 XAS spectra, inline vs all cores. No reference
// program makes the same package, so there is no anchor; the notes give the batch scaling.
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseReportConfig } from '../apps/cli/src/report/config';
import { writeReport } from '../apps/cli/src/report/output';
import { runReport } from '../apps/cli/src/report/pipeline';
import { runTasks } from '../apps/cli/src/report/pool';
import { makeProgress } from '../apps/cli/src/report/progress';
import type { Task } from '../apps/cli/src/report/tasks';
import { REPO_ROOT, type Benchmark } from './harness';

const EXP = path.join(REPO_ROOT, 'examples/experiment');
const quiet = makeProgress(false, () => {});

function xasTasks(n: number): Task[] {
  const cx = parseReportConfig({}).xas;
  const files = ['cu_00_ocp.xdi', 'cu_01_m0.4V.xdi', 'cu_02_m0.7V.xdi', 'cu_03_m1.0V.xdi'].map((f) => path.join(EXP, 'xas', f));
  return Array.from({ length: n }, (_, i) => ({
    kind: 'xas',
    input: { name: path.basename(files[i % 4]), bytes: new Uint8Array(readFileSync(files[i % 4])), mu: 'ln(i0/itrans)', reference: cx.referenceChannel, preEdge: cx.preEdge, autobk: cx.autobk, xftf: cx.xftf },
  }));
}

export const benchmarks: Benchmark[] = [
  {
    name: 'report-example',
    unit: 'reports/s',
    minTimeMs: 1,
    minIterations: 2,
    setup: () => mkdtempSync(path.join(tmpdir(), 'siteproof-bench-report-')),
    run: async (out) => {
      const data = await runReport({ dir: EXP, jobs: 1, progress: quiet });
      await writeReport(data, out as string, data.files.map((f) => path.join(EXP, f.file)));
      return 1;
    },
  },
  {
    name: 'report-xas-inline',
    unit: 'spectra/s',
    minTimeMs: 1,
    minIterations: 2,
    setup: () => xasTasks(256),
    run: async (tasks) => (await runTasks(tasks as Task[], 1)).length,
  },
  {
    name: 'report-xas-batch',
    unit: 'spectra/s',
    minTimeMs: 1,
    minIterations: 2,
    setup: () => xasTasks(256),
    // includes starting the workers (each compiles the TypeScript sources under tsx)
    run: async (tasks) => (await runTasks(tasks as Task[], availableParallelism())).length,
    // Each benchmark runs in its own process: the inline rate for the comparison is measured here.
    notes: async (tasks) => {
      const t0 = performance.now();
      await runTasks(tasks as Task[], 1);
      const inline = (tasks as Task[]).length / ((performance.now() - t0) / 1000);
      return [`${availableParallelism()} workers incl. start-up; inline ${inline.toFixed(1)} spectra/s in the same process (the machine is shared: CPU contention lowers the batch gain)`];
    },
  },
];
