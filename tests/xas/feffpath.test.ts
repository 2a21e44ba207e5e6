// Reading every FEFF path file of ../shared (FEFF6 from the Larch examples, FEFF8.5 outputs),
// and the path equation on known cases.
import { describe, expect, it } from 'vitest';
import { ParseError } from '@siteproof/core';
import { readFeffPath, PathModel, defaultPathParams } from '@siteproof/xas';
import { describeShared, listSharedFiles, readSharedText } from '../helpers/shared';

describeShared('feffNNNN.dat reader on every path file in ../shared', () => {
  const files = [
    ...listSharedFiles('data/xas/feffit'),
    ...listSharedFiles('data/xas/feff8l'),
    ...listSharedFiles('data/xas/feff6l'),
  ].filter((f) => f.endsWith('.dat'));

  it('finds the path files', () => expect(files.length).toBeGreaterThanOrEqual(30));

  for (const f of files) {
    it(`reads ${f}`, () => {
      const p = readFeffPath(readSharedText(f), f);
      expect(p.nleg).toBeGreaterThanOrEqual(2);
      expect(p.geom.length).toBe(p.nleg);
      expect(p.degen).toBeGreaterThan(0);
      expect(p.reff).toBeGreaterThan(1);
      expect(p.reff).toBeLessThan(10);
      expect(p.k.length).toBeGreaterThan(30);
      for (const a of [p.k, p.amp, p.pha, p.rep, p.lam]) for (const v of a) expect(Number.isFinite(v)).toBe(true);
      expect(p.kf).toBeGreaterThan(0.5);
      expect(p.rmass).toBeGreaterThan(0);
      expect(p.potentials.length).toBeGreaterThanOrEqual(2);
    });
  }

  it('gets the header of feffcu01.dat (FEFF6) right', () => {
    const p = readFeffPath(readSharedText('data/xas/feffit/feffcu01.dat'), 'feffcu01.dat');
    expect(p.degen).toBe(12);
    expect(p.reff).toBe(2.5478);
    expect(p.rnorman).toBe(2.63);
    expect(p.edge).toBeCloseTo(-5.53502, 10);
    expect(p.kf).toBeCloseTo(1.806, 10);
    expect(p.vint).toBeCloseTo(-17.96, 10);
    expect(p.rsInt).toBeCloseTo(2.008, 10);
    expect(p.gamCh).toBeCloseTo(1.761, 10);
    expect(p.vfermi).toBeCloseTo(3.8099819442818976 * 1.806 ** 2, 10);
    expect(p.shell).toBe('K');
    expect(p.title).toBe('Cu  metal  fcc a=3.603');
    expect(p.version).toBe('Feff XX 6.10');
    expect(p.geom.map((a) => a.label)).toEqual(['Cu', 'Cu']);
    expect(p.geom[1].y).toBeCloseTo(-1.8016, 10);
    expect(p.rmass).toBeCloseTo(63.546 / 2, 6);
    // first row: k=0, pha = 3.5015 + (−5.1320), amp = 0·0.9872
    expect(p.pha[0]).toBeCloseTo(3.5015 - 5.132, 10);
    expect(p.amp[1]).toBeCloseTo(3.3976e-2 * 0.9873, 12);
  });

  it('reads a FEFF8.5 file with its longer header (Fe–O in FeO)', () => {
    const p = readFeffPath(readSharedText('data/xas/feff8l/FeO_withPb/feff_FeO_215.dat'), 'feff_FeO_215.dat');
    expect(p.degen).toBe(6);
    expect(p.reff).toBeCloseTo(2.1554, 10);
    expect(p.potentials.map((q) => q.z)).toEqual([26, 26, 8, 82]);
    expect(p.geom[1].label).toBe('O');
    expect(p.title + ' ' + p.version).toMatch(/Feff8L/);
  });
});

const MINIMAL = (rows: string) => ` Test path                                                       Feff 6
 Abs   Z=29 Rmt= 1.289 Rnm= 1.424 K shell
 Pot 1 Z= 7 Rmt= 1.0 Rnm= 1.1
 Gam_ch=1.761E+00 H-L exch
 Mu=-5.535E+00 kf=1.806E+00 Vint=-1.796E+01 Rs_int= 2.008
 Path    1      icalc       2
 -----------------------------------------------------------------------
   2   4.000   1.9500    2.0000   -5.53502 nleg, deg, reff, rnrmav(bohr), edge
        x         y         z   pot at#
      .0000     .0000     .0000  0  29 Cu       absorbing atom
      .0000     .0000    1.9500  1   7 N
    k   real[2*phc]   mag[feff]  phase[feff] red factor   lambda     real[p]@#
${rows}`;

describe('feffNNNN.dat reader: bad input', () => {
  const good = [0, 1, 2, 3, 4].map((k) => `  ${k}.000  3.5E+00  1.0E-01 -5.0E+00  9.9E-01  1.5E+01  1.8E+00`).join('\n');
  it('reads a minimal well-formed file', () => {
    const p = readFeffPath(MINIMAL(good), 'ok.dat');
    expect(p.k.length).toBe(5);
    expect(p.geom[1].label).toBe('N');
  });
  it('names file, line and field when a data row misses columns', () => {
    const bad = good.replace(/-5\.0E\+00  9\.9E-01  1\.5E\+01  1\.8E\+00$/, '-5.0E+00  9.9E-01');
    try {
      readFeffPath(MINIMAL(bad), 'short.dat');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).location).toMatchObject({ file: 'short.dat', line: 17, field: 'columns' });
      expect((e as Error).message).toMatch(/5 columns, expected 7/);
    }
  });
  it('rejects a non-number and a file without path header', () => {
    expect(() => readFeffPath(MINIMAL(good.replace('3.5E+00', 'abc')), 'nan.dat')).toThrow(/expected a number/);
    expect(() => readFeffPath('just a title\nnothing else\n', 'x.dat')).toThrow(ParseError);
  });
});

describe('path equation', () => {
  const rows = Array.from({ length: 41 }, (_, i) => {
    const k = i * 0.5;
    return `  ${k.toFixed(3)}  ${(1 - 0.05 * k).toExponential(4)}  ${(0.3 * Math.exp(-0.05 * k)).toExponential(4)}  ${(-1 - 0.4 * k).toExponential(4)}  1.000E+00  ${(8 + 0.5 * k).toExponential(4)}  ${Math.sqrt(k * k + 1.806 ** 2).toExponential(4)}`;
  }).join('\n');
  const path = readFeffPath(MINIMAL(rows), 'synthetic.dat');
  const model = new PathModel(path);
  const k = Float64Array.from({ length: 300 }, (_, i) => i * 0.05);

  it('matches a direct evaluation of the EXAFS equation (σ², ΔR, no ΔE0, tables linear in k)', () => {
    const p = { ...defaultPathParams(path), s02: 0.9, sigma2: 0.004, deltar: 0.02 };
    const chi = model.chi(k, p);
    for (const i of [40, 100, 200, 299]) {
      const kk = k[i];
      const amp = 0.3 * Math.exp(-0.05 * kk); // spline reproduces a smooth function closely
      const pha = 1 - 0.05 * kk + (-1 - 0.4 * kk);
      const rep = Math.sqrt(kk * kk + 1.806 ** 2);
      const lam = 8 + 0.5 * kk;
      // with ei = C3 = C4 = 0: p = rep + i/λ
      const pr = rep, pi = 1 / lam;
      const p2r = pr * pr - pi * pi, p2i = 2 * pr * pi;
      const er = -2 * 1.95 * pi - 2 * p2r * 0.004 - 2 * pi * (0.02 - (2 * 0.004) / 1.95);
      const ei = -2 * p2i * 0.004 + 2 * kk * 1.95 + pha + 2 * pr * (0.02 - (2 * 0.004) / 1.95);
      const expected = ((4 * 0.9 * amp) / (kk * (1.95 + 0.02) ** 2)) * Math.exp(er) * Math.sin(ei);
      expect(chi[i]).toBeCloseTo(expected, 5);
    }
  });

  it('scales linearly with N·S0², extrapolates χ̃[0], accumulates', () => {
    const p = defaultPathParams(path);
    const a = model.chi(k, p);
    const b = model.chi(k, { ...p, degen: 8 });
    expect(b[150] / a[150]).toBeCloseTo(2, 12);
    expect(a[0]).toBeCloseTo(2 * a[1] - a[2], 12);
    const acc = Float64Array.from(a);
    model.chi(k, { ...p, e0: 3 }, acc, true);
    const c = model.chi(k, { ...p, e0: 3 });
    for (const i of [0, 1, 77, 299]) expect(acc[i]).toBeCloseTo(a[i] + c[i], 12);
  });

  it('C3 shifts the phase like −(4/3)C3·k³ and C4 damps like exp(2C4·(2k)⁴/48)·…', () => {
    const p = defaultPathParams(path);
    const base = model.chi(k, p);
    const c3 = model.chi(k, { ...p, third: 1e-4 });
    // not equal, finite
    let d = 0;
    for (let i = 1; i < k.length; i++) d = Math.max(d, Math.abs(c3[i] - base[i]));
    expect(d).toBeGreaterThan(1e-5);
    const ei = model.chi(k, { ...p, ei: 2 });
    for (const v of ei) expect(Number.isFinite(v)).toBe(true);
    // imaginary energy only damps: the envelope at high k is smaller
    let s0 = 0, s1 = 0;
    for (let i = 150; i < 300; i++) { s0 += base[i] ** 2; s1 += ei[i] ** 2; }
    expect(s1).toBeLessThan(s0);
  });
});
