import { blurCascadeInMemory, gaussianBlur } from '../preprocess/gaussian';
import { noiseOfSample, noiseSampleIndices } from '../preprocess/noise';
import { simdKernels, type SimdKernels } from '../preprocess/simd';

/**
 * Multi-scale Laplacian-of-Gaussian significance map. At each σ the scale-normalised response
 * −σ²∇²(G_σ * I) is divided by its own robust noise level (MAD), so the map is in units of
 * "noise σ" at every scale and one k threshold applies to all of them; the map keeps the maximum
 * over scales. Blurs are cascaded (each scale blurs the previous one by the missing σ) so the cost
 * grows with the scale step, not the scale. The noise is measured first on the Laplacian at the
 * robustNoise subsample pixels only, so the full Laplacian is never stored: one fused pass per
 * scale computes, normalises and max-combines it.
 */
export function logSignificance(img: Float32Array, w: number, h: number, sigmas: number[]): { z: Float32Array; scale: Float32Array } {
  const K = w >= 6 && h >= 3 ? simdKernels() : null;
  if (K) {
    const fast = logSimd(K, img, w, h, sigmas);
    if (fast) return fast;
  }
  const n = w * h;
  const z = new Float32Array(n).fill(-Infinity);
  const scale = new Float32Array(n);
  const idx = noiseSampleIndices(n);
  const sub = new Float64Array(idx.length);
  let prev = img;
  let prevSigma = 0;
  for (const s of [...sigmas].sort((a, b) => a - b)) {
    const inc = Math.sqrt(s * s - prevSigma * prevSigma);
    // 3σ truncation: increments are small and the dropped tail (0.3 %) is far below the noise.
    const g = gaussianBlur(prev, w, h, inc, 3);
    prev = g;
    prevSigma = s;
    const s2 = -s * s;
    for (let k = 0; k < idx.length; k++) sub[k] = laplacianAt(g, w, h, idx[k], s2);
    const nz = noiseOfSample(sub);
    const inv = nz.sigma > 0 ? 1 / nz.sigma : 0;
    for (let y = 0; y < h; y++) {
      if (y > 0 && y < h - 1 && w > 2) {
        combineRow(g, z, scale, y * w, w, s2, nz.median, inv, s);
        for (const x of [0, w - 1]) keepMax(z, scale, y * w + x, laplacianAt(g, w, h, y * w + x, s2), nz.median, inv, s);
      } else {
        for (let x = 0; x < w; x++) keepMax(z, scale, y * w + x, laplacianAt(g, w, h, y * w + x, s2), nz.median, inv, s);
      }
    }
  }
  return { z, scale };
}

/**
 * s2 · 5-point Laplacian of g at pixel i, rounded to float32 (as if stored in an image); edge
 * rows/columns reuse the inner neighbour (mirror).
 */
function laplacianAt(g: Float32Array, w: number, h: number, i: number, s2: number): number {
  const x = i % w;
  const y = (i - x) / w;
  const l = x > 0 ? i - 1 : i + 1;
  const r = x < w - 1 ? i + 1 : i - 1;
  const u = y > 0 ? i - w : i + w;
  const d = y < h - 1 ? i + w : i - w;
  return Math.fround(s2 * (g[l] + g[r] + g[u] + g[d] - 4 * g[i]));
}

function keepMax(z: Float32Array, scale: Float32Array, i: number, lap: number, med: number, inv: number, s: number): void {
  const v = (lap - med) * inv;
  if (v > z[i]) {
    z[i] = v;
    scale[i] = s;
  }
}

/** Interior pixels 1..w−2 of the row starting at o (rows above and below exist). */
function combineRow(g: Float32Array, z: Float32Array, scale: Float32Array, o: number, w: number, s2: number, med: number, inv: number, s: number): void {
  const e = o + w - 1;
  for (let i = o + 1; i < e; i++) {
    const lap = Math.fround(s2 * (g[i - 1] + g[i + 1] + g[i - w] + g[i + w] - 4 * g[i]));
    const v = (lap - med) * inv;
    if (v > z[i]) {
      z[i] = v;
      scale[i] = s;
    }
  }
}

/**
 * logSignificance with the per-scale Laplacian, normalisation and max-combination in the
 * WebAssembly SIMD kernel (float32 arithmetic: values agree with the JS path to rounding). Memory:
 * z and scale at the bottom, the blur cascade above them (each blurred image is used where the
 * blur left it: no copies).
 */
function logSimd(K: SimdKernels, img: Float32Array, w: number, h: number, sigmas: number[]): { z: Float32Array; scale: Float32Array } | null {
  const n = w * h;
  const nPad = (n + 3) & ~3;
  const Z = 0;
  const SC = nPad;
  const base = 2 * nPad;
  if (!K.reserve(4 * base)) return null;
  const sorted = [...sigmas].sort((a, b) => a - b);
  const incs = sorted.map((s, i) => Math.sqrt(s * s - (i ? sorted[i - 1] ** 2 : 0)));
  const idx = noiseSampleIndices(n);
  const sub = new Float64Array(idx.length);
  const m4 = (w - 2) & ~3;
  let started = false;
  // 3σ truncation: increments are small and the dropped tail (0.3 %) is far below the noise.
  const ok = blurCascadeInMemory(img, w, h, incs, 3, base, (G, i) => {
    const mem = new Float32Array(K.memory.buffer);
    if (!started) {
      mem.fill(-Infinity, Z, Z + n);
      mem.fill(0, SC, SC + n);
      started = true;
    }
    const s = sorted[i];
    const s2 = -s * s;
    const g = mem.subarray(G, G + n);
    for (let k = 0; k < idx.length; k++) sub[k] = laplacianAt(g, w, h, idx[k], s2);
    const nz = noiseOfSample(sub);
    const inv = nz.sigma > 0 ? 1 / nz.sigma : 0;
    const z = mem.subarray(Z, Z + n);
    const sc = mem.subarray(SC, SC + n);
    for (let y = 0; y < h; y++) {
      const o = y * w;
      if (y > 0 && y < h - 1) {
        K.logmax(4 * (G + o + 1), 4 * (Z + o + 1), 4 * (SC + o + 1), m4, 4 * w, s2, nz.median, inv, s);
        for (let x = 1 + m4; x < w - 1; x++) keepMax(z, sc, o + x, laplacianAt(g, w, h, o + x, s2), nz.median, inv, s);
        keepMax(z, sc, o, laplacianAt(g, w, h, o, s2), nz.median, inv, s);
        keepMax(z, sc, o + w - 1, laplacianAt(g, w, h, o + w - 1, s2), nz.median, inv, s);
      } else {
        for (let x = 0; x < w; x++) keepMax(z, sc, o + x, laplacianAt(g, w, h, o + x, s2), nz.median, inv, s);
      }
    }
  });
  if (!ok) return null;
  const mem = new Float32Array(K.memory.buffer);
  return { z: mem.slice(Z, Z + n), scale: mem.slice(SC, SC + n) };
}
