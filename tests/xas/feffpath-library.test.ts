// The committed FEFF path library: manifest consistent with the files, every path readable, the
// motifs' first shells where the feff.inp put them.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeffPath } from '@siteproof/xas';
import { REPO_ROOT } from '../helpers/shared';

const LIB = path.join(REPO_ROOT, 'packages/xas/feff-library');
interface Site { motif: string; absorber: string; input: string; rmaxKeep: number; paths: { file: string; reff: number; degen: number; nleg: number; atoms: string[] }[] }
const manifest = JSON.parse(readFileSync(path.join(LIB, 'manifest.json'), 'utf8')) as { sites: Record<string, Site> };

describe('FEFF path library', () => {
  const metals = ['Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn'];
  it('has every single-site motif for the six metals and both ends of the six pairs, N and S bridged', () => {
    for (const m of metals) for (const motif of ['N4', 'N3S1', 'N3P1', 'N4Cl', 'N4O']) expect(manifest.sites[`${m}${motif}`], `${m}${motif}`).toBeDefined();
    for (const [a, b] of [['Fe', 'Co'], ['Fe', 'Ni'], ['Co', 'Ni'], ['Cu', 'Ni'], ['Fe', 'Cu'], ['Fe', 'Zn']]) {
      for (const br of ['N', 'S']) {
        expect(manifest.sites[`${a}${b}_${br}2`]).toBeDefined();
        expect(manifest.sites[`${b}${a}_${br}2`]).toBeDefined();
      }
    }
  });

  for (const [name, site] of Object.entries(manifest.sites)) {
    it(`${name}: input and paths are present, readable and match the manifest`, () => {
      expect(existsSync(path.join(LIB, site.input))).toBe(true);
      expect(site.paths.length).toBeGreaterThanOrEqual(3);
      for (const p of site.paths) {
        const d = readFeffPath(readFileSync(path.join(LIB, p.file), 'utf8'), p.file);
        expect(d.reff).toBeCloseTo(p.reff, 4);
        expect(d.degen).toBe(p.degen);
        expect(d.nleg).toBe(p.nleg);
        expect(d.geom[0].label).toBe(site.absorber);
        expect(d.reff).toBeLessThanOrEqual(site.rmaxKeep);
      }
      // first shell: the ligand (or, in the Cu foil, Cu) nearest to the metal, 1.9–2.6 Å
      const first = site.paths[0];
      expect(first.nleg).toBe(2);
      expect(first.reff).toBeGreaterThan(1.9);
      expect(first.reff).toBeLessThan(site.motif === 'reference' ? 2.6 : 2.4);
    });
  }

  it('puts the motif-defining scatterers at the intended distances', () => {
    const find = (site: string, atoms: string[]) => manifest.sites[site].paths.find((p) => p.nleg === 2 && p.atoms[1] === atoms[1]);
    expect(find('FeN3S1', ['Fe', 'S'])!.reff).toBeCloseTo(2.28, 3);
    expect(find('FeN3S1', ['Fe', 'S'])!.degen).toBe(1);
    expect(find('FeN3P1', ['Fe', 'P'])!.reff).toBeCloseTo(2.3, 3);
    expect(find('CoN4Cl', ['Co', 'Cl'])!.reff).toBeCloseTo(2.3, 3);
    expect(find('NiN4O', ['Ni', 'O'])!.reff).toBeCloseTo(2.05, 3);
    expect(find('FeN4', ['Fe', 'N'])!.degen).toBe(4);
    expect(find('FeN4', ['Fe', 'C'])!.reff).toBeGreaterThan(2.9);
    expect(find('FeCo_N2', ['Fe', 'Co'])!.reff).toBeCloseTo(2.45, 3);
    expect(find('ZnFe_S2', ['Zn', 'Fe'])!.reff).toBeCloseTo(2.55, 3);
  });

  it('stays small (< 10 MB)', () => {
    let total = 0;
    for (const site of Object.values(manifest.sites)) for (const p of site.paths) total += readFileSync(path.join(LIB, p.file)).length;
    expect(total).toBeLessThan(10e6);
  });
});
