// A 4096² × 100-frame float32 DM4 (6.7 GB claimed, a sparse file: only the tag tree and a few
// pixels use disk) is read frame by frame through the CLI's file edge in bounded memory; its
// trailing tags lie beyond 2^32 bytes, so 64-bit offsets are exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LimitError } from '@siteproof/core';
import { dmInfoFrom, readDmFrom } from '@siteproof/stem-stats';
import { openByteSource, readInput } from '../../apps/cli/src/io';
import { dm4Parts } from '../stem/dm4Builder';

const W = 4096;
const FRAMES = 100;
const parts = dm4Parts(W, W, FRAMES, 0.02);
const FRAME_BYTES = 4 * W * W;
let dir = '';

/** Pixel (x, y) of frame f is set to value v in the sparse file. */
function setPixel(fd: number, x: number, y: number, f: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  writeSync(fd, b, 0, 4, parts.head.length + f * FRAME_BYTES + 4 * (y * W + x));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-dm4-'));
  const file = path.join(dir, 'stack.dm4');
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, parts.head, 0, parts.head.length, 0);
    truncateSync(file, parts.total);
    writeSync(fd, parts.tail, 0, parts.tail.length, parts.head.length + parts.dataBytes);
    setPixel(fd, 10, 20, 0, 3.5);
    setPixel(fd, 4095, 4095, 57, 42);
    setPixel(fd, 0, 0, 99, -7);
  } finally {
    closeSync(fd);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('6.7 GB sparse 4096² × 100 DM4 through a ByteSource', () => {
  it('reads the tags, then frames one at a time, with RSS growth far below the file size', async () => {
    const src = await openByteSource(dir, 'stack.dm4');
    try {
      expect(src.size).toBe(parts.total);
      expect(parts.total).toBeGreaterThan(6.7e9);
      const info = await dmInfoFrom(src, 'stack.dm4');
      expect([info.width, info.height, info.frames]).toEqual([W, W, FRAMES]);
      expect(info.pixelNm).toBeCloseTo(0.02, 7);
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const seen: Record<number, number> = {};
      try {
        for (const f of [0, 57, 99]) {
          const im = await readDmFrom(src, 'stack.dm4', { frame: f });
          seen[f] = f === 0 ? im.data[20 * W + 10] : f === 57 ? im.data[W * W - 1] : im.data[0];
          expect(im.data.reduce((a, b) => a + b, 0)).toBe(seen[f]); // the rest is zeros
        }
        // Ten frames summed, still one frame buffer plus one frame read at a time.
        const sum = await readDmFrom(src, 'stack.dm4', { frame: 50, frameCount: 10 });
        expect(sum.data[W * W - 1]).toBe(42);
      } finally {
        clearInterval(timer);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(seen).toEqual({ 0: 3.5, 57: 42, 99: -7 });
      // A frame is 64 MiB (read) + 64 MiB (Float32 image); the file is 6.7 GB. Allow GC slack.
      expect(peak - rss0).toBeLessThan(parts.total / 10);
    } finally {
      await src.close();
    }
  });

  it('maxImageBytes refuses a frame too large with the option named; readInput refuses the whole file', async () => {
    const src = await openByteSource(dir, 'stack.dm4');
    try {
      const p = readDmFrom(src, 'stack.dm4', { maxImageBytes: FRAME_BYTES - 1 });
      await expect(p).rejects.toThrow(LimitError);
      await expect(readDmFrom(src, 'stack.dm4', { maxImageBytes: 1 << 20 })).rejects.toThrow(/maxImageBytes/);
    } finally {
      await src.close();
    }
    await expect(readInput(dir, 'stack.dm4')).rejects.toThrow(LimitError);
  });
});
