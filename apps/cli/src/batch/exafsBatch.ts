// Batch EXAFS reduction over all cores (node only): the spectra of a series are split across
// worker_threads, each running exafsPipeline (the same code as `xas exafs`), with the arrays moved
// by transfer (no copies). Results come back in input order and are bit-identical to the
// single-threaded run (each spectrum is independent; no shared state).
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { exafsPipeline, type ExafsPipelineOptions } from '@siteproof/xas';

export interface BatchSpectrum {
  energy: Float64Array;
  mu: Float64Array;
}

export interface BatchResult {
  e0: number;
  edgeStep: number;
  k: Float64Array;
  chi: Float64Array;
  r: Float64Array;
  chirMag: Float64Array;
  chirRe: Float64Array;
  chirIm: Float64Array;
  /** Set when this spectrum failed (typed error message); the others are still reduced. */
  error?: string;
}

const WORKER_TAG = 'siteproof-exafs-batch';

function reduceOne(s: BatchSpectrum, options: ExafsPipelineOptions): BatchResult {
  try {
    const r = exafsPipeline(s.energy, s.mu, options);
    return { e0: r.e0, edgeStep: r.edgeStep, k: r.k, chi: r.chi, r: r.r, chirMag: r.chirMag, chirRe: r.chirRe, chirIm: r.chirIm };
  } catch (e) {
    const empty = new Float64Array(0);
    return { e0: NaN, edgeStep: NaN, k: empty, chi: empty, r: empty, chirMag: empty, chirRe: empty, chirIm: empty, error: (e as Error).message };
  }
}

function buffersOf(r: BatchResult): ArrayBuffer[] {
  return [r.k, r.chi, r.r, r.chirMag, r.chirRe, r.chirIm].map((a) => a.buffer as ArrayBuffer);
}

/** Each buffer once: a transfer list with a repeated buffer throws DataCloneError. */
function transferList(results: BatchResult[]): ArrayBuffer[] {
  return [...new Set(results.flatMap(buffersOf))];
}

// Worker side: reduce every chunk it receives.
if (!isMainThread && workerData?.tag === WORKER_TAG && parentPort) {
  const port = parentPort;
  const options = workerData.options as ExafsPipelineOptions;
  port.on('message', (msg: { id: number; spectra: BatchSpectrum[] }) => {
    const results = msg.spectra.map((s) => reduceOne(s, options));
    port.postMessage({ id: msg.id, results }, transferList(results));
  });
}

/**
 * A pool of worker threads reducing spectra with exafsPipeline. Create once, `run` many times
 * (worker start-up, including the TypeScript loader under tsx, is paid once), then `close`.
 */
export class ExafsBatchPool {
  readonly threads: number;
  private readonly workers: Worker[];
  private readonly options: ExafsPipelineOptions;

  constructor(threads = availableParallelism(), options: ExafsPipelineOptions = {}) {
    this.threads = Math.max(1, Math.floor(threads));
    this.options = options;
    // Workers must load this module through the same TypeScript loader as the parent when running
    // from .ts sources (tsx): the worker entry registers tsx's ESM hooks, then imports this file.
    const self = import.meta.url;
    const entry = self.endsWith('.ts')
      ? `import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(self)}))`
      : `import(${JSON.stringify(self)})`;
    this.workers = this.threads === 1 ? [] : Array.from({ length: this.threads }, () => new Worker(entry, { eval: true, workerData: { tag: WORKER_TAG, options } }));
    // An idle pool must not keep the process alive (e.g. a benchmark that never calls close()).
    for (const w of this.workers) w.unref();
  }

  /** Reduce the spectra (copied, never modified); results in input order. */
  async run(spectra: BatchSpectrum[], chunkSize?: number): Promise<BatchResult[]> {
    if (this.threads === 1) return spectra.map((s) => reduceOne(s, this.options));
    const chunk = chunkSize ?? Math.max(1, Math.ceil(spectra.length / (this.threads * 4)));
    const chunks: { start: number; spectra: BatchSpectrum[] }[] = [];
    for (let i = 0; i < spectra.length; i += chunk) {
      chunks.push({ start: i, spectra: spectra.slice(i, i + chunk).map((s) => ({ energy: s.energy.slice(), mu: s.mu.slice() })) });
    }
    const out: BatchResult[] = new Array(spectra.length);
    let next = 0;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (msg: { id: number; results: BatchResult[] }) => {
              const c = chunks[msg.id];
              msg.results.forEach((r, i) => (out[c.start + i] = r));
              send();
            };
            const onError = (e: Error) => {
              cleanup();
              reject(e);
            };
            const cleanup = () => {
              w.off('message', onMessage);
              w.off('error', onError);
            };
            const send = () => {
              if (next >= chunks.length) {
                cleanup();
                return resolve();
              }
              const id = next++;
              const c = chunks[id];
              w.postMessage({ id, spectra: c.spectra }, c.spectra.flatMap((s) => [s.energy.buffer as ArrayBuffer, s.mu.buffer as ArrayBuffer]));
            };
            w.on('message', onMessage);
            w.on('error', onError);
            send();
          }),
      ),
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Reduce many spectra over `threads` worker threads (default: all cores); results in input order. */
export async function exafsBatch(spectra: BatchSpectrum[], opts: { threads?: number; pipeline?: ExafsPipelineOptions } = {}): Promise<BatchResult[]> {
  const pool = new ExafsBatchPool(Math.min(opts.threads ?? availableParallelism(), Math.max(1, spectra.length)), opts.pipeline);
  try {
    return await pool.run(spectra);
  } finally {
    await pool.close();
  }
}
