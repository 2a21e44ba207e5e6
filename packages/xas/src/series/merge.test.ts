import { describe, expect, it } from 'vitest';
import { mergeScans } from './merge';

describe('mergeScans', () => {
  it('on a common grid gives numpy mean and std (ddof 0) exactly', () => {
    const x = Float64Array.from({ length: 20 }, (_, i) => 100 + i);
    const ys = [1, 2, 4].map((a) => x.map((v) => a * Math.sin(v / 3) + a));
    const m = mergeScans(ys.map((y) => ({ x, y })));
    for (let k = 0; k < x.length; k++) {
      const vals = ys.map((y) => y[k]);
      const mu = vals.reduce((s, v) => s + v, 0) / 3;
      const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mu) ** 2, 0) / 3);
      expect(m.mean[k]).toBeCloseTo(mu, 12);
      expect(m.std[k]).toBeCloseTo(sd, 12);
    }
    // numpy: np.std([1*s+1, 2*s+2, 4*s+4]) = (s+1)*np.std([1,2,4]) = (s+1)*1.247219128924647
    expect(m.std[0]).toBeCloseTo((Math.sin(100 / 3) + 1) * 1.247219128924647, 12);
  });

  it('interpolates onto the first scan grid and trims to the shared range', () => {
    const x1 = Float64Array.from({ length: 50 }, (_, i) => i * 0.5);
    const x2 = Float64Array.from({ length: 40 }, (_, i) => 2 + i * 0.55);
    const f = (t: number) => 1 + 0.1 * t - 0.002 * t * t;
    const m = mergeScans([{ x: x1, y: x1.map(f) }, { x: x2, y: x2.map(f) }]);
    expect(m.x[0]).toBe(2);
    expect(m.x[m.x.length - 1]).toBeLessThanOrEqual(x2[39]);
    for (let k = 0; k < m.x.length; k++) {
      expect(m.mean[k]).toBeCloseTo(f(m.x[k]), 10);
      expect(m.std[k]).toBeLessThan(1e-10);
    }
  });

  it('refuses scans without a shared range', () => {
    const a = Float64Array.from({ length: 10 }, (_, i) => i);
    const b = a.map((v) => v + 100);
    expect(() => mergeScans([{ x: a, y: a }, { x: b, y: b }])).toThrow(/share no range/);
  });
});
