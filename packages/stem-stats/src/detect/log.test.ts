import { describe, expect, it } from 'vitest';
import { logSignificance } from './log';
import { useSimd } from '../preprocess/simd';
import { gaussian, mulberry32 } from '../statistics/rng';

/** Noise plus Gaussian blobs of σ 1.5 px and 3 px at known places. */
function scene(w: number, h: number): Float32Array {
  const rand = mulberry32(21);
  const img = Float32Array.from({ length: w * h }, () => 100 + 3 * gaussian(rand));
  const blobs: [number, number, number][] = [[20, 15, 1.5], [50, 40, 3]];
  for (const [bx, by, s] of blobs)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img[y * w + x] += 60 * Math.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * s * s));
  return img;
}

describe('logSignificance', () => {
  const w = 71; // odd width: the SIMD rows leave scalar tails
  const h = 57;
  const img = scene(w, h);
  it('peaks on each blob, far above the noise (z in noise σ), the wider blob at a wider scale', () => {
    const { z, scale } = logSignificance(img, w, h, [1, 1.5, 2.25, 3]);
    for (const [bx, by] of [[20, 15], [50, 40]]) {
      const i = by * w + bx;
      for (const d of [-1, 1, -w, w]) expect(z[i]).toBeGreaterThan(z[i + d]);
      expect(z[i]).toBeGreaterThan(10);
    }
    expect(scale[40 * w + 50]).toBeGreaterThan(scale[15 * w + 20]);
  });
  it('the plain-JS path (no WebAssembly SIMD) gives the same map to float32 rounding (amplified by the Laplacian of a ~100-count image: 0.5 % of z)', () => {
    const a = logSignificance(img, w, h, [1.5, 2.25, 3]);
    useSimd(false);
    let b: ReturnType<typeof logSignificance>;
    try {
      b = logSignificance(img, w, h, [1.5, 2.25, 3]);
    } finally {
      useSimd(true);
    }
    let worst = 0;
    let scaleDiff = 0;
    for (let i = 0; i < a.z.length; i++) {
      worst = Math.max(worst, Math.abs(a.z[i] - b.z[i]) / Math.max(1, Math.abs(b.z[i])));
      if (a.scale[i] !== b.scale[i]) scaleDiff++;
    }
    expect(worst).toBeLessThan(5e-3);
    expect(scaleDiff).toBeLessThanOrEqual(4); // only near-ties between scales may flip
  });
});
