import { invertSymmetric, solveSymmetric } from '../statistics/linalg';

export interface Profile {
  /** Distance along the line (px) from its start. */
  s: Float64Array;
  /** Width-averaged, bilinearly interpolated intensity. */
  v: Float64Array;
}

function bilinear(img: Float32Array, w: number, h: number, x: number, y: number): number {
  const xc = Math.min(Math.max(x, 0), w - 1);
  const yc = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.min(Math.floor(xc), w - 2 < 0 ? 0 : w - 2);
  const y0 = Math.min(Math.floor(yc), h - 2 < 0 ? 0 : h - 2);
  const tx = xc - x0;
  const ty = yc - y0;
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const a = img[y0 * w + x0] * (1 - tx) + img[y0 * w + x1] * tx;
  const b = img[y1 * w + x0] * (1 - tx) + img[y1 * w + x1] * tx;
  return a * (1 - ty) + b * ty;
}

/**
 * Intensity along the segment p0→p1 extended by `extend` px at both ends, sampled every `step` px
 * and averaged over `width` px across the line (1-px spaced parallel lines), like
 * skimage.measure.profile_line(linewidth, order=1, reduce_func=mean).
 */
export function lineProfile(img: Float32Array, w: number, h: number, p0: { x: number; y: number }, p1: { x: number; y: number }, width: number, extend: number, step = 0.25): Profile {
  const dx = p1.x - p0.x;
  const dy = p1.y - p0.y;
  const L = Math.hypot(dx, dy) || 1;
  const ux = dx / L;
  const uy = dy / L;
  const total = L + 2 * extend;
  const n = Math.max(2, Math.floor(total / step) + 1);
  const s = new Float64Array(n);
  const v = new Float64Array(n);
  const nw = Math.max(1, Math.round(width));
  for (let i = 0; i < n; i++) {
    const t = i * step - extend;
    const cx = p0.x + ux * t;
    const cy = p0.y + uy * t;
    let acc = 0;
    for (let k = 0; k < nw; k++) {
      const off = k - (nw - 1) / 2;
      acc += bilinear(img, w, h, cx - uy * off, cy + ux * off);
    }
    s[i] = i * step;
    v[i] = acc / nw;
  }
  return { s, v };
}

export interface TwoGaussians {
  a1: number;
  a2: number;
  m1: number;
  m2: number;
  sigma: number;
  background: number;
  a1Err: number;
  a2Err: number;
}

/**
 * Fit B + A1·g(s−m1) + A2·g(s−m2) with a shared σ (same probe for both atoms) by
 * Levenberg–Marquardt; standard errors from s²(JᵀJ)⁻¹. Null when it does not converge to two
 * positive peaks.
 */
export function fitTwoGaussians(p: Profile, m1: number, m2: number, sigma0: number): TwoGaussians | null {
  const { s, v } = p;
  const n = s.length;
  if (n < 8) return null;
  let lo = Infinity;
  const near = (m: number) => {
    let best = 0;
    for (let i = 0; i < n; i++) if (Math.abs(s[i] - m) < Math.abs(s[best] - m)) best = i;
    return v[best];
  };
  for (let i = 0; i < n; i++) lo = Math.min(lo, v[i]);
  let q = [lo, Math.max(near(m1) - lo, 1e-6), Math.max(near(m2) - lo, 1e-6), m1, m2, sigma0];
  const model = (q: number[], x: number) => {
    const g1 = Math.exp(-0.5 * ((x - q[3]) / q[5]) ** 2);
    const g2 = Math.exp(-0.5 * ((x - q[4]) / q[5]) ** 2);
    return { f: q[0] + q[1] * g1 + q[2] * g2, g1, g2 };
  };
  const ssrOf = (q: number[]) => {
    let r = 0;
    for (let i = 0; i < n; i++) r += (model(q, s[i]).f - v[i]) ** 2;
    return r;
  };
  const normal = (q: number[]) => {
    const A = new Float64Array(36);
    const g = new Float64Array(6);
    for (let i = 0; i < n; i++) {
      const { f, g1, g2 } = model(q, s[i]);
      const d1 = s[i] - q[3];
      const d2 = s[i] - q[4];
      const s2 = q[5] * q[5];
      const J = [1, g1, g2, (q[1] * g1 * d1) / s2, (q[2] * g2 * d2) / s2, (q[1] * g1 * d1 * d1 + q[2] * g2 * d2 * d2) / (s2 * q[5])];
      const e = f - v[i];
      for (let a = 0; a < 6; a++) {
        g[a] += J[a] * e;
        for (let b = 0; b < 6; b++) A[a * 6 + b] += J[a] * J[b];
      }
    }
    return { A, g };
  };
  let ssr = ssrOf(q);
  let lambda = 1e-3;
  for (let it = 0; it < 100; it++) {
    const { A, g } = normal(q);
    let ok = false;
    for (let t = 0; t < 10; t++) {
      const M = Float64Array.from(A);
      for (let a = 0; a < 6; a++) M[a * 7] *= 1 + lambda;
      const step = solveSymmetric(M, Array.from(g, (x) => -x), 6);
      if (step) {
        const qn = q.map((x, k) => x + step[k]);
        if (qn[5] > 0.2) {
          const sn = ssrOf(qn);
          if (sn <= ssr) {
            const done = ssr - sn <= 1e-12 * Math.max(ssr, 1e-300);
            q = qn;
            ssr = sn;
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
  if (!(q[1] > 0 && q[2] > 0) || !q.every(Number.isFinite)) return null;
  const cov = invertSymmetric(normal(q).A, 6);
  if (!cov) return null;
  const s2 = ssr / Math.max(n - 6, 1);
  const a1Err = Math.sqrt(Math.max(cov[7] * s2, 0));
  const a2Err = Math.sqrt(Math.max(cov[14] * s2, 0));
  if (!Number.isFinite(a1Err) || !Number.isFinite(a2Err)) return null;
  return { background: q[0], a1: q[1], a2: q[2], m1: q[3], m2: q[4], sigma: q[5], a1Err, a2Err };
}
