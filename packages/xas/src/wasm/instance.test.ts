import { describe, expect, it } from 'vitest';
import { WasmHeap, setWasmEnabled, wasmEnabled } from './instance';

describe('WasmHeap', () => {
  it('hands out aligned, disjoint blocks, reuses released ones (coalesced) and grows the memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 1024);
    const a = heap.alloc(3); // 24 bytes → 32
    const b = heap.alloc(10);
    const c = heap.alloc(5);
    for (const p of [a, b, c]) expect(p % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 24);
    expect(c).toBeGreaterThanOrEqual(b + 80);
    heap.release(a);
    heap.release(b);
    // a and b coalesced: a block of 12 doubles fits where they were
    expect(heap.alloc(12)).toBe(a);
    const big = heap.alloc(20000); // beyond the first 64 KiB page
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 8 * 20000);
    heap.f64[big / 8 + 19999] = 7; // the view follows the grown memory
    expect(new Float64Array(memory.buffer)[big / 8 + 19999]).toBe(7);
    heap.release(big);
    heap.release(c);
    expect(heap.used).toBe(16 * Math.ceil((8 * 12) / 16));
  });
  it('scratch blocks are kept per slot and grow on demand', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 0);
    const p = heap.scratch(0, 10);
    expect(heap.scratch(0, 8)).toBe(p);
    const q = heap.scratch(1, 4);
    expect(q).not.toBe(p);
    expect(heap.scratch(0, 100)).not.toBe(p);
  });
  it('put copies typed and plain arrays (or their first n values) into a scratch slot', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 64);
    const p = heap.put(2, Float64Array.of(1, 2, 3, 4), 3);
    expect(Array.from(heap.f64.subarray(p / 8, p / 8 + 3))).toEqual([1, 2, 3]);
    const q = heap.put(3, [5, 6]);
    expect(Array.from(heap.f64.subarray(q / 8, q / 8 + 2))).toEqual([5, 6]);
  });
  it('setWasmEnabled switches and reports the previous setting', () => {
    const was = setWasmEnabled(false);
    expect(wasmEnabled()).toBe(false);
    expect(setWasmEnabled(was)).toBe(false);
    expect(wasmEnabled()).toBe(was);
  });
});
