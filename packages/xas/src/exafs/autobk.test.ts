import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { autobk, autobkDeltaChi, clearAutobkGeometryCache, clearAutobkSpareBuffers } from './autobk';
import { E0, exafsGrid, mu0, syntheticMu } from './syntheticSpectrum.test-helper';
import { basisTable, CubicInterpolator, evalBasisTable } from '../math/spline';

// Synthetic μ(E): a smooth edge and post-edge decay (the "atomic" background) times (1 + χ(k)),
// with a single shell χ(k) = 0.3·sin(2k·2.5)·exp(−2·0.005k²)/k (R = 2.5 Å ≫ rbkg = 1 Å).
const energy = exafsGrid();
const chiTrue = (k: number) => (k > 0.5 ? (0.3 * Math.sin(2 * k * 2.5) * Math.exp(-0.01 * k * k)) / k : 0);
const mu = syntheticMu(energy, chiTrue);

describe('autobk on a synthetic spectrum', () => {
  it('recovers the single-shell χ(k) over 3–14 Å⁻¹ and a smooth background', () => {
    const r = autobk(energy, mu, { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2 });
    let s2 = 0;
    let r2 = 0;
    for (let i = 0; i < r.k.length; i++) {
      if (r.k[i] < 3 || r.k[i] > 14) continue;
      s2 += (r.chi[i] - chiTrue(r.k[i])) ** 2;
      r2 += chiTrue(r.k[i]) ** 2;
    }
    // The background cannot follow a 2.5 Å oscillation with knots spaced for rbkg = 1 Å, so χ is
    // recovered to a few % (edge-region curvature of μ0 leaks a little into the low-k χ).
    expect(Math.sqrt(s2 / r2)).toBeLessThan(0.05);
    expect(r.details.nspl).toBe(1 + Math.trunc((2 * 1 * (r.details.kmax - 0)) / Math.PI));
    expect(r.details.redchi).toBeGreaterThan(0);
    for (const a of [r.k, r.chi, r.bkg, r.chie]) expect(a.every(Number.isFinite)).toBe(true);
    // outside the fitted range the background is μ itself
    expect(r.bkg[0]).toBe(mu[0]);
    const { deltaChi, deltaBkg } = autobkDeltaChi(energy, r);
    expect(deltaChi.length).toBe(r.k.length);
    expect(deltaBkg.length).toBe(energy.length);
    expect(deltaChi.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });

  it('reports the covariance, positive coefficient errors and converges in few iterations', () => {
    // That it lands on Larch's minimum is checked in tests/xas/autobk.golden.test.ts.
    const r = autobk(energy, mu, { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2, kmax: 15 });
    expect(r.details.covar).toBeDefined();
    expect(r.details.coefsStd.every((v) => v > 0)).toBe(true);
    expect(r.details.iterations).toBeLessThan(50);
  });

  it('nknots overrides the rbkg rule (clipped to [5, 128]); clamps and kmin change the fit as options', () => {
    const base = { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2 };
    expect(autobk(energy, mu, { ...base, nknots: 9 }).details.nspl).toBe(9);
    expect(autobk(energy, mu, { ...base, nknots: 2 }).details.nspl).toBe(5);
    const a = autobk(energy, mu, base);
    const noClamp = autobk(energy, mu, { ...base, clampHi: 0 });
    const strong = autobk(energy, mu, { ...base, clampHi: 100, nclamp: 5 });
    const last = a.chi.length - 1;
    // a strong high-k clamp pulls the last χ points towards 0
    expect(Math.abs(strong.chi[last])).toBeLessThan(Math.abs(noClamp.chi[last]) + 1e-12);
    expect(noClamp.details.redchi).not.toBe(a.details.redchi);
    // Larch's irbkg/nspl rule: nspl = 1 + int(2·rbkg·(kmax−kmin)/π), irbkg = int(1 + (nspl−1)·π/(2·rgrid·(kmax−kmin)))
    const k2 = autobk(energy, mu, { ...base, kmin: 2 });
    const rgrid = Math.PI / (0.05 * 2048);
    const span = k2.details.kmax - 2;
    const nspl = 1 + Math.trunc((2 * span) / Math.PI);
    expect(k2.details.nspl).toBe(nspl);
    expect(k2.details.irbkg).toBe(Math.trunc(1 + ((nspl - 1) * Math.PI) / (2 * rgrid * span)));
    expect(k2.details.splK[0]).toBeGreaterThanOrEqual(1.9);
    for (const w of ['kaiser', 'parzen', 'welch', 'sine', 'gaussian']) {
      const r = autobk(energy, mu, { ...base, window: w, dk: 1 });
      expect(r.chi.every(Number.isFinite)).toBe(true);
    }
  });

  it('χ(k) is the interpolating spline of (μ − μ0)/edgeStep on kraw evaluated at k (Larch: UnivariateSpline(s=0))', () => {
    // The definition of AUTOBK's χ. Our Jacobian uses the identity that the interpolant of a
    // background basis function is the function itself (its knots are data points), so the
    // only link between χ and μ0 in the code is that identity: check it through the outputs,
    // for the default rule, many knots (nknots 40 over ~640 points), kmin > 0 and coarse data
    // (every 4th point: knots 2 spline intervals apart near E0). Tolerance 1e-11 of max |χ|:
    // round-off of a banded solve, far below any physical difference.
    const coarseE = energy.filter((_, i) => i % 4 === 0);
    const coarseMu = mu.filter((_, i) => i % 4 === 0);
    const cases: [number[], number[], Record<string, number>][] = [
      [energy, mu, {}],
      [energy, mu, { nknots: 40 }],
      [energy, mu, { kmin: 1.5, kmax: 14 }],
      [coarseE, coarseMu, { nknots: 12 }],
    ];
    for (const [e, m, extra] of cases) {
      const r = autobk(e, m, { e0: E0, edgeStep: 0.8, rbkg: 1, kweight: 2, ...extra });
      const d = r.details;
      const nraw = d.iemax - d.iek0 + 1;
      const interp = new CubicInterpolator(r.kraw.subarray(0, nraw));
      const coef = interp.solve(r.chie.subarray(d.iek0, d.iek0 + nraw));
      const expected = evalBasisTable(basisTable(interp.t, r.k), coef);
      let maxChi = 0;
      let diff = 0;
      for (let i = 0; i < r.k.length; i++) {
        maxChi = Math.max(maxChi, Math.abs(r.chi[i]));
        diff = Math.max(diff, Math.abs(r.chi[i] - expected[i]));
      }
      expect(diff).toBeLessThan(1e-11 * maxChi);
      // the same relation for the initial background and χ (computed on first access)
      const initChie = Float64Array.from(d.initBkg.subarray(d.iek0, d.iek0 + nraw), (b, i) => (m[d.iek0 + i] - b) / 0.8);
      const initExpected = evalBasisTable(basisTable(interp.t, r.k), interp.solve(initChie));
      for (let i = 0; i < r.k.length; i++) expect(Math.abs(d.initChi[i] - initExpected[i])).toBeLessThan(1e-11 * maxChi);
      expect(d.initBkg[0]).toBe(m[0]);
    }
  });

  it('autobkDeltaChi equals δχ² = JᵀCJ with J from interpolating each background basis function (Larch\'s definition)', () => {
    // Reference: the Jacobian of χ(k) w.r.t. coefficient j built the long way (background basis
    // function j sampled at kraw, interpolated by the s=0 spline, evaluated at k); the code uses the
    // B-spline at k directly. Student-t factor and √redchi are common to both, so compare ratios.
    const r = autobk(energy, mu, { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2 });
    const d = r.details;
    const nspl = d.nspl;
    const nraw = d.iemax - d.iek0 + 1;
    const kfit = r.kraw.subarray(0, nraw);
    const interp = new CubicInterpolator(kfit);
    const atK = basisTable(interp.t, r.k);
    const bk = basisTable(d.knots, kfit);
    const J: Float64Array[] = [];
    for (let j = 0; j < nspl; j++) {
      const col = new Float64Array(nraw);
      for (let i = 0; i < nraw; i++) {
        const q = j - (bk.span[i] - 3);
        if (q >= 0 && q < 4) col[i] = bk.b[4 * i + q];
      }
      J.push(evalBasisTable(atK, interp.solve(col)));
    }
    const { deltaChi } = autobkDeltaChi(energy, r);
    const ref = r.k.map((_, i) => {
      let s = 0;
      for (let a = 0; a < nspl; a++) for (let b = 0; b < nspl; b++) s += J[a][i] * J[b][i] * d.covar![a * nspl + b];
      return Math.sqrt(Math.max(0, s));
    });
    const i0 = r.k.findIndex((k) => k > 1);
    const f = deltaChi[i0] / ref[i0];
    expect(f).toBeGreaterThan(0);
    let worst = 0;
    for (let i = 0; i < r.k.length; i++) worst = Math.max(worst, Math.abs(deltaChi[i] - f * ref[i]) / Math.max(...deltaChi));
    expect(worst).toBeLessThan(1e-9);
  });

  it('a series whose E0 moves from scan to scan (no geometry reuse) gives the same χ as fresh single calls', () => {
    // The geometry cache is keyed on E0 and the grid; interleaving many geometries (more than the
    // cache holds) must not change any number.
    const base = { edgeStep: 1, rbkg: 1, kweight: 2 };
    const e0s = Array.from({ length: 40 }, (_, i) => E0 - 1 + 0.05 * i);
    const first = e0s.map((e0) => Array.from(autobk(energy, mu, { ...base, e0 }).chi));
    for (let pass = 0; pass < 2; pass++) {
      for (let i = e0s.length - 1; i >= 0; i -= 3) expect(Array.from(autobk(energy, mu, { ...base, e0: e0s[i] }).chi)).toEqual(first[i]);
    }
  });

  it('a geometry built in a reused (dirty) buffer gives the same bits as one built in a fresh buffer', () => {
    const base = { edgeStep: 1, rbkg: 1, kweight: 2 };
    const run = (e0: number, opts: object = {}) => {
      const r = autobk(energy, mu, { ...base, e0, ...opts });
      return [...r.chi, ...r.bkg, ...r.details.coefs, ...r.details.initChi, r.details.chisqr];
    };
    clearAutobkGeometryCache();
    clearAutobkSpareBuffers();
    const fresh = run(E0 + 0.3); // fresh buffer, nothing to reuse
    const freshKaiser = run(E0 + 0.3, { window: 'kaiser', nknots: 9 });
    // dirty the spare buffers with other geometries (lower E0: more points, larger buffers)
    for (const [i, w] of ['hanning', 'parzen', 'sine', 'kaiser'].entries()) {
      clearAutobkGeometryCache();
      run(E0 - 0.7 - 0.1 * i, { window: w, nknots: 14 - i });
    }
    for (let pass = 0; pass < 3; pass++) {
      clearAutobkGeometryCache(); // the last geometry's buffer becomes the spare the next build takes
      expect(run(E0 + 0.3)).toEqual(fresh);
      clearAutobkGeometryCache();
      expect(run(E0 + 0.3, { window: 'kaiser', nknots: 9 })).toEqual(freshKaiser);
      clearAutobkGeometryCache();
      run(E0 - 0.9, { window: 'sine', nknots: 16 });
    }
  });

  it('results do not share memory with the geometry cache (mutating or transferring them is safe)', () => {
    const base = { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2 };
    const a = autobk(energy, mu, base);
    const ref = Array.from(a.chi);
    a.k.fill(-1);
    a.kraw.fill(0);
    a.details.knots.fill(0);
    a.details.splK.fill(0);
    const b = autobk(energy, mu, base);
    expect(Array.from(b.chi)).toEqual(ref);
    expect(b.k[1]).toBeCloseTo(0.05, 14);
  });

  it('a standard χ subtracted in the residual changes the background', () => {
    const k = Array.from({ length: 321 }, (_, i) => i * 0.05);
    const a = autobk(energy, mu, { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2 });
    const b = autobk(energy, mu, { e0: E0, edgeStep: 1, rbkg: 1, kweight: 2, standard: { k, chi: k.map((v) => 0.02 * Math.sin(v)) } });
    let d = 0;
    for (let i = 0; i < a.chi.length; i++) d = Math.max(d, Math.abs(a.chi[i] - b.chi[i]));
    expect(d).toBeGreaterThan(1e-4);
  });

  it('rejects bad input with typed errors', () => {
    const base = { e0: E0, edgeStep: 1 };
    expect(() => autobk(energy, mu, { ...base, rbkg: 0 })).toThrow(ValidationError);
    expect(() => autobk(energy, mu, { ...base, rbkg: -1 })).toThrow(/rbkg/);
    expect(() => autobk(energy, mu, { ...base, kmin: 10, kmax: 5 })).toThrow(ValidationError);
    expect(() => autobk(energy, mu, { ...base, kmax: 25 })).toThrow(/beyond the data/);
    expect(() => autobk(energy, mu, { ...base, kmin: 17 })).toThrow(/beyond the data/);
    expect(() => autobk(energy, mu, { ...base, window: 'triangle' })).toThrow(/unknown window/);
    expect(() => autobk(energy, mu, { ...base, e0: E0 + 5000 })).toThrow(/outside the energy range/);
    expect(() => autobk(energy, mu, { ...base, edgeStep: 0 })).toThrow(ValidationError);
    const short = energy.filter((e) => e < E0 + 3);
    expect(() => autobk(short, short.map(mu0), { ...base })).toThrow(/too few points above E0/);
    const mu2 = mu.slice();
    mu2[10] = NaN;
    expect(() => autobk(energy, mu2, base)).toThrow();
    const e2 = energy.slice();
    e2[40] = e2[39];
    expect(() => autobk(e2, mu, base)).toThrow(/strictly increasing/);
  });
});
