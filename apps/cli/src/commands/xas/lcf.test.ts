import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main';
import { capture } from '../../testing';

// Synthetic Fe K-edge references with different edges/white lines, written as energy/mu columns.
const energy = Array.from({ length: 500 }, (_, i) => (i < 100 ? 6950 + i * 1.5 : 7100 + (i - 100) * 0.5));
const ref = (e0: number, wl: number) => energy.map((e) => 0.1 + 0.9 * (0.5 + Math.atan((e - e0) / 1.5) / Math.PI) + wl * Math.exp(-(((e - e0 - 5) / 3) ** 2)) - 0.00002 * (e - 7000));
const A = ref(7120, 0.5);
const B = ref(7126, 1.1);
const C = ref(7131, 0.2);
const write = (dir: string, name: string, mu: number[]) => writeFileSync(path.join(dir, name), '# energy mu\n' + energy.map((e, i) => `${e} ${mu[i]}`).join('\n') + '\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-lcf-'));
  write(dir, 'A.dat', A);
  write(dir, 'B.dat', B);
  write(dir, 'C.dat', C);
  write(dir, 'A_copy.dat', A);
  write(dir, 'mix.dat', A.map((v, i) => 0.25 * v + 0.75 * B[i]));
  write(dir, 'mix2.dat', A.map((v, i) => 0.6 * v + 0.4 * B[i]));
});

describe('siteproof xas lcf', () => {
  it('prints { weights: { NAME: { value, stderr } }, eShift, rFactor, redChi } with base names', async () => {
    const c = capture();
    const refs = ['A.dat', 'B.dat', 'C.dat'].map((f) => path.join(dir, f)).join(',');
    const code = await main(['xas', 'lcf', path.join(dir, 'mix.dat'), '--refs', refs, '--sum-to-one', '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(Object.keys(j.weights)).toEqual(['A', 'B', 'C']);
    // Normalization of a mixture is not exactly the mixture of normalizations: 0.01 tolerance.
    expect(Math.abs(j.weights.A.value - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(j.weights.B.value - 0.75)).toBeLessThan(0.01);
    expect(j.weights.C.value).toBeLessThan(0.01);
    for (const k of ['eShift', 'rFactor', 'redChi']) expect(typeof j[k]).toBe('number');
    expect(typeof j.weights.A.stderr).toBe('number');
  });

  it('fits a series and writes the CSV table', async () => {
    const c = capture();
    const csv = path.join(dir, 'table.csv');
    const code = await main(['xas', 'lcf', path.join(dir, 'mix.dat'), path.join(dir, 'mix2.dat'), '--refs', `${path.join(dir, 'A.dat')},${path.join(dir, 'B.dat')}`, '--sum-to-one', '--csv', csv, '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.fits).toHaveLength(2);
    expect(Math.abs(j.fits[1].weights.A.value - 0.6)).toBeLessThan(0.01);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('spectrum,variable,A,A_stderr,B,B_stderr,sum,eshift,eshift_stderr,rfactor,redchi,error');
    expect(lines).toHaveLength(3);
  });

  it('identical references: a clear error on stderr, no NaN weights on stdout', async () => {
    const c = capture();
    const code = await main(['xas', 'lcf', path.join(dir, 'mix.dat'), '--refs', `${path.join(dir, 'A.dat')},${path.join(dir, 'A_copy.dat')}`, '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/'A' and 'A_copy' are identical/);
  });

  it('combinatorial mode lists subsets ranked by reduced chi-square', async () => {
    const c = capture();
    const refs = ['A.dat', 'B.dat', 'C.dat'].map((f) => path.join(dir, f)).join(',');
    const code = await main(['xas', 'lcf', path.join(dir, 'mix.dat'), '--refs', refs, '--sum-to-one', '--combinations', '2', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.tried).toBe(6);
    expect(Object.keys(j.fits[0].weights).sort()).toEqual(['A', 'B']);
  });
});

describe('siteproof xas lcf on an Athena project (FILE.prj#GROUP)', () => {
  const prj = path.resolve(__dirname, '../../../../../../shared/data/xas/xafsdata/AthenaProjectFiles/Fe.prj');
  const shared = (() => {
    try {
      readFileSync(prj);
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!shared)("reproduces Larch's ferrihydrite fit state end to end (weights within 0.02)", async () => {
    const c = capture();
    const code = await main(['xas', 'lcf', `${prj}#Ferrihydrite`, '--refs', `${prj}#Hematite,${prj}#Goerthite,${prj}#Lepidocrocite`, '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    // Larch lcf_Fe_ferrihydrite.json: Hematite 0.2034, Goerthite 0.7991, Lepidocrocite 0.0000 (Fe foil clipped to 0).
    expect(Math.abs(j.weights.Hematite.value - 0.2034)).toBeLessThan(0.02);
    expect(Math.abs(j.weights.Goerthite.value - 0.7991)).toBeLessThan(0.02);
    expect(j.weights.Lepidocrocite.value).toBeLessThan(0.02);
    expect(j.npts).toBe(123);
  });
});
