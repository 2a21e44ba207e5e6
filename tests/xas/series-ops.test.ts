// Whole-series operations on real data: aligning the NiO foil channels, merging the three Fe–Ga
// scans of athena-exported/align_merge in μ, norm and χ, and deglitching a real foil spectrum.
import { expect } from 'vitest';
import type { Spectrum } from '@siteproof/xas';
import { alignSeries, mergeSpectra } from '../../packages/xas/src/series/seriesOps';
import { findSpikes } from '../../packages/xas/src/series/deglitch';
import { mergeScans } from '../../packages/xas/src/series/merge';
import { spectrumSignal } from '../../packages/xas/src/series/spectrumSignal';
import { describeShared, itShared } from '../helpers/shared';
import { loadColumns } from './seriesData';

function spectrum(rel: string): Spectrum {
  const s = loadColumns(rel);
  return { file: rel.split('/').pop()!, name: rel, energy: s.energy, mu: s.mu, muExpr: 'mu', metadata: {}, warnings: [] };
}

describeShared('series operations on real data', () => {
  itShared('alignSeries puts the shift into eShift and leaves raw energies alone', () => {
    const files = ['', '_000', '_008', '_009', '_010'].map((s) => spectrum(`data/xas/athena-exported/NiO/d_Ref_NiO${s}.dat`));
    const raw = files.map((f) => Float64Array.from(f.energy));
    const r = alignSeries(files);
    expect(r.fits[0].eShift).toBe(0);
    // Same numbers as alignEnergy in align-nio.test.ts: scan 000 ≈ +1.26, 008/009/010 ≈ +6.5…6.6 eV.
    expect(Math.abs(r.fits[1].eShift - 1.26)).toBeLessThan(0.05);
    for (const i of [2, 3, 4]) expect(Math.abs(r.fits[i].eShift - 6.58)).toBeLessThan(0.1);
    r.spectra.forEach((s, i) => {
      expect(s.eShift).toBe(r.fits[i].eShift);
      expect(s.energy).toBe(files[i].energy);
      expect(Array.from(files[i].energy)).toEqual(Array.from(raw[i]));
    });
    // After alignment, E0s of 008–010 (found on energy + eShift) agree with the standard's within 1 eV,
    // except 009 whose max-derivative E0 sits on another peak.
    const e0 = r.spectra.map((s) => spectrumSignal(s, 'norm').e0);
    for (const i of [1, 2, 4]) expect(Math.abs(e0[i] - e0[0])).toBeLessThan(1);
  });

  itShared('merges the three Fe–Ga scans in mu, norm and chi: mean and numpy std, finite everywhere', () => {
    const scans = [1, 2, 3].map((i) => spectrum(`data/xas/athena-exported/align_merge/Fe_Ga_alloy_scan_${i}.dat`));
    for (const array of ['mu', 'norm', 'chi'] as const) {
      const m = mergeSpectra(scans, { array, kweight: array === 'chi' ? 2 : 0 });
      expect(m.count).toBe(3);
      for (let k = 0; k < m.x.length; k++) {
        expect(Number.isFinite(m.mean[k]) && Number.isFinite(m.std[k])).toBe(true);
      }
      // Repeated scans of one sample: the scatter is a small fraction of the signal.
      const rms = Math.sqrt(m.mean.reduce((s, v) => s + v * v, 0) / m.x.length);
      const sd = Math.sqrt(m.std.reduce((s, v) => s + v * v, 0) / m.x.length);
      expect(sd / rms).toBeLessThan(array === 'chi' ? 0.3 : 0.02);
    }
    // Direct check of the statistics on the norm arrays interpolated by hand on scan 1's grid.
    const sig = scans.map((s) => spectrumSignal(s, 'norm'));
    const m = mergeScans(sig.map((g) => ({ x: g.x, y: g.y })));
    const k = Math.floor(m.x.length / 2);
    const m2 = mergeSpectra(scans, { array: 'norm' });
    expect(m2.mean[k]).toBeCloseTo(m.mean[k], 12);
    expect(m2.std[k]).toBeCloseTo(m.std[k], 12);
  });

  itShared('deglitch: no false spikes on a clean foil spectrum, a planted glitch is found', () => {
    const s = loadColumns('data/xas/athena-exported/NiO/d_Ref_NiO.dat');
    expect(findSpikes(s.mu)).toEqual([]);
    const g = Float64Array.from(s.mu);
    g[400] += 0.05; // ~6 % of the edge step, in the EXAFS region
    expect(findSpikes(g)).toEqual([400]);
  });
});
