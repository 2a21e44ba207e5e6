// Element / isotope table. Masses and abundances come from the cheminfo `chemical-elements`
// package (NIST "Atomic Weights and Isotopic Compositions" = AME2016 masses, IUPAC/CIAAW
// representative abundances); elements.test.ts checks it against AME values typed in by hand.
// Only stable isotopes (abundance > 0) are kept: SIMS patterns never show the others.
import { elementsAndStableIsotopesObject, elementsAndIsotopesObject, ELECTRON_MASS as CE_ELECTRON_MASS } from 'chemical-elements';

/** Electron rest mass in u (CODATA 2018: 5.48579909065e-4). */
export const ELECTRON_MASS: number = CE_ELECTRON_MASS;

export interface Isotope {
  /** Mass number A. */
  readonly nominal: number;
  /** Atomic mass in u (neutral atom). */
  readonly mass: number;
  /** Natural abundance (mole fraction), 0 for an isotope that only appears when labelled. */
  readonly abundance: number;
}

export interface ElementData {
  readonly symbol: string;
  /** Stable isotopes sorted by mass number. */
  readonly isotopes: readonly Isotope[];
  /** The most abundant isotope: the "monoisotopic" convention of SIMS/MS (56Fe, not 54Fe). */
  readonly main: Isotope;
}

const cache = new Map<string, ElementData | null>();

/** Element data by symbol ("Ni"), or undefined for an unknown symbol. */
export function getElement(symbol: string): ElementData | undefined {
  let e = cache.get(symbol);
  if (e === undefined) {
    const src = elementsAndStableIsotopesObject[symbol];
    if (!src || src.isotopes.length === 0) e = null;
    else {
      const isotopes = src.isotopes
        .map((i) => ({ nominal: i.nominal, mass: i.mass, abundance: i.abundance ?? 0 }))
        .sort((a, b) => a.nominal - b.nominal);
      let main = isotopes[0];
      for (const i of isotopes) if (i.abundance > main.abundance) main = i;
      e = { symbol, isotopes, main };
    }
    cache.set(symbol, e);
  }
  return e ?? undefined;
}

/**
 * A specific isotope ("60Ni", "13C"); also accepts isotopes that are not stable if the table
 * has a mass for them (labelling experiments), with abundance 0.
 */
export function getIsotope(symbol: string, nominal: number): Isotope | undefined {
  const el = getElement(symbol);
  const stable = el?.isotopes.find((i) => i.nominal === nominal);
  if (stable) return stable;
  const any = elementsAndIsotopesObject[symbol]?.isotopes.find((i) => i.nominal === nominal);
  return any ? { nominal: any.nominal, mass: any.mass, abundance: 0 } : undefined;
}

/**
 * Valences for the ring-plus-double-bond (RDBE) filter. Metals have no RDBE convention
 * (mf-parser leaves unsaturation undefined for them), so we state one: the common oxidation
 * state in M–N–C sites (Fe/Co/Ni/Cu/Zn = 2). Callers override per element.
 */
export const DEFAULT_VALENCES: Readonly<Record<string, number>> = {
  H: 1, D: 1, Li: 1, Na: 1, K: 1, F: 1, Cl: 1, Br: 1, I: 1,
  B: 3, C: 4, Si: 4, N: 3, P: 3, O: 2, S: 2, Se: 2,
  Mg: 2, Ca: 2, Fe: 2, Co: 2, Ni: 2, Cu: 2, Zn: 2, Mn: 2, Cr: 3, Ru: 2, Pt: 2, Pd: 2, Ir: 3, Rh: 3, Ag: 1, Au: 1, Al: 3, Ti: 4,
};
