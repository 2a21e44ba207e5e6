import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { autobk, loadSpectrum, preEdge, xftf } from '@siteproof/xas';
import { main } from '../../main';
import { generateXasExample } from '../../../../../scripts/examples/xasSpectrum';
import { capture } from '../../testing';

async function run(args: string[]) {
  const c = capture();
  try {
    const code = await main(args);
    return { code, out: c.out.join(''), err: c.err.join('') };
  } finally {
    c.restore();
  }
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-exafs-'));
  file = path.join(dir, 'ni_n4.xdi');
  writeFileSync(file, generateXasExample().xdi); // synthetic Ni–N4 (1.87 Å) + Ni–C (2.90 Å)
  writeFileSync(path.join(dir, 'xanes.dat'), '# energy mu\n' + Array.from({ length: 60 }, (_, i) => `${8300 + i} ${i > 33 ? 1 : 0.1}`).join('\n') + '\n');
});

describe('siteproof xas exafs', () => {
  it('--json prints one object { e0, edgeStep, k, chi, r, chirMag, chirRe, chirIm } equal to the library pipeline', async () => {
    const r = await run(['xas', 'exafs', file, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const j = JSON.parse(r.out);
    for (const key of ['e0', 'edgeStep', 'k', 'chi', 'r', 'chirMag', 'chirRe', 'chirIm']) expect(j).toHaveProperty(key);
    expect(j.k.length).toBe(j.chi.length);
    expect(j.r.length).toBe(j.chirMag.length);
    expect(j.wavelet).toBeUndefined();
    // same numbers as calling the library directly with the documented defaults
    const s = loadSpectrum(readFileSync(file), 'ni_n4.xdi');
    const pre = preEdge(s.energy, s.mu);
    const bk = autobk(pre.energy, pre.mu, { e0: pre.e0, edgeStep: pre.edgeStep, rbkg: 1, kweight: 2 });
    const ft = xftf(bk.k, bk.chi, { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 });
    expect(j.e0).toBe(pre.e0);
    for (let i = 0; i < bk.chi.length; i += 17) expect(j.chi[i]).toBe(bk.chi[i]);
    for (let i = 0; i < ft.r.length; i += 13) expect(j.chirMag[i]).toBe(ft.chirMag[i]);
    // the first shell (Ni–N 1.87 Å, phase-uncorrected ≈ 0.3–0.5 Å shorter) dominates |χ(R)|
    let b = 0;
    for (let i = 1; i < j.r.length && j.r[i] < 6; i++) if (j.chirMag[i] > j.chirMag[b]) b = i;
    expect(j.r[b]).toBeGreaterThan(1.2);
    expect(j.r[b]).toBeLessThan(1.9);
  });

  it('honours the FT flags and adds a wavelet map (cauchy and morlet)', async () => {
    const a = JSON.parse((await run(['xas', 'exafs', file, '--kmin', '2', '--kmax', '10', '--window', 'kaiser', '--dk', '3', '--kweight', '1', '--rmax-out', '5', '--json'])).out);
    expect(a.r[a.r.length - 1]).toBeLessThanOrEqual(5.04);
    const c = JSON.parse((await run(['xas', 'exafs', file, '--wavelet', 'cauchy', '--json'])).out);
    expect(c.wavelet.kind).toBe('cauchy');
    expect(c.wavelet.mag.length).toBe(c.wavelet.r.length);
    expect(c.wavelet.mag[0].length).toBe(c.wavelet.k.length);
    const m = JSON.parse((await run(['xas', 'exafs', file, '--wavelet', 'morlet', '--eta', '8', '--wavelet-rmax', '4', '--json'])).out);
    expect(m.wavelet.kind).toBe('morlet');
    expect(m.wavelet.r[m.wavelet.r.length - 1]).toBeLessThanOrEqual(4);
    expect(m.wavelet.mag.flat().every((v: number) => Number.isFinite(v))).toBe(true);
  });

  it('prints a readable summary without --json and writes --out', async () => {
    const out = path.join(dir, 'res.json');
    const r = await run(['xas', 'exafs', file, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/AUTOBK/);
    expect(r.out).toMatch(/\|χ\(R\)\| max/);
    expect(JSON.parse(readFileSync(out, 'utf8')).chi.length).toBeGreaterThan(100);
  });

  it('bad input: typed errors on stderr and a non-zero exit', async () => {
    for (const [args, msg] of [
      [['--rbkg', '0'], /rbkg/],
      [['--kmin', '12', '--kmax', '3'], /kmin/],
      [['--window', 'triangle'], /unknown window/],
      [['--kmin', '40', '--kmax', '45'], /beyond the data/],
      [['--wavelet', 'haar'], /wavelet/],
    ] as const) {
      const r = await run(['xas', 'exafs', file, ...args, '--json']);
      expect(r.code).not.toBe(0);
      expect(r.out).toBe('');
      expect(r.err).toMatch(msg);
    }
    const w = await run(['xas', 'exafs', file, '--kmax', '30', '--json']);
    expect(w.code).toBe(0);
    expect(w.err).toMatch(/beyond the end of the data/);
    expect(() => JSON.parse(w.out)).not.toThrow();
    const x = await run(['xas', 'exafs', path.join(dir, 'xanes.dat'), '--json']);
    expect(x.code).not.toBe(0);
    expect(x.err).toMatch(/too few points above E0|beyond the data/);
  });
});
