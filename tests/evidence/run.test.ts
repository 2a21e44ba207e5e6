// runVerdict / verdictForFolder with in-memory files: config validation and discovery, the HAADF
// efficiency-corrected fraction from a stem pairs.json, XANES from two-column files.
import { describe, expect, it } from 'vitest';
import { joinRel, renderVerdictMarkdown, seededNormal, synthesizeLayout, verdictDocument, verdictForFolder } from '@siteproof/evidence';

const enc = (s: string) => new TextEncoder().encode(s);
function folder(files: Record<string, string>) {
  return { listing: Object.keys(files), read: async (n: string) => { if (!(n in files)) throw new Error(`no ${n}`); return enc(files[n]); } };
}
const lay = synthesizeLayout({ widthNm: 40, heightNm: 40, nSingles: 70, nPairs: 30, seed: 6 });
const atoms = ['x_nm,y_nm', ...Array.from(lay.xNm, (x, i) => `${x},${lay.yNm[i]}`)].join('\n');
const x = Array.from({ length: 201 }, (_, i) => 7100 + i * 0.5);
const curve = (e0: number, wl: number) => x.map((e) => 0.5 + Math.atan((e - e0) / 2) / Math.PI + wl * Math.exp(-(((e - e0 - 6) / 4) ** 2)));
const cols = (y: number[]) => ['# energy norm', ...x.map((e, i) => `${e} ${y[i]}`)].join('\n');
const g = seededNormal(4);
const a = curve(7120, 0.6);
const b = curve(7123, 0.9);

describe('verdictForFolder', () => {
  it('HAADF with the efficiency-corrected fraction and XANES: both rows, one technique short of a verdict each', async () => {
    const f = folder({
      'atoms.csv': atoms,
      'pairs.json': JSON.stringify({ corrected: { pairSiteFraction: 0.41, ci95: { pairSiteFraction: [0.3, 0.52] } } }),
      'data.nor': cols(a.map((v, i) => 0.5 * v + 0.5 * b[i] + 0.003 * g.normal())),
      'a.nor': cols(a),
      'b.nor': cols(b),
    });
    const v = await verdictForFolder(
      { metals: ['Fe', 'Co'], haadf: { atoms: 'atoms.csv', widthNm: 40, heightNm: 40, simulations: 99, pairs: 'pairs.json' }, xanes: { data: 'data.nor', references: ['a.nor', 'b.nor'] } },
      f.listing,
      f.read,
    );
    expect(v.rows.map((r) => r.technique)).toEqual(['HAADF-STEM', 'XANES']);
    expect(v.rows[0].interval).toMatch(/efficiency-corrected pair-site fraction 0.41 \[0.3, 0.52\]/);
    expect(v.rows[0].supports).toBe('pair');
    expect(v.rows[1].supports).toBe('inconclusive');
    expect(v.overall).toBe('inconclusive');
    expect(v.leaning).toBe('pair');
    const doc = verdictDocument(v);
    expect(JSON.parse(JSON.stringify(doc)).rows).toHaveLength(2);
    expect(renderVerdictMarkdown(v)).toMatch(/\| HAADF-STEM \|/);
  });
  it('config errors name the field; a file the config names must exist', async () => {
    const f = folder({ 'atoms.csv': atoms });
    await expect(verdictForFolder({ haadf: { atoms: 'atoms.csv', widthNm: -1, heightNm: 40 } }, f.listing, f.read)).rejects.toThrow(/widthNm/);
    await expect(verdictForFolder({ haadf: { atoms: 'missing.csv', widthNm: 40, heightNm: 40 } }, f.listing, f.read)).rejects.toThrow(/not found in the folder/);
    await expect(verdictForFolder({ tofsims: { sample: 'atoms.csv' } }, f.listing, f.read)).rejects.toThrow(/metals/);
  });
  it('joinRel resolves model-relative FEFF paths', () => {
    expect(joinRel('models', '../feff/feff0001.dat')).toBe('feff/feff0001.dat');
    expect(joinRel('', './a.json')).toBe('a.json');
  });
});
