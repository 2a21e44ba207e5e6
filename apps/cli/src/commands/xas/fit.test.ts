import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPathParams, PathModel, readFeffPath } from '@siteproof/xas';
import { main } from '../../main';
import { itShared, sharedPath, loadReference } from '../../../../../tests/helpers/shared';
import { capture } from '../../testing';

const LIB = path.resolve(__dirname, '../../../../../packages/xas/feff-library');

let dir: string;
const model = (over: Record<string, unknown> = {}) => ({
  data: 'chi.dat',
  transform: { kmin: 2.5, kmax: 14, kweight: 2, dk: 1, window: 'hanning', rmin: 1, rmax: 3.2 },
  epsilonK: 0.001,
  params: {
    amp: { value: 1, vary: true, min: 0, max: 2 },
    de0: { value: 0, vary: true },
    drN: { value: 0, vary: true },
    ssN: { value: 0.003, vary: true },
    drC: { value: 0, vary: true },
    ssC: { value: 0.003, vary: true },
  },
  paths: [
    { feff: 'paths/feff0001.dat', s02: 'amp', e0: 'de0', deltar: 'drN', sigma2: 'ssN' },
    { feff: 'paths/feff0002.dat', s02: 'amp', e0: 'de0', deltar: 'drC', sigma2: 'ssC' },
  ],
  ...over,
});

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-fit-'));
  const sub = path.join(dir, 'paths');
  mkdirSync(sub);
  for (const f of ['feff0001.dat', 'feff0002.dat']) copyFileSync(path.join(LIB, 'CoN4', f), path.join(sub, f));
  // χ(k) synthesized from the same paths (N = 4 and 8 from the files), written as a 2-column file
  const k = Float64Array.from({ length: 321 }, (_, i) => i * 0.05);
  const chi = new Float64Array(k.length);
  const parts = [
    { f: 'feff0001.dat', dr: -0.01, ss: 0.0035 },
    { f: 'feff0002.dat', dr: 0.04, ss: 0.007 },
  ];
  for (const p of parts) {
    const m = new PathModel(readFeffPath(readFileSync(path.join(sub, p.f), 'utf8'), p.f));
    m.chi(k, { ...defaultPathParams(m.data), s02: 0.8, e0: -2, deltar: p.dr, sigma2: p.ss }, chi, true);
  }
  writeFileSync(path.join(dir, 'chi.dat'), '# k chi\n' + Array.from(k, (kk, i) => `${kk.toFixed(3)} ${chi[i].toExponential(10)}`).join('\n') + '\n');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model()));
  const { data: _d, transform, epsilonK, paths, params } = model() as Record<string, unknown>;
  writeFileSync(path.join(dir, 'two.json'), JSON.stringify({ params, datasets: [{ data: 'chi.dat', transform, epsilonK, paths }, { data: 'chi.dat', transform: { ...(transform as object), kweight: 3 }, epsilonK, paths }] }));
  writeFileSync(path.join(dir, 'typo.json'), JSON.stringify(model({ paths: [{ feff: 'paths/feff0001.dat', s02: 'amp', sigma2: 'ss_n' }] })));
  writeFileSync(path.join(dir, 'cycle.json'), JSON.stringify(model({ params: { a: { expr: 'b' }, b: { expr: 'a+1' } }, paths: [{ feff: 'paths/feff0001.dat', s02: 'a' }] })));
  writeFileSync(
    path.join(dir, 'tooMany.json'),
    JSON.stringify(model({ transform: { kmin: 3, kmax: 6, rmin: 1.4, rmax: 2.2 }, params: Object.fromEntries(['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => [n, { value: 0.2, vary: true }])), paths: [{ feff: 'paths/feff0001.dat', s02: 'n1+n2+n3', sigma2: 'n4*0.01', e0: 'n5' }] })),
  );
  const bad = readFileSync(path.join(sub, 'feff0001.dat'), 'utf8').split('\n');
  const i = bad.findIndex((l) => l.includes('real[p]@#')) + 3;
  bad[i] = bad[i].trim().split(/\s+/).slice(0, 5).join('  ');
  writeFileSync(path.join(sub, 'broken.dat'), bad.join('\n'));
  writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(model({ paths: [{ feff: 'paths/broken.dat', s02: 'amp' }] })));
});

describe('siteproof xas fit', () => {
  it('fits the model and prints the JSON summary (files relative to the model)', async () => {
    const c = capture();
    const code = await main(['xas', 'fit', path.join(dir, 'model.json'), '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.params.amp.value).toBeCloseTo(0.8, 4);
    expect(j.params.de0.value).toBeCloseTo(-2, 3);
    expect(j.params.ssC.value).toBeCloseTo(0.007, 5);
    expect(j.params.drN.stderr).toBeGreaterThan(0);
    for (const key of ['chiSquare', 'redChi', 'rFactor', 'nIndependent', 'nVarys', 'correlations', 'paths']) expect(j).toHaveProperty(key);
    expect(j.nVarys).toBe(6);
    expect(j.paths).toHaveLength(2);
    expect(j.paths[1].r.value).toBeCloseTo(j.paths[1].reff + 0.04, 4);
    expect(j.paths[0].atoms).toEqual(['Co', 'N']);
  });

  it('prints the text report without --json and writes --out', async () => {
    const c = capture();
    const code = await main(['xas', 'fit', path.join(dir, 'model.json'), '--out', path.join(dir, 'result.json')]);
    c.restore();
    expect(code).toBe(0);
    expect(c.out.join('')).toContain('=================== FEFFIT RESULTS');
    const full = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(full.arrays[0].chiModel.length).toBe(full.arrays[0].k.length);
    expect(full.report).toContain('[[Paths]]');
  });

  it('bad input: unknown name, cycle, broken path file → clear errors and non-zero exit', async () => {
    const c = capture();
    const a = await main(['xas', 'fit', path.join(dir, 'typo.json'), '--json']);
    const b = await main(['xas', 'fit', path.join(dir, 'cycle.json'), '--json']);
    const d = await main(['xas', 'fit', path.join(dir, 'broken.json'), '--json']);
    const e = await main(['xas', 'fit', path.join(dir, 'missing.json'), '--json']);
    c.restore();
    expect([a, b, d, e].every((x) => x !== 0)).toBe(true);
    expect(c.out.join('')).toBe('');
    const err = c.err.join('');
    expect(err).toMatch(/unknown name 'ss_n'/);
    expect(err).toMatch(/circular parameter expressions: a → b → a/);
    expect(err).toMatch(/broken\.dat:\d+.*5 columns, expected 7/);
    expect(err).toMatch(/missing\.json/);
  });

  it('more variables than independent points: runs, and the result says so', async () => {
    const c = capture();
    const code = await main(['xas', 'fit', path.join(dir, 'tooMany.json'), '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.nVarys).toBe(5);
    expect(j.nIndependent).toBeLessThan(5);
    expect(j.warnings.join(' ')).toMatch(/5 variables but only .* independent points/);
  });

  it('fits datasets: [...] sharing parameters by name', async () => {
    const c = capture();
    const code = await main(['xas', 'fit', path.join(dir, 'two.json'), '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.datasets).toHaveLength(2);
    expect(j.paths).toHaveLength(4);
    expect(j.params.amp.value).toBeCloseTo(0.8, 4);
    expect(j.nIndependent).toBeCloseTo(2 * (1 + (2 * 2.2 * 11.5) / Math.PI), 8);
  });

  itShared('reproduces Larch\'s Cu first-shell fit from the raw scan (mu + background in the model)', async () => {
    const ref = loadReference<{ params: Record<string, { value: number; stderr: number }>; rfactor: number; chi_square: number }>('xas/feffit_cu_1shell.json');
    const m = {
      data: sharedPath('data/xas/xafsdata/cu_metal_rt.xdi'),
      mu: 'mutrans',
      background: { rbkg: 1, kweight: 2 },
      transform: { kmin: 3, kmax: 17, kweight: 2, dk: 4, window: 'kaiser', rmin: 1.4, rmax: 3.0, fitspace: 'r' },
      params: { amp: { value: 1, vary: true }, del_e0: { value: 0, vary: true }, sig2: { value: 0, vary: true }, del_r: { value: 0, vary: true } },
      paths: [{ feff: sharedPath('data/xas/feffit/feffcu01.dat'), s02: 'amp', e0: 'del_e0', sigma2: 'sig2', deltar: 'del_r' }],
    };
    writeFileSync(path.join(dir, 'cu.json'), JSON.stringify(m));
    const c = capture();
    const code = await main(['xas', 'fit', path.join(dir, 'cu.json'), '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    for (const n of ['amp', 'del_e0', 'sig2', 'del_r']) {
      expect(Math.abs(j.params[n].value - ref.params[n].value)).toBeLessThan(0.2 * ref.params[n].stderr);
      expect(Math.abs(j.params[n].stderr / ref.params[n].stderr - 1)).toBeLessThan(0.1);
    }
    expect(Math.abs(j.rFactor / ref.rfactor - 1)).toBeLessThan(0.05);
    expect(Math.abs(j.chiSquare / ref.chi_square - 1)).toBeLessThan(0.01);
  });
});
