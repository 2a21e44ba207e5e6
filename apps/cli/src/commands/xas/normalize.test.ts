import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main';
import { generateXasExample } from '../../../../../scripts/examples/xasSpectrum';
import { capture } from '../../testing';

let dir: string;
let file: string;
const prevCwd = process.env.INIT_CWD;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-normalize-'));
  file = path.join(dir, 'ni.xdi');
  writeFileSync(file, generateXasExample().xdi);
  writeFileSync(path.join(dir, 'nomu.dat'), '# energy i0 itrans\n' + Array.from({ length: 20 }, (_, i) => `${8300 + i} 100 50`).join('\n') + '\n');
  // energy goes backwards on file line 9
  writeFileSync(path.join(dir, 'bad.dat'), '# energy i0 itrans\n' + Array.from({ length: 15 }, (_, i) => `${i === 7 ? 8301 : 8300 + i} 100 ${(50 - 20 * Math.atan(i - 9)).toFixed(2)}`).join('\n') + '\n');
  writeFileSync(path.join(dir, 'flat.dat'), '# energy i0 itrans\n' + Array.from({ length: 15 }, (_, i) => `${8300 + i} 100 50`).join('\n') + '\n');
});
afterEach(() => {
  process.env.INIT_CWD = prevCwd;
});

describe('siteproof xas normalize', () => {
  it('prints exactly one JSON object with the documented fields (--json)', async () => {
    const c = capture();
    const code = await main(['xas', 'normalize', file, '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const text = c.out.join('');
    const j = JSON.parse(text);
    for (const k of ['e0', 'edgeStep', 'pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'energy', 'norm', 'flat']) expect(j).toHaveProperty(k);
    expect(Math.abs(j.e0 - 8333)).toBeLessThanOrEqual(0.5);
    expect(j.energy.length).toBe(j.norm.length);
    expect(text.trim().split('\n')).toHaveLength(1);
  });

  it('honours --mu and the range flags', async () => {
    const c = capture();
    const code = await main(['xas', 'normalize', file, '--mu', 'ln(i0/itrans)', '--pre1=-150', '--pre2=-40', '--norm1', '100', '--nnorm', '1', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect([j.pre1, j.pre2, j.norm1, j.nnorm]).toEqual([-150, -40, 100, 1]);
  });

  it('prints a readable summary without --json and writes --out atomically', async () => {
    const out = path.join(dir, 'res.json');
    const c = capture();
    const code = await main(['xas', 'normalize', file, '--out', out]);
    c.restore();
    expect(code).toBe(0);
    expect(c.out.join('')).toMatch(/E0\s+833\d\.\d+ eV/);
    expect(JSON.parse(readFileSync(out, 'utf8')).edgeStep).toBeGreaterThan(0);
  });

  it('fails with the column list when no mu column exists, and names an unknown column in --mu', async () => {
    const c = capture();
    const code1 = await main(['xas', 'normalize', path.join(dir, 'nomu.dat'), '--json']);
    const code2 = await main(['xas', 'normalize', path.join(dir, 'nomu.dat'), '--mu', 'ln(i0/it)', '--json']);
    c.restore();
    expect(code1).not.toBe(0);
    expect(code2).not.toBe(0);
    expect(c.out.join('')).toBe('');
    const err = c.err.join('');
    expect(err).toMatch(/available columns: energy, i0, itrans/);
    expect(err).toMatch(/unknown column 'it'/);
  });

  it('exits non-zero on bad input: decreasing energy, missing file, bad flag value', async () => {
    const c = capture();
    const codes = [
      await main(['xas', 'normalize', path.join(dir, 'bad.dat'), '--mu', 'ln(i0/itrans)', '--json']),
      await main(['xas', 'normalize', path.join(dir, 'missing.xdi'), '--json']),
      await main(['xas', 'normalize', file, '--e0', 'abc', '--json']),
      await main(['xas', 'normalize', file, '--nnorm', '2.5', '--json']),
    ];
    c.restore();
    for (const code of codes) expect(code).not.toBe(0);
    expect(c.out.join('')).toBe('');
    const err = c.err.join('');
    expect(err).toMatch(/bad\.dat:9.*decreasing energy/);
    expect(err).toMatch(/no such file/);
    expect(err).toMatch(/--e0/);
    expect(err).toMatch(/--nnorm/);
  });

  it('reads a file with a backwards energy when asked for Larch’s energy policy', async () => {
    const c = capture();
    const ok = await main(['xas', 'normalize', path.join(dir, 'bad.dat'), '--mu', 'ln(i0/itrans)', '--energy-policy', 'larch', '--json']);
    const bad = await main(['xas', 'normalize', path.join(dir, 'bad.dat'), '--mu', 'ln(i0/itrans)', '--energy-policy', 'sloppy', '--json']);
    c.restore();
    expect(ok).toBe(0);
    expect(JSON.parse(c.out.join('')).energy).toHaveLength(15);
    expect(bad).not.toBe(0);
    expect(c.err.join('')).toMatch(/--energy-policy/);
  });

  it('refuses a spectrum without an edge instead of dividing by a zero edge step', async () => {
    const c = capture();
    const code = await main(['xas', 'normalize', path.join(dir, 'flat.dat'), '--mu', 'ln(i0/itrans)', '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/edge step/);
  });
});
