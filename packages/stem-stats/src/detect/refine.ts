import { medianInPlace } from '../preprocess/noise';

export interface RefineOptions {
  /** Radius (px) of the disk whose weighted centroid is taken. */
  radius: number;
  /** Inner and outer radius (px) of the annulus whose median is the local background. */
  annulus: [number, number];
  /** Centroid iterations (the disk is re-centred each time). */
  iterations: number;
}

export interface Refined {
  x: number;
  y: number;
  /** Local background (annulus median) under the atom. */
  background: number;
  /** Sum over the disk of (I − background): the integrated intensity. */
  intensity: number;
  /** True when the centroid ran away (> radius) and the integer peak was kept instead. */
  fallback: boolean;
}

/** Scratch buffer for annulus samples: a typed array grown on demand (no per-atom allocation). */
export interface MedianBuffer {
  a: Float64Array;
}

function annulusMedian(img: Float32Array, w: number, h: number, cx: number, cy: number, r0: number, r1: number, buf: MedianBuffer): number {
  const x0 = Math.max(0, Math.floor(cx - r1));
  const x1 = Math.min(w - 1, Math.ceil(cx + r1));
  const y0 = Math.max(0, Math.floor(cy - r1));
  const y1 = Math.min(h - 1, Math.ceil(cy + r1));
  const cap = (x1 - x0 + 1) * (y1 - y0 + 1);
  if (buf.a.length < cap) buf.a = new Float64Array(Math.max(cap, 2 * buf.a.length));
  const a = buf.a;
  const a2 = r0 * r0;
  const b2 = r1 * r1;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    const dy2 = (y - cy) ** 2;
    const o = y * w;
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) ** 2 + dy2;
      if (d2 >= a2 && d2 <= b2) a[n++] = img[o + x];
    }
  }
  if (!n) return 0;
  // Quickselect instead of a full sort: the same median, O(n) per call.
  return medianInPlace(a, n);
}

/**
 * Sub-pixel position by iterated weighted centroid: weights are max(I − b, 0) inside a disk,
 * b the annulus median (so a sloping support does not pull the centre), as in the anchor pipeline.
 */
export function refineCentroid(img: Float32Array, w: number, h: number, px: number, py: number, o: RefineOptions, buf: MedianBuffer = { a: new Float64Array(256) }): Refined {
  let cx = px;
  let cy = py;
  let bg = 0;
  let fallback = false;
  const r2 = o.radius * o.radius;
  for (let it = 0; it < o.iterations; it++) {
    bg = annulusMedian(img, w, h, cx, cy, o.annulus[0], o.annulus[1], buf);
    let sw = 0;
    let sx = 0;
    let sy = 0;
    const x0 = Math.max(0, Math.floor(cx - o.radius));
    const x1 = Math.min(w - 1, Math.ceil(cx + o.radius));
    const y0 = Math.max(0, Math.floor(cy - o.radius));
    const y1 = Math.min(h - 1, Math.ceil(cy + o.radius));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r2) continue;
        const v = img[y * w + x] - bg;
        if (v > 0) {
          sw += v;
          sx += v * x;
          sy += v * y;
        }
      }
    }
    if (!(sw > 0)) break;
    const nx = sx / sw;
    const ny = sy / sw;
    if ((nx - px) ** 2 + (ny - py) ** 2 > r2) {
      cx = px;
      cy = py;
      fallback = true;
      break;
    }
    const moved = Math.abs(nx - cx) + Math.abs(ny - cy);
    cx = nx;
    cy = ny;
    if (moved < 1e-3) break;
  }
  bg = annulusMedian(img, w, h, cx, cy, o.annulus[0], o.annulus[1], buf);
  let intensity = 0;
  const x0 = Math.max(0, Math.floor(cx - o.radius));
  const x1 = Math.min(w - 1, Math.ceil(cx + o.radius));
  const y0 = Math.max(0, Math.floor(cy - o.radius));
  const y1 = Math.min(h - 1, Math.ceil(cy + o.radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) intensity += img[y * w + x] - bg;
    }
  }
  return { x: cx, y: cy, background: bg, intensity, fallback };
}
