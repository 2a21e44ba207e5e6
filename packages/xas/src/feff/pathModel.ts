// The EXAFS path equation as Larch's FeffPathGroup._calc_chi (larch/xafs/feffdat.py):
//   χ̃(k) = N·S0²·amp(q)/(q·(reff+ΔR)²) · exp(−2·reff·Im p − 2p²(σ² − p²C4/3)
//            + i[2q·reff + pha(q) + 2p(ΔR − 2σ²/reff − 2p²C3/3)]),
//   q = sign(en)·√|en|, en = k² − ΔE0·ETOK, p = √((rep(q) + i/λ(q))² + i·Ei·ETOK),
//   χ = Im χ̃, χ̃[0] = 2χ̃[1] − χ̃[2].
// The mean-free-path term uses reff, not reff+ΔR (as Larch). amp, pha, rep and λ are
// interpolating cubic splines of the FEFF table, built once per path (they do not depend on
// the fit parameters; ΔE0 only moves the abscissa q).
import { ETOK } from '../exafs/constants';
import type { FeffPathData } from './feffPath';
import { CubicInterpolator, splevAt } from '../math/spline';

export interface PathParams {
  degen: number;
  s02: number;
  e0: number;
  ei: number;
  deltar: number;
  sigma2: number;
  third: number;
  fourth: number;
}

export const PATH_PARAM_NAMES = ['degen', 's02', 'e0', 'ei', 'deltar', 'sigma2', 'third', 'fourth'] as const;
export type PathParamName = (typeof PATH_PARAM_NAMES)[number];

export function defaultPathParams(path: FeffPathData): PathParams {
  return { degen: path.degen, s02: 1, e0: 0, ei: 0, deltar: 0, sigma2: 0, third: 0, fourth: 0 };
}

/** Cubic pieces of a spline: on [x_i, x_{i+1}], y = c0 + c1·t + c2·t² + c3·t³ with t = x − x_i. */
interface PiecewiseCubic {
  c0: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  c3: Float64Array;
}

/**
 * The interpolating cubic (math/spline: FITPACK's UnivariateSpline s=0, ext=0) through (x, y),
 * converted once to polynomial pieces so that a monotone sweep of q evaluates it with a Horner
 * step per point. Each piece is recovered exactly from four values in its interval (a cubic);
 * the end pieces extrapolate, as ext=0.
 */
function piecewise(interp: CubicInterpolator, y: ArrayLike<number>): PiecewiseCubic {
  const spl = interp.spline(y);
  const x = interp.x;
  const m = x.length - 1;
  const out = { c0: new Float64Array(m), c1: new Float64Array(m), c2: new Float64Array(m), c3: new Float64Array(m) };
  for (let i = 0; i < m; i++) {
    const h = (x[i + 1] - x[i]) / 3;
    // values at t = 0, h, 2h, 3h
    const v0 = splevAt(spl, x[i]);
    const v1 = splevAt(spl, x[i] + h);
    const v2 = splevAt(spl, x[i] + 2 * h);
    const v3 = splevAt(spl, x[i + 1]); // the spline is continuous at knots
    // quadratic through s = 0, 1, 2, then a3·t(t−h)(t−2h) fits the fourth value
    const a2q = (v2 - 2 * v1 + v0) / (2 * h * h);
    const a1q = (v1 - v0) / h - a2q * h;
    const t3 = 3 * h;
    const a3 = (v3 - (v0 + a1q * t3 + a2q * t3 * t3)) / (6 * h * h * h);
    out.c0[i] = v0;
    out.c1[i] = a1q + a3 * 2 * h * h;
    out.c2[i] = a2q - a3 * 3 * h;
    out.c3[i] = a3;
  }
  return out;
}

/** A FEFF path with its splines precomputed; `chi` evaluates the path equation on a k grid. */
export class PathModel {
  readonly data: FeffPathData;
  readonly reff: number;
  private readonly xk: Float64Array;
  private readonly amp: PiecewiseCubic;
  private readonly pha: PiecewiseCubic;
  private readonly rep: PiecewiseCubic;
  private readonly lam: PiecewiseCubic;
  // The spline values depend only on the k grid and ΔE0: a fit's Jacobian changes ΔE0 in one
  // column only, so the last grid/ΔE0 evaluation is kept and reused.
  private cacheK: ArrayLike<number> | null = null;
  private cacheN = -1;
  private cacheE0 = NaN;
  private cacheKlast = NaN;
  private cQ = new Float64Array(0);
  private cAmp = new Float64Array(0);
  private cPha = new Float64Array(0);
  private cRep = new Float64Array(0);
  private cLam = new Float64Array(0);

  constructor(data: FeffPathData) {
    this.data = data;
    this.reff = data.reff;
    this.xk = data.k;
    // One factorization of the interpolating-spline system serves all four columns.
    const interp = new CubicInterpolator(data.k, `${data.fileName}: k`);
    this.amp = piecewise(interp, data.amp);
    this.pha = piecewise(interp, data.pha);
    this.rep = piecewise(interp, data.rep);
    this.lam = piecewise(interp, data.lam);
  }

  /**
   * χ(k) of this path (Im χ̃) on `k`; added into `out` when `accumulate` is true.
   * `outImag` (optional) receives −Re χ̃ (Larch's chi_imag).
   */
  chi(k: ArrayLike<number>, p: PathParams, out?: Float64Array, accumulate = false, outImag?: Float64Array): Float64Array {
    const n = k.length;
    const res = out ?? new Float64Array(n);
    if (n === 0) return res;
    const { degen, s02, e0, ei, deltar, sigma2, third, fourth } = p;
    const reff = this.reff;
    const pref = degen * s02 / ((reff + deltar) * (reff + deltar));
    const eiK = ei * ETOK;
    if (this.cacheK !== k || this.cacheN !== n || this.cacheE0 !== e0 || this.cacheKlast !== k[n - 1]) this.tabulate(k, e0);
    const Q = this.cQ, AMP = this.cAmp, PHA = this.cPha, REP = this.cRep, LAM = this.cLam;
    // χ̃ at indices 0..2 is kept for the k=0 extrapolation.
    let re0 = 0, im0 = 0, re1 = 0, im1 = 0, re2 = 0, im2 = 0;
    for (let j = 0; j < n; j++) {
      const q = Q[j];
      const amp = AMP[j];
      const pha = PHA[j];
      const rep = REP[j];
      const lam = LAM[j];
      // complex momentum p = sqrt((rep + i/λ)² + i·Ei·ETOK), principal branch
      let pr = rep;
      let pi = 1 / lam;
      if (eiK !== 0) {
        const sr = pr * pr - pi * pi;
        const si = 2 * pr * pi + eiK;
        const mod = Math.hypot(sr, si);
        pr = Math.sqrt(0.5 * (mod + sr));
        pi = Math.sign(si) * Math.sqrt(Math.max(0, 0.5 * (mod - sr)));
        if (si === 0) pi = 0;
      }
      const p2r = pr * pr - pi * pi;
      const p2i = 2 * pr * pi;
      // X = σ² − p²·C4/3 ; T1 = −2 p² X
      const xr = sigma2 - (p2r * fourth) / 3;
      const xi = -(p2i * fourth) / 3;
      const t1r = -2 * (p2r * xr - p2i * xi);
      const t1i = -2 * (p2r * xi + p2i * xr);
      // Y = 2p (ΔR − 2σ²/reff − 2p²C3/3)
      const yr0 = deltar - (2 * sigma2) / reff - (2 * p2r * third) / 3;
      const yi0 = -(2 * p2i * third) / 3;
      const yr = 2 * (pr * yr0 - pi * yi0);
      const yi = 2 * (pr * yi0 + pi * yr0);
      const er = -2 * reff * pi + t1r - yi;
      const eim = t1i + 2 * q * reff + pha + yr;
      const mag = (pref * amp / q) * Math.exp(er);
      const cre = mag * Math.cos(eim);
      const cim = mag * Math.sin(eim);
      if (j === 0) { re0 = cre; im0 = cim; }
      else if (j === 1) { re1 = cre; im1 = cim; }
      else if (j === 2) { re2 = cre; im2 = cim; }
      if (accumulate) res[j] += cim;
      else res[j] = cim;
      if (outImag) outImag[j] = (accumulate ? outImag[j] : 0) - cre;
    }
    if (n >= 3) {
      // Larch replaces χ̃[0] (q→0 is singular) by the linear extrapolation 2χ̃[1] − χ̃[2].
      const c0 = 2 * im1 - im2;
      const r0 = 2 * re1 - re2;
      if (accumulate) {
        res[0] += c0 - im0;
        if (outImag) outImag[0] += -r0 + re0;
      } else {
        res[0] = c0;
        if (outImag) outImag[0] = -r0;
      }
    }
    return res;
  }

  private tabulate(k: ArrayLike<number>, e0: number): void {
    const n = k.length;
    if (this.cQ.length !== n) {
      this.cQ = new Float64Array(n);
      this.cAmp = new Float64Array(n);
      this.cPha = new Float64Array(n);
      this.cRep = new Float64Array(n);
      this.cLam = new Float64Array(n);
    }
    const xs = this.xk;
    const last = xs.length - 2;
    // locals for the hot loop (property loads through the spline objects are not hoisted by V8)
    const a0 = this.amp.c0, a1 = this.amp.c1, a2 = this.amp.c2, a3 = this.amp.c3;
    const p0 = this.pha.c0, p1 = this.pha.c1, p2 = this.pha.c2, p3 = this.pha.c3;
    const r0 = this.rep.c0, r1 = this.rep.c1, r2 = this.rep.c2, r3 = this.rep.c3;
    const l0 = this.lam.c0, l1 = this.lam.c1, l2 = this.lam.c2, l3 = this.lam.c3;
    const Q = this.cQ, AMP = this.cAmp, PHA = this.cPha, REP = this.cRep, LAM = this.cLam;
    const shift = e0 * ETOK;
    let iv = 0;
    for (let j = 0; j < n; j++) {
      const kj = k[j];
      let en = kj * kj - shift;
      if (Math.abs(en) < 1.5e-6) en = 1e-6;
      const q = en < 0 ? -Math.sqrt(-en) : Math.sqrt(en);
      // q increases with k: advance the interval pointer (end pieces extrapolate).
      if (j === 0 || q < xs[iv]) iv = 0;
      while (iv < last && q >= xs[iv + 1]) iv++;
      const t = q - xs[iv];
      Q[j] = q;
      AMP[j] = a0[iv] + t * (a1[iv] + t * (a2[iv] + t * a3[iv]));
      PHA[j] = p0[iv] + t * (p1[iv] + t * (p2[iv] + t * p3[iv]));
      REP[j] = r0[iv] + t * (r1[iv] + t * (r2[iv] + t * r3[iv]));
      LAM[j] = l0[iv] + t * (l1[iv] + t * (l2[iv] + t * l3[iv]));
    }
    this.cacheK = k;
    this.cacheN = n;
    this.cacheE0 = e0;
    this.cacheKlast = k[n - 1];
  }
}
