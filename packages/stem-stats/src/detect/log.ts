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
    const g = gaussianBlur(prev, w, h, inc);
    prev = g;
    prevSigma = s;
    const s2 = s * s;
    for (let y = 0; y < h; y++) {
      const ym = y > 0 ? y - 1 : 1;
      const yp = y < h - 1 ? y + 1 : h - 2;
      for (let x = 0; x < w; x++) {
        const xm = x > 0 ? x - 1 : 1;
        const xp = x < w - 1 ? x + 1 : w - 2;
        const c = g[y * w + x];
        const l = g[y * w + xm] + g[y * w + xp] + g[ym * w + x] + g[yp * w + x] - 4 * c;
        lap[y * w + x] = -s2 * l;
      }
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
