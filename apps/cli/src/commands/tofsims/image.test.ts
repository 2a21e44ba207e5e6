import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../main';
import { describeShared, sharedPath } from '../../../../../tests/helpers/shared';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((t: any) => (out.push(String(t)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((t: any) => (err.push(String(t)), true));
  return { out, err, restore: () => (so.mockRestore(), se.mockRestore()) };
}

describeShared('siteproof tofsims image', () => {
  it('sums a window per pixel of the IONTOF-dialect imzML fixture', async () => {
    const c = capture();
    const code = await main(['tofsims', 'image', sharedPath('data/tofsims/thyra_iontof_sparse.imzML'), '--mz', '300', '--tol-mda', '500', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect([doc.width, doc.height, doc.pixels]).toEqual([4, 4, 6]);
    expect(doc.values).toHaveLength(16);
    expect(doc.acquired.reduce((a: number, b: number) => a + b, 0)).toBe(6);
    expect(doc.total).toBeGreaterThan(0);
  });

  it('fails clearly when the .ibd is missing', async () => {
    const c = capture();
    const code = await main(['tofsims', 'image', sharedPath('data/tofsims/thyra_iontof_sparse.imzML'), '--mz', '300', '--ibd', '/nonexistent.ibd', '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.err.join('')).toMatch(/\.ibd file is missing/);
  });
});

// Issue 10 (resource limits): the command streams the .ibd. A sparse 2.25 GiB file (fs.truncate:
// only written pages use disk) with offsets beyond 2^31 gives the right image while RSS grows far
// less than the file; reading it whole would hit readInput's 1 GiB refusal instead.
describe('siteproof tofsims image on a sparse > 2 GiB .ibd', () => {
  const SIZE = 2.25 * 1024 ** 3;
  const N = 4096; // values per array (float64)
  const SIDE = 3;
  const MZ_OFFSET = SIZE - 8 * N; // shared m/z axis at the very end
  const STRIDE = Math.floor((MZ_OFFSET - 16) / (SIDE * SIDE));
  const PEAK = 100; // m/z = 200 + 100·0.01 = 201
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-image-'));
    const ibd = path.join(dir, 'big.ibd');
    writeFileSync(ibd, new Uint8Array(16)); // all-zero UUID, as the metadata says
    truncateSync(ibd, SIZE);
    const fd = openSync(ibd, 'r+');
    try {
      writeSync(fd, new Uint8Array(Float64Array.from({ length: N }, (_, i) => 200 + i * 0.01).buffer), 0, 8 * N, MZ_OFFSET);
      for (let k = 0; k < SIDE * SIDE; k++) writeSync(fd, new Uint8Array(Float64Array.of(10 * (k + 1)).buffer), 0, 8, 16 + k * STRIDE + 8 * PEAK);
    } finally {
      closeSync(fd);
    }
    const cv = (acc: string, value = '') => `<cvParam cvRef="IMS" accession="${acc}" name="p" value="${value}"/>`;
    const bda = (acc: string, off: number) =>
      `<binaryDataArray encodedLength="0"><cvParam cvRef="MS" accession="${acc}" name="a" value=""/><cvParam cvRef="MS" accession="MS:1000523" name="64-bit float" value=""/>${cv('IMS:1000102', String(off))}${cv('IMS:1000103', String(N))}${cv('IMS:1000104', String(8 * N))}</binaryDataArray>`;
    const spectra = Array.from({ length: SIDE * SIDE }, (_, k) =>
      `<spectrum id="s${k}" index="${k}"><scanList><scan>${cv('IMS:1000050', String((k % SIDE) + 1))}${cv('IMS:1000051', String(Math.floor(k / SIDE) + 1))}</scan></scanList><binaryDataArrayList>${bda('MS:1000514', MZ_OFFSET)}${bda('MS:1000515', 16 + k * STRIDE)}</binaryDataArrayList></spectrum>`,
    );
    writeFileSync(
      path.join(dir, 'big.imzML'),
      `<?xml version="1.0"?><mzML><fileDescription><fileContent>${cv('IMS:1000030')}${cv('IMS:1000080', '{00000000-0000-0000-0000-000000000000}')}</fileContent></fileDescription><scanSettingsList><scanSettings>${cv('IMS:1000042', String(SIDE))}${cv('IMS:1000043', String(SIDE))}</scanSettings></scanSettingsList><run><spectrumList>${spectra.join('\n')}</spectrumList></run></mzML>`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the ion image with RSS growth far below the file size', async () => {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const c = capture();
    let code: number;
    try {
      code = await main(['tofsims', 'image', path.join(dir, 'big.imzML'), '--mz', '201', '--tol-mda', '2', '--json']);
    } finally {
      c.restore();
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect([doc.width, doc.height, doc.pixels]).toEqual([SIDE, SIDE, SIDE * SIDE]);
    expect(doc.values).toEqual(Array.from({ length: SIDE * SIDE }, (_, k) => 10 * (k + 1)));
    expect(doc.total).toBe(450);
    // Nine 32 KB spectra were read; the file is 2.25 GiB. Generous slack for GC, far below the file.
    expect(peak - rss0).toBeLessThan(SIZE / 16);
  });
});
