// Comparison of a computed curve with a reference curve on a common grid, the way a
// scientist states agreement: "max |Δ| ≤ 2e-3 in edge-step units over the whole scan",
// "RMS difference ≤ 2 % of the reference RMS over 3–12 Å⁻¹".

export type Curve = { x: ArrayLike<number>; y: ArrayLike<number> };

/** Linear interpolation of (x, y) at xq; x must be increasing; outside → NaN (never extrapolate silently). */
export function interpAt(x: ArrayLike<number>, y: ArrayLike<number>, xq: number): number {
  const n = x.length;
  if (n === 0 || xq < x[0] - 1e-12 || xq > x[n - 1] + 1e-12) return NaN;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= xq) lo = mid;
    else hi = mid;
  }
  if (hi === lo) return y[lo];
  const t = (xq - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}

export interface CurveDiff {
  /** Number of reference points compared. */
  n: number;
  maxAbs: number;
  /** x of the largest |Δ|. */
  xAtMax: number;
  rmsDiff: number;
  refRms: number;
  refMaxAbs: number;
  /** rmsDiff / refRms */
  relRms: number;
  /** maxAbs / refMaxAbs */
  relMax: number;
}

/**
 * Compare `got` with `ref` at the reference abscissae within [xmin, xmax] (inclusive).
 * `got` is interpolated linearly onto the reference points; if the grids are identical this is exact.
 */
export function compareCurves(ref: Curve, got: Curve, range: { xmin?: number; xmax?: number } = {}): CurveDiff {
  const xmin = range.xmin ?? -Infinity;
  const xmax = range.xmax ?? Infinity;
  let n = 0;
  let maxAbs = 0;
  let xAtMax = NaN;
  let s2 = 0;
  let r2 = 0;
  let refMaxAbs = 0;
  for (let i = 0; i < ref.x.length; i++) {
    const xi = ref.x[i];
    if (xi < xmin || xi > xmax) continue;
    const g = interpAt(got.x, got.y, xi);
    if (!Number.isFinite(g)) continue;
    const d = Math.abs(g - ref.y[i]);
    n++;
    s2 += d * d;
    r2 += ref.y[i] * ref.y[i];
    refMaxAbs = Math.max(refMaxAbs, Math.abs(ref.y[i]));
    if (d > maxAbs) {
      maxAbs = d;
      xAtMax = xi;
    }
  }
  const rmsDiff = n ? Math.sqrt(s2 / n) : NaN;
  const refRms = n ? Math.sqrt(r2 / n) : NaN;
  return { n, maxAbs, xAtMax, rmsDiff, refRms, refMaxAbs, relRms: rmsDiff / refRms, relMax: maxAbs / refMaxAbs };
}

/** Human-readable one-liner for test failure messages and closing notes. */
export function describeDiff(label: string, d: CurveDiff): string {
  return `${label}: n=${d.n} max|Δ|=${d.maxAbs.toExponential(3)} at x=${d.xAtMax} rms=${d.rmsDiff.toExponential(3)} (${(100 * d.relRms).toFixed(3)} % of ref rms, ${(100 * d.relMax).toFixed(3)} % of ref max)`;
}

export function toFloat64(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a as ArrayLike<number>);
}
