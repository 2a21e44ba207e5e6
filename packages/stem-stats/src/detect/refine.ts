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

function annulusMedian(img: Float32Array, w: number, h: number, cx: number, cy: number, r0: number, r1: number, buf: number[]): number {
  buf.length = 0;
  const x0 = Math.max(0, Math.floor(cx - r1));
  const x1 = Math.min(w - 1, Math.ceil(cx + r1));
  const y0 = Math.max(0, Math.floor(cy - r1));
  const y1 = Math.min(h - 1, Math.ceil(cy + r1));
  const a2 = r0 * r0;
  const b2 = r1 * r1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (d2 >= a2 && d2 <= b2) buf.push(img[y * w + x]);
    }
  }
  if (!buf.length) return 0;
  buf.sort((a, b) => a - b);
  const m = buf.length >> 1;
  return buf.length % 2 ? buf[m] : 0.5 * (buf[m - 1] + buf[m]);
}

/**
 * Sub-pixel position by iterated weighted centroid: weights are max(I − b, 0) inside a disk,
 * b the annulus median (so a sloping support does not pull the centre), as in the anchor pipeline.
 */
export function refineCentroid(img: Float32Array, w: number, h: number, px: number, py: number, o: RefineOptions, buf: number[] = []): Refined {
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
