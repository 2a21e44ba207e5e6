import { describe, expect, it } from 'vitest';
import { acquisitionOrder, colourOf, numberIn, seriesValue } from './series';

const key = { metadataKey: 'Sample.electrochemical_potential' };

describe('series variable of an XAS spectrum', () => {
  it('reads the metadata key case-insensitively, with OCP taking the open-circuit value', () => {
    expect(seriesValue('a.xdi', { 'sample.Electrochemical_Potential': '-0.4 V' }, key)).toEqual({ label: '-0.4 V', value: -0.4, source: 'metadata' });
    expect(seriesValue('a.xdi', { 'Sample.electrochemical_potential': 'OCP', 'Sample.open_circuit_potential': '0.82 V vs RHE' }, key)).toEqual({ label: 'OCP', value: 0.82, source: 'metadata' });
    expect(seriesValue('a.xdi', { 'Sample.electrochemical_potential': 'OCP' }, key).value).toBeNull();
  });

  it('config values win over metadata; file names are the last resort', () => {
    expect(seriesValue('xas/a.xdi', { 'Sample.electrochemical_potential': '-0.4 V' }, { ...key, values: { 'a.xdi': -1.2 } })).toEqual({ label: '-1.2', value: -1.2, source: 'config' });
    expect(seriesValue('cu_01_m0.4V.xdi', {}, key)).toEqual({ label: '-0.4 V', value: -0.4, source: 'file name' });
    expect(seriesValue('scan_p0p25V.dat', {}, key)).toMatchObject({ value: 0.25 });
    expect(seriesValue('cu_00_ocp.xdi', {}, key)).toMatchObject({ label: 'OCP', source: 'file name' });
    expect(seriesValue('cu_scan.xdi', {}, key)).toEqual({ label: 'cu_scan.xdi', value: null, source: 'none' });
  });

  it('numbers with a typographic minus', () => {
    expect(numberIn('−0.70 V')).toBe(-0.7);
    expect(numberIn('none')).toBeNull();
  });

  it('orders by Scan.start_time when every file has it, else by name (numeric-aware)', () => {
    const t = (s: string) => ({ 'Scan.start_time': s });
    expect(acquisitionOrder([{ file: 'b', meta: t('2026-01-01T10:00:00') }, { file: 'a', meta: t('2026-01-01T11:00:00') }])).toEqual([0, 1]);
    expect(acquisitionOrder([{ file: 'scan10', meta: {} }, { file: 'scan9', meta: t('2026-01-01T11:00:00') }])).toEqual([1, 0]);
  });

  it('gives distinct colours to the first members', () => {
    expect(new Set([0, 1, 2, 3, 4, 5].map(colourOf)).size).toBe(6);
  });
});
