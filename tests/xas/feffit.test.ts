// Golden test: Larch's first-shell fit of Cu foil (feffit_cu_1shell.json) reproduced by feffit().
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { autobkDeltaChi, defaultPathParams, exafsPipeline, feffit, loadSpectrum, PathModel, readFeffPath } from '@siteproof/xas';
import { describeShared, itShared, loadReference, readSharedBytes, readSharedText, REPO_ROOT } from '../helpers/shared';

interface Ref {
  params: Record<string, { value: number; stderr: number | null }>;
  chi_square: number;
  chi2_reduced: number;
  rfactor: number;
  n_independent: number;
  nvarys: number;
  epsilon_k: number;
  epsilon_r: number;
  report: string;
}

describeShared('feffit golden: Cu first shell (Larch feffit_cu_1shell.json)', () => {
  const ref = loadReference<Ref>('xas/feffit_cu_1shell.json');
  const data = loadReference<{ k: number[]; chi: number[]; options: { rbkg: number; bkg_kweight: number } }>('xas/cu_metal_rt.json');
  const f85 = loadReference<{ data: { autobk: { rbkg: number; kweight: number } }; arrays: { k: number[]; chi_data: number[] } }>(
    'xas/feffit_cu_metal_rt_feff85path.json',
  );
  const path = readFeffPath(readSharedText('data/xas/feffit/feffcu01.dat'), 'feffit/feffcu01.dat');
  // Every setting below is read off Larch's report (k 3–17, kw 2, kaiser dk 4, R 1.4–3.0, fit in R).
  const transform = { kmin: 3, kmax: 17, kweight: 2, dk: 4, window: 'kaiser', rmin: 1.4, rmax: 3.0, fitspace: 'r' } as const;
  const params = {
    amp: { value: 1, vary: true },
    del_e0: { value: 0, vary: true },
    sig2: { value: 0, vary: true },
    del_r: { value: 0, vary: true },
  };
  const paths = [{ path, s02: 'amp', e0: 'del_e0', sigma2: 'sig2', deltar: 'del_r' }];

  itShared('uses χ(k) from Larch autobk with the fit\'s settings (rbkg 1, kweight 2)', () => {
    expect(ref.report).toMatch(/k-range\s+= 3\.000, 17\.000/);
    expect(ref.report).toMatch(/r-range\s+= 1\.400, 3\.000/);
    expect(ref.report).toMatch(/k window, dk\s+= 'kaiser', 4\.000/);
    expect(data.options.rbkg).toBe(f85.data.autobk.rbkg);
    expect(data.options.bkg_kweight).toBe(f85.data.autobk.kweight);
    // The χ(k) Larch fitted (stored with the FEFF8.5 variant of the same fit) is cu_metal_rt.json's chi.
    let maxd = 0;
    for (let i = 0; i < f85.arrays.k.length; i++) maxd = Math.max(maxd, Math.abs(f85.arrays.chi_data[i] - data.chi[i]));
    expect(maxd).toBeLessThan(1e-8);
  });

  itShared('values within 0.2 σ, σ within 10 %, R-factor within 5 %, n_idp equal (ε_R from the report)', () => {
    // Larch's data carry δχ from autobk_delta_chi, which sets ε (report: ε_k = Array(mean 6.19e-4), ε_R 0.0208).
    // The autobk covariance is not in the reference, so we give the report's ε_R; values, σ and R do not depend on it.
    const res = feffit(params, { k: data.k, chi: data.chi, transform, paths, epsilonR: ref.epsilon_r });
    for (const name of ['amp', 'del_e0', 'sig2', 'del_r']) {
      const r = ref.params[name];
      const got = res.params[name];
      expect(Math.abs(got.value - r.value), name).toBeLessThan(0.2 * r.stderr!);
      expect(Math.abs(got.stderr! / r.stderr! - 1), `${name} stderr`).toBeLessThan(0.1);
    }
    expect(Math.abs(res.rFactor / ref.rfactor - 1)).toBeLessThan(0.05);
    expect(res.nIndependent).toBeCloseTo(ref.n_independent, 10);
    expect(res.nIndependentIfeffit).toBeCloseTo(ref.n_independent - 1, 10);
    expect(res.nVarys).toBe(4);
    expect(res.nData).toBe(104); // report: n_data_points
    // with Larch's ε the χ² statistics follow (1 % tolerance)
    expect(Math.abs(res.chiSquare / ref.chi_square - 1)).toBeLessThan(0.01);
    expect(Math.abs(res.redChi / ref.chi2_reduced - 1)).toBeLessThan(0.01);
    // report: amp,sig2 0.928; del_e0,del_r 0.920; sig2,del_r 0.159; amp,del_r 0.137
    const c = Object.fromEntries(res.correlations.map((x) => [`${x.a},${x.b}`, x.value]));
    expect(c['amp,sig2']).toBeCloseTo(0.928, 2);
    expect(c['del_e0,del_r']).toBeCloseTo(0.92, 2);
    expect(c['sig2,del_r']).toBeCloseTo(0.159, 2);
    expect(c['amp,del_r']).toBeCloseTo(0.137, 2);
    expect(res.correlations.length).toBe(4);
    // path view: R = reff + ΔR with ΔR's σ (report: r = 2.5417833 +/- 0.0026133)
    expect(res.datasets[0].paths[0].r.value).toBeCloseTo(2.5417833, 4);
    expect(res.datasets[0].paths[0].r.stderr!).toBeCloseTo(0.0026133, 5);
    expect(res.warnings).toEqual([]);
  });

  itShared('without a given ε, the noise is estimated from χ(R) at 15–30 Å: same values, σ and R', () => {
    const res = feffit(params, { k: data.k, chi: data.chi, transform, paths });
    // Larch's ε adds autobk's δχ, so our ε_R (data noise only) is smaller; only χ² scales with it.
    expect(res.datasets[0].epsilonR[0]).toBeGreaterThan(0.001);
    expect(res.datasets[0].epsilonR[0]).toBeLessThan(ref.epsilon_r);
    for (const name of ['amp', 'del_e0', 'sig2', 'del_r']) {
      expect(Math.abs(res.params[name].value - ref.params[name].value)).toBeLessThan(0.2 * ref.params[name].stderr!);
      expect(Math.abs(res.params[name].stderr! / ref.params[name].stderr! - 1)).toBeLessThan(0.1);
    }
    expect(Math.abs(res.rFactor / ref.rfactor - 1)).toBeLessThan(0.05);
  });

  itShared('end to end from cu_metal_rt.xdi: AUTOBK (rbkg 1, kw 2) + δχ reproduce Larch\'s ε and every statistic', () => {
    // Larch's feffit adds autobk_delta_chi to the noise estimate for data reduced by its autobk;
    // we do the same with the EXAFS stage's autobk and autobkDeltaChi.
    const sp = loadSpectrum(readSharedBytes('data/xas/xafsdata/cu_metal_rt.xdi'), 'cu_metal_rt.xdi', { mu: 'mutrans' });
    const ex = exafsPipeline(sp.energy, sp.mu, { autobk: { rbkg: 1, kweight: 2 } });
    const { deltaChi } = autobkDeltaChi(ex.energy, ex.autobk);
    const res = feffit(params, { k: ex.k, chi: ex.chi, deltaChi, transform, paths });
    const d = res.datasets[0];
    // report: epsilon_k = Array(mean=6.1891e-4, std=0.0016544), epsilon_r = 0.0208022 (0.1 %)
    expect(d.epsilonK[0].isArray).toBe(true);
    expect(Math.abs(d.epsilonK[0].mean / ref.epsilon_k - 1)).toBeLessThan(1e-3);
    expect(Math.abs(d.epsilonK[0].std / 0.0016544 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(d.epsilonR[0] / ref.epsilon_r - 1)).toBeLessThan(1e-3);
    for (const name of ['amp', 'del_e0', 'sig2', 'del_r']) {
      expect(Math.abs(res.params[name].value - ref.params[name].value)).toBeLessThan(0.2 * ref.params[name].stderr!);
      expect(Math.abs(res.params[name].stderr! / ref.params[name].stderr! - 1)).toBeLessThan(0.1);
    }
    expect(Math.abs(res.chiSquare / ref.chi_square - 1)).toBeLessThan(0.01);
    expect(Math.abs(res.redChi / ref.chi2_reduced - 1)).toBeLessThan(0.01);
    expect(Math.abs(res.rFactor / ref.rfactor - 1)).toBeLessThan(0.05);
    expect(res.nIndependent).toBeCloseTo(ref.n_independent, 10);
  });
});

describeShared('feffit golden: Cu first shell with a FEFF 8.5 path (feffit_cu_metal_rt_feff85path.json)', () => {
  interface R85 {
    transform: Record<string, number | string>;
    params: Record<string, { value: number; stderr: number }>;
    stats: { chi_square: number; rfactor: number; n_independent: number; epsilon_r: number; ndata: number };
    arrays: { k: number[]; chi_data: number[]; chi_model: number[] };
  }
  const ref = loadReference<R85>('xas/feffit_cu_metal_rt_feff85path.json');
  // The project's own FEFF 8.5L run on fcc Cu (a = 3.61 Å, scripts/feff-library), not Larch's file.
  const file = nodePath.join(REPO_ROOT, 'packages/xas/feff-library/Cu_fcc/feff0001.dat');
  const pm = new PathModel(readFeffPath(readFileSync(file, 'utf8'), 'Cu_fcc/feff0001.dat'));

  itShared('our FEFF 8.5 path and path equation give Larch\'s model χ(k) at its best fit (max |Δ| < 0.2 % of max |χ|, k 3–17)', () => {
    expect(pm.reff).toBeCloseTo(2.5527, 4);
    const P = ref.params;
    const k = Float64Array.from(ref.arrays.k);
    const chi = pm.chi(k, { ...defaultPathParams(pm.data), s02: P.amp.value, e0: P.del_e0.value, sigma2: P.sig2.value, deltar: P.del_r.value });
    let md = 0;
    let mr = 0;
    for (let i = 0; i < k.length; i++) {
      if (k[i] < 3 || k[i] > 17) continue;
      md = Math.max(md, Math.abs(chi[i] - ref.arrays.chi_model[i]));
      mr = Math.max(mr, Math.abs(ref.arrays.chi_model[i]));
    }
    expect(md / mr).toBeLessThan(2e-3);
  });

  itShared('fit: values within 0.2 σ, σ within 10 %, R-factor within 5 %, n_idp equal', () => {
    const res = feffit(
      { amp: { value: 1, vary: true }, del_e0: { value: 0, vary: true }, sig2: { value: 0, vary: true }, del_r: { value: 0, vary: true } },
      {
        k: ref.arrays.k,
        chi: ref.arrays.chi_data,
        epsilonR: ref.stats.epsilon_r,
        transform: ref.transform,
        paths: [{ path: pm, s02: 'amp', e0: 'del_e0', sigma2: 'sig2', deltar: 'del_r' }],
      },
    );
    for (const n of ['amp', 'del_e0', 'sig2', 'del_r']) {
      expect(Math.abs(res.params[n].value - ref.params[n].value), n).toBeLessThan(0.2 * ref.params[n].stderr);
      expect(Math.abs(res.params[n].stderr! / ref.params[n].stderr - 1), n).toBeLessThan(0.1);
    }
    expect(Math.abs(res.rFactor / ref.stats.rfactor - 1)).toBeLessThan(0.05);
    expect(res.nIndependent).toBeCloseTo(ref.stats.n_independent, 10);
    expect(res.nData).toBe(ref.stats.ndata);
  });
});
