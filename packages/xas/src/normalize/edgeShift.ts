// Edge position by several definitions, and edge shifts of a series. Scientists quote E0 in
// different ways; they differ by an eV or more on the same spectrum, so a shift is only
// meaningful between spectra analysed with the SAME definition:
//  - maxDerivative: Larch's find_e0 (grid point of maximum smoothed dμ/dE);
//  - halfStep: energy where the normalized spectrum crosses 0.5 (linear interpolation);
//  - secondDerivativeZero: downward zero of d²μ/dE² nearest the half-step energy
//    (dμ/dE smoothed with Larch's Lorentzian first, interpolated linearly);
//  - arctan: centre of an arctangent step (plus constant) least-squares fitted to norm around the
//    half-step energy.
// The last two are anchored on the half-step crossing, not on Larch's E0: on structured edges the
// derivative maximum can jump between features from scan to scan (NiO foil channel, scan 009),
// while the half-height of the main step stays put.
import { z } from 'zod';
import { NumericalError, parseOptions, ValidationError } from '@siteproof/core';
import { gradientRatio } from '../math/gradient';
import { indexOf } from '../math/indexOf';
import { levenbergMarquardt } from '../math/levenbergMarquardt';
import { smooth } from '../math/smooth';
import { alignEnergy } from '../series/align';
import { preEdge, type PreEdgeOptions, type PreEdgeResult } from './preEdge';

export const E0_DEFINITIONS = ['maxDerivative', 'halfStep', 'secondDerivativeZero', 'arctan'] as const;
export type E0Definition = (typeof E0_DEFINITIONS)[number];

const finiteNum = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });

export const EdgePositionOptionsSchema = z
  .object({
    /** Lorentzian smoothing (HWHM, eV) of dμ/dE before the second derivative; 0 = none. */
    smoothSigma: finiteNum().min(0).default(0.5),
    /** Search window for crossings, relative to Larch's E0 (eV). */
    searchWindow: finiteNum().positive().default(15),
    /** Arctangent fit window relative to the half-step energy (eV). */
    arctanMin: finiteNum().default(-20),
    arctanMax: finiteNum().default(10),
  })
  .strict();
export type EdgePositionOptions = z.input<typeof EdgePositionOptionsSchema>;

export interface EdgePositions {
  maxDerivative: number;
  halfStep: number;
  secondDerivativeZero: number;
  arctan: number;
  /** Standard error of the arctan centre (eV), from the fit covariance scaled by χ²_ν; null if undetermined. */
  arctanStderr: number | null;
  /** Width (eV) of the fitted arctangent step. */
  arctanWidth: number;
}

/** Crossings of `level` by y between indices lo..hi (inclusive), upward (dir=+1) or downward (−1). */
function crossings(x: ArrayLike<number>, y: ArrayLike<number>, level: number, dir: 1 | -1, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, lo); i < Math.min(hi, x.length - 1); i++) {
    const a = (y[i] - level) * dir;
    const b = (y[i + 1] - level) * dir;
    if (a < 0 && b >= 0) out.push(x[i] + ((level - y[i]) / (y[i + 1] - y[i])) * (x[i + 1] - x[i]));
  }
  return out;
}

function nearest(values: number[], target: number, what: string): number {
  if (values.length === 0) throw new NumericalError(`no ${what} found within the search window around ${target.toFixed(2)} eV`, { field: what });
  let best = values[0];
  for (const v of values) if (Math.abs(v - target) < Math.abs(best - target)) best = v;
  return best;
}

/** E0 by every definition, from a preEdge result (so all share the same normalization). */
export function edgePositions(r: PreEdgeResult, options: EdgePositionOptions = {}): EdgePositions {
  const o = parseOptions(EdgePositionOptionsSchema, options, 'options');
  const { energy, norm } = r;
  const e0 = r.e0;
  const lo = indexOf(energy, e0 - o.searchWindow);
  const hi = indexOf(energy, e0 + o.searchWindow) + 1;

  const halfStep = nearest(crossings(energy, norm, 0.5, 1, lo, hi), e0, 'halfStep');

  // Second derivative on the search window plus a margin (the smoothing is local up to its
  // Lorentzian tails; this definition is ours, not Larch's, so the margin is a free choice).
  const w0 = Math.max(0, lo - 20);
  const w1 = Math.min(energy.length, hi + 20);
  const ew = energy.subarray(w0, w1);
  let d1: Float64Array = r.dmude.subarray(w0, w1);
  if (o.smoothSigma > 0) {
    let minStep = Infinity;
    for (let i = 1; i < ew.length; i++) minStep = Math.min(minStep, ew[i] - ew[i - 1]);
    const xstep = Math.max(0.01, Math.min(minStep, o.smoothSigma));
    d1 = smooth(ew, d1, { xstep, sigma: o.smoothSigma });
  }
  const d2 = gradientRatio(d1, ew);
  const secondDerivativeZero = nearest(crossings(ew, d2, 0, -1, lo - w0, hi - w0), halfStep, 'secondDerivativeZero');

  // Arctan step: norm ≈ c + h·(1/2 + atan((E − E0)/w)/π); start from the half-step energy.
  const ea = halfStep;
  const a1 = indexOf(energy, ea + o.arctanMin);
  const a2 = indexOf(energy, ea + o.arctanMax) + 1;
  const ex = energy.subarray(a1, a2);
  const ny = norm.subarray(a1, a2);
  if (ex.length < 6) throw new ValidationError(`arctan fit window holds ${ex.length} points (need ≥ 6)`, { field: 'arctanMin' });
  const model = (p: Float64Array, e: number) => p[0] + p[1] * (0.5 + Math.atan((e - p[2]) / p[3]) / Math.PI);
  const fit = levenbergMarquardt(
    (p) => {
      const res = new Float64Array(ex.length);
      for (let i = 0; i < ex.length; i++) res[i] = model(p, ex[i]) - ny[i];
      return res;
    },
    [0, 1, ea, 2],
    { lower: [-Infinity, 0, ea + o.arctanMin, 0.05], upper: [Infinity, Infinity, ea + o.arctanMax, 50] },
  );
  const dof = Math.max(1, ex.length - 4);
  const redchi = fit.sumSquares / dof;
  const se = fit.covariance ? Math.sqrt(Math.max(0, fit.covariance[2 * 4 + 2] * redchi)) : NaN;
  return {
    maxDerivative: e0,
    halfStep,
    secondDerivativeZero,
    arctan: fit.x[2],
    arctanStderr: Number.isFinite(se) ? se : null,
    arctanWidth: fit.x[3],
  };
}

export interface SpectrumInput {
  name: string;
  energy: ArrayLike<number>;
  mu: ArrayLike<number>;
  /** Energy calibration shift applied as energy + eShift (eV); raw data are never rewritten. */
  eShift?: number;
}

export interface EdgeShiftRow {
  name: string;
  e0: EdgePositions;
  edgeStep: number;
  /** E0 − E0(reference) for each definition (eV). */
  shift: Record<E0Definition, number>;
  /**
   * Shift from least-squares alignment of dμ/dE to the reference (series/align alignEnergy,
   * method 'dmude': Larch's energy_align objective with its window as documented),
   * with the same sign as the E0 shifts (= −eshift), and its standard error. The most robust of
   * these estimators when E0 by maximum derivative jumps between features of a structured edge.
   */
  alignShift: number;
  alignStderr: number;
}

function shifted(s: SpectrumInput): ArrayLike<number> {
  if (!s.eShift) return s.energy;
  return Float64Array.from(s.energy, (e) => e + s.eShift!);
}

/**
 * E0 of each spectrum by every definition and its shift relative to `reference` (default: the
 * first spectrum of the series). Each spectrum is normalized with `preEdge` options.
 */
export function edgeShifts(
  series: SpectrumInput[],
  options: { reference?: SpectrumInput; preEdge?: PreEdgeOptions; positions?: EdgePositionOptions } = {},
): { reference: string; rows: EdgeShiftRow[] } {
  if (series.length === 0) throw new ValidationError('edgeShifts: no spectra given', { field: 'series' });
  const analyse = (s: SpectrumInput) => {
    const r = preEdge(shifted(s), s.mu, options.preEdge ?? {});
    return { r, e0: edgePositions(r, options.positions ?? {}) };
  };
  const results = series.map((s) => ({ name: s.name, ...analyse(s) }));
  const ref = options.reference ? { name: options.reference.name, ...analyse(options.reference) } : results[0];
  const rows = results.map((x) => {
    const shift = {} as Record<E0Definition, number>;
    for (const d of E0_DEFINITIONS) shift[d] = x.e0[d] - ref.e0[d];
    const al = x === ref ? { eShift: 0, eShiftStderr: 0 } : alignEnergy(x.r, ref.r, { method: 'dmude' });
    return { name: x.name, e0: x.e0, edgeStep: x.r.edgeStep, shift, alignShift: al.eShift === 0 ? 0 : -al.eShift, alignStderr: al.eShiftStderr };
  });
  return { reference: ref.name, rows };
}

/**
 * Energy calibration against a reference foil: the shift (eV) that moves the foil's measured E0
 * onto its tabulated edge energy. Apply it to the sample measured with that foil as energy + eShift.
 */
export function foilCalibrationShift(measuredFoilE0: number, tabulatedEdgeEnergy: number): number {
  if (!Number.isFinite(measuredFoilE0) || !Number.isFinite(tabulatedEdgeEnergy)) {
    throw new ValidationError('foil calibration needs finite measured and tabulated energies', { field: 'tabulatedEdgeEnergy' });
  }
  const shift = tabulatedEdgeEnergy - measuredFoilE0;
  if (Math.abs(shift) > 100) {
    throw new ValidationError(`foil E0 ${measuredFoilE0} eV is ${shift.toFixed(1)} eV from the tabulated ${tabulatedEdgeEnergy} eV: wrong edge or element?`, { field: 'tabulatedEdgeEnergy' });
  }
  return shift;
}
