// Energy alignment of a spectrum to a standard: the shift ΔE (added to the spectrum's energy)
// and scale that best match the standard over a window around the standard's E0.
//
// Two objectives, as in Larch:
// - 'larix' (default): Larix's auto-align (larch/wxxas/datatasks.py fit_eshift) — residuals of the
//   normalized spectrum (3-point boxcar) and of its derivative (7-point boxcar), concatenated, over
//   [E0ref − emax/2, E0ref + emax] with emax = |guess| + 50 eV.
// - 'dmude' / 'norm': the library's energy_align objective on one array over
//   [E0ref + emin, E0ref + emax] (emin = −15, emax = +35). Larch's library computes the start as
//   index_of(E, E0ref − emin), i.e. E0ref + 15 eV, a sign defect (notes §2.6) that drops the
//   whole rising edge from the fit; here the window starts at E0ref + emin as documented.
//
// For a given ΔE the best scale is linear (closed form), so the fit is a 1-D search over ΔE:
// a grid scan over ±range then golden-section refinement. Unlike a local Levenberg–Marquardt
// start from the E0 difference, this is not thrown off when one spectrum's E0 lands on another
// derivative maximum (NiO scan 009, ~12 eV away).
import { z } from 'zod';
import { NumericalError, ValidationError, finite, parseOptions } from '@siteproof/core';
import { gradient } from '../math/gradient';
import { cubicSpline, splineEval, type CubicSpline } from './cubicInterp';
import { indexOf } from '../math/indexOf';
import { boxcar } from './boxcar';

export interface AlignInput {
  energy: Float64Array;
  /** Normalized μ(E) (preEdge().norm) on `energy`. */
  norm: Float64Array;
  /** E0 (eV); required for the standard, used as the starting guess for the spectrum. */
  e0?: number;
}

export const alignOptionsSchema = z
  .object({
    method: z.enum(['larix', 'dmude', 'norm']).default('larix'),
    /** Window start relative to the standard's E0 for 'dmude'/'norm' (eV). */
    emin: finite().default(-15),
    /** Window end relative to the standard's E0 for 'dmude'/'norm' (eV). */
    emax: finite().default(35),
    /** Fit a scale factor as well (Larch does). */
    fitScale: z.boolean().default(true),
    /** Largest |ΔE| searched (eV); default: Larix's emax for 'larix', 50 eV otherwise. */
    maxShift: finite().positive().optional(),
  })
  .strict();
export type AlignOptions = z.input<typeof alignOptionsSchema>;

export interface AlignResult {
  /** Energy shift to ADD to the spectrum's energy to match the standard (eV). */
  eShift: number;
  /** One-sigma uncertainty of eShift from the curvature of χ²(ΔE) (eV). */
  eShiftStderr: number;
  scale: number;
  /** Fit window on the standard's energy axis (eV). */
  window: [number, number];
  npts: number;
  method: 'larix' | 'dmude' | 'norm';
  warnings: string[];
}

function check(g: AlignInput, what: string): void {
  if (g.energy.length !== g.norm.length) throw new ValidationError(`${what}: energy and norm differ in length`, { field: what });
  if (g.energy.length < 10) throw new ValidationError(`${what}: needs at least 10 points`, { field: what });
  for (let i = 1; i < g.energy.length; i++) {
    if (!(g.energy[i] > g.energy[i - 1])) throw new ValidationError(`${what}: energy must be strictly increasing (index ${i})`, { field: what });
  }
}

/** Align `data` to `standard`; returns the energy shift to add to data.energy. */
export function alignEnergy(data: AlignInput, standard: AlignInput, options: AlignOptions = {}): AlignResult {
  const opts = parseOptions(alignOptionsSchema, options, 'options');
  check(data, 'spectrum');
  check(standard, 'standard');
  if (standard.e0 === undefined || !Number.isFinite(standard.e0)) {
    throw new ValidationError('the standard needs an E0 to place the alignment window', { field: 'standard.e0' });
  }
  const warnings: string[] = [];
  const xr = standard.energy;
  const e0r = standard.e0;
  let lo: number;
  let hi: number;
  let range: number;
  if (opts.method === 'larix') {
    let ex0 = data.e0 !== undefined && Number.isFinite(data.e0) ? data.e0 - e0r : 0;
    if (Math.abs(ex0) > 20) ex0 /= 5;
    const emax = Math.abs(ex0) + 50;
    lo = e0r - 0.5 * emax;
    hi = e0r + emax;
    range = opts.maxShift ?? emax;
  } else {
    lo = e0r + opts.emin;
    hi = e0r + opts.emax;
    range = opts.maxShift ?? 50;
  }
  if (!(hi > lo)) throw new ValidationError(`empty alignment window (${lo}–${hi} eV)`, { field: 'emax' });
  // Larch: slice [index_of(lo), index_of(hi)) on the standard's grid.
  const i1 = indexOf(xr, lo);
  const i2 = indexOf(xr, hi);
  const npts = i2 - i1;
  if (npts < 5) throw new ValidationError(`only ${npts} points of the standard in the alignment window ${lo.toFixed(1)}–${hi.toFixed(1)} eV`, { field: 'standard' });
  if (data.energy[0] > lo || data.energy[data.energy.length - 1] < hi) {
    warnings.push(`the spectrum does not cover the whole alignment window ${lo.toFixed(1)}–${hi.toFixed(1)} eV: extrapolated`);
  }
  const spl: CubicSpline = cubicSpline(data.energy, data.norm);
  // Only the window plus one neighbour on each side enters (central differences), so work on
  // that sub-grid; at the ends of the full grid the one-sided differences are the same as Larch's.
  const j0 = Math.max(0, i1 - 1);
  const j1 = Math.min(xr.length, i2 + 1);
  const xs = xr.subarray(j0, j1);
  const gx = gradient(xs);
  const o = i1 - j0;
  const build = (y: Float64Array): Float64Array => {
    if (opts.method === 'norm') return y.slice(o, o + npts);
    const gy = gradient(y);
    const d = new Float64Array(npts);
    for (let k = 0; k < npts; k++) d[k] = gy[o + k] / gx[o + k];
    if (opts.method === 'dmude') return d;
    const out = new Float64Array(2 * npts);
    out.set(boxcar(y.subarray(o, o + npts), 1), 0);
    out.set(boxcar(d, 3), npts);
    return out;
  };
  const R = build(standard.norm.slice(j0, j1));
  const at = new Float64Array(xs.length);
  const profile = (s: number) => {
    for (let k = 0; k < xs.length; k++) at[k] = xs[k] - s;
    const U = build(splineEval(spl, at));
    let ur = 0;
    let uu = 0;
    for (let k = 0; k < U.length; k++) {
      ur += U[k] * R[k];
      uu += U[k] * U[k];
    }
    let a = 1;
    if (opts.fitScale) a = uu > 0 ? Math.min(1e4, Math.max(1e-3, ur / uu)) : 1;
    let chi2 = 0;
    for (let k = 0; k < U.length; k++) {
      const r = a * U[k] - R[k];
      chi2 += r * r;
    }
    return { chi2, a };
  };
  // Coarse scan at 0.5 eV (edge features are several eV wide), then golden-section refinement
  // around the three deepest local minima of the scan; the best refined one wins.
  const h = 0.5;
  const nGrid = Math.max(2, Math.ceil((2 * range) / h));
  const grid: number[] = [];
  const vals: number[] = [];
  for (let g = 0; g <= nGrid; g++) {
    const s = -range + (2 * range * g) / nGrid;
    grid.push(s);
    vals.push(profile(s).chi2);
  }
  const minima: number[] = [];
  for (let g = 0; g <= nGrid; g++) {
    const l = g > 0 ? vals[g - 1] : Infinity;
    const r = g < nGrid ? vals[g + 1] : Infinity;
    if (vals[g] <= l && vals[g] <= r) minima.push(g);
  }
  minima.sort((p, q) => vals[p] - vals[q]);
  const phi = (Math.sqrt(5) - 1) / 2;
  let bestS = 0;
  let best = profile(0);
  for (const g of minima.slice(0, 3)) {
    let a = grid[Math.max(0, g - 1)];
    let c = grid[Math.min(nGrid, g + 1)];
    let x1 = c - phi * (c - a);
    let x2 = a + phi * (c - a);
    let f1 = profile(x1);
    let f2 = profile(x2);
    for (let it = 0; it < 100 && c - a > 1e-6; it++) {
      if (f1.chi2 < f2.chi2) {
        c = x2;
        x2 = x1;
        f2 = f1;
        x1 = c - phi * (c - a);
        f1 = profile(x1);
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + phi * (c - a);
        f2 = profile(x2);
      }
    }
    const cand = f1.chi2 < f2.chi2 ? { s: x1, p: f1 } : { s: x2, p: f2 };
    if (cand.p.chi2 < best.chi2) {
      best = cand.p;
      bestS = cand.s;
    }
  }
  if (!Number.isFinite(best.chi2)) throw new NumericalError('alignment objective is not finite', { field: 'spectrum' });
  if (Math.abs(bestS) > 0.98 * range) warnings.push(`energy shift ${bestS.toFixed(3)} eV is at the search limit ±${range.toFixed(1)} eV`);
  // Uncertainty: var(ΔE) = 2σ²/χ²''(ΔE), σ² = χ²min/(n − nvarys).
  const hd = 0.02;
  const fpp = (profile(bestS + hd).chi2 - 2 * best.chi2 + profile(bestS - hd).chi2) / (hd * hd);
  const nres = opts.method === 'larix' ? 2 * npts : npts;
  const sigma2 = best.chi2 / Math.max(1, nres - (opts.fitScale ? 2 : 1));
  const eShiftStderr = fpp > 0 ? Math.sqrt((2 * sigma2) / fpp) : 0;
  return { eShift: bestS, eShiftStderr, scale: best.a, window: [xr[i1], xr[i2]], npts, method: opts.method, warnings };
}
