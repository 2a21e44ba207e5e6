import { invertSymmetric, solveSymmetric } from './linalg';

export interface GaussFit {
  amplitude: number;
  mu: number;
  sigma: number;
  muErr: number;
  sigmaErr: number;
}

/**
 * Least-squares fit of A·exp(−(x−µ)²/2σ²) to histogram counts (Levenberg–Marquardt), with
 * standard errors from s²·(JᵀJ)⁻¹ as scipy's curve_fit reports them. Null when it cannot fit
 * (fewer than 4 non-empty bins, or no convergence to a finite σ).
 */
export function fitGaussianHistogram(centres: ArrayLike<number>, counts: ArrayLike<number>): GaussFit | null {
  const n = centres.length;
  let nz = 0, sw = 0, sx = 0, sxx = 0, amax = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i] > 0) nz++;
    sw += counts[i];
    sx += counts[i] * centres[i];
    amax = Math.max(amax, counts[i]);
  }
  if (nz < 4 || !(sw > 0)) return null;
  const m = sx / sw;
  for (let i = 0; i < n; i++) sxx += counts[i] * (centres[i] - m) ** 2;
  let p = [amax, m, Math.sqrt(sxx / sw) || (centres[1] - centres[0])];
  const res = (q: number[]) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (q[0] * Math.exp(-0.5 * ((centres[i] - q[1]) / q[2]) ** 2) - counts[i]) ** 2;
    return s;
  };
  const jac = (q: number[]) => {
    const JtJ = new Float64Array(9);
    const Jtr = new Float64Array(3);
    for (let i = 0; i < n; i++) {
      const d = centres[i] - q[1];
      const g = Math.exp(-0.5 * (d / q[2]) ** 2);
      const e = q[0] * g - counts[i];
      const J = [g, (q[0] * g * d) / (q[2] * q[2]), (q[0] * g * d * d) / q[2] ** 3];
      for (let a = 0; a < 3; a++) {
        Jtr[a] += J[a] * e;
        for (let b = 0; b < 3; b++) JtJ[a * 3 + b] += J[a] * J[b];
      }
    }
    return { JtJ, Jtr };
  };
  let ssr = res(p);
  let lambda = 1e-3;
  for (let it = 0; it < 200; it++) {
    const { JtJ, Jtr } = jac(p);
    let ok = false;
    for (let t = 0; t < 12; t++) {
      const A = Float64Array.from(JtJ);
      for (let a = 0; a < 3; a++) A[a * 4] *= 1 + lambda;
      const step = solveSymmetric(A, Array.from(Jtr, (v) => -v), 3);
      if (step) {
        const q = p.map((v, k) => v + step[k]);
        if (q[2] > 0) {
          const s = res(q);
          if (s <= ssr) {
            const done = ssr - s <= 1e-12 * Math.max(ssr, 1e-300);
            p = q;
            ssr = s;
            lambda = Math.max(lambda / 10, 1e-12);
            ok = !done;
            break;
          }
        }
      }
      lambda *= 10;
    }
    if (!ok) break;
  }
  const { JtJ } = jac(p);
  const cov = invertSymmetric(JtJ, 3);
  const dof = Math.max(n - 3, 1);
  const s2 = ssr / dof;
  if (!cov || ![...p].every(Number.isFinite)) return null;
  const muErr = Math.sqrt(Math.max(cov[4] * s2, 0));
  const sigmaErr = Math.sqrt(Math.max(cov[8] * s2, 0));
  if (!Number.isFinite(muErr) || !Number.isFinite(sigmaErr)) return null;
  return { amplitude: p[0], mu: p[1], sigma: Math.abs(p[2]), muErr, sigmaErr };
}
