// Golden tests: AUTOBK + xftf + xftr against Larch 2026.3.1 (../shared/reference/xas/*.json).
// Inputs are the JSON's own energy, mu, e0 and edge_step (independent of the file readers and of
// preEdge), with the options recorded in each file (autobk rbkg 1, kweight 2; xftf kmin 3,
// kmax 12, dk 1, hanning, kweight 2).
// Tolerances (from the issue, what a scientist accepts for "the same χ(k)"):
//   χ(k): RMS difference ≤ 2 % of the RMS of Larch's χ over 3–12 Å⁻¹;
//   |χ(R)|: within 2 % of its maximum at every R ≤ 6 Å; first-shell peak within 0.01 Å.
// Achieved (recorded 2026-11-22): χ(k) relative RMS ≤ 1.1e-6, |χ(R)| ≤ 2.5e-7 of its maximum,
// identical peak positions, background within 1e-7 (μ units), kwin and χ(q) to 1e-15. We also
// assert these much tighter bounds so that a regression is visible long before the limit.
import { describe, expect } from 'vitest';
import { autobk, autobkDeltaChi, xftf, xftr } from '@siteproof/xas';
import { itShared, loadReference } from '../helpers/shared';
import { compareCurves } from '../helpers/compare';

interface Ref {
  options: { rbkg: number; bkg_kweight: number; kmin: number; kmax: number; dk: number; window: string; kweight: number };
  e0: number;
  edge_step: number;
  energy: number[];
  mu: number[];
  bkg: number[];
  k: number[];
  chi: number[];
  kwin: number[];
  r: number[];
  chir_mag: number[];
  chir_re: number[];
  chir_im: number[];
  q: number[];
  chiq_re: number[];
}

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];

function peakR(r: ArrayLike<number>, mag: ArrayLike<number>, rmax = 6): number {
  let best = 0;
  let at = 0;
  for (let i = 0; i < r.length && r[i] <= rmax; i++) {
    if (mag[i] > best) {
      best = mag[i];
      at = r[i];
    }
  }
  return at;
}

describe('AUTOBK → xftf → xftr vs Larch', () => {
  for (const name of NAMES) {
    itShared(`${name}: χ(k), μ0(E), |χ(R)|, first-shell peak, kwin and χ(q) match Larch`, () => {
      const d = loadReference<Ref>(`xas/${name}.json`);
      const o = d.options;
      const a = autobk(d.energy, d.mu, { e0: d.e0, edgeStep: d.edge_step, rbkg: o.rbkg, kweight: o.bkg_kweight });
      expect(a.k.length).toBe(d.k.length);

      const chiDiff = compareCurves({ x: d.k, y: d.chi }, { x: a.k, y: a.chi }, { xmin: 3, xmax: 12 });
      expect(chiDiff.n).toBeGreaterThan(50);
      expect(chiDiff.relRms).toBeLessThan(0.02); // the criterion
      expect(chiDiff.relRms).toBeLessThan(1e-4); // what we achieve (≈1e-6)

      let bkgMax = 0;
      for (let i = 0; i < d.bkg.length; i++) bkgMax = Math.max(bkgMax, Math.abs(a.bkg[i] - d.bkg[i]) / d.edge_step);
      expect(bkgMax).toBeLessThan(1e-5); // in edge-step units

      const t = xftf(a.k, a.chi, { kmin: o.kmin, kmax: o.kmax, dk: o.dk, window: o.window, kweight: o.kweight });
      expect(t.r.length).toBe(d.r.length);
      const magDiff = compareCurves({ x: d.r, y: d.chir_mag }, { x: t.r, y: t.chirMag }, { xmax: 6 });
      const refMax = Math.max(...d.chir_mag.filter((_, i) => d.r[i] <= 6));
      expect(magDiff.maxAbs / refMax).toBeLessThan(0.02);
      expect(magDiff.maxAbs / refMax).toBeLessThan(1e-4);
      expect(Math.abs(peakR(t.r, t.chirMag) - peakR(d.r, d.chir_mag))).toBeLessThanOrEqual(0.01);

      // kwin and the transforms on Larch's own χ(k): these are deterministic formulas, so exact.
      const tl = xftf(d.k, d.chi, { kmin: o.kmin, kmax: o.kmax, dk: o.dk, window: o.window, kweight: o.kweight });
      for (let i = 0; i < d.kwin.length; i++) expect(Math.abs(tl.kwin[i] - d.kwin[i])).toBeLessThan(1e-12);
      const reMax = Math.max(...d.chir_re.map(Math.abs));
      for (let i = 0; i < d.r.length; i++) {
        expect(Math.abs(tl.chirRe[i] - d.chir_re[i])).toBeLessThan(1e-10 * reMax);
        expect(Math.abs(tl.chirIm[i] - d.chir_im[i])).toBeLessThan(1e-10 * reMax);
      }
      // Larch's chiq in these files: xftr(r, chir, rmin=1, rmax=3, dr=0.1, window='hanning').
      const q = xftr(d.r, d.chir_re, d.chir_im, { rmin: 1, rmax: 3, dr: 0.1, window: 'hanning' });
      expect(q.q.length).toBe(d.q.length);
      const qMax = Math.max(...d.chiq_re.map(Math.abs));
      for (let i = 0; i < d.q.length; i++) expect(Math.abs(q.chiqRe[i] - d.chiq_re[i])).toBeLessThan(1e-10 * qMax);

      // No NaN anywhere, and the uncertainty band is finite and small compared with χ.
      for (const arr of [a.k, a.chi, a.bkg, a.chie, t.chirMag, t.chirRe, t.chirIm]) expect(arr.every(Number.isFinite)).toBe(true);
      const { deltaChi, deltaBkg } = autobkDeltaChi(d.energy, a);
      expect(deltaChi.every(Number.isFinite) && deltaBkg.every(Number.isFinite)).toBe(true);
    });
  }
});
