import { gaussianBlur } from '../preprocess/gaussian';
import { robustNoise } from '../preprocess/noise';

/**
 * Multi-scale Laplacian-of-Gaussian significance map. At each σ the scale-normalised response
 * −σ²∇²(G_σ * I) is divided by its own robust noise level (MAD), so the map is in units of
 * "noise σ" at every scale and one k threshold applies to all of them; the map keeps the maximum
 * over scales. Blurs are cascaded (each scale blurs the previous one by the missing σ) so the cost
 * grows with the scale step, not the scale.
 */
export function logSignificance(img: Float32Array, w: number, h: number, sigmas: number[]): { z: Float32Array; scale: Float32Array } {
  const z = new Float32Array(w * h).fill(-Infinity);
  const scale = new Float32Array(w * h);
  let prev = img;
  let prevSigma = 0;
  const lap = new Float32Array(w * h);
  for (const s of [...sigmas].sort((a, b) => a - b)) {
    const inc = Math.sqrt(s * s - prevSigma * prevSigma);
    // 3σ truncation: increments are small and the dropped tail (0.3 %) is far below the noise.
    const g = gaussianBlur(prev, w, h, inc, 3);
    prev = g;
    prevSigma = s;
    const s2 = -s * s;
    // 5-point Laplacian; edge rows/columns reuse the inner neighbour (mirror), interior has no tests.
    for (let y = 0; y < h; y++) {
      const o = y * w;
      const up = (y > 0 ? y - 1 : 1) * w;
      const dn = (y < h - 1 ? y + 1 : h - 2) * w;
      lap[o] = s2 * (2 * g[o + 1] + g[up] + g[dn] - 4 * g[o]);
      for (let x = 1; x < w - 1; x++) {
        const i = o + x;
        lap[i] = s2 * (g[i - 1] + g[i + 1] + g[up + x] + g[dn + x] - 4 * g[i]);
      }
      const e = o + w - 1;
      lap[e] = s2 * (2 * g[e - 1] + g[up + w - 1] + g[dn + w - 1] - 4 * g[e]);
    }
    const nz = robustNoise(lap);
    const inv = nz.sigma > 0 ? 1 / nz.sigma : 0;
    for (let i = 0; i < lap.length; i++) {
      const v = (lap[i] - nz.median) * inv;
      if (v > z[i]) {
        z[i] = v;
        scale[i] = s;
      }
    }
  }
  return { z, scale };
}
