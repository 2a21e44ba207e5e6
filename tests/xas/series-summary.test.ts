// Series results and calibration against Larch:
// - fexanes_a…e (a 5-member Fe XANES series, mu = sum_fe_ka/i0): E0 per spectrum within 0.05 eV
//   of Larch's find_e0 (reference/xas/fexanes_*.json) — the tolerance; edge step within 0.5 %.
// - NiO with its Ni-foil channel: calibration sets the foil E0 to Ni K = 8333 eV (Bearden & Burr)
//   and carries the same shift to the sample; e0Shift against the foil cancels the mono drift.
import { describe, expect } from 'vitest';
import { loadSpectrum, type Spectrum } from '@siteproof/xas';
import { calibrate, shiftedEnergy } from '../../packages/xas/src/series/calibrate';
import { summarizeSeries } from '../../packages/xas/src/series/seriesSummary';
import { describeShared, itShared, loadReference, readSharedBytes } from '../helpers/shared';
import { loadColumns } from './seriesData';

describeShared('series summary: fexanes_a…e against Larch', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const spectra = () => names.map((n) => loadSpectrum(readSharedBytes(`data/xas/xafsdata/fexafs/fexanes_${n}.001`), `fexanes_${n}.001`, { mu: 'sum_fe_ka/i0' }));

  itShared('E0 within 0.05 eV and edge step within 0.5 % of Larch for every member', () => {
    const s = summarizeSeries(spectra(), { variable: { name: 'step', values: ['a', 'b', 'c', 'd', 'e'] } });
    expect(s.spectra.map((r) => r.var)).toEqual(names);
    for (const [i, n] of names.entries()) {
      const ref = loadReference<{ e0: number; edge_step: number }>(`xas/fexanes_${n}.json`);
      expect(Math.abs(s.spectra[i].e0 - ref.e0)).toBeLessThan(0.05);
      expect(Math.abs(s.spectra[i].edgeStep / ref.edge_step - 1)).toBeLessThan(0.005);
      expect(s.spectra[i].e0Shift).toBeCloseTo(s.spectra[i].e0 - s.spectra[0].e0, 12);
      // Fe K white line sits a few eV above E0 with normalized height above 1.
      expect(s.spectra[i].whiteLine.energy).toBeGreaterThan(s.spectra[i].e0);
      expect(s.spectra[i].whiteLine.height).toBeGreaterThan(1);
    }
    expect(s.warnings).toEqual([]);
  });

  itShared('warns about a series that mixes edges', () => {
    const fe = spectra()[0];
    const ni = loadColumns('data/xas/athena-exported/NiO/NiO.dat');
    const mixed: Spectrum = { ...fe, file: 'NiO.dat', energy: ni.energy, mu: ni.mu };
    const s = summarizeSeries([fe, mixed]);
    expect(s.warnings.join('\n')).toMatch(/mixed edges.*Fe K.*Ni K/);
  });
});

function nioSpectrum(scan: string): Spectrum {
  const s = loadColumns(`data/xas/athena-exported/NiO/NiO${scan}.dat`);
  const r = loadColumns(`data/xas/athena-exported/NiO/d_Ref_NiO${scan}.dat`);
  expect(Array.from(r.energy)).toEqual(Array.from(s.energy)); // recorded together, one grid
  return { file: `NiO${scan}.dat`, name: `NiO${scan}`, energy: s.energy, mu: s.mu, muExpr: 'mu', metadata: {}, warnings: [], reference: r.mu, referenceExpr: 'd_Ref' };
}

describeShared('calibration to the reference foil (NiO + Ni foil channel)', () => {
  const refch = loadReference<{ scans: { file: string; e0: number }[] }>('xas/edgeshift_NiO_refchannel.json');

  itShared('sets the foil E0 to 8333 eV and applies the same shift to the sample; raw data untouched', () => {
    for (const scan of ['', '_001', '_009']) {
      const sp = nioSpectrum(scan);
      const before = Float64Array.from(sp.energy);
      const c = calibrate(sp, { element: 'Ni', edge: 'K' });
      const larchE0 = refch.scans.find((x) => x.file === `d_Ref_NiO${scan}.dat`)!.e0;
      expect(Math.abs(c.e0Measured - larchE0)).toBeLessThan(1e-3);
      expect(c.eShift).toBeCloseTo(8333 - c.e0Measured, 12);
      expect(c.spectrum.eShift).toBe(c.eShift);
      expect(Array.from(sp.energy)).toEqual(Array.from(before));
      expect(sp.eShift).toBeUndefined();
      expect(shiftedEnergy(c.spectrum)[0]).toBeCloseTo(sp.energy[0] + c.eShift, 9);
      if (scan === '_009') expect(c.warnings).toEqual([]); // 5.5 eV: no large-shift warning
    }
  });

  itShared('e0Shift against the foil channel; a missing channel is a warning, not a crash', () => {
    const spectra = ['', '_000', '_001'].map(nioSpectrum);
    const s = summarizeSeries(spectra, { useReference: true, variable: { name: 'potential', values: ['OCP', '-0.4', '-0.7'] } });
    expect(s.spectra.map((r) => r.var)).toEqual(['OCP', -0.4, -0.7]);
    for (const r of s.spectra) expect(r.e0Shift).toBeCloseTo(r.e0 - r.referenceE0!, 12);
    expect(s.warnings).toEqual([]);
    const partial = summarizeSeries([spectra[0], { ...spectra[1], reference: undefined }], { useReference: true });
    expect(partial.warnings.join('\n')).toMatch(/1 of 2 files lack the reference channel/);
    expect(() => calibrate({ ...spectra[1], reference: undefined }, { element: 'Ni', channel: 'reference' })).toThrow(/no reference channel/);
  });
});

describe('series summary: bad input', () => {
  itShared('--var with the wrong number of values is refused', () => {
    const sp = nioSpectrum('');
    expect(() => summarizeSeries([sp], { variable: { name: 'potential', values: ['a', 'b'] } })).toThrow(/2 values for 1 spectra/);
  });
});
