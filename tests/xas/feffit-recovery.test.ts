// Recovery test: χ(k) of a Cu site with N4, S and Ni neighbours synthesized from the project's
// own FEFF library (CuNi_S2: Cu–N, Cu–S, Cu–Ni paths), with seeded Gaussian noise, fitted back.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { feffit, PathModel, readFeffPath, defaultPathParams } from '@siteproof/xas';
import { REPO_ROOT } from '../helpers/shared';

const lib = (f: string) => {
  const p = path.join(REPO_ROOT, 'packages/xas/feff-library', f);
  return readFeffPath(readFileSync(p, 'utf8'), f);
};

function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('feffit recovers N, R, σ² of a synthetic Cu–N4 + Cu–S + Cu–Ni site', () => {
  const pN = new PathModel(lib('CuNi_S2/feff0001.dat'));
  const pS = new PathModel(lib('CuNi_S2/feff0002.dat'));
  const pNi = new PathModel(lib('CuNi_S2/feff0003.dat'));
  const truth = {
    nN: 4, drN: 0.015, ssN: 0.0045,
    nS: 1, drS: -0.02, ssS: 0.006,
    nNi: 1, drNi: 0.03, ssNi: 0.007,
    e0: 2.5,
  };
  const s02 = 0.9;
  const k = Float64Array.from({ length: 341 }, (_, i) => i * 0.05);
  const chi = new Float64Array(k.length);
  const add = (m: PathModel, n: number, dr: number, ss: number) =>
    m.chi(k, { ...defaultPathParams(m.data), degen: n, s02, e0: truth.e0, deltar: dr, sigma2: ss }, chi, true);
  add(pN, truth.nN, truth.drN, truth.ssN);
  add(pS, truth.nS, truth.drS, truth.ssS);
  add(pNi, truth.nNi, truth.drNi, truth.ssNi);
  const noise = gaussian(Number(process.env.RECOVERY_SEED ?? 20261122));
  const sigma = 0.0005; // noise in χ(k): about 0.5 % of the χ(k) amplitude at k = 3, 5 % at k = 12
  for (let i = 0; i < k.length; i++) chi[i] += sigma * noise();

  const dataset = {
    k,
    chi,
    epsilonK: sigma,
    transform: { kmin: 3, kmax: 16, kweight: [1, 2, 3], dk: 1, window: 'hanning', rmin: 1.0, rmax: 3.0 },
    paths: [
      { path: pN, degen: 'nN', s02: 's02', e0: 'e0', deltar: 'drN', sigma2: 'ssN' },
      { path: pS, degen: 'nS', s02: 's02', e0: 'e0', deltar: 'drS', sigma2: 'ssS' },
      { path: pNi, degen: 'nNi', s02: 's02', e0: 'e0', deltar: 'drNi', sigma2: 'ssNi' },
    ],
  };
  // Start values are the motif's hypothesis (N from the structure, σ² = 0.005 Å², ΔR = ΔE0 = 0), as a user would.
  it('recovers every value within 3 σ (and the σ are meaningful)', () => {
    const res = feffit(
      {
        s02: 0.9,
        e0: { value: 0, vary: true },
        nN: { value: 4, vary: true, min: 0, max: 8 },
        drN: { value: 0, vary: true },
        ssN: { value: 0.005, vary: true },
        nS: { value: 1, vary: true, min: 0, max: 4 },
        drS: { value: 0, vary: true },
        ssS: { value: 0.005, vary: true },
        nNi: { value: 1, vary: true, min: 0, max: 4 },
        drNi: { value: 0, vary: true },
        ssNi: { value: 0.005, vary: true },
      },
      dataset,
    );
    expect(res.converged).toBe(true);
    expect(res.nVarys).toBe(10);
    expect(res.nIndependent).toBeCloseTo(1 + (2 * 2 * 13) / Math.PI, 10);
    for (const [name, want] of Object.entries(truth)) {
      const p = res.params[name];
      expect(p.stderr, name).not.toBeNull();
      expect(p.stderr!, name).toBeGreaterThan(0);
      expect(Math.abs(p.value - want), `${name}: ${p.value} ± ${p.stderr} vs ${want}`).toBeLessThan(3 * p.stderr!);
    }
    // the uncertainties are small enough to tell the site apart: N of N within ±1, R within 0.03 Å
    expect(res.params.nN.stderr!).toBeLessThan(1);
    expect(res.params.drNi.stderr!).toBeLessThan(0.03);
    // the optimizer reached at least the quality of the true parameters (no false minimum)
    const atTruth = feffit({ s02: 0.9, ...truth }, { ...dataset });
    expect(res.chiSquare).toBeLessThanOrEqual(atTruth.chiSquare * (1 + 1e-9));
    // and the noise really is ~ε: χ² at the truth is within a factor 10 of n_idp (Larch's ε_k → ε_R
    // conversion is approximate for white noise, so no tighter statement is made)
    expect(atTruth.chiSquare / atTruth.nIndependent).toBeGreaterThan(0.3);
    expect(atTruth.chiSquare / atTruth.nIndependent).toBeLessThan(10);
    // path outputs: R = reff + ΔR for the Cu–Ni path
    const ni = res.datasets[0].paths[2];
    expect(ni.r.value).toBeCloseTo(2.55 + res.params.drNi.value, 10);
  });
});
