// Isotope-pattern test of an assignment: the observed areas of the isotopologue partners
// (e.g. 60Ni at 38.5 % of 58Ni for NiN2C2+) against the expected ratios, with Poisson counting
// errors. This is what separates NiN2C2+ from CFeN3+ / CH3O2Cu+, which no ToF resolves.
import { exactMass } from '../formula/exactMass';
import { mergePattern, isotopePattern, type PatternPeak } from '../formula/isotopePattern';
import type { ParsedFormula } from '../formula/parseFormula';
import { lowerBound } from '../spectrum';
import { chiSquareSurvival } from './chiSquare';

export interface ObservedPeak {
  mz: number;
  area: number;
  fwhm?: number;
  /** Integration window (u): a partner inside another peak's window is masked, not missing. */
  lower?: number;
  upper?: number;
  /** Window shared with a neighbour: its area split at the valley is less certain. */
  overlapped?: boolean;
}

export interface IsotopeCheck {
  /** Expected m/z of the partner (shifted by the main peak's mass error). */
  mz: number;
  /** Expected area ratio partner/main and the observed one. */
  expectedRatio: number;
  observedRatio: number;
  expectedCounts: number;
  observedCounts: number;
  /** (observed − expected)/σ. */
  z: number;
  /** Nominal mass label, e.g. "M+2". */
  label: string;
}

export interface IsotopeScore {
  /** χ² tail probability of the partner ratios (1 = perfect agreement); null when not testable. */
  score: number | null;
  chi2: number;
  dof: number;
  checks: IsotopeCheck[];
  /** Whether at least one partner is expected with enough counts to be tested. */
  testable: boolean;
  /** Whether the formula holds an element with an isotope ≥ 10 % of its main one (Ni, Cu, Zn, Cl, Br…). */
  hasStrongPartner: boolean;
  /** Partners hidden in the window of a neighbouring peak (unresolved): not tested. */
  masked: string[];
  /** The most discrepant partner, for messages. */
  worst?: IsotopeCheck;
}

export interface IsotopeScoreOptions {
  /** Resolving power at which pattern peaks are merged (the data's m/Δm). */
  resolvingPower: number;
  /** Search half-width for partners in u. */
  tolerance: number;
  /** Partners below this ratio to the main peak are not tested. */
  minRatio?: number;
  /** Partners expected with fewer counts are not tested (absence would not be significant). */
  minExpectedCounts?: number;
  /** Relative systematic error of area ratios (peak shape, dead time), added in quadrature. */
  systematic?: number;
  /** Systematic error for a partner whose window is shared with a neighbour (split at the valley). */
  systematicOverlapped?: number;
  /**
   * Background-subtracted counts between two m/z values, used when no peak was picked at a
   * partner (a weak partner can be below the picking threshold yet hold its expected counts).
   */
  integrate?: (lower: number, upper: number) => number;
}

/**
 * Score the isotope pattern of `formula` given the matched main (monoisotopic) peak and all
 * picked peaks sorted by m/z.
 */
export function scoreIsotopePattern(
  formula: ParsedFormula,
  main: ObservedPeak,
  peaksByMz: readonly ObservedPeak[],
  o: IsotopeScoreOptions,
): IsotopeScore {
  // Only major partners (≥ 10 %: 60Ni, 65Cu, M+1 of large molecules) are tested by default:
  // minor ones are too often overlapped by isotopologues of other ions.
  const minRatio = o.minRatio ?? 0.1;
  const minExpected = o.minExpectedCounts ?? 10;
  const sys = o.systematic ?? 0.1;
  const fine = isotopePattern(formula, { threshold: 1e-3 });
  const merged: PatternPeak[] = mergePattern(fine, Math.max(o.resolvingPower, 1));
  // The pattern peak that contains the monoisotopic isotopologue.
  const monoMz = exactMass(formula).mz;
  let monoNominal = fine[0].nominal;
  let dmin = Infinity;
  for (const p of fine) if (Math.abs(p.mz - monoMz) < dmin) (dmin = Math.abs(p.mz - monoMz)), (monoNominal = p.nominal);
  let mainIdx = 0;
  let best = Infinity;
  merged.forEach((p, i) => {
    const d = Math.abs(p.mz - monoMz);
    if (d < best) (best = d), (mainIdx = i);
  });
  const a0 = merged[mainIdx].abundance;
  const shift = main.mz - merged[mainIdx].mz;
  const hasStrongPartner = fine.some((p) => p.abundance >= 0.1 && p.nominal !== monoNominal);
  const checks: IsotopeCheck[] = [];
  const masked: string[] = [];
  let chi2 = 0;
  const mzs = peaksByMz.map((p) => p.mz);
  for (let i = 0; i < merged.length; i++) {
    if (i === mainIdx) continue;
    const r = merged[i].abundance / a0;
    if (r < minRatio) continue;
    const E = r * main.area;
    if (E < minExpected) continue;
    const target = merged[i].mz + shift;
    // Nearest picked peak within the tolerance.
    const j = lowerBound(mzs, target);
    let obs: ObservedPeak | undefined;
    for (const k of [j - 1, j]) {
      const p = peaksByMz[k];
      if (p && Math.abs(p.mz - target) <= o.tolerance && (!obs || Math.abs(p.mz - target) < Math.abs(obs.mz - target))) obs = p;
    }
    const dn = merged[i].nominal - merged[mainIdx].nominal;
    const label = `M${dn >= 0 ? '+' : ''}${dn}`;
    if (!obs) {
      // Inside the integration window of a neighbouring peak: unresolved, cannot be tested.
      const host = peaksByMz.find((p) => p !== main && p.lower !== undefined && p.upper !== undefined && target >= p.lower && target <= p.upper);
      if (host) {
        masked.push(`${label} at m/z ${target.toFixed(4)} (under the peak at ${host.mz.toFixed(4)})`);
        continue;
      }
    }
    let O = obs ? Math.max(obs.area, 0) : 0;
    if (!obs && o.integrate) {
      const w = Math.max(main.fwhm ?? 0, o.tolerance);
      O = Math.max(0, o.integrate(target - w, target + w));
    }
    const sysI = obs?.overlapped ? (o.systematicOverlapped ?? 0.3) : sys;
    const V = E + r * r * main.area + (sysI * E) ** 2;
    const z = (O - E) / Math.sqrt(V);
    chi2 += z * z;
    checks.push({ mz: target, expectedRatio: r, observedRatio: O / main.area, expectedCounts: E, observedCounts: O, z, label });
  }
  const testable = checks.length > 0;
  let worst: IsotopeCheck | undefined;
  for (const c of checks) if (!worst || Math.abs(c.z) > Math.abs(worst.z)) worst = c;
  return {
    score: testable ? chiSquareSurvival(chi2, checks.length) : null,
    chi2,
    dof: checks.length,
    checks,
    testable,
    hasStrongPartner,
    masked,
    worst,
  };
}
