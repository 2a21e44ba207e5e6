// Levenberg–Marquardt least squares with the covariance matrix, box bounds and an analytic or
// forward-difference Jacobian. Written here because ml-levenberg-marquardt returns neither the
// Jacobian nor a covariance (so no standard errors or correlations, which EXAFS fitting reports),
// has no lmfit-style bounds, and works on a scalar model y(x) rather than a residual vector.
// Conventions follow lmfit/MINPACK as Larch uses them: bounds by the lmfit transformation
// (sin for two-sided, sqrt for one-sided), forward-difference steps √epsfcn·|x|, and the
// unscaled covariance (JᵀJ)⁻¹ mapped back to external coordinates by the chain rule.
import { NumericalError, ValidationError } from '@siteproof/core';

export type ResidualFn = (x: Float64Array) => Float64Array;
/** Jacobian ∂r_i/∂x_j in row-major (m rows × n columns). */
export type JacobianFn = (x: Float64Array, r: Float64Array) => Float64Array;

export interface LMOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Analytic Jacobian (external coordinates); forward differences when absent. */
  jacobian?: JacobianFn;
  /** Relative reduction of Σr² below which the fit has converged. */
  ftol?: number;
  /** Relative step size below which the fit has converged. */
  xtol?: number;
  /** Scaled gradient size below which the fit has converged. */
  gtol?: number;
  /** MINPACK's epsfcn: forward-difference step is √epsfcn·|x| (√epsfcn when x = 0). */
  epsfcn?: number;
  maxIterations?: number;
  maxEvaluations?: number;
}

export interface LMResult {
  x: Float64Array;
  residual: Float64Array;
  /** Σ r² at x. */
  sumSquares: number;
  /** Unscaled covariance (JᵀJ)⁻¹ in external coordinates, row-major n×n; null when JᵀJ is singular. */
  covariance: Float64Array | null;
  /** The Jacobian at x (external coordinates, row-major m×n). */
  jacobian: Float64Array;
  nfev: number;
  iterations: number;
  converged: boolean;
  message: string;
}

type Kind = 0 | 1 | 2 | 3; // free, lower only, upper only, both

function toInternal(x: number, lo: number, hi: number, kind: Kind): number {
  if (kind === 3) return Math.asin(Math.max(-1, Math.min(1, (2 * (x - lo)) / (hi - lo) - 1)));
  if (kind === 1) return Math.sqrt(Math.max(0, (x - lo + 1) ** 2 - 1));
  if (kind === 2) return Math.sqrt(Math.max(0, (hi - x + 1) ** 2 - 1));
  return x;
}
function toExternal(u: number, lo: number, hi: number, kind: Kind): number {
  if (kind === 3) return lo + ((Math.sin(u) + 1) * (hi - lo)) / 2;
  if (kind === 1) return lo - 1 + Math.sqrt(u * u + 1);
  if (kind === 2) return hi + 1 - Math.sqrt(u * u + 1);
  return u;
}
/** dx/du */
function gradExternal(u: number, lo: number, hi: number, kind: Kind): number {
  if (kind === 3) return (Math.cos(u) * (hi - lo)) / 2;
  if (kind === 1) return u / Math.sqrt(u * u + 1);
  if (kind === 2) return -u / Math.sqrt(u * u + 1);
  return 1;
}

/** Solve the symmetric positive-definite system A·x = b (n×n row-major) by Cholesky; null if not PD. */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix; null when it is singular to working precision. */
export function invertSPD(A: Float64Array, n: number): Float64Array | null {
  // Scale to unit diagonal first so that parameters of very different size (σ² ~ 1e-3, ΔE0 ~ 1)
  // do not trip the positivity test.
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(A[i * n + i] > 0)) return null;
    d[i] = 1 / Math.sqrt(A[i * n + i]);
  }
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = A[i * n + j] * d[i] * d[j];
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(S, e, n);
    if (!col) return null;
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i] * d[i] * d[j];
  }
  // Reject near-singular matrices (condition of the scaled matrix beyond ~1e14).
  for (let i = 0; i < n; i++) if (!(inv[i * n + i] * A[i * n + i] < 1e14)) return null;
  return inv;
}

export function levenbergMarquardt(residualFn: ResidualFn, x0: ArrayLike<number>, options: LMOptions = {}): LMResult {
  const n = x0.length;
  const ftol = options.ftol ?? 1e-10;
  const xtol = options.xtol ?? 1e-10;
  const gtol = options.gtol ?? 0;
  const eps = Math.sqrt(options.epsfcn ?? 1e-10);
  const maxIter = options.maxIterations ?? 200 * (n + 1);
  const maxFev = options.maxEvaluations ?? 2000 * (n + 1);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const kind = new Uint8Array(n) as unknown as Kind[];
  for (let j = 0; j < n; j++) {
    lo[j] = options.lower?.[j] ?? -Infinity;
    hi[j] = options.upper?.[j] ?? Infinity;
    if (Number.isNaN(lo[j]) || Number.isNaN(hi[j]) || !(lo[j] < hi[j])) {
      throw new ValidationError(`bounds of variable ${j} are not ordered (min ${lo[j]}, max ${hi[j]})`, { field: `x[${j}]` });
    }
    if (!Number.isFinite(x0[j])) throw new ValidationError(`start value of variable ${j} is not finite`, { field: `x[${j}]` });
    const fl = Number.isFinite(lo[j]);
    const fh = Number.isFinite(hi[j]);
    kind[j] = (fl && fh ? 3 : fl ? 1 : fh ? 2 : 0) as Kind;
  }
  const u = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xc = Math.min(hi[j], Math.max(lo[j], x0[j]));
    u[j] = toInternal(xc, lo[j], hi[j], kind[j]);
  }
  const ext = (uu: Float64Array): Float64Array => {
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) x[j] = toExternal(uu[j], lo[j], hi[j], kind[j]);
    return x;
  };
  let nfev = 0;
  const evalR = (uu: Float64Array): Float64Array => {
    nfev++;
    const r = residualFn(ext(uu));
    for (let i = 0; i < r.length; i++) {
      if (!Number.isFinite(r[i])) {
        throw new NumericalError(`residual ${i} is not finite at x = [${Array.from(ext(uu)).map((v) => v.toPrecision(6)).join(', ')}]`, { field: 'residual' });
      }
    }
    return r;
  };
  const sumSq = (r: Float64Array) => {
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i] * r[i];
    return s;
  };
  // Jacobian with respect to the internal variables.
  const jacInternal = (uu: Float64Array, r: Float64Array): Float64Array => {
    const m = r.length;
    const J = new Float64Array(m * n);
    if (options.jacobian) {
      const x = ext(uu);
      const Je = options.jacobian(x, r);
      for (let j = 0; j < n; j++) {
        const g = gradExternal(uu[j], lo[j], hi[j], kind[j]);
        for (let i = 0; i < m; i++) J[i * n + j] = Je[i * n + j] * g;
      }
      return J;
    }
    const up = Float64Array.from(uu);
    for (let j = 0; j < n; j++) {
      let h = eps * Math.abs(uu[j]);
      if (h === 0) h = eps;
      up[j] = uu[j] + h;
      const r2 = evalR(up);
      up[j] = uu[j];
      for (let i = 0; i < m; i++) J[i * n + j] = (r2[i] - r[i]) / h;
    }
    return J;
  };

  let r = evalR(u);
  const m = r.length;
  if (m < n) throw new ValidationError(`${n} variables but only ${m} residuals: the problem is underdetermined`, { field: 'variables' });
  let S = sumSq(r);
  let lambda = 1e-3;
  let nu = 2;
  let converged = false;
  let message = 'maximum number of iterations reached';
  let iter = 0;
  const A = new Float64Array(n * n);
  const g = new Float64Array(n);
  const dscale = new Float64Array(n);
  outer: for (; iter < maxIter; iter++) {
    const J = jacInternal(u, r);
    A.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = r[i];
      const row = i * n;
      for (let a = 0; a < n; a++) {
        const Ja = J[row + a];
        if (Ja === 0) continue;
        g[a] += Ja * ri;
        for (let b = 0; b <= a; b++) A[a * n + b] += Ja * J[row + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) A[b * n + a] = A[a * n + b];
    // MINPACK-style scaling: the running maximum of the column norms.
    for (let a = 0; a < n; a++) dscale[a] = Math.max(dscale[a], A[a * n + a], 1e-300);
    if (gtol > 0) {
      let gmax = 0;
      for (let a = 0; a < n; a++) gmax = Math.max(gmax, Math.abs(g[a]) / Math.sqrt(dscale[a] * Math.max(S, 1e-300)));
      if (gmax <= gtol) {
        converged = true;
        message = 'gradient is orthogonal to the residual (gtol)';
        break;
      }
    }
    if (S === 0) {
      converged = true;
      message = 'exact fit';
      break;
    }
    for (;;) {
      const M = Float64Array.from(A);
      for (let a = 0; a < n; a++) M[a * n + a] += lambda * dscale[a];
      const negG = g.map((v) => -v);
      const step = choleskySolve(M, negG, n);
      if (!step) {
        lambda *= nu;
        nu *= 2;
        if (lambda > 1e16) {
          message = 'damped normal equations are singular';
          break outer;
        }
        continue;
      }
      const ut = new Float64Array(n);
      for (let a = 0; a < n; a++) ut[a] = u[a] + step[a];
      if (nfev >= maxFev) {
        message = 'maximum number of function evaluations reached';
        break outer;
      }
      const rt = evalR(ut);
      const St = sumSq(rt);
      // predicted reduction of Σr² for the linearized model: −2gᵀδ − δᵀAδ
      let gd = 0;
      let dAd = 0;
      for (let a = 0; a < n; a++) {
        gd += g[a] * step[a];
        let row = 0;
        for (let b = 0; b < n; b++) row += A[a * n + b] * step[b];
        dAd += step[a] * row;
      }
      const pred = -2 * gd - dAd;
      if (St <= S) {
        const actual = S - St;
        const rel = actual / S;
        let xsmall = true;
        for (let a = 0; a < n; a++) if (Math.abs(step[a]) > xtol * (Math.abs(u[a]) + xtol)) xsmall = false;
        u.set(ut);
        r = rt;
        S = St;
        // Nielsen's damping update from the gain ratio actual/predicted reduction.
        const rho = pred > 0 ? actual / pred : 0;
        lambda = Math.max(lambda * Math.max(1 / 3, 1 - (2 * rho - 1) ** 3), 1e-15);
        nu = 2;
        // MINPACK's ftol test: both the actual and the predicted relative reduction are small.
        if (rel <= ftol && Math.abs(pred) / Math.max(S + actual, 1e-300) <= ftol) {
          converged = true;
          message = 'relative reduction of the sum of squares below ftol';
          break outer;
        }
        if (xsmall && rel <= Math.sqrt(ftol)) {
          converged = true;
          message = 'relative step below xtol';
          break outer;
        }
        break;
      }
      lambda *= nu;
      nu *= 2;
      if (lambda > 1e16) {
        // No downhill step at any damping: we are at the minimum to working precision.
        converged = true;
        message = 'no further reduction possible (at the minimum to working precision)';
        break outer;
      }
    }
  }
  // Final Jacobian and covariance in external coordinates.
  const Jint = jacInternal(u, r);
  const x = ext(u);
  const Jext = new Float64Array(m * n);
  const grad = new Float64Array(n);
  for (let j = 0; j < n; j++) grad[j] = gradExternal(u[j], lo[j], hi[j], kind[j]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Jext[i * n + j] = grad[j] !== 0 ? Jint[i * n + j] / grad[j] : 0;
  const JtJ = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let a = 0; a < n; a++) for (let b = 0; b <= a; b++) JtJ[a * n + b] += Jint[row + a] * Jint[row + b];
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) JtJ[b * n + a] = JtJ[a * n + b];
  const covInt = invertSPD(JtJ, n);
  let covariance: Float64Array | null = null;
  if (covInt) {
    covariance = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) covariance[a * n + b] = covInt[a * n + b] * grad[a] * grad[b];
  }
  return { x, residual: r, sumSquares: S, covariance, jacobian: Jext, nfev, iterations: iter, converged, message };
}
