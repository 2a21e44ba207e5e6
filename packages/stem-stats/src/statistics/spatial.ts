import { mulberry32 } from './rng';

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
  const rand = mulberry32(seed);
  const totals: number[] = [];
  let fracSum = 0;
  for (let s = 0; s < simulations; s++) {
    let pairs = 0;
    let sites = 0;
    for (const f of fields) {
      const x = new Float64Array(f.nAtoms);
      const y = new Float64Array(f.nAtoms);
      for (let i = 0; i < f.nAtoms; i++) {
        x[i] = rand() * f.widthNm;
        y[i] = rand() * f.heightNm;
      }
      const c = countSites(x, y, f.widthNm, f.heightNm, maxPairNm);
      pairs += c.pairs;
      sites += c.sites;
    }
    totals.push(pairs);
    fracSum += sites > 0 ? pairs / sites : 0;
  }
  const sorted = Float64Array.from(totals).sort();
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  const mean = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0;
  return { meanPairs: mean, pairs95: [q(0.025), q(0.975)], meanPairSiteFraction: simulations ? fracSum / simulations : 0, simulations };
}

/**
 * Number of sites and of pairs with the same linking rule as classifySites, via a uniform grid of
 * cell = cut-off (the Monte-Carlo null calls this thousands of times, a k-d tree build each time
 * would dominate).
 */
export function countSites(x: Float64Array, y: Float64Array, widthNm: number, heightNm: number, cut: number): { sites: number; pairs: number } {
  const n = x.length;
  const gw = Math.max(1, Math.ceil(widthNm / cut));
  const gh = Math.max(1, Math.ceil(heightNm / cut));
  const head = new Int32Array(gw * gh).fill(-1);
  const next = new Int32Array(n);
  const cxs = new Int32Array(n);
  const cys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(gw - 1, Math.max(0, Math.floor(x[i] / cut)));
    const cy = Math.min(gh - 1, Math.max(0, Math.floor(y[i] / cut)));
    cxs[i] = cx;
    cys[i] = cy;
    const c = cy * gw + cx;
    next[i] = head[c];
    head[c] = i;
  }
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const c2 = cut * cut;
  // Components do not depend on the order of the unions, so the counts equal classifySites'.
  for (let i = 0; i < n; i++) {
    const cx = cxs[i];
    const cy = cys[i];
    const xi = x[i];
    const yi = y[i];
    const b1 = Math.min(gh - 1, cy + 1);
    const a0 = Math.max(0, cx - 1);
    const a1 = Math.min(gw - 1, cx + 1);
    for (let b = Math.max(0, cy - 1); b <= b1; b++) {
      for (let a = a0; a <= a1; a++) {
        for (let j = head[b * gw + a]; j >= 0; j = next[j]) {
          if (j <= i) continue;
          const dx = xi - x[j];
          const dy = yi - y[j];
          if (dx * dx + dy * dy <= c2) {
            let ri = i;
            while (parent[ri] !== ri) ri = parent[ri] = parent[parent[ri]];
            let rj = j;
            while (parent[rj] !== rj) rj = parent[rj] = parent[parent[rj]];
            if (ri !== rj) parent[ri] = rj;
          }
        }
      }
    }
  }
  const size = new Int32Array(n);
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
