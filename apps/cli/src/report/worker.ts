// Worker-thread entry: runs report tasks (tasks.ts) posted by pool.ts and posts the results
// back, moving typed-array buffers instead of copying them.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './tasks';

function buffersOf(v: unknown, out: Set<ArrayBuffer>, depth = 0): void {
  if (depth > 6 || v === null || typeof v !== 'object') return;
  if (ArrayBuffer.isView(v)) {
    if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
    return;
  }
  for (const x of Array.isArray(v) ? v : Object.values(v)) buffersOf(x, out, depth + 1);
}

if (parentPort) {
  const port = parentPort;
  port.on('message', async (msg: { id: number; task: Task }) => {
    const result = await runTask(msg.task);
    const transfer = new Set<ArrayBuffer>();
    if (result.ok) buffersOf(result.value, transfer);
    port.postMessage({ id: msg.id, result }, [...transfer]);
  });
}
