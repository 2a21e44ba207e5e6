// Rank formula candidates of one peak by isotope evidence. Mass error alone cannot separate
// NiN2C2+ from H3CoO3+ (0.08 mDa apart); their isotope partners can. Order: candidates whose
// predicted partners contradict the peaks go last; candidates with tested partners before
// untestable ones (positive evidence); then by the product of the isotope χ² tail probability
// and a Gaussian mass-error likelihood (σ = massSigmaPpm); then smaller |ppm|.
import { parseFormula } from '../formula/parseFormula';
import { scoreIsotopePattern, type ObservedPeak } from '../match/isotopeScore';
import type { FormulaCandidate } from './formulaSearch';

export interface RankedCandidate extends FormulaCandidate {
  /** χ² tail probability of the predicted partners (null: none testable). */
  isotopeScore: number | null;
  /** Number of partners tested. */
  partners: number;
  consistent: boolean;
}

export interface RankOptions {
  /** Partner search half-width in u (default: 10 ppm of the main m/z or half its FWHM). */
  tolerance?: number;
  resolvingPower?: number;
  alpha?: number;
  /** Mass-accuracy σ in ppm for the mass likelihood (default 3). */
  massSigmaPpm?: number;
}

export function rankByIsotopePattern(
  candidates: readonly FormulaCandidate[],
  main: ObservedPeak,
  peaks: readonly ObservedPeak[],
  options: RankOptions = {},
): RankedCandidate[] {
  const sorted = [...peaks].sort((a, b) => a.mz - b.mz);
  const tolerance = options.tolerance ?? Math.max(main.mz * 10e-6, (main.fwhm ?? 0) / 2);
  const R = options.resolvingPower ?? (main.fwhm ? main.mz / main.fwhm : 10000);
  const alpha = options.alpha ?? 1e-3;
  const ranked = candidates.map((c) => {
    const s = scoreIsotopePattern(parseFormula(c.formula), main, sorted, { resolvingPower: R, tolerance, minRatio: 0.05 });
    const consistent = s.score === null || s.score >= alpha;
    // Explicit fields: candidates may carry their formula as a lazy getter (not copied by spread).
    return { formula: c.formula, atoms: c.atoms, mz: c.mz, ppm: c.ppm, mDa: c.mDa, rdbe: c.rdbe, isotopeScore: s.score, partners: s.dof, consistent };
  });
  const sm = options.massSigmaPpm ?? 3;
  const like = (c: RankedCandidate) => (c.isotopeScore ?? 1) * Math.exp(-0.5 * (c.ppm / sm) ** 2);
  return ranked.sort(
    (a, b) =>
      Number(b.consistent) - Number(a.consistent) ||
      Number(b.partners > 0) - Number(a.partners > 0) ||
      like(b) - like(a) ||
      Math.abs(a.ppm) - Math.abs(b.ppm),
  );
}
