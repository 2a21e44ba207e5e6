// Small dense least-squares solvers for linear-combination fitting. The problems have a handful
// of unknowns (the reference weights), so the exact box-constrained optimum is found by visiting
// every face of the box (each weight free, at its lower or at its upper bound): the convex optimum
// lies in the relative interior of one face, where it is that face's unconstrained optimum, so the
// best feasible face solution IS the global optimum — no iterations, no starting values, no
// lmfit-style bound transforms. Written by hand because no JS library offers bounded/equality-
// constrained least squares on a Gram matrix; the face systems with Σw = 1 are indefinite (KKT),
// hence Gaussian elimination here rather than the shared Cholesky of ../math/levenbergMarquardt.

/** Solve A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; null if singular. */
export function solveDense(A: Float64Array, b: Float64Array, n: number, relTol = 1e-12): Float64Array | null {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(M[i]));
  if (!(scale > 0)) return null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(M[col * n + col]);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(M[r * n + col]);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > relTol * scale)) return null;
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        const t = M[col * n + c];
        M[col * n + c] = M[piv * n + c];
        M[piv * n + c] = t;
      }
      const t = x[col];
      x[col] = x[piv];
      x[piv] = t;
    }
    const d = M[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = M[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) M[r * n + c] -= f * M[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= M[r * n + c] * x[c];
    x[r] = s / M[r * n + r];
  }
  return x;
}

export interface QuadraticLs {
  /** Gram matrix AᵀA (n x n, row-major). */
  G: Float64Array;
  /** Aᵀy. */
  b: Float64Array;
  /** yᵀy. */
  yy: number;
  n: number;
}

export interface BoxLsOptions {
  lower: number;
  upper: number;
  /** Apply the bounds (false: unconstrained, only the sum constraint if any). */
  bounded: boolean;
  /** Constrain Σw = 1. */
  sumToOne: boolean;
}

export interface BoxLsSolution {
  w: Float64Array;
  chi2: number;
  /** Indices of weights that ended on a bound. */
  atBound: boolean[];
}

function chi2Of(q: QuadraticLs, w: Float64Array): number {
  const { G, b, yy, n } = q;
  let s = yy;
  for (let i = 0; i < n; i++) {
    let gi = 0;
    for (let j = 0; j < n; j++) gi += G[i * n + j] * w[j];
    s += w[i] * gi - 2 * b[i] * w[i];
  }
  return s;
}

/** Solve the face problem: free indices vary, the others are fixed at the given values. */
function solveFace(q: QuadraticLs, free: number[], w: Float64Array, sumToOne: boolean): boolean {
  const { G, b, n } = q;
  const nf = free.length;
  const isFree = new Uint8Array(n);
  for (const i of free) isFree[i] = 1;
  if (nf === 0) {
    if (!sumToOne) return true;
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i];
    return Math.abs(s - 1) < 1e-9;
  }
  const m = sumToOne ? nf + 1 : nf;
  const A = new Float64Array(m * m);
  const r = new Float64Array(m);
  let fixedSum = 0;
  for (let i = 0; i < n; i++) if (!isFree[i]) fixedSum += w[i];
  for (let a = 0; a < nf; a++) {
    const i = free[a];
    let rhs = b[i];
    for (let j = 0; j < n; j++) if (!isFree[j]) rhs -= G[i * n + j] * w[j];
    r[a] = rhs;
    for (let c = 0; c < nf; c++) A[a * m + c] = G[i * n + free[c]];
    if (sumToOne) {
      A[a * m + nf] = 1;
      A[nf * m + a] = 1;
    }
  }
  if (sumToOne) r[nf] = 1 - fixedSum;
  const sol = solveDense(A, r, m);
  if (!sol) return false;
  for (let a = 0; a < nf; a++) w[free[a]] = sol[a];
  return true;
}

/**
 * Minimize |A w − y|² subject to lower ≤ w ≤ upper (if bounded) and Σw = 1 (if sumToOne).
 * Returns null when no face has a solution (all singular or infeasible).
 */
export function boxLeastSquares(q: QuadraticLs, opts: BoxLsOptions): BoxLsSolution | null {
  const { n } = q;
  const { lower, upper, bounded, sumToOne } = opts;
  const tol = 1e-10 * Math.max(1, Math.abs(upper - lower));
  let best: BoxLsSolution | null = null;
  const state = new Uint8Array(n); // 0 free, 1 at lower, 2 at upper
  const total = bounded ? 3 ** n : 1;
  const w = new Float64Array(n);
  for (let code = 0; code < total; code++) {
    let c = code;
    const free: number[] = [];
    for (let i = 0; i < n; i++) {
      state[i] = bounded ? c % 3 : 0;
      c = Math.floor(c / 3);
      if (state[i] === 0) free.push(i);
      else w[i] = state[i] === 1 ? lower : upper;
    }
    if (!solveFace(q, free, w, sumToOne)) continue;
    let feasible = true;
    if (bounded) {
      for (const i of free) {
        if (w[i] < lower - tol || w[i] > upper + tol) {
          feasible = false;
          break;
        }
      }
    }
    if (!feasible) continue;
    if (bounded) for (const i of free) w[i] = Math.min(upper, Math.max(lower, w[i]));
    const chi2 = chi2Of(q, w);
    if (best === null || chi2 < best.chi2 - 1e-14 * Math.max(1, Math.abs(chi2))) {
      best = { w: Float64Array.from(w), chi2, atBound: Array.from(state, (s) => s !== 0) };
    }
  }
  return best;
}
