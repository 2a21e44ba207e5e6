import KDBush from 'kdbush';

export interface NearestNeighbours {
  /** Index of each point's nearest neighbour (−1 when there is only one point). */
  index: Int32Array;
  /** Distance to it (Infinity when there is none; callers must not report that). */
  distance: Float64Array;
}

/** Spatial index over points (kdbush, static k-d tree). */
export function buildIndex(x: ArrayLike<number>, y: ArrayLike<number>): KDBush {
  const idx = new KDBush(Math.max(x.length, 1));
  for (let i = 0; i < x.length; i++) idx.add(x[i], y[i]);
  if (x.length === 0) idx.add(0, 0);
  return idx.finish();
}

/**
 * Nearest neighbour of every point. kdbush only answers radius queries, so the radius starts at
 * a guess from the density and doubles until a neighbour is inside (O(n log n) overall).
 */
export function nearestNeighbours(x: ArrayLike<number>, y: ArrayLike<number>, index?: KDBush): NearestNeighbours {
  const n = x.length;
  const out: NearestNeighbours = { index: new Int32Array(n).fill(-1), distance: new Float64Array(n).fill(Infinity) };
  if (n < 2) return out;
  const idx = index ?? buildIndex(x, y);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-12);
  const r0 = Math.max(span / Math.sqrt(n), 1e-12) * 0.5;
  for (let i = 0; i < n; i++) {
    let r = r0;
    for (;;) {
      const ids = idx.within(x[i], y[i], r);
      let best = -1;
      let bd = Infinity;
      for (const j of ids) {
        if (j === i) continue;
        const d = Math.hypot(x[j] - x[i], y[j] - y[i]);
        if (d < bd) { bd = d; best = j; }
      }
      if (best >= 0) {
        out.index[i] = best;
        out.distance[i] = bd;
        break;
      }
      r *= 2;
      if (r > 4 * span + 1) break;
    }
  }
  return out;
}
