// Matching detections to ground truth for the accuracy tests. Greedy by increasing distance with
// a tolerance: the anchor used the Hungarian method, which gives the same assignment whenever the
// tolerance (0.05 nm) is far below the closest atom spacing (0.2 nm in the synthetic data).
import { readSharedText } from '../helpers/shared';

export interface Truth {
  x: number;
  y: number;
  cls: string;
}

export function readTruth(rel: string): Truth[] {
  const lines = readSharedText(rel).trim().split(/\r?\n/);
  const head = lines[0].split(',').map((s) => s.trim().replace(/"/g, ''));
  const xi = head.findIndex((h) => /^x(_px)?$/i.test(h));
  const yi = head.findIndex((h) => /^y(_px)?$/i.test(h));
  const zi = head.indexOf('Z');
  const ti = head.indexOf('site_type');
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    return { x: Number(c[xi]), y: Number(c[yi]), cls: ti >= 0 ? `${c[ti]}_Z${c[zi]}` : 'atom' };
  });
}

export interface MatchResult {
  tp: number;
  precision: number;
  recall: number;
  /** RMS distance of matched pairs, in pixels. */
  rmsePx: number;
  recallByClass: Record<string, number>;
  matchedTruth: Set<number>;
}

export function matchAtoms(det: { x: number; y: number }[], truth: Truth[], tolPx: number): MatchResult {
  const cand: [number, number, number][] = [];
  // Bucket truth on a grid so the candidate search is linear.
  const cell = Math.max(tolPx, 1);
  const grid = new Map<string, number[]>();
  truth.forEach((t, j) => {
    const k = `${Math.floor(t.x / cell)},${Math.floor(t.y / cell)}`;
    (grid.get(k) ?? grid.set(k, []).get(k)!).push(j);
  });
  det.forEach((a, i) => {
    const gx = Math.floor(a.x / cell);
    const gy = Math.floor(a.y / cell);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        for (const j of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
          const d = Math.hypot(a.x - truth[j].x, a.y - truth[j].y);
          if (d <= tolPx) cand.push([d, i, j]);
        }
  });
  cand.sort((a, b) => a[0] - b[0]);
  const ud = new Set<number>();
  const ut = new Set<number>();
  let se = 0;
  for (const [d, i, j] of cand) {
    if (ud.has(i) || ut.has(j)) continue;
    ud.add(i);
    ut.add(j);
    se += d * d;
  }
  const tp = ut.size;
  const by: Record<string, [number, number]> = {};
  truth.forEach((t, j) => {
    by[t.cls] ??= [0, 0];
    by[t.cls][1]++;
    if (ut.has(j)) by[t.cls][0]++;
  });
  return {
    tp,
    precision: det.length ? tp / det.length : 1,
    recall: truth.length ? tp / truth.length : 1,
    rmsePx: tp ? Math.sqrt(se / tp) : 0,
    recallByClass: Object.fromEntries(Object.entries(by).map(([k, [a, b]]) => [k, a / b])),
    matchedTruth: ut,
  };
}
