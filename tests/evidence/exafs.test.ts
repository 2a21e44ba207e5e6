// Known truth: a Fe–Cu dual-atom site vs a single Fe site with Cl at nearly the same distance,
// χ(k) synthesized from the committed FEFF 8.5 library with seeded noise, each fitted with the
// pair model, without it, and with light scatterers instead. The verdict must be right, and
// "inconclusive" when the noise is too high.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { feffit, PathModel, readFeffPath, type FeffitResult } from '@siteproof/xas';
import { exafsEvidence, hamiltonTest, synthesizeChi, waveletEvidence } from '@siteproof/evidence';
import { REPO_ROOT } from '../helpers/shared';

const lib = (f: string) => new PathModel(readFeffPath(readFileSync(path.join(REPO_ROOT, 'packages/xas/feff-library', f), 'utf8'), f));
const FeN = lib('FeCu_N2/feff0001.dat');
const FeCu = lib('FeCu_N2/feff0002.dat');
const FeCl = lib('FeN4Cl/feff0002.dat');
const FeS = lib('FeN3S1/feff0002.dat');

const transform = { kmin: 3, kmax: 12, kweight: 2, dk: 1, window: 'hanning', rmin: 1.0, rmax: 3.0 };

function fitAll(k: Float64Array, chi: Float64Array) {
  const base = { s02: 0.9, e0: { value: 0, vary: true }, nN: { value: 4, vary: true, min: 0, max: 8 }, drN: { value: 0, vary: true }, ssN: { value: 0.005, vary: true } };
  const second = { nX: { value: 1, vary: true, min: 0, max: 4 }, drX: { value: 0, vary: true, min: -0.3, max: 0.3 }, ssX: { value: 0.006, vary: true, min: 0.001, max: 0.03 } };
  const first = { path: FeN, degen: 'nN', s02: 's02', e0: 'e0', deltar: 'drN', sigma2: 'ssN' };
  const x = (p: PathModel) => ({ path: p, degen: 'nX', s02: 's02', e0: 'e0', deltar: 'drX', sigma2: 'ssX' });
  const ds = (paths: object[]) => ({ k, chi, transform, paths }) as Parameters<typeof feffit>[1];
  const pair = feffit({ ...base, ...second }, ds([first, x(FeCu)]));
  const without = feffit(base, ds([first]));
  const alternatives: Record<string, FeffitResult> = { 'Fe–Cl': feffit({ ...base, ...second }, ds([first, x(FeCl)])), 'Fe–S': feffit({ ...base, ...second }, ds([first, x(FeS)])) };
  return { pair, without, alternatives };
}

describe('Hamilton test', () => {
  it('F and p from the R-factor ratio (hand computation: (0.02/0.01 − 1)·(12 − 7)/3 = 5/3)', () => {
    const h = hamiltonTest({ rFactor: 0.02, nVarys: 4 }, { rFactor: 0.01, nVarys: 7 }, 12);
    expect(h.f).toBeCloseTo(5 / 3, 12);
    expect(h.d1).toBe(3);
    expect(h.d2).toBe(5);
    // scipy.stats.f.sf(5/3, 3, 5) = 0.28782…
    expect(h.p).toBeCloseTo(0.2878, 3);
  });
  it('refuses a p-value when no degrees of freedom are left', () => {
    const h = hamiltonTest({ rFactor: 0.02, nVarys: 4 }, { rFactor: 0.01, nVarys: 9 }, 8.5);
    expect(h.p).toBeNull();
    expect(h.note).toMatch(/no degrees of freedom/);
  });
});

describe('EXAFS evidence on synthetic sites (FEFF 8.5 library, seeded noise)', () => {
  it('dual-atom Fe–Cu site: pair supported, N(Fe–Cu) interval covers 1, wavelet ridge heavy', () => {
    const { k, chi } = synthesizeChi(
      [
        { path: FeN, n: 4, deltar: 0.01, sigma2: 0.005 },
        { path: FeCu, n: 1, deltar: -0.02, sigma2: 0.006 },
      ],
      { noise: 0.0008, seed: 11, e0: 1.5 },
    );
    const fits = fitAll(k, chi);
    const ev = exafsEvidence(fits);
    expect(ev.row.supports).toBe('pair');
    expect(ev.hamilton!.p!).toBeLessThan(1e-3);
    expect(ev.coordination!.ci95![0]).toBeLessThan(1);
    expect(ev.coordination!.ci95![1]).toBeGreaterThan(1);
    for (const v of Object.values(ev.deltaBic)) expect(v).toBeGreaterThan(2);
    const w = waveletEvidence(fits.pair, fits.alternatives['Fe–Cl']);
    expect(w.pairRidge.k).toBeGreaterThan(w.lightRidge!.k + 1);
    expect(w.row.supports).toBe('pair');
  });

  it('single Fe site with Cl at the Fe–Cu distance: not a pair (Cl preferred by BIC)', () => {
    const { k, chi } = synthesizeChi(
      [
        { path: FeN, n: 4, deltar: 0.01, sigma2: 0.005 },
        { path: FeCl, n: 1, deltar: 0.1, sigma2: 0.005 },
      ],
      { noise: 0.0008, seed: 12, e0: 1.5 },
    );
    const fits = fitAll(k, chi);
    const ev = exafsEvidence(fits);
    expect(ev.row.supports).toBe('single');
    expect(ev.deltaBic['Fe–Cl']).toBeLessThan(-2);
    const w = waveletEvidence(fits.pair, fits.alternatives['Fe–Cl']);
    expect(w.row.supports).not.toBe('pair');
  });

  it('dual-atom site under heavy noise: inconclusive', () => {
    const { k, chi } = synthesizeChi(
      [
        { path: FeN, n: 4, deltar: 0.01, sigma2: 0.005 },
        { path: FeCu, n: 1, deltar: -0.02, sigma2: 0.006 },
      ],
      { noise: 0.03, seed: 13, e0: 1.5 },
    );
    const ev = exafsEvidence(fitAll(k, chi));
    expect(ev.row.supports).toBe('inconclusive');
  });
});
