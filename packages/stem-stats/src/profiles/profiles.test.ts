import { describe, expect, it } from 'vitest';
import { fitTwoGaussians, lineProfile } from './lineProfile';
import { assignZ } from './zContrast';

describe('lineProfile + fitTwoGaussians', () => {
  it('recovers the two peak heights of a noiseless pair at an oblique angle to 1 %', () => {
    const w = 60;
    const img = new Float32Array(w * w);
    const a = { x: 25.3, y: 27.1 };
    const b = { x: 34.1, y: 35.9 };
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++)
        img[y * w + x] = 10 + 80 * Math.exp(-((x - a.x) ** 2 + (y - a.y) ** 2) / (2 * 2.25 ** 2)) + 102 * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * 2.25 ** 2));
    const p = lineProfile(img, w, w, a, b, 1, 7.5);
    const d = Math.hypot(b.x - a.x, b.y - a.y);
    const f = fitTwoGaussians(p, 7.5, 7.5 + d, 2)!;
    expect(f.a1 / 80).toBeCloseTo(1, 1);
    expect(f.a2 / 102).toBeCloseTo(1, 1);
    expect(Math.abs(f.a2 / f.a1 - 102 / 80)).toBeLessThan(0.01);
    expect(f.sigma).toBeCloseTo(2.25, 1);
  });
});

describe('assignZ', () => {
  const R = (30 / 26) ** 1.7;
  it('a clear Zn–Fe ratio is assigned with high confidence, in the right order', () => {
    const z = assignZ(80 * R, 2, 80, 2, 26, 30);
    expect([z.z1, z.z2, z.verdict]).toEqual([30, 26, 'assigned']);
    expect(z.confidence).toBeGreaterThan(0.99);
    const r = assignZ(80, 2, 80 * R, 2, 30, 26);
    expect([r.z1, r.z2]).toEqual([26, 30]);
  });
  it('equal heights: 50/50 between orderings → undetermined, never a bare label', () => {
    const z = assignZ(80, 2, 80, 2, 26, 30);
    expect(z.confidence).toBeCloseTo(0.5, 6);
    expect(z.verdict).toBe('undetermined');
  });
  it('noisy heights lower the confidence; the homonuclear hypothesis can win', () => {
    expect(assignZ(80 * R, 30, 80, 30, 26, 30).confidence).toBeLessThan(0.9);
    const s = assignZ(80, 1, 80.5, 1, 26, 30, 1.7, 0.9, true);
    expect(s.posterior.same).toBeGreaterThan(0.85);
    expect(s.posterior.same).toBeGreaterThan(s.posterior.heavierFirst + s.posterior.heavierSecond);
  });
});
