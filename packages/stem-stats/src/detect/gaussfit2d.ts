import { solveSymmetric } from '../statistics/linalg';

export interface Gaussian2d {
  amplitude: number;
  x: number;
  y: number;
  sigma: number;
  background: number;
  /** Sum of squared residuals at the optimum. */
  ssr: number;
}

/**
 * Isotropic 2D Gaussian + constant fitted by Levenberg–Marquardt on a (2r+1)² window around
 * (x0, y0). Hand-written because the 5-parameter problem is tiny and runs per atom (hundreds of
 * times per image); a generic optimiser would dominate the cost. Returns null when it diverges.
 */
export function fitGaussian2d(img: Float32Array, w: number, h: number, x0: number, y0: number, r: number): Gaussian2d | null {
  const cx = Math.round(x0);
  const cy = Math.round(y0);
  const xs: number[] = [];
  const ys: number[] = [];
  const vs: number[] = [];
  for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
      xs.push(x);
      ys.push(y);
      vs.push(img[y * w + x]);
    }
  }
  const n = vs.length;
  if (n < 9) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let p = [hi - lo, x0, y0, Math.max(1, r / 3), lo];
  const ssrOf = (q: number[]) => {
    let s = 0;
    const inv = 1 / (2 * q[3] * q[3]);
    for (let i = 0; i < n; i++) {
      const e = q[0] * Math.exp(-((xs[i] - q[1]) ** 2 + (ys[i] - q[2]) ** 2) * inv) + q[4] - vs[i];
      s += e * e;
    }
    return s;
  };
  let ssr = ssrOf(p);
  let lambda = 1e-3;
  for (let it = 0; it < 50; it++) {
    const JtJ = new Float64Array(25);
    const Jtr = new Float64Array(5);
    const s2 = p[3] * p[3];
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - p[1];
      const dy = ys[i] - p[2];
      const g = Math.exp(-(dx * dx + dy * dy) / (2 * s2));
      const e = p[0] * g + p[4] - vs[i];
      const J = [g, (p[0] * g * dx) / s2, (p[0] * g * dy) / s2, (p[0] * g * (dx * dx + dy * dy)) / (s2 * p[3]), 1];
      for (let a = 0; a < 5; a++) {
        Jtr[a] += J[a] * e;
        for (let b = 0; b <= a; b++) JtJ[a * 5 + b] += J[a] * J[b];
      }
    }
    for (let a = 0; a < 5; a++) for (let b = 0; b < a; b++) JtJ[b * 5 + a] = JtJ[a * 5 + b];
    let improved = false;
    for (let tries = 0; tries < 10; tries++) {
      const A = Float64Array.from(JtJ);
      for (let a = 0; a < 5; a++) A[a * 5 + a] *= 1 + lambda;
      const step = solveSymmetric(A, Jtr.map((v) => -v), 5);
      if (!step) {
        lambda *= 10;
        continue;
      }
      const q = p.map((v, k) => v + step[k]);
      if (!(q[3] > 0.3) || !(q[0] > 0)) {
        lambda *= 10;
        continue;
      }
      const s = ssrOf(q);
      if (s < ssr) {
        const rel = (ssr - s) / Math.max(ssr, 1e-300);
        p = q;
        ssr = s;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-9) it = 1000;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  if (![...p, ssr].every(Number.isFinite) || p[3] > 2 * r) return null;
  return { amplitude: p[0], x: p[1], y: p[2], sigma: p[3], background: p[4], ssr };
}
