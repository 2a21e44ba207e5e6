import { describe, expect, it } from 'vitest';
import { classify } from './discover';

describe('file discovery: kinds by name and first bytes', () => {
  it('sorts the usual files of an experiment', () => {
    expect(classify('siteproof.json', '{}').kind).toBe('config');
    expect(classify('xas/feff/feff0001.dat', ' 8.5 ...').kind).toBe('feff');
    expect(classify('haadf/img.tif', '').kind).toBe('haadf');
    expect(classify('haadf/img.emd', '').kind).toBe('haadf');
    expect(classify('m.json', '{ "data": "a.xdi", "paths": [] }').kind).toBe('model');
    expect(classify('truth.json', '{ "xas": 1 }')).toMatchObject({ kind: 'ignored' });
    expect(classify('scan.xdi', '# XDI/1.0 x\n').kind).toBe('xas');
    expect(classify('pos.txt', '# Binning: 1 channels\nChannel\tm/z\tIntensity\n').kind).toBe('tofsims');
    expect(classify('spec.csv', 'mass (u),counts\n').kind).toBe('tofsims');
    expect(classify('scan.dat', '#  energy  i0  itrans\n').kind).toBe('xas');
    expect(classify('notes.md', '# notes').kind).toBe('ignored');
    expect(classify('photo.png', '').kind).toBe('ignored');
    expect(classify('blob.bin', 'xyz').kind).toBe('ignored');
  });
});
