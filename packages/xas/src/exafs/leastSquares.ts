// Small dense least-squares tools for AUTOBK's spline fit (≤ 128 variables, a few hundred
// residuals). The shared general Levenberg–Marquardt (math/levenbergMarquardt.ts) is written for
// feffit; this one is kept here so the EXAFS stage has no dependency on it.
import { NumericalError } from '@siteproof/core';

/**
 * Solve min‖A·x − b‖ by Householder QR (A: m×n row-major, m ≥ n, full column rank).
 * A and b are overwritten.
 */
export function lstsqQR(A: Float64Array, b: Float64Array, m: number, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += A[i * n + j] * A[i * n + j];
    norm = Math.sqrt(norm);
    if (norm === 0) throw new NumericalError(`least-squares matrix is rank deficient (column ${j})`, { field: 'jacobian' });
    const alpha = A[j * n + j] > 0 ? -norm : norm;
    // v = a_j − alpha·e_j, stored in place in column j below/at the diagonal
    A[j * n + j] -= alpha;
    let vnorm2 = 0;
    for (let i = j; i < m; i++) vnorm2 += A[i * n + j] * A[i * n + j];
    if (vnorm2 > 0) {
      for (let c = j + 1; c < n; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += A[i * n + j] * A[i * n + c];
        const f = (2 * s) / vnorm2;
        for (let i = j; i < m; i++) A[i * n + c] -= f * A[i * n + j];
      }
      let s = 0;
      for (let i = j; i < m; i++) s += A[i * n + j] * b[i];
      const f = (2 * s) / vnorm2;
      for (let i = j; i < m; i++) b[i] -= f * A[i * n + j];
    }
    A[j * n + j] = alpha; // R diagonal
  }
  const x = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    let s = b[j];
    for (let c = j + 1; c < n; c++) s -= A[j * n + c] * x[c];
    x[j] = s / A[j * n + j];
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix (n×n row-major) by Cholesky; undefined if not SPD. */
/** L and L⁻¹ of invertSPD, reused (their lower triangles are written before they are read). */
let spdL = new Float64Array(0);
let spdLi = new Float64Array(0);

export function invertSPD(M: Float64Array, n: number, out?: Float64Array): Float64Array | undefined {
  if (spdL.length < n * n) {
    spdL = new Float64Array(n * n);
    spdLi = new Float64Array(n * n);
  }
  const L = spdL;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  // inverse of L (lower triangular)
  const Li = spdLi;
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = s / L[i * n + i];
    }
  }
  const inv = out ?? new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

export interface LmProblem {
  m: number;
  n: number;
  /** Residual at x into r (length m). */
  residual(x: Float64Array, r: Float64Array): void;
  /** Jacobian at x into J (m×n row-major); only rows ≥ constantRows.rows when constantRows.J is given. */
  jacobian(x: Float64Array, J: Float64Array): void;
  /**
   * Optional: the first `rows` rows of J never change, and `JtJ` (n×n, upper triangle used) is
   * their normal matrix accumulated row by row from row 0 (as normalMatrix does), so the normal
   * equations only add the remaining rows: the same sums in the same order, hence the same bits.
   * With `J` (rows×n) the solver writes those rows into its Jacobian once, and `jacobian` need
   * not write them again.
   */
  constantRows?: { rows: number; JtJ: Float64Array; J?: Float64Array };
  /**
   * Optional fused path: the rows of J that `jacobian` writes, JᵀJ (full) and Jᵀr at x (r: the
   * residual at x), with exactly the numbers jacobian followed by normalMatrix would give (AUTOBK's
   * WebAssembly kernel). Returns false to let the solver do it the plain way.
   */
  normalEquations?(x: Float64Array, r: Float64Array, J: Float64Array, JtJ: Float64Array, Jtr: Float64Array): boolean;
}

export interface LmResult {
  x: Float64Array;
  cost: number;
  iterations: number;
  nfev: number;
  /** (JᵀJ)⁻¹ at the solution (unscaled, as scipy leastsq's cov_x); undefined if singular. */
  covar?: Float64Array;
}

/**
 * Levenberg–Marquardt with an analytic Jacobian and Marquardt's diagonal scaling (damped normal
 * equations by Cholesky, QR as fallback). Stops when the linearized model predicts a relative
 * cost decrease < ftol, or the step is < xtol relative to x.
 */
/**
 * Options of levenbergMarquardtSmall. `out`: arrays to hold the solution (n) and the covariance
 * (n²) instead of fresh ones (AUTOBK hands in views of its result buffer, see math/arena.ts).
 */
export interface LmSmallOptions {
  ftol?: number;
  xtol?: number;
  maxIter?: number;
  out?: { x: Float64Array; covar: Float64Array };
}

export function levenbergMarquardtSmall(p: LmProblem, x0: Float64Array, opts: LmSmallOptions = {}): LmResult {
  const { m, n } = p;
  const w = lmWorkspace(m, n, p.constantRows);
  w.busy = true;
  try {
    return lmSolve(p, x0, w, opts);
  } finally {
    w.busy = false;
  }
}

/**
 * The solver's scratch arrays, kept for the next fit of the same size (AUTOBK runs one fit per
 * spectrum): a dozen fewer allocations per call, and the constant Jacobian rows (the cached
 * geometry's A) are copied once per geometry instead of once per fit. Only x and the covariance
 * leave the solver; everything here is fully rewritten before it is read. A nested call (a
 * problem whose residual fits again) gets fresh arrays.
 */
interface LmWorkspace {
  busy: boolean;
  m: number;
  n: number;
  constJ: Float64Array | undefined;
  constRows: number;
  r: Float64Array;
  rNew: Float64Array;
  J: Float64Array;
  D: Float64Array;
  Dd: Float64Array;
  JtJ: Float64Array;
  Jtr: Float64Array;
  chol: { L: Float64Array; y: Float64Array; x: Float64Array };
  x: Float64Array;
  xNew: Float64Array;
}
let lmWork: LmWorkspace | undefined;

function lmWorkspace(m: number, n: number, constantRows: LmProblem['constantRows']): LmWorkspace {
  let w = lmWork;
  if (!w || w.busy || w.m !== m || w.n !== n) {
    w = {
      busy: false,
      m,
      n,
      constJ: undefined,
      constRows: 0,
      r: new Float64Array(m),
      rNew: new Float64Array(m),
      J: new Float64Array(m * n),
      D: new Float64Array(n),
      Dd: new Float64Array(n),
      JtJ: new Float64Array(n * n),
      Jtr: new Float64Array(n),
      chol: { L: new Float64Array(n * n), y: new Float64Array(n), x: new Float64Array(n) },
      x: new Float64Array(n),
      xNew: new Float64Array(n),
    };
    if (!lmWork || !lmWork.busy) lmWork = w;
  }
  const cJ = constantRows?.J;
  const rows = cJ ? constantRows!.rows : 0;
  if (cJ !== w.constJ || rows !== w.constRows) {
    w.J.fill(0);
    if (cJ) w.J.set(cJ.subarray(0, rows * n));
    w.constJ = cJ;
    w.constRows = rows;
  } else w.J.fill(0, rows * n); // rows the problem's jacobian writes: zero as in a fresh array
  w.D.fill(0);
  return w;
}

function lmSolve(p: LmProblem, x0: Float64Array, w: LmWorkspace, opts: LmSmallOptions): LmResult {
  const { m, n, r, rNew, J, D, Dd, JtJ, Jtr, chol } = w;
  const ftol = opts.ftol ?? 1e-12;
  const xtol = opts.xtol ?? 1e-12;
  const maxIter = opts.maxIter ?? 200;
  // the iterates live in the workspace; the solution is copied out at the end
  let x = w.x;
  x.set(x0);
  p.residual(x, r);
  let nfev = 1;
  let cost = dot(r, r);
  let lambda = 0;
  let it = 0;
  let xNew = w.xNew;
  // true while J, JtJ and Jtr are those of the current x (the exit then need not recompute them)
  let normalAtX = false;
  let converged = false;
  for (; it < maxIter; it++) {
    jacobianNormal(p, x, r, J, JtJ, Jtr);
    normalAtX = true;
    for (let j = 0; j < n; j++) {
      D[j] = Math.max(D[j], Math.sqrt(JtJ[j * n + j]));
      // A variable with no influence so far (zero column) is damped with scale 1, as MINPACK
      // does: the damped system stays regular and that variable keeps its value.
      Dd[j] = D[j] > 0 ? D[j] : 1;
    }
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      // Damped normal equations (JᵀJ + λ·D²)·dx = −Jᵀr by Cholesky: n ≤ 128 and the Jacobian here is
      // well conditioned, so this is accurate to far below the convergence tolerance and ~4× cheaper
      // than QR; QR of [J; √λ·D] is the fallback if the matrix is not numerically positive definite.
      let dx = choleskySolveDamped(JtJ, Jtr, Dd, lambda, n, chol);
      if (!dx) {
        const rows = lambda > 0 ? m + n : m;
        const A = new Float64Array(rows * n);
        A.set(J);
        const b = new Float64Array(rows);
        for (let i = 0; i < m; i++) b[i] = -r[i];
        if (lambda > 0) {
          const sq = Math.sqrt(lambda);
          for (let j = 0; j < n; j++) A[(m + j) * n + j] = sq * Dd[j];
        }
        if (lambda === 0) {
          // Gauss–Newton step on a rank-deficient Jacobian (variables without influence on the
          // residual): take damped steps instead, which are regular.
          try {
            dx = lstsqQR(A, b, rows, n);
          } catch (e) {
            if (!(e instanceof NumericalError)) throw e;
            lambda = 1e-4;
            continue;
          }
        } else dx = lstsqQR(A, b, rows, n);
      }
      let dnorm = 0;
      let xnorm = 0;
      for (let j = 0; j < n; j++) {
        xNew[j] = x[j] + dx[j];
        dnorm += (D[j] * dx[j]) ** 2;
        xnorm += (D[j] * x[j]) ** 2;
      }
      // Predicted cost of the linearized model at the step: if it would lower the cost by less
      // than ftol (relative), we are at the minimum to working precision — stop without trying
      // ever-smaller damped steps that rounding noise would reject.
      if (lambda === 0) {
        // ‖r + J·dx‖² = ‖r‖² + 2·dxᵀJᵀr + dxᵀJᵀJ·dx
        let decrease = 0;
        for (let i = 0; i < n; i++) {
          let q = 0;
          for (let j = 0; j < n; j++) q += JtJ[i * n + j] * dx[j];
          decrease -= dx[i] * (2 * Jtr[i] + q);
        }
        if (decrease <= ftol * cost || Math.sqrt(dnorm) <= xtol * Math.sqrt(xnorm)) {
          converged = true;
          break;
        }
      }
      p.residual(xNew, rNew);
      nfev++;
      const costNew = dot(rNew, rNew);
      if (Number.isFinite(costNew) && costNew <= cost) {
        const rel = (cost - costNew) / Math.max(cost, 1e-300);
        const xOld = x;
        x = xNew;
        xNew = xOld;
        normalAtX = false;
        r.set(rNew);
        cost = costNew;
        lambda = lambda > 0 ? lambda / 10 : 0;
        if (lambda < 1e-12) lambda = 0;
        accepted = true;
        if (rel <= ftol || Math.sqrt(dnorm) <= xtol * Math.sqrt(xnorm)) converged = true;
        break;
      }
      lambda = lambda > 0 ? lambda * 10 : 1e-4;
    }
    if (converged || !accepted) break; // !accepted: no downhill step at any damping, at the minimum within rounding
  }
  // (no nested function: tsx would create and name one per call)
  if (!normalAtX) jacobianNormal(p, x, r, J, JtJ, Jtr);
  let xOut: Float64Array;
  if (opts.out) {
    xOut = opts.out.x;
    xOut.set(x);
  } else xOut = x.slice();
  return { x: xOut, cost, iterations: it + 1, nfev, covar: invertSPD(JtJ, n, opts.out?.covar) };
}

/** J at x, then JᵀJ and Jᵀr (the problem's fused path when it has one). */
function jacobianNormal(p: LmProblem, x: Float64Array, r: Float64Array, J: Float64Array, JtJ: Float64Array, Jtr: Float64Array): void {
  if (p.normalEquations?.(x, r, J, JtJ, Jtr)) return;
  p.jacobian(x, J);
  normalMatrix(J, r, p.m, p.n, JtJ, Jtr, p.constantRows);
}

/**
 * JᵀJ and Jᵀr (J: m×n row-major); rows below `fixed.rows` are taken from fixed.JtJ. Each entry
 * is one running sum over the rows in increasing order (kept in a register: several times
 * faster than accumulating row by row in memory, and the same additions in the same order).
 */
function normalMatrix(J: Float64Array, r: Float64Array, m: number, n: number, JtJ: Float64Array, Jtr: Float64Array, fixed?: { rows: number; JtJ: Float64Array }): void {
  const i0 = fixed ? fixed.rows : 0;
  let a = 0;
  for (; a + 1 < n; a += 2) {
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < m; i++) {
      const ri = r[i];
      g0 += J[i * n + a] * ri;
      g1 += J[i * n + a + 1] * ri;
    }
    Jtr[a] = g0;
    Jtr[a + 1] = g1;
  }
  for (; a < n; a++) {
    let g = 0;
    for (let i = 0; i < m; i++) g += J[i * n + a] * r[i];
    Jtr[a] = g;
  }
  for (let a = 0; a < n; a++) {
    for (let c = a; c < n; c++) {
      let s = fixed ? fixed.JtJ[a * n + c] : 0;
      for (let i = i0; i < m; i++) s += J[i * n + a] * J[i * n + c];
      JtJ[a * n + c] = s;
    }
  }
  for (let a = 0; a < n; a++) for (let c = 0; c < a; c++) JtJ[a * n + c] = JtJ[c * n + a];
}

/** Normal matrix (upper triangle, sums over rows in increasing order, as normalMatrix) of the first `rows` rows of J. */
export function partialNormalMatrix(J: Float64Array, rows: number, n: number): Float64Array {
  const JtJ = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    let c = a;
    for (; c + 3 < n; c += 4) {
      // four independent sums per pass over the rows
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < rows; i++) {
        const o = i * n;
        const ja = J[o + a];
        s0 += ja * J[o + c];
        s1 += ja * J[o + c + 1];
        s2 += ja * J[o + c + 2];
        s3 += ja * J[o + c + 3];
      }
      JtJ[a * n + c] = s0;
      JtJ[a * n + c + 1] = s1;
      JtJ[a * n + c + 2] = s2;
      JtJ[a * n + c + 3] = s3;
    }
    for (; c < n; c++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += J[i * n + a] * J[i * n + c];
      JtJ[a * n + c] = s;
    }
  }
  return JtJ;
}

/** Solve (JtJ + λ·diag(D²))·x = −Jtr by Cholesky; undefined if not positive definite. */
function choleskySolveDamped(JtJ: Float64Array, Jtr: Float64Array, D: Float64Array, lambda: number, n: number, buf: { L: Float64Array; y: Float64Array; x: Float64Array }): Float64Array | undefined {
  const { L, y, x } = buf;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = JtJ[i * n + j] + (i === j ? lambda * D[i] * D[i] : 0);
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 1e-13 * JtJ[i * n + i])) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  for (let i = 0; i < n; i++) {
    let s = -Jtr[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
