// Promise wrapper around the worker, with a count of running jobs for the progress indicator.
import type { Ops } from './worker';

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string; kind: string };

export class WorkerError extends Error {
  constructor(message: string, readonly kind: string) {
    super(message);
  }
}

export class Compute {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; label: string }>();
  constructor(private onBusy: (labels: string[]) => void) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<Reply>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      this.report();
      if (ev.data.ok) p.resolve(ev.data.value);
      else p.reject(new WorkerError(ev.data.error, ev.data.kind));
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new WorkerError(`worker failed: ${ev.message}`, 'internal'));
      this.pending.clear();
      this.report();
    };
  }
  private report() {
    this.onBusy([...this.pending.values()].map((p) => p.label));
  }
  run<K extends keyof Ops>(op: K, label: string, ...args: Parameters<Ops[K]>): Promise<Awaited<ReturnType<Ops[K]>>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, label });
      this.report();
      this.worker.postMessage({ id, op, args });
    });
  }
}
