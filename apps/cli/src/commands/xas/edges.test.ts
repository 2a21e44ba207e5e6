import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main';
import { generateXasExample } from '../../../../../scripts/examples/xasSpectrum';
import { capture } from '../../testing';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-edges-'));
  writeFileSync(path.join(dir, 'a.xdi'), generateXasExample({ seed: 1, e0: 8333 }).xdi);
  writeFileSync(path.join(dir, 'b.xdi'), generateXasExample({ seed: 2, e0: 8335 }).xdi);
  writeFileSync(path.join(dir, 'foil.xdi'), generateXasExample({ seed: 3, e0: 8332 }).xdi);
});

describe('siteproof xas edges', () => {
  it('reports E0 by each definition and shifts relative to the first file (--json)', async () => {
    const c = capture();
    const code = await main(['xas', 'edges', path.join(dir, 'a.xdi'), path.join(dir, 'b.xdi'), '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.definitions).toEqual(['maxDerivative', 'halfStep', 'secondDerivativeZero', 'arctan']);
    expect(j.rows).toHaveLength(2);
    expect(j.rows[0].shift.arctan).toBe(0);
    for (const d of j.definitions) expect(Math.abs(j.rows[1].shift[d] - 2)).toBeLessThan(0.5);
    expect(Math.abs(j.rows[1].alignShift - 2)).toBeLessThan(0.1);
  });

  it('uses --reference and calibrates with --tabulated', async () => {
    const c = capture();
    const code = await main(['xas', 'edges', path.join(dir, 'a.xdi'), '--reference', path.join(dir, 'foil.xdi'), '--tabulated', '8333', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.reference).toContain('foil.xdi');
    expect(Math.abs(j.calibration.eShift - 1)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(j.rows[0].shift.maxDerivative - 1)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(j.rows[0].e0.maxDerivative - 8334)).toBeLessThanOrEqual(0.5);
    // an element symbol picks the tabulated edge energy (Ni K)
    const c2 = capture();
    const code2 = await main(['xas', 'edges', path.join(dir, 'a.xdi'), '--reference', path.join(dir, 'foil.xdi'), '--tabulated', 'Ni', '--json']);
    const bad = await main(['xas', 'edges', path.join(dir, 'a.xdi'), '--tabulated', 'N1 K', '--json']);
    c2.restore();
    expect(code2).toBe(0);
    expect(Math.abs(JSON.parse(c2.out.join('')).calibration.tabulated - 8333)).toBeLessThan(1);
    expect(bad).not.toBe(0);
    expect(c2.err.join('')).toMatch(/--tabulated/);
  });

  it('prints a table without --json, and fails without files', async () => {
    const c = capture();
    const ok = await main(['xas', 'edges', path.join(dir, 'a.xdi'), path.join(dir, 'b.xdi')]);
    const bad = await main(['xas', 'edges', '--json']);
    c.restore();
    expect(ok).toBe(0);
    expect(c.out.join('')).toMatch(/shifts relative to .*a\.xdi/);
    expect(bad).not.toBe(0);
    expect(c.err.join('')).toMatch(/no FILE/);
  });
});

describe('siteproof xas edges --valence', () => {
  it('fits the oxidation-state line from known references and predicts the others with uncertainty', async () => {
    const files = [0, 1, 2, 3].map((v) => {
      const f = path.join(dir, `v${v}.xdi`);
      writeFileSync(f, generateXasExample({ seed: 10 + v, e0: 8333 + 2.0 * v + (v === 1 ? 0.15 : 0) }).xdi);
      return f;
    });
    const unknown = path.join(dir, 'unknown.xdi');
    writeFileSync(unknown, generateXasExample({ seed: 99, e0: 8336 }).xdi);
    const c = capture();
    const code = await main(['xas', 'edges', ...files, unknown, '--valence', files.map((f, v) => `${f}=${v}`).join(','), '--json']);
    const bad = await main(['xas', 'edges', ...files, '--valence', 'nothere.xdi=2', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join('').split('\n')[0]);
    expect(j.oxidationState.definition).toBe('halfStep');
    expect(Math.abs(j.oxidationState.line.slope - 2)).toBeLessThan(0.2);
    const p = j.oxidationState.predictions[0];
    expect(p.file).toBe(unknown);
    expect(Math.abs(p.valence - 1.5)).toBeLessThan(0.15);
    expect(p.uncertainty).toBeGreaterThan(0);
    expect(bad).not.toBe(0);
    expect(c.err.join('')).toMatch(/not among the FILE arguments/);
  });
});
