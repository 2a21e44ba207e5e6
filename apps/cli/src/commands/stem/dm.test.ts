// `stem atoms` / `stem pairs` on DM4 stacks: the file is read through openByteSource +
// readDmFrom (tag tree in pages, then only the chosen frames), with --frame, --frame-count and
// --max-image-bytes. The frames hold the same synthetic atoms as a TIFF read the ordinary way.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { mulberry32, writeTiff } from '@siteproof/stem-stats';
import { main } from '../../main';
import { cat, dm4Parts } from '../../../../../tests/stem/dm4Builder';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((t: any) => (out.push(String(t)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((t: any) => (err.push(String(t)), true));
  return { out, err, restore: () => (so.mockRestore(), se.mockRestore()) };
}

const SIZE = 128;
/** 128² frame: 3 single atoms and 2 pairs (0.25 nm at 0.02 nm/px) on 100 counts with noise. */
function frame(seed: number): number[] {
  const rand = mulberry32(seed);
  const atoms: [number, number][] = [[30, 30], [90, 30], [30, 95], [70, 70], [82.5, 70], [95, 100], [107.5, 100]];
  const d: number[] = [];
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      let v = 100 + 6 * (rand() - 0.5);
      for (const [ax, ay] of atoms) v += 80 * Math.exp(-((x - ax) ** 2 + (y - ay) ** 2) / (2 * 2.25 ** 2));
      d.push(Math.round(v));
    }
  return d;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'siteproof-stem-dm-'));
  const frames = [frame(1), frame(2), frame(3)];
  const { head, tail } = dm4Parts(SIZE, SIZE, frames.length, 0.02);
  writeFileSync(path.join(dir, 'stack.dm4'), cat(head, new Uint8Array(Float32Array.from(frames.flat()).buffer), tail));
  writeFileSync(path.join(dir, 'frame2.tif'), writeTiff(frames[2], SIZE, SIZE, { type: 'uint16', pixelNm: 0.02 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const c = capture();
  try {
    const code = await main(args);
    return { code, out: c.out.join(''), err: c.err.join('') };
  } finally {
    c.restore();
  }
}

describe('siteproof stem atoms / pairs on a DM4 stack', () => {
  it('--frame 2 gives what the same frame gives as a TIFF (positions within 1e-6 px)', async () => {
    const dm = await run(['stem', 'atoms', path.join(dir, 'stack.dm4'), '--frame', '2', '--json']);
    expect(dm.err).toBe('');
    expect(dm.code).toBe(0);
    const tif = await run(['stem', 'atoms', path.join(dir, 'frame2.tif'), '--json']);
    const a = JSON.parse(dm.out);
    const b = JSON.parse(tif.out);
    expect(a.pixelNm).toBeCloseTo(0.02, 7);
    expect(a.atoms.length).toBeGreaterThanOrEqual(7); // the detector resolves 7 of the 9 at these settings
    // Same pixels; DM stores the scale as float32 (0.02 → 0.0199999996), the TIFF exactly, so
    // nm-scaled quantities agree to float32 precision, not bit for bit.
    expect(a.atoms.length).toBe(b.atoms.length);
    a.atoms.forEach((p: any, k: number) => {
      const q = b.atoms[k];
      expect(Math.abs(p.x - q.x)).toBeLessThan(1e-6);
      expect(Math.abs(p.y - q.y)).toBeLessThan(1e-6);
      expect(Math.abs(p.intensity / q.intensity - 1)).toBeLessThan(1e-6);
      expect(Math.abs(p.snr / q.snr - 1)).toBeLessThan(1e-3);
    });
    expect(a.warnings.join(' ')).toMatch(/frame 2 of 3/);
  });

  it('--frame-count sums frames; stem pairs reads the stack too', async () => {
    const sum = await run(['stem', 'atoms', path.join(dir, 'stack.dm4'), '--frame-count', '3', '--json']);
    expect(sum.code).toBe(0);
    expect(JSON.parse(sum.out).atoms.length).toBeGreaterThanOrEqual(7);
    const pairs = await run(['stem', 'pairs', path.join(dir, 'stack.dm4'), '--frame', '1', '--bootstrap', '200', '--json']);
    expect(pairs.err).toBe('');
    expect(pairs.code).toBe(0);
  });

  it('a frame beyond the stack and a frame above --max-image-bytes are clear errors', async () => {
    const beyond = await run(['stem', 'atoms', path.join(dir, 'stack.dm4'), '--frame', '3', '--json']);
    expect(beyond.code).not.toBe(0);
    expect(beyond.err).toMatch(/the file has 3/);
    const big = await run(['stem', 'atoms', path.join(dir, 'stack.dm4'), '--max-image-bytes', '1000', '--json']);
    expect(big.code).not.toBe(0);
    expect(big.out).toBe('');
    expect(big.err).toMatch(/maxImageBytes/);
    const tifFrame = await run(['stem', 'atoms', path.join(dir, 'frame2.tif'), '--frame', '1', '--json']);
    expect(tifFrame.code).not.toBe(0);
    expect(tifFrame.err).toMatch(/DM3\/DM4/);
  });
});
