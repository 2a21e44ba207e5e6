// EXAFS shell fitting as Larch's feffit (larch/xafs/feffit.py): FEFF paths with parameters that
// vary, are fixed or are expressions; one or more data sets and k-weights; fit in R (default),
// k or q; Larch's noise estimate, residual, statistics and uncertainty propagation.
import { NumericalError, ValidationError } from '@siteproof/core';
import { estimateNoise } from '../exafs/noise';
import { xftfFast } from '../exafs/xftf';
import { xftrFast } from '../exafs/xftr';
import { interpLinear } from '../math/interp';
import { levenbergMarquardt } from '../math/levenbergMarquardt';
import type { FeffPathData } from '../feff/feffPath';
import { PATH_PARAM_NAMES, PathModel, type PathParamName, type PathParams } from '../feff/pathModel';
import { compileExpression, FUNCTIONS, CONSTANTS, parseExpression, type Compiled } from './expression';
import { ParamSet, type ParamSpec } from './params';
import { epsScale, kIndexRange, makeTransform, rIndexRange, type Transform, type TransformInput } from './transform';

/** Path symbols available to path-parameter expressions (Larch's FEFFDAT_VALUES). */
export const PATH_SYMBOLS = ['reff', 'nleg', 'degen', 'rmass', 'rnorman', 'gam_ch', 'rs_int', 'vint', 'vmu', 'vfermi'] as const;

export interface PathInput {
  /** The parsed FEFF path (or a PathModel built from it, to reuse its splines). */
  path: FeffPathData | PathModel;
  label?: string;
  degen?: number | string;
  s02?: number | string;
  e0?: number | string;
  ei?: number | string;
  deltar?: number | string;
  sigma2?: number | string;
  third?: number | string;
  fourth?: number | string;
}

export interface DatasetInput {
  k: ArrayLike<number>;
  chi: ArrayLike<number>;
  transform?: TransformInput;
  paths: PathInput[];
  /** Uncertainty of χ(k): a number or an array on the data's k grid. Estimated from the data when absent. */
  epsilonK?: number | ArrayLike<number>;
  /** Uncertainty of χ(R); when given it is used as is for R- and q-space fits (one value, or one per k-weight). */
  epsilonR?: number | number[];
  /**
   * δχ(k) from AUTOBK (autobkDeltaChi, on the data's k grid, in μ units as Larch). When given
   * and ε is not, ε_k = √(δχ² + ε_noise²) becomes an array, as Larch's feffit does for data
   * reduced by its autobk.
   */
  deltaChi?: ArrayLike<number>;
  label?: string;
}

export interface FeffitOptions {
  /** Fix varying parameters that no path uses (Larch's fix_unused_variables; default true). */
  fixUnusedVariables?: boolean;
  /** Smallest |correlation| listed (default 0.1, as Larch's report). */
  minCorrelation?: number;
  maxEvaluations?: number;
}

export interface ValueWithError {
  value: number;
  stderr: number | null;
}

export interface FittedParam extends ValueWithError {
  init: number;
  vary: boolean;
  expr?: string;
  min?: number;
  max?: number;
}

export interface FittedPath {
  label: string;
  file: string;
  absorber: string;
  geometry: { label: string; ipot: number; x: number; y: number; z: number }[];
  reff: number;
  nleg: number;
  params: Record<PathParamName, ValueWithError>;
  /** R = reff + ΔR. */
  r: ValueWithError;
  /** Expression (or number) given for each path parameter. */
  given: Partial<Record<PathParamName, string | number>>;
  /** χ(k) of this path on the dataset's model k grid. */
  chi: Float64Array;
}

export interface FittedDataset {
  label: string;
  transform: Omit<Transform, 'kwin' | 'rwin'>;
  nIndependent: number;
  nIndependentIfeffit: number;
  /** ε_k: the scalar, or for an array the mean and std (per k-weight). */
  epsilonK: { mean: number; std: number; isArray: boolean }[];
  epsilonR: number[];
  k: Float64Array;
  chiData: Float64Array;
  chiModel: Float64Array;
  kwin: Float64Array;
  paths: FittedPath[];
}

export interface FeffitResult {
  params: Record<string, FittedParam>;
  /** Names of the varying parameters, in covariance order. */
  varNames: string[];
  /** Scaled covariance of the varying parameters (row-major), null when singular. */
  covariance: number[][] | null;
  correlations: { a: string; b: string; value: number }[];
  chiSquare: number;
  redChi: number;
  rFactor: number;
  /** Larch: Σ (1 + 2·ΔR·Δk/π) over data sets. */
  nIndependent: number;
  /** IFEFFIT/Demeter: Σ 2·ΔR·Δk/π (k limits on the k grid). */
  nIndependentIfeffit: number;
  nVarys: number;
  nData: number;
  nfev: number;
  aic: number;
  bic: number;
  converged: boolean;
  message: string;
  warnings: string[];
  datasets: FittedDataset[];
}

interface PreparedPath {
  model: PathModel;
  label: string;
  given: Partial<Record<PathParamName, string | number>>;
  fields: Compiled[];
  params: PathParams;
}

interface PreparedDataset {
  label: string;
  t: Transform;
  nk: number;
  k: Float64Array;
  chi: Float64Array;
  paths: PreparedPath[];
  epsK: (number | Float64Array)[];
  epsR: number[];
  nidp: number;
  nidpIfeffit: number;
  nres: number;
  model: Float64Array;
  diff: Float64Array;
  // R space: per k-weight, the weighted DFT restricted to the nonzero window and fitted R bins
  i0: number;
  i1: number;
  jr0: number;
  jr1: number;
  weights: Float64Array[];
  scratch: Float64Array;
  goertzel: GoertzelTables;
  // k/q space
  iq0: number;
  iq1: number;
  kpow: Float64Array[];
}

const RESERVED = new Set<string>([...PATH_SYMBOLS, ...Object.keys(FUNCTIONS), ...Object.keys(CONSTANTS)]);

function pathSymbols(d: FeffPathData): Record<string, number> {
  return {
    reff: d.reff,
    nleg: d.nleg,
    degen: d.degen,
    rmass: d.rmass,
    rnorman: d.rnorman,
    gam_ch: d.gamCh,
    rs_int: d.rsInt,
    vint: d.vint,
    vmu: d.vmu,
    vfermi: d.vfermi,
  };
}

function defaultsFor(d: FeffPathData): Record<PathParamName, number> {
  return { degen: d.degen, s02: 1, e0: 0, ei: 0, deltar: 0, sigma2: 0, third: 0, fourth: 0 };
}

function prepareDataset(ds: DatasetInput, index: number, params: ParamSet, warnings: string[]): PreparedDataset {
  const tag = `datasets[${index}]`;
  const t = cachedTransform(ds.transform ?? {}, `${tag}.transform`);
  if (ds.k.length !== ds.chi.length || ds.k.length < 4) {
    throw new ValidationError(`k and chi must have the same length ≥ 4 (got ${ds.k.length}, ${ds.chi.length})`, { field: `${tag}.chi` });
  }
  let kmaxData = -Infinity;
  for (let i = 0; i < ds.k.length; i++) {
    if (!Number.isFinite(ds.k[i]) || !Number.isFinite(ds.chi[i])) throw new ValidationError(`k or chi is not finite at index ${i}`, { field: `${tag}.chi` });
    if (i > 0 && !(ds.k[i] > ds.k[i - 1])) throw new ValidationError(`k must increase (index ${i})`, { field: `${tag}.k` });
    kmaxData = Math.max(kmaxData, ds.k[i]);
  }
  const nk = Math.min(t.nfft, Math.trunc(1.01 + kmaxData / t.kstep));
  const k = Float64Array.from({ length: nk }, (_, i) => t.kstep * i);
  const chi = interpLinear(ds.k, ds.chi, k);
  if (t.kmax > kmaxData + t.kstep) warnings.push(`${tag}: kmax ${t.kmax} is beyond the data (last k ${kmaxData.toFixed(3)}); the model is compared with the last data value there`);
  // noise
  const epsK: (number | Float64Array)[] = [];
  const epsR: number[] = [];
  const kws = t.kweights;
  for (let w = 0; w < kws.length; w++) {
    const scale = epsScale(t, kws[w]);
    if (ds.epsilonR !== undefined && ds.epsilonK === undefined) {
      const er = Array.isArray(ds.epsilonR) ? ds.epsilonR[w] : (ds.epsilonR as number);
      if (!(er > 0)) throw new ValidationError('epsilonR must be positive (one value or one per k-weight)', { field: `${tag}.epsilonR` });
      epsR.push(er);
      epsK.push(er * scale);
    } else if (ds.epsilonK !== undefined) {
      if (typeof ds.epsilonK === 'number') {
        if (!(ds.epsilonK > 0)) throw new ValidationError('epsilonK must be positive', { field: `${tag}.epsilonK` });
        epsK.push(ds.epsilonK);
        epsR.push(ds.epsilonK / scale);
      } else {
        if (ds.epsilonK.length !== ds.k.length) throw new ValidationError('an epsilonK array must have the length of k', { field: `${tag}.epsilonK` });
        const e = interpLinear(ds.k, ds.epsilonK, k);
        let m = 0;
        for (let i = 0; i < nk; i++) {
          if (e[i] < 1e-12) e[i] = 1e-12; // as Larch
          m += e[i] / scale;
        }
        epsK.push(e);
        epsR.push(m / nk);
      }
    } else {
      // Larch's estimate_noise (exafs/noise.ts): χ(R) RMS over 15–30 Å, converted to ε_k
      const est = estimateNoise(ds.k, ds.chi, { kmin: t.kmin, kmax: t.kmax, kweight: kws[w], dk: t.dk, dk2: t.dk2, window: t.window, nfft: t.nfft, kstep: t.kstep });
      if (ds.deltaChi !== undefined) {
        if (ds.deltaChi.length !== ds.k.length) throw new ValidationError('deltaChi must have the length of k', { field: `${tag}.deltaChi` });
        const dc = interpLinear(ds.k, ds.deltaChi, k);
        let m = 0;
        for (let i = 0; i < nk; i++) {
          dc[i] = Math.max(1e-12, Math.sqrt(dc[i] * dc[i] + est.epsK * est.epsK));
          m += dc[i] / scale;
        }
        epsK.push(dc);
        epsR.push(m / nk);
      } else {
        if (!(est.epsR > 0)) throw new NumericalError('the noise estimate from χ(R) at 15–30 Å is zero; give epsilonK', { field: `${tag}.epsilonK` });
        epsK.push(est.epsK);
        epsR.push(est.epsR);
      }
    }
  }
  // paths
  if (ds.paths.length === 0) throw new ValidationError('a data set needs at least one path', { field: `${tag}.paths` });
  const paths: PreparedPath[] = ds.paths.map((p, ip) => {
    const model = p.path instanceof PathModel ? p.path : new PathModel(p.path);
    const sym = pathSymbols(model.data);
    const defs = defaultsFor(model.data);
    const given: Partial<Record<PathParamName, string | number>> = {};
    const fields = PATH_PARAM_NAMES.map((name) => {
      const v = p[name];
      const field = `${tag}.paths[${ip}].${name}`;
      if (v === undefined) {
        const c = defs[name];
        return () => c;
      }
      given[name] = v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new ValidationError('must be a finite number or an expression', { field });
        return () => v;
      }
      const ast = parseExpression(v, field);
      return compileExpression(
        ast,
        (n) => (n in sym ? sym[n] : params.index.has(n) ? { index: params.index.get(n)! } : undefined),
        field,
        v,
        model.data.rmass,
      );
    });
    return { model, label: p.label ?? model.data.fileName, given, fields, params: { ...defs } };
  });
  // independent points
  const dkr = (t.rmax - t.rmin) * (t.kmax - t.kmin);
  const nidp = 1 + (2 * dkr) / Math.PI;
  const kminG = Math.round(t.kmin / t.kstep) * t.kstep;
  const kmaxG = Math.round(t.kmax / t.kstep) * t.kstep;
  const nidpIfeffit = (2 * (t.rmax - t.rmin) * (kmaxG - kminG)) / Math.PI;
  // residual layout
  const [jr0, jr1] = rIndexRange(t);
  const [iq0, iq1] = kIndexRange(t);
  let i0 = 0;
  while (i0 < nk && t.kwin[i0] === 0) i0++;
  let i1 = nk;
  while (i1 > i0 && t.kwin[i1 - 1] === 0) i1--;
  const weights: Float64Array[] = [];
  const kpow: Float64Array[] = [];
  for (let w = 0; w < kws.length; w++) {
    const kp = Float64Array.from(k, (kk) => kk ** kws[w]);
    kpow.push(kp);
    // R space: χ(R) = (kstep/√π)·FFT(diff·kwin·k^w) (Larch's xftf_fast); the weights are precomputed.
    weights.push(Float64Array.from(kp, (v, i) => v * t.kwin[i]));
  }
  const nres =
    t.fitspace === 'r' ? kws.length * 2 * (jr1 - jr0) : kws.length * Math.max(0, Math.min(iq1, t.fitspace === 'k' ? nk : iq1) - iq0);
  return {
    label: ds.label ?? `dataset ${index + 1}`,
    t,
    nk,
    k,
    chi,
    paths,
    epsK,
    epsR,
    nidp,
    nidpIfeffit,
    nres,
    model: new Float64Array(nk),
    diff: new Float64Array(nk),
    i0,
    i1,
    jr0,
    jr1,
    weights,
    scratch: new Float64Array(nk),
    goertzel: goertzelTables(t.nfft, jr0, jr1, i1),
    iq0,
    iq1,
    kpow,
  };
}

const transformCache = new Map<string, Transform>();

interface GoertzelTables {
  coef: Float64Array;
  cosw: Float64Array;
  sinw: Float64Array;
  rotRe: Float64Array;
  rotIm: Float64Array;
}

/** Per R bin j ∈ [jr0, jr1): ω = 2πj/nfft, 2cos ω, and the phase e^{−iω(i1−1)} that turns the Goertzel output into the DFT bin. */
function goertzelTables(nfft: number, jr0: number, jr1: number, i1: number): GoertzelTables {
  const nb = Math.max(0, jr1 - jr0);
  const g = { coef: new Float64Array(nb), cosw: new Float64Array(nb), sinw: new Float64Array(nb), rotRe: new Float64Array(nb), rotIm: new Float64Array(nb) };
  for (let b = 0; b < nb; b++) {
    const j = jr0 + b;
    const om = (2 * Math.PI * j) / nfft;
    g.coef[b] = 2 * Math.cos(om);
    g.cosw[b] = Math.cos(om);
    g.sinw[b] = Math.sin(om);
    const ph = (2 * Math.PI * ((j * (i1 - 1)) % nfft)) / nfft;
    g.rotRe[b] = Math.cos(ph);
    g.rotIm[b] = -Math.sin(ph);
  }
  return g;
}

function transformKey(input: TransformInput): string {
  return JSON.stringify(input, Object.keys(input).sort());
}

/** makeTransform with a small cache: the windows (Kaiser needs Bessel functions on 2·nfft points) depend only on the options. */
function cachedTransform(input: TransformInput, field: string): Transform {
  const key = transformKey(input);
  let t = transformCache.get(key);
  if (!t) {
    t = makeTransform(input, field);
    if (transformCache.size > 64) transformCache.clear();
    transformCache.set(key, t);
  }
  return t;
}

function evalPathParams(d: PreparedDataset, values: Float64Array): void {
  for (const p of d.paths) {
    for (let f = 0; f < PATH_PARAM_NAMES.length; f++) {
      const v = p.fields[f](values);
      if (!Number.isFinite(v)) {
        throw new NumericalError(`path parameter ${PATH_PARAM_NAMES[f]} of '${p.label}' evaluated to ${v}`, { field: PATH_PARAM_NAMES[f] });
      }
      (p.params as unknown as Record<string, number>)[PATH_PARAM_NAMES[f]] = v;
    }
  }
}

function computeModel(d: PreparedDataset): void {
  d.model.fill(0);
  for (const p of d.paths) p.model.chi(d.k, p.params, d.model, true);
}

/** Transform `diff` (length nk) into the residual slice out[o .. o+nres). */
function transformInto(d: PreparedDataset, diff: Float64Array, out: Float64Array, o: number): void {
  const t = d.t;
  const kws = t.kweights;
  if (t.fitspace === 'r') {
    const fac = t.kstep / Math.sqrt(Math.PI);
    const c = d.scratch;
    const { coef, cosw, sinw, rotRe, rotIm } = d.goertzel;
    const i0 = d.i0;
    const i1 = d.i1;
    for (let w = 0; w < kws.length; w++) {
      const wt = d.weights[w];
      for (let i = i0; i < i1; i++) c[i] = diff[i] * wt[i];
      const sc = fac / d.epsR[w];
      // Only the fitted R bins of the 2048-point transform are needed, and the windowed input is
      // short: the Goertzel recurrence (one multiply per point and bin) is cheaper than a full FFT.
      // four independent recurrences per pass: the loop is latency-bound, so this overlaps them
      const nb = coef.length;
      const base = o;
      for (let b = 0; b < nb; b += 4) {
        const c0 = coef[b];
        const c1 = b + 1 < nb ? coef[b + 1] : 0;
        const c2 = b + 2 < nb ? coef[b + 2] : 0;
        const c3 = b + 3 < nb ? coef[b + 3] : 0;
        let a1 = 0, a2 = 0, b1 = 0, b2 = 0, e1 = 0, e2 = 0, f1 = 0, f2 = 0;
        for (let i = i0; i < i1; i++) {
          const x = c[i];
          const a0 = x + c0 * a1 - a2;
          a2 = a1;
          a1 = a0;
          const b0 = x + c1 * b1 - b2;
          b2 = b1;
          b1 = b0;
          const e0 = x + c2 * e1 - e2;
          e2 = e1;
          e1 = e0;
          const f0 = x + c3 * f1 - f2;
          f2 = f1;
          f1 = f0;
        }
        const S1 = [a1, b1, e1, f1];
        const S2 = [a2, b2, e2, f2];
        for (let q = 0; q < 4 && b + q < nb; q++) {
          const bb = b + q;
          // y = Σ x_m e^{iω(L−1−m)}; X_j = e^{−iω(i1−1)}·y
          const yr = S1[q] - cosw[bb] * S2[q];
          const yi = sinw[bb] * S2[q];
          out[base + 2 * bb] = (rotRe[bb] * yr - rotIm[bb] * yi) * sc;
          out[base + 2 * bb + 1] = (rotRe[bb] * yi + rotIm[bb] * yr) * sc;
        }
      }
      o = base + 2 * nb;
    }
    return;
  }
  if (t.fitspace === 'k') {
    const hi = Math.min(d.iq1, d.nk);
    for (let w = 0; w < kws.length; w++) {
      const e = d.epsK[w];
      const kp = d.kpow[w];
      for (let i = d.iq0; i < hi; i++) out[o++] = (diff[i] / (typeof e === 'number' ? e : e[i])) * kp[i];
    }
    return;
  }
  // q space: χ(R) on all nfft/2 bins (xftf_fast), R window and R weight, back-transform with
  // feffit's fftr = xftr_fast without xftr's 0.5; real part over the k range.
  const nfft = t.nfft;
  for (let w = 0; w < kws.length; w++) {
    const c = new Float64Array(d.nk);
    for (let i = 0; i < d.nk; i++) c[i] = diff[i] * t.kwin[i] * d.kpow[w][i];
    const chir = xftfFast(c, nfft, t.kstep);
    for (let j = 0; j < nfft / 2; j++) {
      const rw = t.rwin[j] * (t.rweight ? (j * t.rstep) ** t.rweight : 1);
      chir.re[j] *= rw;
      chir.im[j] *= rw;
    }
    const chiq = xftrFast(chir.re, chir.im, nfft, t.kstep, d.iq1);
    const inv = 1 / d.epsR[w];
    for (let i = d.iq0; i < d.iq1; i++) out[o++] = chiq.re[i] * inv;
  }
}

/**
 * Fit FEFF paths to one or more χ(k) data sets (Larch's feffit). Parameters are shared between
 * data sets by name.
 */
export function feffit(paramSpecs: Record<string, ParamSpec | number>, datasetsIn: DatasetInput | DatasetInput[], options: FeffitOptions = {}): FeffitResult {
  const datasetInputs = Array.isArray(datasetsIn) ? datasetsIn : [datasetsIn];
  if (datasetInputs.length === 0) throw new ValidationError('no data sets to fit', { field: 'datasets' });
  const warnings: string[] = [];
  const params = new ParamSet(paramSpecs, RESERVED);
  warnings.push(...params.warnings);
  const init = Float64Array.from(params.values);
  const dsets = datasetInputs.map((d, i) => prepareDataset(d, i, params, warnings));
  // Larch fixes variables that no path (directly or through expressions) uses.
  if (options.fixUnusedVariables ?? true) {
    const used = new Set<string>();
    datasetInputs.forEach((d) =>
      d.paths.forEach((p) => {
        for (const name of PATH_PARAM_NAMES) {
          const v = p[name];
          if (typeof v === 'string') for (const n of params.closure(nameSet(v))) used.add(n);
        }
      }),
    );
    for (const i of [...params.varying]) {
      const n = params.names[i];
      if (!used.has(n)) {
        params.fix(n);
        warnings.push(`variable '${n}' is used by no path and was fixed (as Larch's fix_unused_variables)`);
      }
    }
  }
  const nvarys = params.varying.length;
  const npts = dsets.reduce((s, d) => s + d.nres, 0);
  const nidp = dsets.reduce((s, d) => s + d.nidp, 0);
  const nidpIff = dsets.reduce((s, d) => s + d.nidpIfeffit, 0);
  if (nvarys > nidp) {
    warnings.push(`${nvarys} variables but only ${nidp.toFixed(2)} independent points: the fit is underdetermined and its uncertainties are not meaningful`);
  } else if (nvarys === 0) {
    warnings.push('no variables: the model is only evaluated');
  }
  const resid = new Float64Array(npts);
  const residual = (x: Float64Array): Float64Array => {
    params.update(x);
    let o = 0;
    for (const d of dsets) {
      evalPathParams(d, params.values);
      computeModel(d);
      for (let i = 0; i < d.nk; i++) d.diff[i] = d.chi[i] - d.model[i];
      transformInto(d, d.diff, resid, o);
      o += d.nres;
    }
    return Float64Array.from(resid);
  };
  const lower = params.varying.map((i) => params.info[i].min);
  const upper = params.varying.map((i) => params.info[i].max);
  const x0 = params.startVector();
  let lm;
  if (nvarys > 0) {
    lm = levenbergMarquardt(residual, x0, { lower, upper, ftol: 1e-8, xtol: 1e-8, epsfcn: 1e-10, maxEvaluations: options.maxEvaluations });
  } else {
    const r = residual(x0);
    lm = { x: x0, residual: r, sumSquares: r.reduce((s, v) => s + v * v, 0), covariance: null, jacobian: new Float64Array(0), nfev: 1, iterations: 0, converged: true, message: 'no variables' };
  }
  const best = lm.x;
  const finalResid = residual(best);
  const sumsq = finalResid.reduce((s, v) => s + v * v, 0);
  // data-only transform for the R-factor
  const dat = new Float64Array(npts);
  let o = 0;
  for (const d of dsets) {
    transformInto(d, d.chi, dat, o);
    o += d.nres;
  }
  const sumDat = dat.reduce((s, v) => s + v * v, 0);
  const dof = nidp - nvarys;
  // Larch divides by n_idp − nvarys; IFEFFIT guards it with max(0.1, …) and so do we (with a warning above).
  const dofSafe = Math.max(0.1, dof);
  const chiSquare = (sumsq * nidp) / npts;
  const redChi = chiSquare / dofSafe;
  const rFactor = sumDat > 0 ? sumsq / sumDat : 0;
  const aic = nidp * Math.log(chiSquare / nidp) + 2 * nvarys;
  const bic = nidp * Math.log(chiSquare / nidp) + Math.log(nidp) * nvarys;
  // uncertainties (Larch's propagate_uncertainties): covariance scaled by Σr²/(n_idp − nvarys)
  const varNames = params.varying.map((i) => params.names[i]);
  let cov: Float64Array | null = null;
  if (lm.covariance && nvarys > 0) {
    const s = sumsq / dofSafe;
    cov = Float64Array.from(lm.covariance, (v) => v * s);
  } else if (nvarys > 0) {
    warnings.push('the covariance matrix is singular: uncertainties and correlations are not available (are some variables redundant?)');
  }
  if (!lm.converged) warnings.push(`the fit did not converge: ${lm.message}`);
  // gradient of every parameter value and path parameter with respect to the varying values
  const stderrOf = (f: () => number): number | null => {
    if (!cov) return null;
    const g = new Float64Array(nvarys);
    for (let j = 0; j < nvarys; j++) {
      const sj = Math.sqrt(Math.max(cov[j * nvarys + j], 0));
      const h = sj > 0 ? 1e-3 * sj : 1e-8 * Math.max(1, Math.abs(best[j]));
      const xp = Float64Array.from(best);
      xp[j] += h;
      params.update(xp);
      const vp = f();
      xp[j] -= 2 * h;
      params.update(xp);
      const vm = f();
      g[j] = (vp - vm) / (2 * h);
      params.update(best);
    }
    let s2 = 0;
    for (let a = 0; a < nvarys; a++) for (let b = 0; b < nvarys; b++) s2 += g[a] * g[b] * cov[a * nvarys + b];
    return Math.sqrt(Math.max(s2, 0));
  };
  params.update(best);
  const out: Record<string, FittedParam> = {};
  params.info.forEach((p, i) => {
    const vi = params.varying.indexOf(i);
    let stderr: number | null = null;
    if (vi >= 0) stderr = cov ? Math.sqrt(Math.max(cov[vi * nvarys + vi], 0)) : null;
    else if (p.expr) stderr = stderrOf(() => params.values[i]);
    else stderr = cov ? 0 : null;
    out[p.name] = {
      value: params.values[i],
      stderr,
      init: init[i],
      vary: vi >= 0,
      ...(p.expr ? { expr: p.expr } : {}),
      ...(Number.isFinite(p.min) ? { min: p.min } : {}),
      ...(Number.isFinite(p.max) ? { max: p.max } : {}),
    };
  });
  const correlations: { a: string; b: string; value: number }[] = [];
  const minCorr = options.minCorrelation ?? 0.1;
  if (cov) {
    for (let a = 0; a < nvarys; a++) {
      for (let b = a + 1; b < nvarys; b++) {
        const c = cov[a * nvarys + b] / Math.sqrt(cov[a * nvarys + a] * cov[b * nvarys + b]);
        if (Number.isFinite(c) && Math.abs(c) >= minCorr) correlations.push({ a: varNames[a], b: varNames[b], value: c });
      }
    }
    correlations.sort((p, q) => Math.abs(q.value) - Math.abs(p.value));
  }
  // per data set and path outputs
  const datasets: FittedDataset[] = dsets.map((d) => {
    evalPathParams(d, params.values);
    computeModel(d);
    const paths: FittedPath[] = d.paths.map((p) => {
      const vals = {} as Record<PathParamName, ValueWithError>;
      PATH_PARAM_NAMES.forEach((name, f) => {
        const v = p.fields[f](params.values);
        const se = typeof p.given[name] === 'string' ? stderrOf(() => p.fields[f](params.values)) : cov ? 0 : null;
        vals[name] = { value: v, stderr: se };
      });
      // p.params holds the best-fit values (evalPathParams above; stderrOf restores the parameters)
      const chi = p.model.chi(d.k, { ...p.params });
      const data = p.model.data;
      return {
        label: p.label,
        file: data.fileName,
        absorber: data.absorber,
        geometry: data.geom.map((a) => ({ label: a.label, ipot: a.ipot, x: a.x, y: a.y, z: a.z })),
        reff: data.reff,
        nleg: data.nleg,
        params: vals,
        r: { value: data.reff + vals.deltar.value, stderr: vals.deltar.stderr },
        given: p.given,
        chi,
      };
    });
    const { kwin: _kw, rwin: _rw, ...tr } = d.t;
    return {
      label: d.label,
      transform: tr,
      nIndependent: d.nidp,
      nIndependentIfeffit: d.nidpIfeffit,
      epsilonK: d.epsK.map((e) => (typeof e === 'number' ? { mean: e, std: 0, isArray: false } : meanStd(e))),
      epsilonR: d.epsR,
      k: d.k,
      chiData: d.chi,
      chiModel: Float64Array.from(d.model),
      kwin: d.t.kwin.slice(0, d.nk),
      paths,
    };
  });
  for (const [name, p] of Object.entries(out)) {
    if (!Number.isFinite(p.value)) throw new NumericalError(`parameter '${name}' is not finite after the fit`, { field: name });
  }
  return {
    params: out,
    varNames,
    covariance: cov ? Array.from({ length: nvarys }, (_, a) => Array.from(cov!.subarray(a * nvarys, (a + 1) * nvarys))) : null,
    correlations,
    chiSquare,
    redChi,
    rFactor,
    nIndependent: nidp,
    nIndependentIfeffit: nidpIff,
    nVarys: nvarys,
    nData: npts,
    nfev: lm.nfev,
    aic,
    bic,
    converged: lm.converged,
    message: lm.message,
    warnings,
    datasets,
  };
}

function meanStd(e: Float64Array): { mean: number; std: number; isArray: boolean } {
  let m = 0;
  for (const v of e) m += v;
  m /= e.length;
  let s = 0;
  for (const v of e) s += (v - m) ** 2;
  return { mean: m, std: Math.sqrt(s / e.length), isArray: true };
}

function nameSet(expr: string): Set<string> {
  const out = new Set<string>();
  for (const m of expr.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) out.add(m[0]);
  return out;
}
