// Batch mode: run report tasks on all cores with worker_threads. Under tsx (the CLI runs from
// .ts sources) a worker must load the TypeScript loader itself. execArgv ['--import', 'tsx'] does
// not reach a worker's entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION, checked with Node
// 20.20), so the worker is started from a one-line module that registers tsx's ESM hooks and then
// imports worker.ts (as apps/cli/src/batch/exafsBatch.ts does). With jobs = 1 (or a single task)
// everything runs inline, with identical results.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runTask, type Task, type TaskResult } from './tasks';

/** Rough inline cost of a task (s, one core, measured on the example data). */
const COST: Record<Task['kind'], number> = { xas: 0.1, fit: 1.5, tofsims: 0.5, haadf: 2 };

/**
 * Default worker count: every core when the batch would take more than ~30 s inline, else inline.
 * Starting a worker under tsx compiles the TypeScript sources again (2–10 s depending on load),
 * more than a handful of spectra take; a batch of hundreds of spectra or dozens of fits pays it back.
 */
export function defaultJobs(tasks: readonly Task[]): number {
  const cost = tasks.reduce((s, t) => s + COST[t.kind], 0);
  return cost > 30 ? Math.max(1, availableParallelism()) : 1;
}

/**
 * Run tasks and return their results in input order. `onDone(i)` is called as each finishes
 * (progress). Failures are results ({ ok: false }), never exceptions, so one bad file does not
 * stop the others.
 */
export async function runTasks(tasks: Task[], jobs: number, onDone?: (index: number, r: TaskResult) => void): Promise<TaskResult[]> {
  const n = tasks.length;
  const out: TaskResult[] = new Array(n);
  const threads = Math.min(Math.max(1, Math.floor(jobs)), n);
  if (threads <= 1) {
    for (let i = 0; i < n; i++) {
      out[i] = await runTask(tasks[i]);
      onDone?.(i, out[i]);
      // let the progress bar repaint between tasks
      await new Promise((r) => setImmediate(r));
    }
    return out;
  }
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(fromTs ? './worker.ts' : './worker.js', import.meta.url).href;
  const entry = fromTs ? `import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(url)}))` : `import(${JSON.stringify(url)})`;
  // Largest tasks first (fits and images) keeps the cores busy to the end.
  const weight = (t: Task) => (t.kind === 'fit' ? 3 : t.kind === 'haadf' ? 2 : 1);
  const order = tasks.map((_, i) => i).sort((a, b) => weight(tasks[b]) - weight(tasks[a]) || a - b);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(entry, { eval: true }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const send = () => {
              if (next >= order.length) return resolve();
              current = order[next++];
              w.postMessage({ id: current, task: tasks[current] });
            };
            w.on('message', (msg: { id: number; result: TaskResult }) => {
              out[msg.id] = msg.result;
              onDone?.(msg.id, msg.result);
              send();
            });
            w.on('error', (e) => {
              if (current >= 0 && out[current] === undefined) {
                out[current] = { ok: false, error: `worker failed: ${e.message}` };
                onDone?.(current, out[current]);
              }
              reject(e);
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
