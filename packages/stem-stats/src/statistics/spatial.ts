/** Mean nearest-neighbour distance of a Poisson (random) layout of density λ: 1/(2√λ). */
export function randomMeanNnDistance(density: number): number {
  return density > 0 ? 1 / (2 * Math.sqrt(density)) : 0;
}

export interface RandomNull {
  /** Mean number of "pairs" that uniform random placement gives (summed over the images). */
  meanPairs: number;
  /** 2.5 % and 97.5 % quantiles of that number over the simulations. */
  pairs95: [number, number];
  meanPairSiteFraction: number;
  simulations: number;
}

/**
 * Monte-Carlo null: place the same number of atoms uniformly in each field of view (no minimum
 * distance), classify with the same cut-off, and count pairs. What random placement at this
 * density gives by chance, with edge effects of the real field of view included.
 */
export function randomPairsNull(fields: { nAtoms: number; widthNm: number; heightNm: number }[], maxPairNm: number, simulations: number, seed: number): RandomNull {
  const totals = new Float64Array(Math.max(0, simulations));
  let fracSum = 0;
  const ws = new Workspace();
  // mulberry32(seed) written out (the same numbers, two draws per atom, without a call per draw).
  let state = seed >>> 0;
  for (let s = 0; s < simulations; s++) {
    let pairs = 0;
    let sites = 0;
    for (const f of fields) {
      const n = f.nAtoms;
      ws.ensure(n);
      const x = ws.x;
      const y = ws.y;
      for (let i = 0; i < n; i++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        x[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * f.widthNm;
        state = (state + 0x6d2b79f5) >>> 0;
        t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        y[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * f.heightNm;
      }
      const c = countSitesIn(ws, n, f.widthNm, f.heightNm, maxPairNm);
      pairs += c.pairs;
      sites += c.sites;
    }
    totals[s] = pairs;
    fracSum += sites > 0 ? pairs / sites : 0;
  }
  const sorted = totals.slice().sort();
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  let mean = 0;
  for (let s = 0; s < totals.length; s++) mean += totals[s];
  mean = totals.length ? mean / totals.length : 0;
  return { meanPairs: mean, pairs95: [q(0.025), q(0.975)], meanPairSiteFraction: simulations ? fracSum / simulations : 0, simulations };
}

/** Buffers reused across the Monte-Carlo runs (no per-run allocation). */
class Workspace {
  x = new Float64Array(0);
  y = new Float64Array(0);
  next = new Int32Array(0);
  cell = new Int32Array(0);
  parent = new Int32Array(0);
  size = new Int32Array(0);
  head = new Int32Array(0);
  stamp = new Int32Array(0);
  run = 0;
  ensure(n: number): void {
    if (this.x.length >= n) return;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.next = new Int32Array(n);
    this.cell = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n);
  }
  /**
   * A fresh run of the cell grid: instead of clearing `head` (≈ 14 000 cells for 900 atoms, every
   * Monte-Carlo run), a cell's head counts only where its stamp equals the current run.
   */
  grid(cells: number): number {
    if (this.head.length < cells) {
      this.head = new Int32Array(cells);
      this.stamp = new Int32Array(cells);
      this.run = 0;
    }
    if (++this.run === 0x7fffffff) {
      this.stamp.fill(0);
      this.run = 1;
    }
    return this.run;
  }
}

/**
 * Number of sites and of pairs with the same linking rule as classifySites, via a uniform grid of
 * cell = cut-off (the Monte-Carlo null calls this thousands of times, a k-d tree build each time
 * would dominate).
 */
export function countSites(x: Float64Array, y: Float64Array, widthNm: number, heightNm: number, cut: number): { sites: number; pairs: number } {
  const ws = new Workspace();
  ws.ensure(x.length);
  ws.x.set(x);
  ws.y.set(y);
  return countSitesIn(ws, x.length, widthNm, heightNm, cut);
}

function countSitesIn(ws: Workspace, n: number, widthNm: number, heightNm: number, cut: number): { sites: number; pairs: number } {
  const { x, y, next, cell, parent, size } = ws;
  const gw = Math.max(1, Math.ceil(widthNm / cut));
  const gh = Math.max(1, Math.ceil(heightNm / cut));
  const run = ws.grid(gw * gh);
  const { head, stamp } = ws;
  for (let i = 0; i < n; i++) {
    let cx = Math.floor(x[i] / cut);
    let cy = Math.floor(y[i] / cut);
    cx = cx < 0 ? 0 : cx >= gw ? gw - 1 : cx;
    cy = cy < 0 ? 0 : cy >= gh ? gh - 1 : cy;
    const c = cy * gw + cx;
    cell[i] = c;
    if (stamp[c] !== run) {
      stamp[c] = run;
      head[c] = -1;
    }
    next[i] = head[c];
    head[c] = i;
    parent[i] = i;
    size[i] = 0;
  }
  const c2 = cut * cut;
  // Each close pair is met once: in the atom's own cell (later atoms of the list only) and in the
  // four forward neighbour cells (E, SW, S, SE). Components do not depend on the order of the
  // unions, so the counts equal classifySites'.
  for (let i = 0; i < n; i++) {
    const c = cell[i];
    const cx = c % gw;
    const cy = (c - cx) / gw;
    const xi = x[i];
    const yi = y[i];
    for (let j = next[i]; j >= 0; j = next[j]) if (close(x, y, xi, yi, j, c2)) union(parent, i, j);
    if (cx + 1 < gw && stamp[c + 1] === run) for (let j = head[c + 1]; j >= 0; j = next[j]) if (close(x, y, xi, yi, j, c2)) union(parent, i, j);
    if (cy + 1 < gh) {
      const d = c + gw;
      if (cx > 0 && stamp[d - 1] === run) for (let j = head[d - 1]; j >= 0; j = next[j]) if (close(x, y, xi, yi, j, c2)) union(parent, i, j);
      if (stamp[d] === run) for (let j = head[d]; j >= 0; j = next[j]) if (close(x, y, xi, yi, j, c2)) union(parent, i, j);
      if (cx + 1 < gw && stamp[d + 1] === run) for (let j = head[d + 1]; j >= 0; j = next[j]) if (close(x, y, xi, yi, j, c2)) union(parent, i, j);
    }
  }
  for (let i = 0; i < n; i++) {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    size[r]++;
  }
  let sites = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    if (size[i] > 0) sites++;
    if (size[i] === 2) pairs++;
  }
  return { sites, pairs };
}

function close(x: Float64Array, y: Float64Array, xi: number, yi: number, j: number, c2: number): boolean {
  const dx = xi - x[j];
  const dy = yi - y[j];
  return dx * dx + dy * dy <= c2;
}

function union(parent: Int32Array, i: number, j: number): void {
  let ri = i;
  while (parent[ri] !== ri) ri = parent[ri] = parent[parent[ri]];
  let rj = j;
  while (parent[rj] !== rj) rj = parent[rj] = parent[parent[rj]];
  if (ri !== rj) parent[ri] = rj;
}
