// Exact (monoisotopic) mass and m/z. "Monoisotopic" = every atom as the MOST ABUNDANT isotope
// of its element (56Fe, 58Ni, 63Cu), the convention of mf-parser, molmass and pySPM; the
// lightest isotopologue would put Fe ions at 54Fe (5.8 %). Cations lose z electrons, anions
// gain them: m/z = (M − z·mₑ)/|z|.
import { ValidationError } from '@siteproof/core';
import { ELECTRON_MASS, getElement, getIsotope } from './elements';
import { parseFormula, splitAtomKey, type ParsedFormula } from './parseFormula';

export interface MassInfo {
  /** Neutral monoisotopic mass (u). */
  monoisotopicMass: number;
  /** Monoisotopic m/z of the ion (electron mass accounted for); equals the mass for a neutral. */
  mz: number;
  charge: number;
}

function asParsed(f: string | ParsedFormula): ParsedFormula {
  return typeof f === 'string' ? parseFormula(f) : f;
}

/** Neutral monoisotopic mass: Σ n·m(most abundant isotope), labelled isotopes at their own mass. */
export function monoisotopicMass(formula: string | ParsedFormula): number {
  const f = asParsed(formula);
  let m = 0;
  for (const [key, n] of Object.entries(f.atoms)) {
    const { symbol, nominal } = splitAtomKey(key);
    const iso = nominal === undefined ? getElement(symbol)?.main : getIsotope(symbol, nominal);
    if (!iso) throw new ValidationError(`unknown atom '${key}'`, { field: 'formula' });
    m += n * iso.mass;
  }
  return m;
}

/** m/z of an ion of neutral mass `mass` and charge `z` (z = 0: the mass itself). */
export function massToMz(mass: number, charge: number): number {
  if (charge === 0) return mass;
  return (mass - charge * ELECTRON_MASS) / Math.abs(charge);
}

/** Neutral mass from an m/z and a charge (inverse of massToMz). */
export function mzToMass(mz: number, charge: number): number {
  if (charge === 0) return mz;
  return mz * Math.abs(charge) + charge * ELECTRON_MASS;
}

/** Monoisotopic mass, m/z and charge of a formula ("NiN2C2+" → m/z 109.940942). */
export function exactMass(formula: string | ParsedFormula): MassInfo {
  const f = asParsed(formula);
  const M = monoisotopicMass(f);
  return { monoisotopicMass: M, mz: massToMz(M, f.charge), charge: f.charge };
}

/** Average (standard atomic weight) mass, for completeness in reports. */
export function averageMass(formula: string | ParsedFormula): number {
  const f = asParsed(formula);
  let m = 0;
  for (const [key, n] of Object.entries(f.atoms)) {
    const { symbol, nominal } = splitAtomKey(key);
    if (nominal !== undefined) m += n * (getIsotope(symbol, nominal)?.mass ?? 0);
    else {
      const el = getElement(symbol)!;
      let a = 0;
      let w = 0;
      for (const i of el.isotopes) {
        a += i.abundance * i.mass;
        w += i.abundance;
      }
      m += (n * a) / w;
    }
  }
  return m;
}
