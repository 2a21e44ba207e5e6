// Assign expected fragment ions to picked peaks: nearest peak within a tolerance (ppm and/or
// mDa), mass error, area, normalized area and the isotope-pattern verdict.
// Mass error convention (as mf-finder): ppm = (observed − theoretical)/theoretical·1e6.
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import { exactMass } from '../formula/exactMass';
import { formatFormula, parseFormula } from '../formula/parseFormula';
import { lowerBound } from '../spectrum';
import { scoreIsotopePattern, type IsotopeCheck } from './isotopeScore';

export interface MatchablePeak {
  mz: number;
  area: number;
  areaError?: number;
  fwhm?: number;
  resolution?: number;
  lower?: number;
  upper?: number;
  overlapped?: boolean;
}

export interface FragmentMatch {
  fragment: string;
  /** Hill formula with charge. */
  formula: string;
  /** Theoretical monoisotopic m/z. */
  mz: number;
  observedMz: number | null;
  ppm: number | null;
  mDa: number | null;
  area: number | null;
  areaError: number | null;
  /** area / normalization total (TIC by default). */
  normalizedArea: number | null;
  resolution: number | null;
  /** χ² tail probability of the isotope partners (null: not testable or no peak). */
  isotopeScore: number | null;
  isotopes: IsotopeCheck[];
  accepted: boolean;
  reason: string;
}

export const MatchOptions = z.object({
  tolPpm: z.number().positive().default(50),
  /** Absolute tolerance in mDa; the larger of the two windows is used. */
  tolMDa: z.number().nonnegative().default(0),
  /** Denominator of normalizedArea (TIC); null leaves normalizedArea null. */
  normalization: z.number().positive().nullable().default(null),
  /** An assignment is rejected when the isotope χ² tail probability is below this. */
  alpha: z.number().min(0).max(1).default(1e-3),
  /** Resolving power used to merge the theoretical pattern when the peak has none. */
  resolvingPower: z.number().positive().default(5000),
  minExpectedCounts: z.number().positive().default(10),
});
export type MatchOptions = z.input<typeof MatchOptions>;

/**
 * Match each fragment to the nearest peak in `peaks` (any order) within tolerance. `integrate`
 * (background-subtracted counts between two m/z) lets the isotope test read partners that are
 * below the picking threshold.
 */
export function matchFragments(
  peaks: readonly MatchablePeak[],
  fragments: readonly string[],
  options?: MatchOptions,
  integrate?: (lower: number, upper: number) => number,
  /** Lower bound of the window half-width at an m/z (e.g. ¾ of the bin width of a binned export). */
  minToleranceAt?: (mz: number) => number,
): FragmentMatch[] {
  const o = parseOptions(MatchOptions, options, 'options');
  const sorted = [...peaks].sort((a, b) => a.mz - b.mz);
  const mzs = Float64Array.from(sorted, (p) => p.mz);
  return fragments.map((fragment) => {
    const f = parseFormula(fragment);
    const { mz } = exactMass(f);
    const tolNominal = Math.max((mz * o.tolPpm) / 1e6, o.tolMDa / 1000);
    const tolBin = minToleranceAt?.(mz) ?? 0;
    const tol = Math.max(tolNominal, tolBin);
    const widened = tolBin > tolNominal ? ` (window widened to ${(tol * 1000).toFixed(1)} mDa by the bin width)` : '';
    const j = lowerBound(mzs, mz);
    let peak: MatchablePeak | undefined;
    for (const k of [j - 1, j]) {
      const p = sorted[k];
      if (p && Math.abs(p.mz - mz) <= tol && (!peak || Math.abs(p.mz - mz) < Math.abs(peak.mz - mz))) peak = p;
    }
    const base = { fragment, formula: formatFormula(f), mz };
    if (!peak) {
      return {
        ...base, observedMz: null, ppm: null, mDa: null, area: null, areaError: null, normalizedArea: null, resolution: null,
        isotopeScore: null, isotopes: [], accepted: false,
        reason: `no peak within ${(tol * 1000).toFixed(2)} mDa of m/z ${mz.toFixed(5)}${widened}`,
      };
    }
    const R = peak.resolution ?? (peak.fwhm ? peak.mz / peak.fwhm : o.resolvingPower);
    const partnerTol = Math.max(tol, (peak.fwhm ?? 0) / 2);
    const iso = scoreIsotopePattern(f, peak, sorted, { resolvingPower: R, tolerance: partnerTol, minExpectedCounts: o.minExpectedCounts, integrate });
    let accepted: boolean;
    let reason: string;
    if (!iso.testable) {
      accepted = !iso.hasStrongPartner;
      reason = iso.hasStrongPartner
        ? `too few counts (${peak.area.toFixed(0)}) to test the isotope partners: assignment not confirmed`
        : 'mass match; no isotope partner to test (none ≥ 10 % of the main peak with enough expected counts)';
    } else if ((iso.score ?? 0) < o.alpha) {
      const w = iso.worst!;
      accepted = false;
      reason =
        `isotope pattern contradicts: ${w.label} at m/z ${w.mz.toFixed(4)} expected ${(w.expectedRatio * 100).toFixed(1)} % ` +
        `of the main peak (${w.expectedCounts.toFixed(0)} counts), observed ${(w.observedRatio * 100).toFixed(1)} % ` +
        `(${w.observedCounts.toFixed(0)} counts, z = ${w.z.toFixed(1)})` +
        (w.z > 0 ? ': excess suggests an unresolved interference' : ': partner missing');
    } else {
      accepted = true;
      reason = `mass and isotope pattern agree (χ² = ${iso.chi2.toFixed(2)}, ${iso.dof} partner${iso.dof > 1 ? 's' : ''}, p = ${iso.score!.toPrecision(2)})`;
    }
    reason += widened;
    if (iso.masked.length) {
      reason += `; not tested, unresolved from a neighbour: ${iso.masked.join(', ')}`;
    }
    return {
      ...base,
      observedMz: peak.mz,
      ppm: ((peak.mz - mz) / mz) * 1e6,
      mDa: (peak.mz - mz) * 1000,
      area: peak.area,
      areaError: peak.areaError ?? Math.sqrt(Math.max(peak.area, 0)),
      normalizedArea: o.normalization === null ? null : peak.area / o.normalization,
      resolution: R,
      isotopeScore: iso.score,
      isotopes: iso.checks,
      accepted,
      reason,
    };
  });
}
