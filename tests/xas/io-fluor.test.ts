// Dead-time-corrected fluorescence sum (Larch's sum_fluor_channels, Σ ROI·ICR/(OCR·LTIME)):
// on the fexanes files the beamline also wrote its own corrected sum, sum_fe_ka = Σ fe_ka_mcaN ·
// dtfactor_mcaN. Tolerance 1e-6 relative: the dtfactor columns are written with ~7 digits.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { readColumnFile, sumFluorChannels, type ColumnData } from '@siteproof/xas';
import { describeShared, itShared, readSharedBytes } from '../helpers/shared';

describeShared('sumFluorChannels on fexanes_a.001', () => {
  itShared('Σ fe_ka·dtfactor equals the beamline sum_fe_ka; /i0 gives the mu of the reference', () => {
    const d = readColumnFile(readSharedBytes('data/xas/xafsdata/fexafs/fexanes_a.001'), 'fexanes_a.001');
    const ch = [1, 2, 3, 4, 5, 6, 7];
    const s = sumFluorChannels(d, { roi: ch.map((i) => `fe_ka_mca${i}`), icr: ch.map((i) => `dtfactor_mca${i}`) });
    const ref = d.columns[d.labels.indexOf('sum_fe_ka')];
    let maxRel = 0;
    for (let i = 0; i < ref.length; i++) maxRel = Math.max(maxRel, Math.abs(s[i] - ref[i]) / Math.abs(ref[i]));
    expect(maxRel).toBeLessThan(1e-6);
  });
});

describe('sumFluorChannels formula', () => {
  const d: ColumnData = {
    file: 'f.dat',
    format: 'ascii',
    labels: ['energy', 'roi1', 'roi2', 'icr1', 'icr2', 'ocr1', 'ocr2', 'lt1', 'lt2', 'i0'],
    columns: [[7000, 7001], [10, 20], [30, 40], [110, 120], [130, 140], [100, 100], [100, 100], [0.5, 1], [1, 0.5], [2, 4]].map((c) => Float64Array.from(c)),
    header: [],
    metadata: {},
    warnings: [],
  };
  it('Σ roi·icr/(ocr·ltime), optional /i0', () => {
    const s = sumFluorChannels(d, { roi: ['roi1', 'roi2'], icr: ['icr1', 'icr2'], ocr: ['ocr1', 'ocr2'], ltime: ['lt1', 'lt2'], i0: 'i0' });
    expect(s[0]).toBeCloseTo((10 * 1.1) / 0.5 / 2 + (30 * 1.3) / 1 / 2, 12);
    expect(s[1]).toBeCloseTo((20 * 1.2) / 1 / 4 + (40 * 1.4) / 0.5 / 4, 12);
  });
  it('mismatched lists and unknown columns are ValidationErrors', () => {
    expect(() => sumFluorChannels(d, { roi: ['roi1', 'roi2'], icr: ['icr1'] })).toThrow(ValidationError);
    expect(() => sumFluorChannels(d, { roi: ['roi9'] })).toThrow(/unknown column 'roi9'/);
  });
});
