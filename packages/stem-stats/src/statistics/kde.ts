import { quantileSorted } from './intervals';

export type BandwidthRule = 'silverman' | 'scott';

function sd(v: ArrayLike<number>): number {
  const n = v.length;
  if (n < 2) return 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/**
 * KDE bandwidth. 'silverman' is the robust rule 0.9·min(σ, IQR/1.34)·n^(−1/5), which is not
 * inflated by the long random tail of NN distances; 'scott' is σ·n^(−1/5) (scipy gaussian_kde's factor).
 */
export function bandwidth(values: ArrayLike<number>, rule: BandwidthRule): number {
  const n = values.length;
  if (n < 2) return 0;
  const s = sd(values);
  if (rule === 'scott') return s * n ** -0.2;
  const sorted = Float64Array.from(values).sort();
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  const spread = iqr > 0 ? Math.min(s, iqr / 1.34) : s;
  return 0.9 * spread * n ** -0.2;
}

export interface Kde {
  grid: Float64Array;
  density: Float64Array;
  bandwidth: number;
  mode: number;
}

/** Gaussian KDE on [lo, hi] with `points` grid nodes; the mode is the grid maximum. */
export function kde(values: ArrayLike<number>, bw: number, lo: number, hi: number, points = 1001): Kde {
  const grid = new Float64Array(points);
  const density = new Float64Array(points);
  const n = values.length;
  for (let g = 0; g < points; g++) grid[g] = lo + ((hi - lo) * g) / (points - 1);
  if (n === 0 || !(bw > 0)) return { grid, density, bandwidth: bw, mode: n ? values[0] : 0 };
  const norm = 1 / (n * bw * Math.sqrt(2 * Math.PI));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Only grid nodes within 6 bandwidths contribute measurably.
    const g0 = Math.max(0, Math.floor(((v - 6 * bw - lo) / (hi - lo)) * (points - 1)));
    const g1 = Math.min(points - 1, Math.ceil(((v + 6 * bw - lo) / (hi - lo)) * (points - 1)));
    addGaussian(density, g0, g1, lo, (hi - lo) / (points - 1), v, bw, norm);
  }
  let best = 0;
  for (let g = 1; g < points; g++) if (density[g] > density[best]) best = g;
  return { grid, density, bandwidth: bw, mode: grid[best] };
}

/**
 * density[g] += norm·exp(−½((lo + g·step − v)/bw)²) for g in [g0, g1], by the recurrence
 * f(g+1) = f(g)·q(g), q(g+1) = q(g)·exp(−step²/bw²): two multiplications per node instead of an
 * exp (the KDE's hot loop). Restarted from an exact exp every 64 nodes, so the relative error stays
 * at rounding level (< 1e-13).
 */
function addGaussian(density: Float64Array, g0: number, g1: number, lo: number, step: number, v: number, bw: number, norm: number): void {
  const c = 1 / (bw * bw);
  const qq = Math.exp(-step * step * c);
  for (let s = g0; s <= g1; s += 64) {
    const e = Math.min(g1, s + 63);
    const d = lo + s * step - v;
    let f = norm * Math.exp(-0.5 * d * d * c);
    let q = Math.exp(-(d * step + 0.5 * step * step) * c);
    for (let g = s; g <= e; g++) {
      density[g] += f;
      f *= q;
      q *= qq;
    }
  }
}
