// Linear-combination fitting (LCF) of a spectrum with N reference spectra, as Larch's
// lincombo_fit / Athena's LCF: y(x + ΔE) ≈ Σ w_i ref_i(x) over a window, weights in [0, 1],
// optional Σw = 1 and an optional common energy shift ΔE of the data.
//
// Differences from Larch, on purpose:
// - The weights are the exact constrained least-squares optimum (every face of the [0,1] box is
//   solved, see boundedLeastSquares.ts) rather than lmfit's transformed-parameter search.
// - Σw = 1 is enforced exactly. Larch writes the last weight as 1 − Σ others and lmfit then clips
//   it to its bounds, so Larch can report totals ≠ 1 (1.0024 in its ferrihydrite fit).
// - The energy shift is found by a grid scan followed by golden-section refinement of the
//   profile χ²(ΔE) (the weights are solved exactly at each ΔE), so a bad start cannot trap it.
// Uncertainties follow lmfit's convention: covariance = redχ²·(JᵀJ)⁻¹ over the varied parameters
// (all weights, or N−1 of them with Σw = 1, plus ΔE), bounds ignored.
import { z } from 'zod';
import { LimitError, NumericalError, ValidationError, finite, parseOptions } from '@siteproof/core';
import { invertSPD } from '../math/levenbergMarquardt';
import { boxLeastSquares, type QuadraticLs } from './boundedLeastSquares';
import { cubicSpline, splineEval, type CubicSpline } from './cubicInterp';
import { indexOf } from '../math/indexOf';

export interface LcfReference {
  name: string;
  x: Float64Array;
  y: Float64Array;
}

export const lcfOptionsSchema = z
  .object({
    /** Fit window (same units as x). Default: the whole overlap of data and references. */
    xmin: finite().optional(),
    xmax: finite().optional(),
    /** Constrain the weights to sum to one. */
    sumToOne: z.boolean().default(false),
    /** Keep each weight in [0, 1] (Athena's default; Larix's default bounds). */
    bounded: z.boolean().default(true),
    /** Fit a common energy shift of the data (eV, same units as x). */
    varyEShift: z.boolean().default(false),
    /** Largest |ΔE| searched when varyEShift (eV). */
    maxEShift: finite().positive().default(10),
  })
  .strict();
export type LcfOptions = z.input<typeof lcfOptionsSchema>;
type LcfParsed = z.output<typeof lcfOptionsSchema>;

export interface LcfWeight {
  name: string;
  value: number;
  /** One-sigma uncertainty; null when the covariance cannot be estimated (no free degrees). */
  stderr: number | null;
}

export interface LcfResult {
  weights: LcfWeight[];
  /** Σ weights and its uncertainty. */
  sum: { value: number; stderr: number | null };
  /** Common energy shift of the data (0 and stderr null when not fitted). */
  eShift: { value: number; stderr: number | null };
  chiSquare: number;
  redChi: number;
  /** Σ(y − fit)² / Σy² (Larch's definition). */
  rFactor: number;
  npts: number;
  nvarys: number;
  /** Fit grid and arrays (data after the energy shift). */
  x: Float64Array;
  y: Float64Array;
  yfit: Float64Array;
  warnings: string[];
}

/** References interpolated onto the data grid of the window, reusable across a series on one grid. */
export interface PreparedLcf {
  names: string[];
  x: Float64Array;
  /** ref_i on x, one array per reference. */
  cols: Float64Array[];
  G: Float64Array;
  warnings: string[];
}

function checkSeries(x: Float64Array, y: Float64Array, what: string): void {
  if (x.length !== y.length) throw new ValidationError(`${what}: x and y differ in length (${x.length} vs ${y.length})`, { field: what });
  if (x.length < 4) throw new ValidationError(`${what}: needs at least 4 points, has ${x.length}`, { field: what });
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new ValidationError(`${what}: non-finite value at index ${i}`, { field: what });
    if (i > 0 && !(x[i] > x[i - 1])) throw new ValidationError(`${what}: x must be strictly increasing (index ${i})`, { field: what });
  }
}

/** Interpolate the references onto the data grid restricted to the window and the common range. */
export function prepareLcf(dataX: Float64Array, refs: LcfReference[], opts: LcfParsed, nparams: number): PreparedLcf {
  if (refs.length === 0) throw new ValidationError('LCF needs at least one reference', { field: 'references' });
  if (refs.length > 12) throw new LimitError(`LCF with ${refs.length} references: at most 12 (3^N faces are solved)`, { field: 'references' });
  const names = refs.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ValidationError(`reference name '${dup}' is used twice`, { field: 'references' });
  const warnings: string[] = [];
  let lo = dataX[0];
  let hi = dataX[dataX.length - 1];
  for (const r of refs) {
    checkSeries(r.x, r.y, `reference '${r.name}'`);
    const a = r.x[0];
    const b = r.x[r.x.length - 1];
    lo = Math.max(lo, a);
    hi = Math.min(hi, b);
  }
  if (!(hi > lo)) {
    const ranges = [`data ${dataX[0]}–${dataX[dataX.length - 1]}`, ...refs.map((r) => `'${r.name}' ${r.x[0]}–${r.x[r.x.length - 1]}`)];
    throw new ValidationError(`the data and references share no energy range (${ranges.join(', ')})`, { field: 'references' });
  }
  let xmin = opts.xmin ?? dataX[0];
  let xmax = opts.xmax ?? dataX[dataX.length - 1];
  if (xmin >= xmax) throw new ValidationError(`fit window is empty (xmin ${xmin} ≥ xmax ${xmax})`, { field: 'xmin' });
  if (xmin < lo || xmax > hi) {
    const nx0 = Math.max(xmin, lo);
    const nx1 = Math.min(xmax, hi);
    warnings.push(`fit window ${xmin}–${xmax} reaches beyond the range covered by the data and every reference; fitted over ${nx0}–${nx1}`);
    xmin = nx0;
    xmax = nx1;
  }
  // Larch's window: from index_of(x, xmin) through index_of(x, xmax) inclusive.
  let i0 = indexOf(dataX, xmin);
  if (dataX[i0] < lo) i0++;
  let i1 = indexOf(dataX, xmax);
  if (dataX[i1] > hi) i1--;
  const npts = i1 - i0 + 1;
  if (npts < nparams + 2) {
    throw new ValidationError(`only ${Math.max(0, npts)} data points in the fit window ${xmin}–${xmax} for ${nparams} parameters`, { field: 'xmin' });
  }
  const x = dataX.slice(i0, i1 + 1);
  const cols = refs.map((r) => splineEval(cubicSpline(r.x, r.y), x));
  const n = refs.length;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      const ci = cols[i];
      const cj = cols[j];
      for (let k = 0; k < npts; k++) s += ci[k] * cj[k];
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  }
  checkDesign(names, G, n);
  return { names, x, cols, G, warnings };
}

/** Refuse a design whose references are linearly dependent over the window: the weights would be arbitrary. */
function checkDesign(names: string[], G: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (!(G[i * n + i] > 0)) throw new NumericalError(`reference '${names[i]}' is zero over the fit window`, { field: names[i] });
  }
  // Correlation (cosine) matrix; its inverse exists iff the references are independent.
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = G[i * n + j] / Math.sqrt(G[i * n + i] * G[j * n + j]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (C[i * n + j] > 1 - 1e-10) {
        throw new NumericalError(
          `references '${names[i]}' and '${names[j]}' are identical (up to scale) over the fit window: their weights cannot be separated`,
          { field: names[j] },
          'drop one of them',
        );
      }
    }
  }
  // Variance inflation factors = diagonal of C⁻¹; beyond 1e10 the weights are not separable.
  const Cinv = invertSPD(C, n);
  let vifMax = 0;
  if (Cinv) for (let i = 0; i < n; i++) vifMax = Math.max(vifMax, Cinv[i * n + i]);
  if (!Cinv || !(vifMax < 1e10)) {
    throw new NumericalError(`references ${names.map((s) => `'${s}'`).join(', ')} are linearly dependent over the fit window: the weights cannot be separated`, {
      field: 'references',
    }, 'drop one reference or widen the window');
  }
}

interface ProfilePoint {
  chi2: number;
  w: Float64Array;
  y: Float64Array;
}

function solveAt(prep: PreparedLcf, y: Float64Array, opts: LcfParsed): ProfilePoint {
  const n = prep.cols.length;
  const b = new Float64Array(n);
  let yy = 0;
  for (let k = 0; k < y.length; k++) yy += y[k] * y[k];
  for (let i = 0; i < n; i++) {
    let s = 0;
    const c = prep.cols[i];
    for (let k = 0; k < y.length; k++) s += c[k] * y[k];
    b[i] = s;
  }
  const q: QuadraticLs = { G: prep.G, b, yy, n };
  const sol = boxLeastSquares(q, { lower: 0, upper: 1, bounded: opts.bounded, sumToOne: opts.sumToOne });
  if (!sol) throw new NumericalError(`no LCF solution satisfies the constraints (${prep.names.join(', ')})`, { field: 'references' });
  return { chi2: Math.max(0, sol.chi2), w: sol.w, y };
}

/** Offset of grid `x` inside `dataX` when it is a contiguous run of it, else −1. */
function gridOffset(dataX: Float64Array, x: Float64Array): number {
  if (dataX.length < x.length) return -1;
  const i0 = indexOf(dataX, x[0]);
  if (dataX[i0] !== x[0] || i0 + x.length > dataX.length) return -1;
  for (let k = 0; k < x.length; k++) if (dataX[i0 + k] !== x[k]) return -1;
  return i0;
}

function shifted(spl: CubicSpline, x: Float64Array, s: number): Float64Array {
  const at = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) at[k] = x[k] + s;
  return splineEval(spl, at);
}

/** Fit prepared references to one spectrum. */
export function lcfPrepared(prep: PreparedLcf, dataX: Float64Array, dataY: Float64Array, options: LcfParsed): LcfResult {
  const warnings = [...prep.warnings];
  const n = prep.cols.length;
  const x = prep.x;
  let spl: CubicSpline | null = null;
  // Data on the window's own grid (the usual case in a series): take the points as they are.
  const i0 = gridOffset(dataX, x);
  let yWin: Float64Array;
  if (i0 >= 0) yWin = dataY.slice(i0, i0 + x.length);
  else {
    spl = cubicSpline(dataX, dataY);
    yWin = splineEval(spl, x);
  }
  let best = solveAt(prep, yWin, options);
  let eShift = 0;
  if (options.varyEShift) {
    spl ??= cubicSpline(dataX, dataY);
    const s0 = spl;
    const f = (s: number) => solveAt(prep, shifted(s0, x, s), options);
    const max = options.maxEShift;
    // Grid step: a quarter of the median data step, at most 0.25 eV, so each well of χ²(ΔE) is sampled.
    const steps: number[] = [];
    for (let k = 1; k < x.length; k++) steps.push(x[k] - x[k - 1]);
    steps.sort((a, c) => a - c);
    const h = Math.min(0.25, Math.max(1e-3, steps[steps.length >> 1] / 4));
    const nGrid = Math.min(4000, Math.ceil((2 * max) / h));
    let bestS = 0;
    let bestP = best;
    const grid: number[] = [];
    const vals: number[] = [];
    for (let g = 0; g <= nGrid; g++) {
      const s = -max + (2 * max * g) / nGrid;
      const p = f(s);
      grid.push(s);
      vals.push(p.chi2);
      if (p.chi2 < bestP.chi2) {
        bestP = p;
        bestS = s;
      }
    }
    // Golden-section refinement inside the bracket around the best grid point.
    const gi = grid.indexOf(bestS);
    let a = gi > 0 ? grid[gi - 1] : bestS;
    let c = gi >= 0 && gi < grid.length - 1 ? grid[gi + 1] : bestS;
    if (gi < 0) {
      a = -h;
      c = h;
    }
    const phi = (Math.sqrt(5) - 1) / 2;
    let x1 = c - phi * (c - a);
    let x2 = a + phi * (c - a);
    let f1 = f(x1);
    let f2 = f(x2);
    for (let it = 0; it < 80 && c - a > 1e-6; it++) {
      if (f1.chi2 < f2.chi2) {
        c = x2;
        x2 = x1;
        f2 = f1;
        x1 = c - phi * (c - a);
        f1 = f(x1);
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + phi * (c - a);
        f2 = f(x2);
      }
    }
    const cand = f1.chi2 < f2.chi2 ? { s: x1, p: f1 } : { s: x2, p: f2 };
    if (cand.p.chi2 <= bestP.chi2) {
      bestP = cand.p;
      bestS = cand.s;
    }
    if (Math.abs(bestS) > 0.98 * max) warnings.push(`energy shift ${bestS.toFixed(3)} eV is at the search limit ±${max} eV`);
    best = bestP;
    eShift = bestS;
  }
  const w = best.w;
  const y = best.y;
  const npts = x.length;
  const yfit = new Float64Array(npts);
  for (let i = 0; i < n; i++) {
    const c = prep.cols[i];
    for (let k = 0; k < npts; k++) yfit[k] += w[i] * c[k];
  }
  let chi2 = 0;
  let yy = 0;
  for (let k = 0; k < npts; k++) {
    const r = y[k] - yfit[k];
    chi2 += r * r;
    yy += y[k] * y[k];
  }
  const nw = options.sumToOne ? n - 1 : n;
  const nvarys = nw + (options.varyEShift ? 1 : 0);
  const nfree = npts - nvarys;
  const redChi = nfree > 0 ? chi2 / nfree : chi2;
  // Jacobian of the residual fit − y(x+ΔE) in the varied parameters.
  const J: Float64Array[] = [];
  for (let i = 0; i < nw; i++) {
    const col = new Float64Array(npts);
    const ci = prep.cols[i];
    const cl = prep.cols[n - 1];
    for (let k = 0; k < npts; k++) col[k] = options.sumToOne ? ci[k] - cl[k] : ci[k];
    J.push(col);
  }
  if (options.varyEShift && spl) {
    const hs = 1e-3;
    const yp = shifted(spl, x, eShift + hs);
    const ym = shifted(spl, x, eShift - hs);
    const col = new Float64Array(npts);
    for (let k = 0; k < npts; k++) col[k] = -(yp[k] - ym[k]) / (2 * hs);
    J.push(col);
  }
  const m = J.length;
  const JtJ = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < npts; k++) s += J[i][k] * J[j][k];
      JtJ[i * m + j] = s;
      JtJ[j * m + i] = s;
    }
  }
  const inv = m > 0 && nfree > 0 ? invertSPD(JtJ, m) : null;
  if (m > 0 && !inv) warnings.push('the covariance matrix is singular: uncertainties not available');
  const cov = (i: number, j: number) => (inv ? redChi * inv[i * m + j] : NaN);
  const se = (v: number) => (Number.isFinite(v) && v >= 0 ? Math.sqrt(v) : null);
  const weights: LcfWeight[] = prep.names.map((name, i) => ({ name, value: w[i], stderr: null }));
  let sumVar = 0;
  for (let i = 0; i < nw; i++) weights[i].stderr = se(cov(i, i));
  if (options.sumToOne && nw > 0) {
    let v = 0;
    for (let i = 0; i < nw; i++) for (let j = 0; j < nw; j++) v += cov(i, j);
    weights[n - 1].stderr = se(v);
  } else {
    for (let i = 0; i < nw; i++) for (let j = 0; j < nw; j++) sumVar += cov(i, j);
  }
  if (options.sumToOne && n === 1) weights[0].stderr = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i];
  const eShiftErr = options.varyEShift ? se(cov(m - 1, m - 1)) : null;
  return {
    weights,
    sum: { value: sum, stderr: options.sumToOne ? 0 : se(sumVar) },
    eShift: { value: eShift, stderr: eShiftErr },
    chiSquare: chi2,
    redChi,
    rFactor: yy > 0 ? chi2 / yy : 0,
    npts,
    nvarys,
    x,
    y,
    yfit,
    warnings,
  };
}

/**
 * Fit spectrum (x, y) — normalized μ(E), its derivative or k^w·χ(k) — with the references.
 * Throws ValidationError for disjoint ranges / empty windows and NumericalError for a singular
 * design (identical or linearly dependent references): never NaN weights.
 */
export function lcf(x: Float64Array, y: Float64Array, references: LcfReference[], options: LcfOptions = {}): LcfResult {
  const opts = parseOptions(lcfOptionsSchema, options, 'options');
  checkSeries(x, y, 'data');
  const nparams = (opts.sumToOne ? references.length - 1 : references.length) + (opts.varyEShift ? 1 : 0);
  const prep = prepareLcf(x, references, opts, nparams);
  return lcfPrepared(prep, x, y, opts);
}
