import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32, poisson } from './random';

describe('seeded random numbers', () => {
  it('mulberry32 is reproducible, in [0,1), and roughly uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 20000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // 5σ of a uniform mean over 20000 draws ≈ 0.01
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('gaussian has mean 0 and variance 1', () => {
    const r = mulberry32(7);
    const xs = Array.from({ length: 40000 }, () => gaussian(r));
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.025); // 5σ = 5/√40000
    expect(Math.abs(v - 1)).toBeLessThan(0.04);
  });

  it('poisson has mean ≈ variance ≈ λ for small and large λ', () => {
    for (const lambda of [0.7, 12, 400]) {
      const r = mulberry32(11);
      const xs = Array.from({ length: 20000 }, () => poisson(lambda, r));
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
      expect(Math.abs(m - lambda)).toBeLessThan(5 * Math.sqrt(lambda / 20000));
      expect(Math.abs(v / lambda - 1)).toBeLessThan(0.06);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
    expect(poisson(0, mulberry32(1))).toBe(0);
  });
});
