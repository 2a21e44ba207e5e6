// Deglitching: remove chosen points (Athena and Larch remove rather than interpolate), or find
// spikes automatically from the residual of a running median. The raw arrays are never changed:
// new arrays are returned.
//
// Spike rule: residual r = y − median_w(y) (window w, ends padded by repetition like Larch's
// remove_spikes_numpy); a point is a spike when |r − median(r)| > threshold·σ with σ = 1.4826·MAD(r),
// a robust scale, and
// the point also misses a quadratic through its ±3 neighbours by threshold times that residual's
// robust scale. Larch's version scales by the RMS of y itself (a slip that makes the threshold
// depend on the absorption level), so its threshold values do not carry over.
import { z } from 'zod';
import { ValidationError, finite, parseOptions } from '@siteproof/core';

export const spikeOptionsSchema = z
  .object({
    window: z.number().int().min(3).default(5),
    threshold: finite().positive().default(6),
    /** Smallest spike worth removing, as a fraction of the data span (max − min). */
    minHeight: finite().min(0).default(0.01),
  })
  .strict();
export type SpikeOptions = z.input<typeof spikeOptionsSchema>;

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Running median with the ends padded by repeating the end values. */
export function runningMedian(y: ArrayLike<number>, window: number): Float64Array {
  const w = window % 2 ? window : window + 1;
  const half = w >> 1;
  const n = y.length;
  const out = new Float64Array(n);
  const buf: number[] = new Array(w);
  for (let i = 0; i < n; i++) {
    for (let j = -half; j <= half; j++) buf[j + half] = y[Math.min(n - 1, Math.max(0, i + j))];
    out[i] = median(buf);
  }
  return out;
}

/** Indices of spikes (glitches) in y. */
export function findSpikes(y: ArrayLike<number>, options: SpikeOptions = {}): number[] {
  const opts = parseOptions(spikeOptionsSchema, options, 'options');
  const n = y.length;
  if (n < opts.window) return [];
  const med = runningMedian(y, opts.window);
  const r: number[] = new Array(n);
  for (let i = 0; i < n; i++) r[i] = y[i] - med[i];
  const c = median(r);
  const mad = median(r.map((v) => Math.abs(v - c)));
  let sigma = 1.4826 * mad;
  if (!(sigma > 0)) {
    // Mostly exact medians (monotonic stretches give r = 0): robust scale of the nonzero residuals.
    const nz = r.filter((v) => v !== c);
    if (nz.length < 3) return [];
    sigma = 1.4826 * median(nz.map((v) => Math.abs(v - c)));
    if (!(sigma > 0)) return [];
  }
  // EXAFS wiggles also leave median residuals (the running median clips every smooth extremum),
  // so a candidate must also miss the leave-one-out quadratic through its ±3 neighbours, which
  // follows smooth peaks but not a spike.
  const q = new Float64Array(n);
  const hasQ = new Uint8Array(n);
  for (let i = 3; i < n - 3; i++) {
    let s0 = 0;
    let s2 = 0;
    for (let t = 1; t <= 3; t++) {
      s0 += y[i - t] + y[i + t];
      s2 += t * t * (y[i - t] + y[i + t]);
    }
    // Least-squares quadratic in t on t = ±1, ±2, ±3: intercept = (Σt⁴·Σy − Σt²·Σt²y)/(6·Σt⁴ − (Σt²)²).
    q[i] = y[i] - (196 * s0 - 28 * s2) / (6 * 196 - 28 * 28);
    hasQ[i] = 1;
  }
  const qs: number[] = [];
  for (let i = 0; i < n; i++) if (hasQ[i]) qs.push(q[i]);
  const qc = qs.length ? median(qs) : 0;
  const qSigma = qs.length ? 1.4826 * median(qs.map((v) => Math.abs(v - qc))) : 0;
  // On very clean data the noise scale is tiny; a deviation below minHeight·(data span) is not
  // worth removing whatever its significance.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
  }
  const floor = opts.minHeight * (hi - lo);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Math.abs(r[i] - c) <= Math.max(floor, opts.threshold * sigma)) continue;
    if (hasQ[i] && Math.abs(q[i] - qc) <= Math.max(floor, opts.threshold * qSigma)) continue;
    out.push(i);
  }
  return out;
}

export interface XY {
  x: Float64Array;
  y: Float64Array;
  /** Further arrays on the same grid (e.g. a reference channel) are filtered alike. */
  extra?: Float64Array[];
}

/** A copy of the spectrum without the given point indices. */
export function removePoints<T extends XY>(s: T, indices: number[]): T {
  const n = s.x.length;
  const drop = new Uint8Array(n);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ValidationError(`point index ${i} is outside 0…${n - 1}`, { field: 'indices' });
    drop[i] = 1;
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!drop[i]) keep.push(i);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  return { ...s, x: pick(s.x), y: pick(s.y), extra: s.extra?.map(pick) };
}

/** Indices of the points nearest to each given x (e.g. energies clicked in a plot). */
export function indicesNearest(x: ArrayLike<number>, values: number[]): number[] {
  return values.map((v) => {
    let best = 0;
    for (let i = 1; i < x.length; i++) if (Math.abs(x[i] - v) < Math.abs(x[best] - v)) best = i;
    return best;
  });
}

/** Remove automatically detected spikes; returns the cleaned copy and what was removed. */
export function deglitch<T extends XY>(s: T, options: SpikeOptions = {}): { spectrum: T; removed: number[] } {
  const removed = findSpikes(s.y, options);
  return { spectrum: removePoints(s, removed), removed };
}
