// A multi-GB imzML .ibd is processed in bounded memory: the .ibd is a sparse file (truncate makes
// 2.5 GB instantly, only the written pages use disk), opened as a ByteSource through the CLI's
// file edge, and ionImageFrom reads it pixel by pixel. Offsets beyond 2^31 are exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LimitError, ParseError } from '@siteproof/core';
import { ionImageFrom, readImzML, readImzMLSpectrumFrom } from '@siteproof/tofsims';
import { openByteSource, readInput } from '../../apps/cli/src/io';

const SIZE = 2.5 * 1024 ** 3;
const N = 1 << 17; // values per array: 1 MB of float64
const SIDE = 8; // 8 × 8 pixels
const STRIDE = Math.floor((SIZE - 16 - 8 * N) / (SIDE * SIDE)); // intensity arrays spread over the file
const MZ_OFFSET = SIZE - 8 * N; // shared m/z axis at the very end (beyond 2^31)
const PEAK = 1000; // index of the one non-zero intensity, m/z = 100 + PEAK·0.001 = 101

let dir: string;

function imzML(mode: 'continuous' | 'processed'): string {
  const cv = (acc: string, value = '') => `<cvParam cvRef="IMS" accession="${acc}" name="p" value="${value}"/>`;
  const bda = (acc: string, off: number) =>
    `<binaryDataArray encodedLength="0"><cvParam cvRef="MS" accession="${acc}" name="a" value=""/><cvParam cvRef="MS" accession="MS:1000523" name="64-bit float" value=""/>${cv('IMS:1000102', String(off))}${cv('IMS:1000103', String(N))}${cv('IMS:1000104', String(8 * N))}</binaryDataArray>`;
  const spectra = Array.from({ length: SIDE * SIDE }, (_, k) => {
    const x = (k % SIDE) + 1;
    const y = Math.floor(k / SIDE) + 1;
    return `<spectrum id="s${k}" index="${k}"><scanList><scan>${cv('IMS:1000050', String(x))}${cv('IMS:1000051', String(y))}</scan></scanList><binaryDataArrayList>${bda('MS:1000514', MZ_OFFSET)}${bda('MS:1000515', 16 + k * STRIDE)}</binaryDataArrayList></spectrum>`;
  });
  return `<?xml version="1.0"?><mzML><fileDescription><fileContent>${cv(mode === 'continuous' ? 'IMS:1000030' : 'IMS:1000031')}${cv('IMS:1000080', '{00000000-0000-0000-0000-000000000000}')}</fileContent></fileDescription><scanSettingsList><scanSettings>${cv('IMS:1000042', String(SIDE))}${cv('IMS:1000043', String(SIDE))}</scanSettings></scanSettingsList><run><spectrumList>${spectra.join('\n')}</spectrumList></run></mzML>`;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-ibd-'));
  const ibd = path.join(dir, 'big.ibd');
  writeFileSync(ibd, new Uint8Array(16)); // all-zero UUID, as the metadata says
  truncateSync(ibd, SIZE);
  const fd = openSync(ibd, 'r+');
  try {
    writeSync(fd, new Uint8Array(Float64Array.from({ length: N }, (_, i) => 100 + i * 0.001).buffer), 0, 8 * N, MZ_OFFSET);
    for (let k = 0; k < SIDE * SIDE; k++) writeSync(fd, new Uint8Array(Float64Array.of(k + 1).buffer), 0, 8, 16 + k * STRIDE + 8 * PEAK);
  } finally {
    closeSync(fd);
  }
  writeFileSync(path.join(dir, 'big-continuous.imzML'), imzML('continuous'));
  writeFileSync(path.join(dir, 'big-processed.imzML'), imzML('processed'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('2.5 GB sparse .ibd through a ByteSource', () => {
  for (const mode of ['continuous', 'processed'] as const) {
    it(`${mode} mode: ion image of all 64 pixels with memory far below the file size`, async () => {
      const meta = readImzML((await readInput(dir, `big-${mode}.imzML`)).bytes, `big-${mode}.imzML`);
      const src = await openByteSource(dir, 'big.ibd');
      try {
        expect(src.size).toBe(SIZE);
        global.gc?.();
        const rss0 = process.memoryUsage().rss;
        let peak = rss0;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
        const img = await ionImageFrom(meta, src, 100.9995, 101.0005, 'big.ibd');
        clearInterval(timer);
        peak = Math.max(peak, process.memoryUsage().rss);
        // 64 × 1 MB intensity arrays (+ m/z arrays in processed mode) were read; the whole file
        // would be 2.5 GB. Allow generous GC slack but far below the file.
        expect(peak - rss0).toBeLessThan(SIZE / 8);
        expect(Array.from(img.values)).toEqual(Array.from({ length: 64 }, (_, k) => k + 1));
        expect(img.acquired.every((a) => a === 1)).toBe(true);
        const s = await readImzMLSpectrumFrom(meta, src, 63, 'big.ibd');
        expect(s.mz[PEAK]).toBeCloseTo(101, 9);
        expect(s.intensity[PEAK]).toBe(64);
      } finally {
        await src.close();
      }
    });
  }

  it('array and image limits give LimitErrors before allocating; readInput refuses the whole .ibd', async () => {
    const meta = readImzML((await readInput(dir, 'big-continuous.imzML')).bytes, 'big-continuous.imzML');
    const src = await openByteSource(dir, 'big.ibd');
    try {
      await expect(ionImageFrom(meta, src, 100, 101, 'big.ibd', { maxArrayBytes: 512 * 1024 })).rejects.toThrow(LimitError);
      await expect(ionImageFrom(meta, src, 100, 101, 'big.ibd', { maxImagePixels: 10 })).rejects.toThrow(LimitError);
      await expect(ionImageFrom({ ...meta, uuid: 'ffffffffffffffffffffffffffffffff' }, src, 100, 101, 'big.ibd')).rejects.toThrow(ParseError);
      const beyond = { ...meta, pixels: [{ ...meta.pixels[0], intensity: { ...meta.pixels[0].intensity, offset: SIZE - 8 } }] };
      await expect(ionImageFrom(beyond, src, 100, 101, 'big.ibd')).rejects.toThrow(/outside the \.ibd/);
    } finally {
      await src.close();
    }
    await expect(readInput(dir, 'big.ibd')).rejects.toBeInstanceOf(LimitError);
  });
});
