import { buildIndex, nearestNeighbours } from './neighbours';

export type SiteType = 'single' | 'pair' | 'multimer';

export interface Site {
  type: SiteType;
  /** Indices of the atoms in this site. */
  atoms: number[];
}

export interface SiteClassification {
  sites: Site[];
  /** Site index of every atom. */
  siteOf: Int32Array;
  nSingles: number;
  nPairs: number;
  nMultimers: number;
  /** Separation of each pair (same units as the coordinates), in site order. */
  pairDistances: number[];
  /** Nearest-neighbour distance of every atom (Infinity for a lone atom). */
  nnDistance: Float64Array;
}

/**
 * Group atoms into sites. Atoms closer than `maxPair` are linked; each connected group is a site.
 * A group of two is a pair (the two are then necessarily mutual nearest neighbours within the
 * cut-off, with no third atom within the cut-off of either); one atom is a single; three or more
 * a multimer. Unlike the per-atom "NN < cut" rule of some SAC tools, every atom gets exactly one class.
 */
export function classifySites(x: ArrayLike<number>, y: ArrayLike<number>, maxPair: number): SiteClassification {
  const n = x.length;
  const idx = buildIndex(x, y);
  const nn = nearestNeighbours(x, y, idx);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  if (n > 0) {
    for (let i = 0; i < n; i++) {
      for (const j of idx.within(x[i], y[i], maxPair)) {
        if (j <= i) continue;
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  const sites: Site[] = [];
  const siteOf = new Int32Array(n);
  const pairDistances: number[] = [];
  let nSingles = 0, nPairs = 0, nMultimers = 0;
  for (const atoms of groups.values()) {
    const type: SiteType = atoms.length === 1 ? 'single' : atoms.length === 2 ? 'pair' : 'multimer';
    if (type === 'single') nSingles++;
    else if (type === 'pair') {
      nPairs++;
      pairDistances.push(Math.hypot(x[atoms[0]] - x[atoms[1]], y[atoms[0]] - y[atoms[1]]));
    } else nMultimers++;
    for (const a of atoms) siteOf[a] = sites.length;
    sites.push({ type, atoms });
  }
  return { sites, siteOf, nSingles, nPairs, nMultimers, pairDistances, nnDistance: nn.distance };
}
