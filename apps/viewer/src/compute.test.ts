import { describe, expect, it } from 'vitest';
import { readImzML } from '@siteproof/tofsims';
import { haadfLoad, imzmlSum, tofsimsImzml, tofsimsIonImage } from './compute';
import { makeImzml, makeMrc } from './testFiles';
import { itShared, readSharedBytes } from '../../../tests/helpers/shared';

describe('viewer compute: formats added for issue 9', () => {
  it('HAADF: an MRC image is read (calibrated from cella/mx) and its atoms are found', async () => {
    const r = await haadfLoad(makeMrc(), 'synthetic.mrc');
    expect(r.width).toBe(96);
    expect(r.pixelNm).toBeCloseTo(0.02, 6);
    expect(r.atoms.length).toBe(5);
    // Each planted atom found within 0.5 px.
    for (const [x, y] of [[20, 20], [70, 25], [30, 70], [60, 66], [72.5, 66]]) expect(Math.min(...r.atoms.map((a) => Math.hypot(a.x - x, a.y - y)))).toBeLessThan(0.5);
  });

  it('HAADF: a file in no image format is refused with a typed message', async () => {
    await expect(haadfLoad(new Uint8Array(64).fill(7), 'noise.bin')).rejects.toThrow(/unrecognised image format/);
  });

  it('ToF-SIMS imzML: summed spectrum equals the sum of the pixels; ion image follows the planted gradient', () => {
    const { imzml, ibd } = makeImzml({ width: 4, height: 3 });
    const meta = readImzML(imzml, 'map.imzML');
    const sum = imzmlSum(meta, ibd, 'map.ibd');
    // Peak 1 top: 10·x summed over x = 1..4 and 3 rows = 300; others 101/102 × 12 pixels.
    const at = (m: number) => sum.intensity[sum.mz.findIndex((v) => Math.abs(v - m) < 1e-9)];
    expect(at(57.9348)).toBe(300);
    expect(at(84.959)).toBe(101 * 12);
    const r = tofsimsImzml(new TextEncoder().encode(imzml), 'map.imzML', ibd, 'map.ibd', ['Ni+'], 50);
    expect(r.map).toEqual({ width: 4, height: 3, pixels: 12, mode: 'continuous' });
    const ni = r.matches.find((m) => m.fragment === 'Ni+')!;
    expect(Math.abs(ni.observedMz! - 57.9348)).toBeLessThan(0.002);
    const img = tofsimsIonImage('map.imzML', 57.9348 - 0.03, 57.9348 + 0.03);
    expect(img.z.length).toBe(3);
    // Row 1: the window sum of each pixel grows linearly with x (10·x times the sampled peak area).
    const row = img.z[0] as number[];
    for (let x = 1; x < 4; x++) expect(row[x] / row[0]).toBeCloseTo(x + 1, 1);
    expect(img.z[2]).toEqual(row);
  });

  it('ToF-SIMS imzML: a .ibd that does not belong is refused', () => {
    const { imzml } = makeImzml();
    expect(() => tofsimsImzml(new TextEncoder().encode(imzml), 'map.imzML', new Uint8Array(40), 'other.ibd', ['Ni+'], 50)).toThrow();
  });

  itShared('HAADF: real TIA SER, MRC and Velox EMD files (../shared) open through the same worker operation', async () => {
    const R = 'data/stem/rosettasciio';
    for (const [rel, w] of [['tia/old/03_Scanning Preview_1.ser', 0], ['mrc/HAADFscan.mrc', 0], ['emd/fei_example_tem_stack.emd', 3]] as const) {
      const name = rel.split('/').pop()!;
      const r = await haadfLoad(readSharedBytes(`${R}/${rel}`), name);
      expect(r.width).toBeGreaterThan(0);
      if (w) expect(r.width).toBe(w);
      expect(r.z.length).toBeGreaterThan(0);
      expect(r.z.flat().every(Number.isFinite)).toBe(true);
    }
  });
});
