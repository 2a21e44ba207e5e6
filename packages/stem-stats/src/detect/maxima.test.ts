import { describe, expect, it } from 'vitest';
import { localMaxima } from './maxima';
import { useSimd } from '../preprocess/simd';
import { gaussian, mulberry32 } from '../statistics/rng';

describe('localMaxima', () => {
  const w = 131; // w·h not a multiple of 4: the last pixels are tested outside the SIMD prefilter
  const h = 97;
  const rand = mulberry32(17);
  const img = Float32Array.from({ length: w * h }, () => gaussian(rand));
  img[50 * w + 60] = NaN; // never a maximum, never breaks the scan
  img[20 * w + 30] = img[20 * w + 31] = 9; // plateau: the first pixel in raster order wins
  img[h * w - 3] = 50; // inside the last partial group, but in the border
  img[(h - 3) * w + w - 4] = 40; // a true maximum in the last rows

  it('finds the 8-neighbour maxima above the threshold, strongest first, the plateau once', () => {
    const p = localMaxima(img, w, h, 3, 0, 2);
    expect(p[0]).toEqual({ x: w - 4, y: h - 3, value: 40 });
    expect(p.filter((q) => q.value === 9)).toEqual([{ x: 30, y: 20, value: 9 }]);
    for (const q of p) {
      expect(q.value).toBeGreaterThan(3);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) expect(img[(q.y + dy) * w + q.x + dx] <= q.value).toBe(true);
    }
  });
  it('keeps the stronger of two peaks closer than the minimum separation', () => {
    const p = localMaxima(img, w, h, 3, 6, 2);
    for (let a = 0; a < p.length; a++) for (let b = a + 1; b < p.length; b++) expect(Math.hypot(p[a].x - p[b].x, p[a].y - p[b].y)).toBeGreaterThanOrEqual(6);
  });
  it('the SIMD prefilter and the plain-JS scan give identical peaks (thresholds 2, 3.5, −∞)', () => {
    for (const t of [2, 3.5, -Infinity]) {
      const a = localMaxima(img, w, h, t, 3, 2);
      useSimd(false);
      try {
        expect(localMaxima(img, w, h, t, 3, 2)).toEqual(a);
      } finally {
        useSimd(true);
      }
    }
  });
});
