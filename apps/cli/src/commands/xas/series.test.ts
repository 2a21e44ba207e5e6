import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main';
import { capture } from '../../testing';

// Synthetic Ni K-edge scans: sample edge at 8340 + shift, foil channel (ln(it/iref)) at 8333 + drift.
function scan(shift: number, drift: number, withRef = true): string {
  const rows: string[] = [withRef ? '# energy i0 itrans irefer' : '# energy i0 itrans'];
  for (let i = 0; i < 700; i++) {
    const e = i < 100 ? 8150 + i * 1.5 : 8300 + (i - 100) * 0.2;
    const mu = 0.3 + 0.8 * (0.5 + Math.atan((e - 8340 - shift - drift) / 2) / Math.PI) + 0.4 * Math.exp(-(((e - 8346 - shift - drift) / 3) ** 2));
    const ref = 0.2 + 1.0 * (0.5 + Math.atan((e - 8333 - drift) / 1.5) / Math.PI);
    const i0 = 1e5;
    const it = i0 * Math.exp(-mu);
    const ir = it * Math.exp(-ref);
    rows.push(withRef ? `${e.toFixed(3)} ${i0} ${it.toFixed(4)} ${ir.toFixed(6)}` : `${e.toFixed(3)} ${i0} ${it.toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-series-'));
  writeFileSync(path.join(dir, 'ocp.dat'), scan(0, 0.3));
  writeFileSync(path.join(dir, 'm04.dat'), scan(-1, -0.6));
  writeFileSync(path.join(dir, 'm07.dat'), scan(-2, 0.9));
  writeFileSync(path.join(dir, 'noref.dat'), scan(-2, 0, false));
});

describe('siteproof xas series', () => {
  it('prints { spectra: [{ file, var, e0, e0Shift, edgeStep, whiteLine }] } with the variable in order', async () => {
    const c = capture();
    const files = ['ocp.dat', 'm04.dat', 'm07.dat'].map((f) => path.join(dir, f));
    const code = await main(['xas', 'series', ...files, '--var', 'potential=OCP,-0.4,-0.7', '--mu', 'ln(i0/itrans)', '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.variable).toBe('potential');
    expect(j.spectra.map((s: any) => s.var)).toEqual(['OCP', -0.4, -0.7]);
    for (const s of j.spectra) for (const k of ['file', 'e0', 'e0Shift', 'edgeStep', 'whiteLine']) expect(s).toHaveProperty(k);
    expect(j.spectra[0].e0Shift).toBe(0);
    expect(j.spectra[0]).not.toHaveProperty('alignShift');
    // Without the foil, the mono drift (0.3, −0.6, 0.9 eV) is mixed into the shift: −1.9 and −1.4 eV.
    expect(Math.abs(j.spectra[1].e0Shift + 1.9)).toBeLessThan(0.45);
  });

  it('with --reference-channel, e0Shift is against the foil (drift cancels); --element calibrates', async () => {
    const c = capture();
    const files = ['ocp.dat', 'm04.dat', 'm07.dat'].map((f) => path.join(dir, f));
    const code = await main(['xas', 'series', ...files, '--mu', 'ln(i0/itrans)', '--reference-channel', 'ln(itrans/irefer)', '--element', 'Ni', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    const d = j.spectra.map((s: any) => s.e0Shift - j.spectra[0].e0Shift);
    // E0 sits on grid points (0.2 eV here), so the recovered shifts carry ±0.2 eV each.
    expect(Math.abs(d[1] + 1)).toBeLessThan(0.45);
    expect(Math.abs(d[2] + 2)).toBeLessThan(0.45);
    // Calibrated foil: Larch find_e0 smooths on an absolute energy grid, so E0 is shift-equivariant
    // only to one data step (0.2 eV).
    for (const s of j.spectra) expect(Math.abs(s.referenceE0 - 8333)).toBeLessThan(0.25);
  });

  it('--align reports the whole-edge shift to the first spectrum', async () => {
    const c = capture();
    const files = ['ocp.dat', 'm04.dat', 'm07.dat'].map((f) => path.join(dir, f));
    const code = await main(['xas', 'series', ...files, '--mu', 'ln(i0/itrans)', '--align', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    // Sample edges moved by shift + drift: −1.9 and −1.4 eV relative to the first ⇒ align by +1.9 and +1.4.
    expect(j.spectra[0].alignShift).toBe(0);
    expect(Math.abs(j.spectra[1].alignShift - 1.9)).toBeLessThan(0.02);
    expect(Math.abs(j.spectra[2].alignShift - 1.4)).toBeLessThan(0.02);
  });

  it('a file without the reference channel is a warning, not a failure', async () => {
    const c = capture();
    const code = await main(['xas', 'series', path.join(dir, 'ocp.dat'), path.join(dir, 'noref.dat'), '--mu', 'ln(i0/itrans)', '--reference-channel', 'ln(itrans/irefer)', '--json']);
    c.restore();
    expect(code).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.warnings.join('\n')).toMatch(/noref\.dat: reference channel 'ln\(itrans\/irefer\)' not available/);
  });

  it('rejects a --var with the wrong number of values on stderr', async () => {
    const c = capture();
    const code = await main(['xas', 'series', path.join(dir, 'ocp.dat'), '--mu', 'ln(i0/itrans)', '--var', 'potential=OCP,-0.4', '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/2 values for 1 spectra/);
  });
});
