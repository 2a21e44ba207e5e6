import { describe, expect, it } from 'vitest';
import { gaussianBackground, gaussianBlur, subtractBackground } from './gaussian';
import { mulberry32 } from '../statistics/rng';

/** Direct 2D convolution with reflect boundary: slow, obviously correct. */
function direct(src: Float32Array, w: number, h: number, sigma: number): Float64Array {
  const r = Math.ceil(4 * sigma);
  const k: number[] = [];
  for (let i = -r; i <= r; i++) k.push(Math.exp((-0.5 * i * i) / (sigma * sigma)));
  const s = k.reduce((a, b) => a + b, 0);
  const refl = (i: number, n: number) => {
    const p = 2 * n;
    i = ((i % p) + p) % p;
    return i < n ? i : p - 1 - i;
  };
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let b = -r; b <= r; b++) for (let a = -r; a <= r; a++) acc += (k[a + r] * k[b + r] * src[refl(y + b, h) * w + refl(x + a, w)]) / (s * s);
      out[y * w + x] = acc;
    }
  return out;
}

describe('gaussianBlur', () => {
  const w = 23;
  const h = 17;
  const rand = mulberry32(3);
  const img = Float32Array.from({ length: w * h }, () => rand() * 100);
  it('equals the direct 2D convolution (scipy reflect boundary, 4σ truncation) to float32 precision', () => {
    for (const sigma of [0.8, 2.5, 6]) {
      const a = gaussianBlur(img, w, h, sigma);
      const b = direct(img, w, h, sigma);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
    }
  });
  it('the WebAssembly SIMD path (w, h > 2r; odd sizes leave scalar tails) equals the direct convolution too', async () => {
    const { simdKernels } = await import('./simd');
    expect(simdKernels()).not.toBeNull(); // Node has WebAssembly SIMD: the fast path is what is tested here
    const W = 61;
    const H = 53;
    const big = Float32Array.from({ length: W * H }, () => rand() * 100);
    for (const sigma of [0.8, 1, 2.5, 6]) {
      const a = gaussianBlur(big, W, H, sigma);
      const b = direct(big, W, H, sigma);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
    }
  });
  it('the plain-JS loops (engines without WebAssembly SIMD) give the same images as the SIMD path', async () => {
    const { useSimd } = await import('./simd');
    const W = 61;
    const H = 53;
    const big = Float32Array.from({ length: W * H }, () => 50 + rand() * 100);
    const cases: [number, number][] = [[0.8, 4], [1, 3], [2.5, 4], [6, 4]];
    const fast = cases.map(([s, t]) => gaussianBlur(big, W, H, s, t));
    const fastBg = subtractBackground(big, W, H, 7);
    useSimd(false);
    try {
      cases.forEach(([s, t], c) => {
        const slow = gaussianBlur(big, W, H, s, t);
        for (let i = 0; i < slow.length; i++) expect(Math.abs(slow[i] - fast[c][i])).toBeLessThan(1e-3);
      });
      const slowBg = subtractBackground(big, W, H, 7);
      for (let i = 0; i < slowBg.length; i++) expect(Math.abs(slowBg[i] - fastBg[i])).toBeLessThan(1e-3);
    } finally {
      useSimd(true);
    }
  });
  it('preserves a constant image', () => {
    const c = new Float32Array(w * h).fill(7);
    for (const v of gaussianBlur(c, w, h, 3)) expect(v).toBeCloseTo(7, 4);
  });
});

describe('gaussianBackground (downsampled)', () => {
  it('matches the full-resolution blur of a smooth support within 1 % of its amplitude (0.2 counts: far below any shot noise)', () => {
    const w = 256;
    const h = 200;
    const img = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img[y * w + x] = 100 + 20 * Math.sin(x / 40) * Math.cos(y / 33) + 0.05 * x;
    const fast = gaussianBackground(img, w, h, 25);
    const exact = gaussianBlur(img, w, h, 25);
    let worst = 0;
    // Interior only: near the edges both are extrapolations.
    for (let y = 30; y < h - 30; y++) for (let x = 30; x < w - 30; x++) worst = Math.max(worst, Math.abs(fast[y * w + x] - exact[y * w + x]));
    expect(worst).toBeLessThan(0.2);
  });
});

describe('subtractBackground', () => {
  it('equals src − gaussianBackground(src) to float32 rounding (fused, and in WebAssembly when available)', async () => {
    // 123 columns: the SIMD rows leave a scalar tail (subtractBackground runs in WebAssembly,
    // gaussianBackground in plain JS, so this also pins the two paths together).
    for (const [w, h] of [[120, 90], [123, 91]]) {
      const rand = mulberry32(8);
      const img = Float32Array.from({ length: w * h }, () => 50 + rand() * 10);
      for (const sigma of [3, 25]) {
        const a = subtractBackground(img, w, h, sigma);
        const b = gaussianBackground(img, w, h, sigma);
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(img[i] - b[i], 3);
      }
    }
  });
});
