import { describe, expect, it } from 'vitest';
import { NumericalError, ValidationError } from '@siteproof/core';
import { invertSPD, levenbergMarquardt } from './levenbergMarquardt';

// Deterministic pseudo-noise (sum of sines), so the tests are reproducible without a PRNG.
const noise = (i: number) => 0.05 * Math.sin(12.9898 * i + 78.233 * Math.sin(i));

describe('levenbergMarquardt', () => {
  it('reproduces ordinary least squares and its covariance (XᵀX)⁻¹ on a straight line', () => {
    const t = Array.from({ length: 30 }, (_, i) => i / 3);
    const y = t.map((ti, i) => 1.5 - 0.7 * ti + noise(i));
    // closed form
    let s0 = 0, s1 = 0, s2 = 0, sy = 0, sty = 0;
    t.forEach((ti, i) => { s0 += 1; s1 += ti; s2 += ti * ti; sy += y[i]; sty += ti * y[i]; });
    const det = s0 * s2 - s1 * s1;
    const a = (s2 * sy - s1 * sty) / det;
    const b = (s0 * sty - s1 * sy) / det;
    const res = levenbergMarquardt((p) => Float64Array.from(t, (ti, i) => p[0] + p[1] * ti - y[i]), [0, 0]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(a, 7);
    expect(res.x[1]).toBeCloseTo(b, 7);
    const cov = res.covariance!;
    expect(cov[0]).toBeCloseTo(s2 / det, 6);
    expect(cov[1]).toBeCloseTo(-s1 / det, 6);
    expect(cov[3]).toBeCloseTo(s0 / det, 6);
  });

  it('finds the Rosenbrock minimum (1, 1) from (−1.2, 1)', () => {
    const res = levenbergMarquardt((p) => Float64Array.of(10 * (p[1] - p[0] * p[0]), 1 - p[0]), [-1.2, 1]);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
  });

  it('fits an exponential decay with an analytic Jacobian as well as with finite differences', () => {
    const t = Array.from({ length: 40 }, (_, i) => i * 0.25);
    const y = t.map((ti, i) => 3 * Math.exp(-0.4 * ti) + 0.2 + 0.01 * noise(i));
    const f = (p: Float64Array) => Float64Array.from(t, (ti, i) => p[0] * Math.exp(-p[1] * ti) + p[2] - y[i]);
    const jac = (p: Float64Array) => {
      const J = new Float64Array(t.length * 3);
      t.forEach((ti, i) => {
        const e = Math.exp(-p[1] * ti);
        J[i * 3] = e;
        J[i * 3 + 1] = -p[0] * ti * e;
        J[i * 3 + 2] = 1;
      });
      return J;
    };
    const fd = levenbergMarquardt(f, [1, 1, 0]);
    const an = levenbergMarquardt(f, [1, 1, 0], { jacobian: jac });
    expect(fd.x[0]).toBeCloseTo(3, 2);
    expect(fd.x[1]).toBeCloseTo(0.4, 2);
    for (let j = 0; j < 3; j++) expect(an.x[j]).toBeCloseTo(fd.x[j], 7);
    for (let j = 0; j < 9; j++) expect(an.covariance![j]).toBeCloseTo(fd.covariance![j], 4);
  });

  it('respects bounds (lmfit transformation) and leaves the covariance unchanged when bounds are inactive', () => {
    const y = [4.9, 5.1, 5.0, 5.2, 4.8];
    const f = (p: Float64Array) => Float64Array.from(y, (v) => p[0] - v);
    const capped = levenbergMarquardt(f, [1], { upper: [3] });
    expect(capped.x[0]).toBeCloseTo(3, 4);
    const free = levenbergMarquardt(f, [1]);
    const boxed = levenbergMarquardt(f, [1], { lower: [-100], upper: [100] });
    const lowOnly = levenbergMarquardt(f, [1], { lower: [0] });
    expect(free.x[0]).toBeCloseTo(5, 8);
    expect(boxed.x[0]).toBeCloseTo(5, 7);
    expect(lowOnly.x[0]).toBeCloseTo(5, 7);
    expect(boxed.covariance![0]).toBeCloseTo(free.covariance![0], 5); // = 1/5
    expect(lowOnly.covariance![0]).toBeCloseTo(0.2, 5);
  });

  it('reports a null covariance for a degenerate problem and refuses bad inputs with typed errors', () => {
    const res = levenbergMarquardt((p) => Float64Array.of(p[0] + p[1] - 1, 2 * (p[0] + p[1]) - 2), [0, 0]);
    expect(res.covariance).toBeNull();
    expect(() => levenbergMarquardt((p) => Float64Array.of(p[0]), [0, 0])).toThrow(ValidationError);
    expect(() => levenbergMarquardt((p) => Float64Array.of(p[0]), [0], { lower: [2], upper: [1] })).toThrow(ValidationError);
    expect(() => levenbergMarquardt(() => Float64Array.of(NaN), [0])).toThrow(NumericalError);
  });

  it('invertSPD inverts a well-scaled SPD matrix', () => {
    const A = Float64Array.of(4, 2, 2, 3);
    const inv = invertSPD(A, 2)!;
    expect(inv[0]).toBeCloseTo(3 / 8, 12);
    expect(inv[1]).toBeCloseTo(-2 / 8, 12);
    expect(inv[3]).toBeCloseTo(4 / 8, 12);
  });
});
