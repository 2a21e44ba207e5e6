// Counts in an m/z window (SurfaceLab "mass interval"), with the local background estimated
// from flanking windows of the same width on each side (the lower of the two flank means, so a
// neighbouring peak in one flank does not inflate it).
import { lowerBound } from '../spectrum';

export interface WindowCounts {
  /** Counts in the window minus the background. */
  net: number;
  /** Raw counts in the window. */
  gross: number;
  /** Background counts subtracted. */
  background: number;
  /** Poisson σ of the net counts. */
  error: number;
}

/** Build a fast integrator over a sorted m/z axis (prefix sums: O(log n) per window). */
export function makeIntegrator(mz: ArrayLike<number>, counts: ArrayLike<number>): (lower: number, upper: number) => WindowCounts {
  const n = mz.length;
  const cs = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cs[i + 1] = cs[i] + counts[i];
  const sum = (a: number, b: number) => cs[Math.max(0, Math.min(n, b))] - cs[Math.max(0, Math.min(n, a))];
  return (lower, upper) => {
    const a = lowerBound(mz, lower);
    const b = lowerBound(mz, upper);
    const w = Math.max(1, b - a);
    const gross = sum(a, b);
    const left = sum(a - w, a) / Math.max(1, Math.min(w, a));
    const right = sum(b, b + w) / Math.max(1, Math.min(w, n - b));
    const background = Math.min(left, right) * (b - a);
    return { net: gross - background, gross, background, error: Math.sqrt(gross + background) };
  };
}
