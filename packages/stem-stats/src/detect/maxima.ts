import { simdKernels } from '../preprocess/simd';

export interface Peak {
  x: number;
  y: number;
  value: number;
}

/**
 * Local maxima of `img` above `threshold` (8-neighbour test; on a plateau the first pixel in
 * raster order wins), keeping the strongest peak when two are closer than `minSeparation` pixels
 * (Euclidean, enforced through a grid index). Pixels within `border` of the edge are skipped.
 */
export function localMaxima(img: Float32Array, w: number, h: number, threshold: number, minSeparation: number, border = 1): Peak[] {
  const b = Math.max(1, Math.floor(border));
  const cand: Peak[] = [];
  const n = w * h;
  const K = n >= 4096 ? simdKernels() : null;
  const n4 = n & ~3;
  const groups = 1 + (n4 >> 2);
  if (K && K.reserve(4 * (n4 + groups + 4))) {
    // SIMD prefilter: the few 4-pixel groups holding a pixel above a float32 threshold ≤ the
    // threshold; the exact tests below run only on them (and on the last < 4 pixels).
    const f = new Float32Array(K.memory.buffer);
    f.set(img.subarray(0, n4), 0);
    const t = Math.fround(threshold - Math.abs(threshold) * 1e-6);
    const count = K.above(0, n4, t, 4 * n4);
    const offs = new Int32Array(K.memory.buffer, 4 * n4, count).slice();
    for (let c = 0; c < count; c++) {
      const i0 = offs[c] >> 2;
      for (let i = i0; i < i0 + 4; i++) testPixel(img, w, h, b, i, threshold, cand);
    }
    for (let i = n4; i < n; i++) testPixel(img, w, h, b, i, threshold, cand);
    return enforceSeparation(cand, w, h, minSeparation);
  }
  for (let y = b; y < h - b; y++) {
    const o = y * w;
    for (let x = b; x < w - b; x++) {
      const i = o + x;
      const v = img[i];
      if (!(v > threshold)) continue;
      if (
        v > img[i - w - 1] && v > img[i - w] && v > img[i - w + 1] && v > img[i - 1] &&
        v >= img[i + 1] && v >= img[i + w - 1] && v >= img[i + w] && v >= img[i + w + 1]
      ) {
        cand.push({ x, y, value: v });
      }
    }
  }
  return enforceSeparation(cand, w, h, minSeparation);
}

/** The maximum test of pixel i (inside the border, above the threshold, 8-neighbour maximum). */
function testPixel(img: Float32Array, w: number, h: number, b: number, i: number, threshold: number, cand: Peak[]): void {
  const x = i % w;
  const y = (i - x) / w;
  if (x < b || x >= w - b || y < b || y >= h - b) return;
  const v = img[i];
  if (!(v > threshold)) return;
  if (
    v > img[i - w - 1] && v > img[i - w] && v > img[i - w + 1] && v > img[i - 1] &&
    v >= img[i + 1] && v >= img[i + w - 1] && v >= img[i + w] && v >= img[i + w + 1]
  ) {
    cand.push({ x, y, value: v });
  }
}

/** Greedy non-maximum suppression: strongest first, drop any peak within `minSep` of a kept one. */
export function enforceSeparation(cand: Peak[], w: number, h: number, minSep: number): Peak[] {
  cand.sort((a, b) => b.value - a.value);
  if (!(minSep > 0)) return cand;
  const cell = minSep;
  const gw = Math.ceil(w / cell) + 1;
  const gh = Math.ceil(h / cell) + 1;
  const grid = new Map<number, Peak[]>();
  const kept: Peak[] = [];
  const m2 = minSep * minSep;
  for (const p of cand) {
    const gx = Math.floor(p.x / cell);
    const gy = Math.floor(p.y / cell);
    let ok = true;
    for (let a = Math.max(0, gy - 1); a <= Math.min(gh - 1, gy + 1) && ok; a++) {
      for (let c = Math.max(0, gx - 1); c <= Math.min(gw - 1, gx + 1) && ok; c++) {
        const list = grid.get(a * gw + c);
        if (!list) continue;
        for (const q of list) {
          if ((q.x - p.x) ** 2 + (q.y - p.y) ** 2 < m2) {
            ok = false;
            break;
          }
        }
      }
    }
    if (!ok) continue;
    kept.push(p);
    const key = gy * gw + gx;
    const list = grid.get(key);
    if (list) list.push(p);
    else grid.set(key, [p]);
  }
  return kept;
}
