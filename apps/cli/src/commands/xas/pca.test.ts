import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main';
import { capture } from '../../testing';

const energy = Array.from({ length: 500 }, (_, i) => (i < 100 ? 6950 + i * 1.5 : 7100 + (i - 100) * 0.5));
const ref = (e0: number, wl: number) => energy.map((e) => 0.1 + 0.9 * (0.5 + Math.atan((e - e0) / 1.5) / Math.PI) + wl * Math.exp(-(((e - e0 - 5) / 3) ** 2)));
const A = ref(7120, 0.5);
const B = ref(7126, 1.1);
const F = ref(7110, 2.0);
let dir: string;
const files: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-pca-'));
  let s = 5;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 1e-3;
  [0, 0.2, 0.4, 0.6, 0.8, 1].forEach((f, j) => {
    const name = path.join(dir, `s${j}.dat`);
    writeFileSync(name, '# energy mu\n' + energy.map((e, i) => `${e} ${f * A[i] + (1 - f) * B[i] + rnd()}`).join('\n') + '\n');
    files.push(name);
  });
  writeFileSync(path.join(dir, 'A.dat'), '# energy mu\n' + energy.map((e, i) => `${e} ${A[i]}`).join('\n') + '\n');
  writeFileSync(path.join(dir, 'F.dat'), '# energy mu\n' + energy.map((e, i) => `${e} ${F[i]}`).join('\n') + '\n');
});

describe('siteproof xas pca', () => {
  it('prints eigenvalues, scree, IND, nsig and scores targets (true one first)', async () => {
    const c = capture();
    const code = await main(['xas', 'pca', ...files, '--targets', `${path.join(dir, 'F.dat')},${path.join(dir, 'A.dat')}`, '--ncomps', '2', '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.eigenvalues).toHaveLength(6);
    expect(j.ind).toHaveLength(5);
    expect(j.cumulativeVariance[1]).toBeGreaterThan(0.999);
    expect(j.nsig).toBeGreaterThanOrEqual(1);
    expect(j.targets.map((t: any) => t.name)).toEqual(['A', 'F']);
    expect(j.targets[0].rFactor).toBeLessThan(1e-5);
    for (const r of j.reconstruction) expect(r.rFactor).toBeLessThan(1e-5);
  });

  it('refuses fewer than 3 files', async () => {
    const c = capture();
    const code = await main(['xas', 'pca', files[0], files[1], '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.err.join('')).toMatch(/at least 3/);
  });
});
