// AUTOBK background removal as Larch does it (larch/xafs/autobk.py; see the design note §2.3):
// the background μ0(E) is a cubic B-spline in k whose nspl COEFFICIENTS are the variables; the
// knots come from splrep through nspl points spread over [kmin, kmax] (number set by rbkg); the
// residual is the low-R part (R < rbkg) of the windowed FT of χ = spline-interpolation of
// (μ − μ0) onto the uniform k grid, plus "clamps" on the first/last χ points weighted by
// 0.1 + 10·mean(out²), recomputed at every evaluation.
//
// Speed: everything except the clamp scale is LINEAR in the coefficients (B-spline background,
// interpolating spline onto k, windowed FT). We therefore build the residual as o0 + A·c once per
// spectrum (one spline solve and one short DFT per coefficient) and minimize with
// Levenberg–Marquardt on the exact analytic Jacobian (including the clamp-scale derivative). Larch
// uses MINPACK lmdif with forward differences on the same objective; both reach the same minimum
// (verified against Larch's χ(k) in tests/xas/autobk.golden.test.ts).
import { z } from 'zod';
import { parseOptionsCached } from '../normalize/parseOptionsCached';
import { assertFiniteArray, finite, NumericalError, parseOptions, ValidationError } from '@siteproof/core';
import { basisTable, CubicInterpolator, type BasisTable, splrep } from '../math/spline';
import { isPowerOfTwo } from '../math/fft';
import { ETOK, indexNearest, indexOfFloor, pyInt } from './constants';
import { ftwindowRaw, windowNameSchema } from './ftwindow';
import { levenbergMarquardtSmall, partialNormalMatrix } from './leastSquares';
import { npInterp } from './xftf';
import { erf, studentTQuantile } from '@siteproof/core';

const SQRT_PI = Math.sqrt(Math.PI);

export const autobkSchema = z
  .object({
    /** Edge energy E0 (eV); Larch's ek0. Required: run preEdge first (or pass Larch's value). */
    e0: finite(),
    /** Edge step used to normalize χ. */
    edgeStep: finite().refine((v) => v > 0, { message: 'must be positive' }),
    rbkg: finite().refine((v) => v > 0, { message: 'rbkg must be > 0 Å' }).default(1),
    kweight: finite().min(0).default(1),
    kmin: finite().min(0).default(0),
    /** Default: the end of the data. */
    kmax: finite().positive().optional(),
    dk: finite().min(0).default(0.1),
    window: windowNameSchema.default('hanning'),
    nfft: z.number().int().refine(isPowerOfTwo, { message: 'must be a power of two' }).default(2048),
    kstep: finite().positive().default(0.05),
    nclamp: z.number().int().min(0).default(3),
    clampLo: finite().default(0),
    clampHi: finite().default(1),
    /** Number of spline knots (overrides the rbkg rule); clipped to [5, 128] as Larch. */
    nknots: z.number().int().positive().optional(),
    /** A standard χ(k) (edge-step units × edge step, i.e. μ units, as Larch's chi_std) to subtract. */
    standard: z.object({ k: z.array(finite()).or(z.instanceof(Float64Array)), chi: z.array(finite()).or(z.instanceof(Float64Array)) }).optional(),
  })
  .refine((o) => o.kmax === undefined || o.kmin < o.kmax, { message: 'kmin must be below kmax', path: ['kmin'] });
export type AutobkOptions = z.input<typeof autobkSchema>;

export interface AutobkDetails {
  /** Knot vector of the background B-spline (splrep through the nspl points). */
  knots: Float64Array;
  /** Final B-spline coefficients (length of knots; entries ≥ nspl repeat the last one, as Larch). */
  coefs: Float64Array;
  initCoefs: Float64Array;
  /** √(redchi·covar_ii), Larch's coefs_std. */
  coefsStd: Float64Array;
  /** (JᵀJ)⁻¹ at the solution, nspl×nspl row-major (scipy leastsq cov_x, unscaled). */
  covar: Float64Array | undefined;
  nspl: number;
  irbkg: number;
  chisqr: number;
  redchi: number;
  iek0: number;
  iemax: number;
  ek0: number;
  kmin: number;
  kmax: number;
  /** k of the spline points and Larch's initial y values there. */
  splK: Float64Array;
  initKnotsY: Float64Array;
  initBkg: Float64Array;
  initChi: Float64Array;
  iterations: number;
}

export interface AutobkResult {
  /** Uniform k grid kstep·[0 … kmax] (Å⁻¹). */
  k: Float64Array;
  /** χ(k) = (μ − μ0)/edgeStep interpolated onto k. */
  chi: Float64Array;
  /** μ0(E) on the input energies (μ itself outside the fitted range, as Larch). */
  bkg: Float64Array;
  /** (μ − μ0)/edgeStep on the input energies. */
  chie: Float64Array;
  /** k of each input energy from E[iek0] on (negative just below E0). */
  kraw: Float64Array;
  e0: number;
  edgeStep: number;
  /** rbkg actually used (≥ 2 R-grid steps). */
  rbkg: number;
  details: AutobkDetails;
}

/** DFT tables cos/sin(2π·n·j/nfft) for j < nr, n < nk, cached: they depend only on the grid. */
const trigCache = new Map<string, { cos: Float64Array; sin: Float64Array }>();
function trigTable(nk: number, nr: number, nfft: number): { cos: Float64Array; sin: Float64Array } {
  const key = `${nk}:${nr}:${nfft}`;
  let t = trigCache.get(key);
  if (!t) {
    const cos = new Float64Array(nr * nk);
    const sin = new Float64Array(nr * nk);
    for (let j = 0; j < nr; j++) {
      for (let n = 0; n < nk; n++) {
        const ph = (2 * Math.PI * ((n * j) % nfft)) / nfft;
        cos[j * nk + n] = Math.cos(ph);
        sin[j * nk + n] = Math.sin(ph);
      }
    }
    t = { cos, sin };
    if (trigCache.size > 64) trigCache.clear();
    trigCache.set(key, t);
  }
  return t;
}

/** Geometry of one AUTOBK problem: grids, knots and the linear operators (independent of μ). */
interface AutobkSetup {
  iek0: number;
  iemax: number;
  kraw: Float64Array;
  nraw: number; // points used in the fit: kraw[0 .. nraw−1]
  kout: Float64Array;
  ftwin: Float64Array;
  nspl: number;
  irbkg: number;
  rbkg: number;
  kmin: number;
  kmax: number;
  splK: Float64Array;
  splIdx: Int32Array;
  knots: Float64Array;
  bkgTable: BasisTable; // background basis at kraw_
  interp: CubicInterpolator; // interpolating spline on kraw_
  outTable: BasisTable; // its basis at kout
  /** Jacobian of χ(kout) w.r.t. the coefficients: χ = χ0 − G·c, G is nk×nspl row-major. */
  G: Float64Array;
}

type ParsedOptions = z.output<typeof autobkSchema>;

function buildSetup(energy: ArrayLike<number>, o: ParsedOptions): AutobkSetup {
  const N = energy.length;
  const ek0 = o.e0;
  if (!(ek0 > energy[0] && ek0 < energy[N - 1])) {
    throw new ValidationError(`e0 = ${ek0} eV is outside the energy range ${energy[0]}–${energy[N - 1]} eV`, { field: 'options.e0' });
  }
  const iek0 = indexOfFloor(energy, ek0);
  const rgrid = Math.PI / (o.kstep * o.nfft);
  const rbkg = Math.max(o.rbkg, 2 * rgrid);
  const nk0 = N - iek0;
  const kraw = new Float64Array(nk0);
  let krawMax = -Infinity;
  for (let i = 0; i < nk0; i++) {
    const d = energy[iek0 + i] - ek0;
    kraw[i] = Math.sign(d) * Math.sqrt(ETOK * Math.abs(d));
    if (kraw[i] > krawMax) krawMax = kraw[i];
  }
  if (nk0 < 8) throw new ValidationError(`too few points above E0: ${nk0 - 1} (AUTOBK needs at least 7)`, { field: 'energy' });
  let kmax: number;
  if (o.kmax === undefined) kmax = krawMax;
  else {
    if (o.kmax > krawMax + 0.5 * o.kstep) {
      throw new ValidationError(`k range beyond the data: kmax = ${o.kmax} Å⁻¹ but the data end at k = ${krawMax.toFixed(3)} Å⁻¹`, { field: 'options.kmax' });
    }
    kmax = Math.max(0, Math.min(krawMax, o.kmax));
  }
  const kmin = o.kmin;
  if (!(kmin < kmax)) {
    throw new ValidationError(`k range beyond the data: kmin = ${kmin} Å⁻¹ but the data end at k = ${kmax.toFixed(3)} Å⁻¹`, { field: 'options.kmin' });
  }
  const nk = pyInt(1.01 + kmax / o.kstep);
  if (nk > o.nfft) throw new ValidationError(`nfft = ${o.nfft} is too small for ${nk} k points`, { field: 'options.nfft' });
  const kout = new Float64Array(nk);
  for (let i = 0; i < nk; i++) kout[i] = o.kstep * i;
  const iemax = Math.min(N, 2 + indexOfFloor(energy, ek0 + (kmax * kmax) / ETOK)) - 1;
  const win = ftwindowRaw(kout, kmin, kmax, o.dk, o.dk, o.window);
  const ftwin = new Float64Array(nk);
  for (let i = 0; i < nk; i++) ftwin[i] = kout[i] ** o.kweight * win[i];

  let nspl = 1 + pyInt((2 * rbkg * (kmax - kmin)) / Math.PI);
  const irbkg = pyInt(1 + ((nspl - 1) * Math.PI) / (2 * rgrid * (kmax - kmin)));
  if (o.nknots !== undefined) nspl = o.nknots;
  nspl = Math.max(5, Math.min(128, nspl));
  if (irbkg > o.nfft / 2) throw new ValidationError(`rbkg = ${o.rbkg} Å is beyond the R range of the transform`, { field: 'options.rbkg' });

  const nraw = iemax - iek0 + 1;
  if (nraw < Math.max(8, nspl + 2)) {
    throw new ValidationError(`too few points above E0 (${nraw} up to kmax) for a ${nspl}-knot background`, { field: 'energy' });
  }
  const splK = new Float64Array(nspl);
  const splIdx = new Int32Array(nspl);
  for (let i = 0; i < nspl; i++) {
    const q = kmin + (i * (kmax - kmin)) / (nspl - 1);
    const ik = indexNearest(kraw, q);
    splIdx[i] = ik;
    splK[i] = kraw[ik];
    if (i > 0 && !(splK[i] > splK[i - 1])) {
      throw new ValidationError(`too few points above E0: two of the ${nspl} spline knots fall on the same data point (k = ${splK[i].toFixed(3)}); lower rbkg/nknots or use finer data`, { field: 'energy' });
    }
  }
  const knots = splrep(splK, new Float64Array(nspl)).t;
  const krawFit = kraw.subarray(0, nraw);
  const bkgTable = basisTable(knots, krawFit);
  const interp = new CubicInterpolator(krawFit, 'energy');
  const outTable = basisTable(interp.t, kout);

  // G column j = interpolation onto kout of the background basis function B_j sampled at kraw_.
  const G = new Float64Array(nk * nspl);
  const col = new Float64Array(nraw);
  const coef = new Float64Array(nraw);
  for (let j = 0; j < nspl; j++) {
    col.fill(0);
    for (let i = 0; i < nraw; i++) {
      const q = j - (bkgTable.span[i] - 3);
      if (q >= 0 && q < 4) col[i] = bkgTable.b[4 * i + q];
    }
    interp.solve(col, coef);
    const { span, b } = outTable;
    for (let i = 0; i < nk; i++) {
      const s = span[i] - 3;
      const o4 = 4 * i;
      G[i * nspl + j] = b[o4] * coef[s] + b[o4 + 1] * coef[s + 1] + b[o4 + 2] * coef[s + 2] + b[o4 + 3] * coef[s + 3];
    }
  }
  return { iek0, iemax, kraw, nraw, kout, ftwin, nspl, irbkg, rbkg, kmin, kmax, splK, splIdx, knots, bkgTable, interp, outTable, G };
}

/**
 * Low-R DFT of `nc` columns (column-major, length nk each): out[2j·nc + q] = Re, out[(2j+1)·nc + q]
 * = Im of sc·Σ_n col_q[n]·e^(−2πi nj/nfft), j < irbkg. Two columns per pass share the trig loads
 * (the fastest loop order we measured; this DFT is the main cost of building AUTOBK's Jacobian).
 */
function lowRDft(cols: Float64Array, nc: number, nk: number, irbkg: number, trig: { cos: Float64Array; sin: Float64Array }, sc: number): Float64Array {
  const out = new Float64Array(2 * irbkg * nc);
  const { cos, sin } = trig;
  if (nc === 1) {
    // one column (χ0 of each spectrum): the same sums without the paired second column
    for (let j = 0; j < irbkg; j++) {
      const base = j * nk;
      let re = 0;
      let im = 0;
      for (let n = 0; n < nk; n++) {
        const g = cols[n];
        re += cos[base + n] * g;
        im -= sin[base + n] * g;
      }
      out[2 * j] = sc * re;
      out[2 * j + 1] = sc * im;
    }
    return out;
  }
  for (let j = 0; j < irbkg; j++) {
    const base = j * nk;
    for (let q = 0; q < nc; q += 2) {
      const o1 = q * nk;
      const two = q + 1 < nc;
      const o2 = two ? o1 + nk : o1;
      let re1 = 0;
      let im1 = 0;
      let re2 = 0;
      let im2 = 0;
      for (let n = 0; n < nk; n++) {
        const cc = cos[base + n];
        const ss = sin[base + n];
        const g1 = cols[o1 + n];
        const g2 = cols[o2 + n];
        re1 += cc * g1;
        im1 -= ss * g1;
        re2 += cc * g2;
        im2 -= ss * g2;
      }
      out[2 * j * nc + q] = sc * re1;
      out[(2 * j + 1) * nc + q] = sc * im1;
      if (two) {
        out[2 * j * nc + q + 1] = sc * re2;
        out[(2 * j + 1) * nc + q + 1] = sc * im2;
      }
    }
  }
  return out;
}

interface Geometry {
  key: string;
  energy: Float64Array;
  s: AutobkSetup;
  /** ∂out/∂c (2·irbkg × nspl row-major): constant, since out is linear in the coefficients. */
  A: Float64Array;
  trig: { cos: Float64Array; sin: Float64Array };
  /** AᵀA (upper triangle): the constant low-R rows' share of the LM normal matrix. */
  AtA: Float64Array;
}

/**
 * Everything that depends on the energy grid, E0 and the options but not on μ — knots, spline
 * factorizations, the window and the Jacobian of the low-R transform — cached for the last few
 * (grid, E0, options): the spectra of a series usually share them (same monochromator grid), so
 * each further spectrum costs one spline solve and one DFT column. A hit requires the exact same
 * energy values, so results are identical with or without the cache.
 */
const geometryCache: Geometry[] = [];
const GEOMETRY_CACHE_SIZE = 8;

function geometryFor(energy: ArrayLike<number>, o: ParsedOptions): Geometry {
  const key = JSON.stringify([o.e0, o.rbkg, o.kweight, o.kmin, o.kmax, o.dk, o.window, o.nfft, o.kstep, o.nknots, energy.length]);
  for (let g = 0; g < geometryCache.length; g++) {
    const c = geometryCache[g];
    if (c.key !== key) continue;
    let same = true;
    for (let i = 0; i < energy.length; i++) {
      if (c.energy[i] !== energy[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      if (g > 0) {
        geometryCache.splice(g, 1);
        geometryCache.unshift(c);
      }
      return c;
    }
  }
  const s = buildSetup(energy, o);
  const { nspl, irbkg, kout, ftwin, G } = s;
  const nk = kout.length;
  const trig = trigTable(nk, irbkg, o.nfft);
  const cols = new Float64Array(nspl * nk);
  for (let n = 0; n < nk; n++) {
    const w = ftwin[n];
    if (w === 0) continue;
    for (let q = 0; q < nspl; q++) cols[q * nk + n] = -w * G[n * nspl + q];
  }
  const A = lowRDft(cols, nspl, nk, irbkg, trig, o.kstep / SQRT_PI);
  const geo: Geometry = { key, energy: Float64Array.from(energy), s, A, trig, AtA: partialNormalMatrix(A, 2 * irbkg, nspl) };
  geometryCache.unshift(geo);
  if (geometryCache.length > GEOMETRY_CACHE_SIZE) geometryCache.pop();
  return geo;
}

function evalBkg(s: AutobkSetup, c: ArrayLike<number>, out: Float64Array): Float64Array {
  const { span, b } = s.bkgTable;
  for (let i = 0; i < s.nraw; i++) {
    const j = span[i] - 3;
    const o4 = 4 * i;
    out[i] = b[o4] * c[j] + b[o4 + 1] * c[j + 1] + b[o4 + 2] * c[j + 2] + b[o4 + 3] * c[j + 3];
  }
  return out;
}

/** χ on kout (μ units) for coefficients c: interpolating spline of (μ − bkg) versus kraw. */
function evalChi(s: AutobkSetup, mu: ArrayLike<number>, c: ArrayLike<number>): { chi: Float64Array; bkg: Float64Array } {
  const bkg = evalBkg(s, c, new Float64Array(s.nraw));
  const diff = new Float64Array(s.nraw);
  for (let i = 0; i < s.nraw; i++) diff[i] = mu[s.iek0 + i] - bkg[i];
  const coef = s.interp.solve(diff);
  const chi = new Float64Array(s.kout.length);
  const { span, b } = s.outTable;
  for (let i = 0; i < chi.length; i++) {
    const j = span[i] - 3;
    const o4 = 4 * i;
    chi[i] = b[o4] * coef[j] + b[o4 + 1] * coef[j + 1] + b[o4 + 2] * coef[j + 2] + b[o4 + 3] * coef[j + 3];
  }
  return { chi, bkg };
}

/**
 * AUTOBK (Larch `autobk`): background μ0(E) and χ(k) from μ(E). `e0` and `edgeStep` are inputs
 * (from preEdge, or Larch's values). Options and defaults are Larch's: rbkg 1, kweight 1, kmin 0,
 * kmax = end of data, dk 0.1, hanning, nfft 2048, kstep 0.05, nclamp 3, clampLo 0, clampHi 1.
 */
export function autobk(energy: ArrayLike<number>, mu: ArrayLike<number>, options: AutobkOptions): AutobkResult {
  const o = parseOptionsCached(autobkSchema, options, 'options');
  const N = energy.length;
  if (mu.length !== N) throw new ValidationError(`energy and mu differ in length (${N} vs ${mu.length})`, { field: 'mu' });
  if (N < 10) throw new ValidationError(`too few points (${N}) for AUTOBK`, { field: 'energy' });
  assertFiniteArray(energy, 'energy');
  assertFiniteArray(mu, 'mu');
  for (let i = 1; i < N; i++) {
    if (!(energy[i] > energy[i - 1])) throw new ValidationError(`energy must be strictly increasing (index ${i}: ${energy[i - 1]} then ${energy[i]})`, { field: 'energy' });
  }
  const { s, A, trig, AtA } = geometryFor(energy, o);
  const { nspl, irbkg, kout, ftwin, G } = s;
  const nk = kout.length;

  // Initial coefficients: splrep through Larch's smoothed μ at the spline points.
  const splY = new Float64Array(nspl);
  const last = s.kraw.length - 1;
  for (let i = 0; i < nspl; i++) {
    const ik = s.splIdx[i];
    splY[i] = (2 * mu[ik + s.iek0] + mu[Math.min(last, ik + 5) + s.iek0] + mu[Math.max(0, ik - 5) + s.iek0]) / 4;
  }
  const initCoefs = splrep(s.splK, splY).c.slice(0, nspl);

  // χ0 = χ at c = 0 (the spline interpolation of μ itself); χ(c) = χ0 − G·c.
  const chi0Raw = evalChi(s, mu, new Float64Array(nspl)).chi;
  const chi0 = o.standard ? chi0Raw.slice() : chi0Raw;
  if (o.standard) {
    const std = npInterp(kout, o.standard.k, o.standard.chi);
    for (let i = 0; i < nk; i++) chi0[i] -= std[i];
  }
  // Low-R part of the FT of ftwin·χ0; the coefficient part A is geometry (cached).
  const nout = 2 * irbkg;
  const w0 = new Float64Array(nk);
  for (let n = 0; n < nk; n++) w0[n] = ftwin[n] * chi0[n];
  const o0 = lowRDft(w0, 1, nk, irbkg, trig, o.kstep / SQRT_PI);

  const nclamp = Math.min(o.nclamp, nk);
  const lo = Math.abs(o.clampLo);
  const hi = Math.abs(o.clampHi);
  const clampIdx: number[] = [];
  const clampW: number[] = [];
  if (nclamp > 0) {
    for (let i = 0; i < nclamp; i++) {
      clampIdx.push(i);
      clampW.push(lo);
    }
    for (let i = nk - nclamp; i < nk; i++) {
      clampIdx.push(i);
      clampW.push(hi);
    }
  }
  const m = nout + clampIdx.length;
  const out = new Float64Array(nout);
  const chiAt = (i: number, c: Float64Array) => {
    let v = chi0[i];
    for (let q = 0; q < nspl; q++) v -= G[i * nspl + q] * c[q];
    return v;
  };
  // LM evaluates the Jacobian at the point whose residual it just computed (and the fit's end
  // re-evaluates the residual there): reuse `out` and the scale when c is unchanged (same values).
  const lastC = new Float64Array(nspl);
  let lastScale = NaN;
  const computeOut = (c: Float64Array) => {
    if (lastScale === lastScale) {
      let q = 0;
      while (q < nspl && lastC[q] === c[q]) q++;
      if (q === nspl) return lastScale;
    }
    const scale = computeOutFresh(c);
    lastC.set(c);
    lastScale = scale;
    return scale;
  };
  const computeOutFresh = (c: Float64Array) => {
    let ss = 0;
    for (let r = 0; r < nout; r++) {
      let v = o0[r];
      for (let q = 0; q < nspl; q++) v += A[r * nspl + q] * c[q];
      out[r] = v;
      ss += v * v;
    }
    return 0.1 + (10 * ss) / nout;
  };
  const problem = {
    m,
    n: nspl,
    constantRows: { rows: nout, JtJ: AtA },
    residual(c: Float64Array, r: Float64Array) {
      const scale = computeOut(c);
      r.set(out);
      for (let e = 0; e < clampIdx.length; e++) r[nout + e] = clampW[e] * scale * chiAt(clampIdx[e], c);
    },
    jacobian(c: Float64Array, J: Float64Array) {
      const scale = computeOut(c);
      J.set(A.subarray(0, nout * nspl));
      if (clampIdx.length === 0) return;
      // ∂scale/∂c_q = (20/nout)·Σ_r out_r·A_rq
      const gs = new Float64Array(nspl);
      for (let r = 0; r < nout; r++) {
        const f = (20 / nout) * out[r];
        for (let q = 0; q < nspl; q++) gs[q] += f * A[r * nspl + q];
      }
      for (let e = 0; e < clampIdx.length; e++) {
        const i = clampIdx[e];
        const chiv = chiAt(i, c);
        for (let q = 0; q < nspl; q++) J[(nout + e) * nspl + q] = clampW[e] * (scale * -G[i * nspl + q] + chiv * gs[q]);
      }
    },
  };
  if (m <= nspl || 2 * irbkg + 2 * o.nclamp - nspl <= 0) {
    throw new ValidationError(`AUTOBK needs more residuals (${m}) than spline coefficients (${nspl}); raise rbkg or lower nknots`, { field: 'options.nknots' });
  }
  const fit = levenbergMarquardtSmall(problem, initCoefs);
  const best = fit.x;
  const resid = new Float64Array(m);
  problem.residual(best, resid);
  let chisqr = 0;
  for (let i = 0; i < m; i++) chisqr += resid[i] * resid[i];
  const dof = 2 * irbkg + 2 * o.nclamp - nspl;
  const redchi = chisqr / dof;
  const coefsStd = new Float64Array(nspl);
  if (fit.covar) for (let i = 0; i < nspl; i++) coefsStd[i] = Math.sqrt(Math.max(0, redchi * fit.covar[i * nspl + i]));

  const nKnots = s.knots.length;
  const coefs = new Float64Array(nKnots).fill(best[nspl - 1]);
  coefs.set(best);
  const initFull = new Float64Array(nKnots).fill(initCoefs[nspl - 1]);
  initFull.set(initCoefs);

  // χ and μ0 for the final and initial coefficients through the linear operators (χ = χ0 − G·c).
  const chiOf = (c: ArrayLike<number>) => {
    const out = new Float64Array(nk);
    for (let i = 0; i < nk; i++) {
      let v = chi0Raw[i];
      for (let q = 0; q < nspl; q++) v -= G[i * nspl + q] * c[q];
      out[i] = v;
    }
    return out;
  };
  const fin = { chi: chiOf(best), bkg: evalBkg(s, best, new Float64Array(s.nraw)) };
  const ini = { chi: chiOf(initCoefs), bkg: evalBkg(s, initCoefs, new Float64Array(s.nraw)) };
  const bkg = Float64Array.from(mu);
  const initBkg = Float64Array.from(mu);
  bkg.set(fin.bkg, s.iek0);
  initBkg.set(ini.bkg, s.iek0);
  const chie = new Float64Array(N);
  for (let i = 0; i < N; i++) chie[i] = (mu[i] - bkg[i]) / o.edgeStep;
  const chi = new Float64Array(nk);
  const initChi = new Float64Array(nk);
  for (let i = 0; i < nk; i++) {
    chi[i] = fin.chi[i] / o.edgeStep;
    initChi[i] = ini.chi[i] / o.edgeStep;
  }
  assertFiniteArray(chi, 'chi(k)');
  assertFiniteArray(bkg, 'bkg');
  if (!Number.isFinite(chisqr)) throw new NumericalError('AUTOBK fit did not converge (non-finite residual)', { field: 'chi' });

  return {
    // Copies: the geometry is cached across calls and must never be shared with (or transferred by) callers.
    k: kout.slice(),
    chi,
    bkg,
    chie,
    kraw: s.kraw.slice(),
    e0: o.e0,
    edgeStep: o.edgeStep,
    rbkg: s.rbkg,
    details: {
      knots: s.knots.slice(),
      coefs,
      initCoefs: initFull,
      coefsStd,
      covar: fit.covar,
      nspl,
      irbkg,
      chisqr,
      redchi,
      iek0: s.iek0,
      iemax: s.iemax,
      ek0: o.e0,
      kmin: s.kmin,
      kmax: s.kmax,
      splK: s.splK.slice(),
      initKnotsY: splY,
      initBkg,
      initChi,
      iterations: fit.iterations,
    },
  };
}

export const deltaChiSchema = z.object({ errSigma: finite().positive().default(1) });

/**
 * Larch `autobk_delta_chi`: uncertainty of χ(k) and μ0(E) propagated from the spline-coefficient
 * covariance, δf² = Σ_ij J_i J_j covar_ij, scaled by √redchi and the Student-t factor for
 * errSigma. The Jacobian is exact here (the model is linear in the coefficients; Larch's central
 * differences give the same numbers). As in Larch, deltaChi is in μ units (not divided by the
 * edge step) and deltaBkg is zero outside the fitted energy range.
 */
export function autobkDeltaChi(energy: ArrayLike<number>, result: AutobkResult, options: { errSigma?: number } = {}): { deltaChi: Float64Array; deltaBkg: Float64Array } {
  const { errSigma } = parseOptions(deltaChiSchema, options, 'options');
  const d = result.details;
  if (!d.covar) throw new NumericalError('AUTOBK covariance is not available (singular fit)', { field: 'covar' });
  const nspl = d.nspl;
  // Rebuild the linear operators from the stored geometry.
  const nraw = d.iemax - d.iek0 + 1;
  const krawFit = result.kraw.subarray(0, nraw);
  const bkgTable = basisTable(d.knots, krawFit);
  const interp = new CubicInterpolator(krawFit, 'energy');
  const outTable = basisTable(interp.t, result.k);
  const nk = result.k.length;
  const dfchi = new Float64Array(nk);
  const dfbkg = new Float64Array(nraw);
  const Gc = new Float64Array(nk * nspl);
  const Bc = new Float64Array(nraw * nspl);
  const col = new Float64Array(nraw);
  const coef = new Float64Array(nraw);
  for (let j = 0; j < nspl; j++) {
    col.fill(0);
    for (let i = 0; i < nraw; i++) {
      const q = j - (bkgTable.span[i] - 3);
      if (q >= 0 && q < 4) col[i] = bkgTable.b[4 * i + q];
      Bc[i * nspl + j] = col[i];
    }
    interp.solve(col, coef);
    for (let i = 0; i < nk; i++) {
      const s = outTable.span[i] - 3;
      const b = outTable.b;
      Gc[i * nspl + j] = -(b[4 * i] * coef[s] + b[4 * i + 1] * coef[s + 1] + b[4 * i + 2] * coef[s + 2] + b[4 * i + 3] * coef[s + 3]);
    }
  }
  const quad = (M: Float64Array, row: number) => {
    let s = 0;
    for (let a = 0; a < nspl; a++) {
      const ja = M[row * nspl + a];
      if (ja === 0) continue;
      for (let b = 0; b < nspl; b++) s += ja * M[row * nspl + b] * d.covar![a * nspl + b];
    }
    return s;
  };
  for (let i = 0; i < nk; i++) dfchi[i] = quad(Gc, i);
  for (let i = 0; i < nraw; i++) dfbkg[i] = quad(Bc, i);
  const prob = 0.5 * (1 + erf(errSigma / Math.SQRT2));
  if (nk - nspl <= 0 || nraw - nspl <= 0) throw new ValidationError('too few points for the AUTOBK uncertainty (degrees of freedom ≤ 0)', { field: 'k' });
  const tchi = studentTQuantile(prob, nk - nspl);
  const tbkg = studentTQuantile(prob, nraw - nspl);
  const deltaChi = new Float64Array(nk);
  for (let i = 0; i < nk; i++) deltaChi[i] = tchi * Math.sqrt(Math.max(0, dfchi[i] * d.redchi));
  const deltaBkg = new Float64Array(energy.length);
  for (let i = 0; i < nraw; i++) deltaBkg[d.iek0 + i] = tbkg * Math.sqrt(Math.max(0, dfbkg[i] * d.redchi));
  return { deltaChi, deltaBkg };
}
