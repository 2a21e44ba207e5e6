import { describe, expect, it } from 'vitest';
import { levenbergMarquardtSmall, partialNormalMatrix, type LmProblem } from './leastSquares';

describe('levenbergMarquardtSmall with constant Jacobian rows', () => {
  // AUTOBK's shape: many linear rows (constant Jacobian) plus a few rows scaled by a function of
  // the residual. Caching the constant rows' normal matrix must give the very same bits.
  const m0 = 40;
  const n = 5;
  const A = Float64Array.from({ length: m0 * n }, (_, i) => Math.sin(i * 0.7) + (i % n === Math.floor(i / n) % n ? 2 : 0));
  const b = Float64Array.from({ length: m0 }, (_, i) => Math.cos(i * 1.3));
  const make = (withConst: boolean): LmProblem => {
    const lin = (x: Float64Array, r: Float64Array) => {
      let ss = 0;
      for (let i = 0; i < m0; i++) {
        let v = b[i];
        for (let q = 0; q < n; q++) v += A[i * n + q] * x[q];
        r[i] = v;
        ss += v * v;
      }
      return 0.1 + ss / m0;
    };
    const r0 = new Float64Array(m0);
    return {
      m: m0 + 2,
      n,
      constantRows: withConst ? { rows: m0, JtJ: partialNormalMatrix(A, m0, n) } : undefined,
      residual(x, r) {
        const s = lin(x, r);
        r[m0] = s * (x[0] - 1);
        r[m0 + 1] = s * (x[n - 1] + 0.5);
      },
      jacobian(x, J) {
        const s = lin(x, r0);
        J.set(A);
        for (let q = 0; q < n; q++) {
          let g = 0;
          for (let i = 0; i < m0; i++) g += (2 / m0) * r0[i] * A[i * n + q];
          J[m0 * n + q] = g * (x[0] - 1) + (q === 0 ? s : 0);
          J[(m0 + 1) * n + q] = g * (x[n - 1] + 0.5) + (q === n - 1 ? s : 0);
        }
      },
    };
  };
  it('gives bit-identical solution, cost and covariance', () => {
    const x0 = new Float64Array(n).fill(0.3);
    const a = levenbergMarquardtSmall(make(false), x0);
    const c = levenbergMarquardtSmall(make(true), x0);
    expect(a.iterations).toBeGreaterThan(1);
    expect(Array.from(c.x)).toEqual(Array.from(a.x));
    expect(c.cost).toBe(a.cost);
    expect(Array.from(c.covar!)).toEqual(Array.from(a.covar!));
  });
  it('a problem\'s fused normalEquations is used when it returns true, the plain path when false', () => {
    const x0 = new Float64Array(n).fill(0.3);
    const plain = levenbergMarquardtSmall(make(false), x0);
    // fused: the same Jacobian, then JᵀJ and Jᵀr summed over the rows in order (normalMatrix's sums)
    let fusedCalls = 0;
    const fused = make(false);
    fused.normalEquations = (x, r, J, JtJ, Jtr) => {
      fusedCalls++;
      fused.jacobian(x, J);
      const m = fused.m;
      for (let a = 0; a < n; a++) {
        let g = 0;
        for (let i = 0; i < m; i++) g += J[i * n + a] * r[i];
        Jtr[a] = g;
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += J[i * n + a] * J[i * n + c];
          JtJ[a * n + c] = s;
        }
      }
      return true;
    };
    const f = levenbergMarquardtSmall(fused, x0);
    expect(fusedCalls).toBeGreaterThan(1);
    expect(Array.from(f.x)).toEqual(Array.from(plain.x));
    expect(Array.from(f.covar!)).toEqual(Array.from(plain.covar!));
    // declining (false) leaves the work to jacobian + normalMatrix: a wrong JᵀJ written before declining is overwritten
    const declining = make(false);
    declining.normalEquations = (_x, _r, _J, JtJ) => {
      JtJ.fill(1e300);
      return false;
    };
    const d = levenbergMarquardtSmall(declining, x0);
    expect(Array.from(d.x)).toEqual(Array.from(plain.x));
    expect(d.cost).toBe(plain.cost);
  });
});

describe('levenbergMarquardtSmall with a variable that has no influence', () => {
  it('keeps that variable at its start value (damped steps, as MINPACK) and reports no covariance', () => {
    // r = (x0 − 1, 2·(x0 + x2) − 3, x2 − 0.2·x0, 0): x1 never enters, so the Jacobian has a zero
    // column and the Gauss–Newton step is singular. The fit must still solve for x0 and x2.
    const p: LmProblem = {
      m: 4,
      n: 3,
      residual(x, r) {
        r[0] = x[0] - 1;
        r[1] = 2 * (x[0] + x[2]) - 3;
        r[2] = x[2] - 0.2 * x[0];
        r[3] = 0;
      },
      jacobian(_x, J) {
        J.set([1, 0, 0, 2, 0, 2, -0.2, 0, 1, 0, 0, 0]);
      },
    };
    const fit = levenbergMarquardtSmall(p, new Float64Array([0, 7, 0]));
    expect(fit.x[1]).toBe(7);
    // least-squares solution of the 3 linear rows (normal equations solved by hand)
    const A = [
      [1, 0],
      [2, 2],
      [-0.2, 1],
    ];
    const b = [1, 3, 0];
    const n00 = A.reduce((s, r) => s + r[0] * r[0], 0);
    const n01 = A.reduce((s, r) => s + r[0] * r[1], 0);
    const n11 = A.reduce((s, r) => s + r[1] * r[1], 0);
    const g0 = A.reduce((s, r, i) => s + r[0] * b[i], 0);
    const g1 = A.reduce((s, r, i) => s + r[1] * b[i], 0);
    const det = n00 * n11 - n01 * n01;
    expect(fit.x[0]).toBeCloseTo((n11 * g0 - n01 * g1) / det, 6);
    expect(fit.x[2]).toBeCloseTo((n00 * g1 - n01 * g0) / det, 6);
    expect(fit.covar).toBeUndefined();
  });
});
