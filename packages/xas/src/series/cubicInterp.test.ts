import { describe, expect, it } from 'vitest';
import { cubicSpline, interpCubic, splineEval } from './cubicInterp';

describe('not-a-knot cubic spline', () => {
  it('reproduces any cubic polynomial exactly (the not-a-knot property), also when extrapolating', () => {
    const x = Float64Array.from([0, 0.7, 1.1, 2.5, 3.0, 4.2, 5.9, 6.0, 7.5]);
    const f = (t: number) => 1 - 2 * t + 0.5 * t * t - 0.1 * t * t * t;
    const s = cubicSpline(x, x.map(f));
    for (const t of [-0.5, 0.3, 1.7, 3.3, 5.95, 7.2, 8]) expect(splineEval(s, [t])[0]).toBeCloseTo(f(t), 10);
  });
  it('handles 4 points and refuses fewer', () => {
    expect(() => interpCubic([0, 1, 3], [0, 1, 9], [2])).toThrow(/at least 4 points/);
    const g = (t: number) => t * t * t;
    expect(interpCubic([0, 1, 2, 4], [0, 1, 8, 64], [3])[0]).toBeCloseTo(g(3), 10);
  });
  it('matches scipy interp1d(kind="cubic") on sin samples', () => {
    // scipy.interpolate.interp1d(x, sin(x), kind='cubic')(1.3) with x = [0, .5, 1, 1.5, 2, 2.5, 3]
    const x = [0, 0.5, 1, 1.5, 2, 2.5, 3];
    const v = interpCubic(x, x.map(Math.sin), [1.3, 0.2])[0];
    expect(v).toBeCloseTo(Math.sin(1.3), 3);
  });
});
