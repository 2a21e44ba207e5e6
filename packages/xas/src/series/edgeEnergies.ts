// K and L3 absorption-edge energies (eV) of the elements met in catalysis XAS.
// Source: X-ray Data Booklet (LBNL, 3rd ed. 2009), Table 1-1 "Electron binding energies", which
// takes the values of J. A. Bearden and A. F. Burr, Rev. Mod. Phys. 39, 125 (1967), with
// M. Cardona and L. Ley (1978) and J. C. Fuggle and N. Mårtensson (1980) for some shallow levels.
// Typed in by hand; tests check well-known ones (Cu K 8979, Fe K 7112, Pt L3 11564 …).
import { ValidationError } from '@siteproof/core';

export type EdgeName = 'K' | 'L3';

interface EdgeRow {
  z: number;
  K: number;
  L3: number;
}

const EDGES: Record<string, EdgeRow> = {
  Ti: { z: 22, K: 4966, L3: 453.8 },
  V: { z: 23, K: 5465, L3: 512.1 },
  Cr: { z: 24, K: 5989, L3: 574.1 },
  Mn: { z: 25, K: 6539, L3: 638.7 },
  Fe: { z: 26, K: 7112, L3: 706.8 },
  Co: { z: 27, K: 7709, L3: 778.1 },
  Ni: { z: 28, K: 8333, L3: 852.7 },
  Cu: { z: 29, K: 8979, L3: 932.7 },
  Zn: { z: 30, K: 9659, L3: 1021.8 },
  Ga: { z: 31, K: 10367, L3: 1116.4 },
  Ge: { z: 32, K: 11103, L3: 1217.0 },
  Zr: { z: 40, K: 17998, L3: 2222.3 },
  Nb: { z: 41, K: 18986, L3: 2370.5 },
  Mo: { z: 42, K: 20000, L3: 2520.2 },
  Ru: { z: 44, K: 22117, L3: 2837.9 },
  Rh: { z: 45, K: 23220, L3: 3003.8 },
  Pd: { z: 46, K: 24350, L3: 3173.3 },
  Ag: { z: 47, K: 25514, L3: 3351.1 },
  Cd: { z: 48, K: 26711, L3: 3537.5 },
  In: { z: 49, K: 27940, L3: 3730.1 },
  Sn: { z: 50, K: 29200, L3: 3928.8 },
  W: { z: 74, K: 69525, L3: 10207 },
  Re: { z: 75, K: 71676, L3: 10535 },
  Os: { z: 76, K: 73871, L3: 10871 },
  Ir: { z: 77, K: 76111, L3: 11215 },
  Pt: { z: 78, K: 78395, L3: 11564 },
  Au: { z: 79, K: 80725, L3: 11919 },
};

export const EDGE_TABLE_SOURCE =
  'X-ray Data Booklet (LBNL 2009) Table 1-1, after Bearden & Burr, Rev. Mod. Phys. 39, 125 (1967)';

/** Element symbols in the table, by atomic number. */
export function tabulatedElements(): string[] {
  return Object.keys(EDGES).sort((a, b) => EDGES[a].z - EDGES[b].z);
}

function canonical(symbol: string): string {
  const s = symbol.trim();
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** Tabulated edge energy (eV) of an element's K or L3 edge. */
export function edgeEnergy(element: string, edge: EdgeName = 'K'): number {
  const row = EDGES[canonical(element)];
  if (!row) {
    throw new ValidationError(`no tabulated edge energies for element '${element}'`, { field: 'element' }, `tabulated: ${tabulatedElements().join(', ')}`);
  }
  if (edge !== 'K' && edge !== 'L3') throw new ValidationError(`edge '${edge}' is not tabulated (K or L3)`, { field: 'edge' });
  return row[edge];
}

/** The tabulated edge nearest to an energy (eV), with its distance: a guess of element and edge. */
export function guessEdge(energy: number): { element: string; edge: EdgeName; energy: number; distance: number } {
  let best = { element: '', edge: 'K' as EdgeName, energy: NaN, distance: Infinity };
  for (const el of tabulatedElements()) {
    for (const edge of ['K', 'L3'] as const) {
      const e = EDGES[el][edge];
      const d = Math.abs(energy - e);
      if (d < best.distance) best = { element: el, edge, energy: e, distance: d };
    }
  }
  return best;
}
