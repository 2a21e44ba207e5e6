import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSpectrum } from '@siteproof/tofsims';
import { main } from '../../main';
import { itShared, sharedPath } from '../../../../../tests/helpers/shared';
import { capture } from '../../testing';

let file: string;
beforeAll(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-tofsims-'));
  file = path.join(dir, 'synthetic.txt');
  // Known truth; the written m/z column is 40 ppm off (as exported spectra often are).
  const s = syntheticSpectrum({
    ions: [
      ...['H+', 'C+', 'CH+', 'CH2+', 'CH3+', 'Na+', 'C2H3+', 'C2H5+', 'C3H5+', 'C3H7+', 'C4H7+'].map((formula, i) => ({ formula, counts: 2e5 / (1 + i) })),
      { formula: 'NiN2C2+', counts: 20000 },
      { formula: 'CuN4+', counts: 6000 },
      { formula: '[58Ni]N2C2H2+', counts: 5000 }, // a "Ni" peak without its 60Ni partner
    ],
    calibration: { t0: 150, k: 20000 },
    exportCalibration: { t0: 153, k: 20000 * (1 - 40e-6) },
    channels: 230_000,
    resolution: 15000,
    background: 0.3,
    seed: 3,
  });
  const rows = ['# Binning: 1 channels', 'Channel\tm/z\tIntensity'];
  for (let i = 0; i < s.mz.length; i++) rows.push(`${s.channel![i]}\t${s.mz[i].toPrecision(10)}\t${s.intensity[i]}`);
  writeFileSync(file, rows.join('\r\n') + '\r\n');
});

describe('siteproof tofsims match', () => {
  it('recalibrates, matches within 5 ppm, one entry per fragment, null when absent, rejects a Ni peak without 60Ni', async () => {
    const c = capture();
    const code = await main(['tofsims', 'match', file, '--fragments', 'NiN2C2+,CuN4+,C2H2N2Ni+,ZnN4+', '--tol-ppm', '20', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.calibration.applied).toBe('recalibrated');
    expect(doc.calibration.rmsPpm).toBeLessThan(5);
    expect(doc.peaks.length).toBeGreaterThan(10);
    expect(doc.matches.map((m: { fragment: string }) => m.fragment)).toEqual(['NiN2C2+', 'CuN4+', 'C2H2N2Ni+', 'ZnN4+']);
    const [ni, cu, fake, zn] = doc.matches;
    for (const m of [ni, cu, fake]) expect(Math.abs(m.ppm)).toBeLessThan(5);
    expect(ni.accepted).toBe(true);
    expect(cu.accepted).toBe(true);
    expect(fake.accepted).toBe(false);
    expect(fake.reason).toMatch(/partner missing/);
    expect(zn.observedMz).toBeNull();
    for (const k of ['fragment', 'mz', 'observedMz', 'ppm', 'area', 'normalizedArea', 'isotopeScore', 'accepted', 'reason']) expect(ni).toHaveProperty(k);
    expect(ni.normalizedArea).toBeGreaterThan(0);
  });

  itShared('reads a real IONTOF SurfaceLab export and reports the binning limits', async () => {
    const c = capture();
    const code = await main(['tofsims', 'match', sharedPath('data/tofsims/IONTOF_ascii_P_Ru_Bi1_1.txt'), '--fragments', 'Ru+,Na+,NiN2C2+', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.matches[0]).toMatchObject({ fragment: 'Ru+', accepted: true });
    expect(doc.matches[2].observedMz).toBeNull();
    expect(doc.calibration.exported.k).toBeCloseTo(32965.73, 1);
    expect(doc.warnings.join(' ')).toMatch(/cannot be resolved/);
  });

  it('needs --fragments and an existing file', async () => {
    const c = capture();
    expect(await main(['tofsims', 'match', file, '--json'])).not.toBe(0);
    expect(await main(['tofsims', 'match', '/nonexistent.txt', '--fragments', 'Na+', '--json'])).not.toBe(0);
    c.restore();
    expect(c.err.join('')).toMatch(/--fragments is required/);
    expect(c.err.join('')).toMatch(/no such file/);
  });
});
