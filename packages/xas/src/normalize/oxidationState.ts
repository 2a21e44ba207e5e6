// Oxidation-state calibration line: E0 of reference compounds vs their known valence, fitted by
// ordinary least squares (E0 = a + b·valence), and inverse prediction of an unknown's valence
// with its standard uncertainty (the classical calibration-curve formula, e.g. Miller & Miller,
// "Statistics and Chemometrics for Analytical Chemistry", §5.6):
//   s_x0 = (s/|b|)·sqrt(1/m + 1/n + (y0 − ȳ)²/(b²·Σ(x_i − x̄)²)),
// s = residual standard deviation (n − 2 degrees of freedom), m = replicate E0 measurements.
import { NumericalError, ValidationError } from '@siteproof/core';

export interface ValenceReference {
  name?: string;
  valence: number;
  e0: number;
}

export interface OxidationLine {
  /** E0 = intercept + slope·valence (eV, eV per unit valence). */
  intercept: number;
  slope: number;
  slopeStderr: number;
  interceptStderr: number;
  /** Residual standard deviation of E0 (eV); NaN with only 2 references (no degrees of freedom). */
  residualStd: number;
  n: number;
  r2: number;
  meanValence: number;
  meanE0: number;
  sxx: number;
}

export function fitOxidationLine(refs: ValenceReference[]): OxidationLine {
  const n = refs.length;
  if (n < 2) throw new ValidationError(`need at least 2 reference compounds, got ${n}`, { field: 'references' });
  for (const [i, r] of refs.entries()) {
    if (!Number.isFinite(r.valence) || !Number.isFinite(r.e0)) throw new ValidationError(`reference ${r.name ?? i} has a non-finite valence or E0`, { field: 'references' });
  }
  const xm = refs.reduce((s, r) => s + r.valence, 0) / n;
  const ym = refs.reduce((s, r) => s + r.e0, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const r of refs) {
    sxx += (r.valence - xm) ** 2;
    sxy += (r.valence - xm) * (r.e0 - ym);
    syy += (r.e0 - ym) ** 2;
  }
  if (!(sxx > 0)) throw new NumericalError('all reference compounds have the same valence: no calibration line', { field: 'references' });
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  let sse = 0;
  for (const r of refs) sse += (r.e0 - intercept - slope * r.valence) ** 2;
  const residualStd = n > 2 ? Math.sqrt(sse / (n - 2)) : NaN;
  return {
    intercept,
    slope,
    slopeStderr: residualStd / Math.sqrt(sxx),
    interceptStderr: residualStd * Math.sqrt(1 / n + (xm * xm) / sxx),
    residualStd,
    n,
    r2: syy > 0 ? 1 - sse / syy : 1,
    meanValence: xm,
    meanE0: ym,
    sxx,
  };
}

export interface ValencePrediction {
  valence: number;
  /** Standard uncertainty of the predicted valence. */
  uncertainty: number;
}

/**
 * Valence of an unknown from its E0. `replicates` = number of E0 measurements averaged into e0.
 * `e0Sigma` (eV), when given, replaces s/√m as the unknown's own E0 uncertainty (e.g. from
 * repeated scans); it is required when the line has only 2 references.
 */
export function predictValence(line: OxidationLine, e0: number, opts: { replicates?: number; e0Sigma?: number } = {}): ValencePrediction {
  if (!Number.isFinite(e0)) throw new ValidationError('E0 of the unknown must be finite', { field: 'e0' });
  if (line.slope === 0) throw new NumericalError('calibration line has zero slope: E0 does not depend on valence', { field: 'slope' });
  const m = opts.replicates ?? 1;
  if (!(m >= 1)) throw new ValidationError('replicates must be ≥ 1', { field: 'replicates' });
  const s = line.residualStd;
  if (!Number.isFinite(s) && opts.e0Sigma === undefined) {
    throw new NumericalError('a 2-point calibration line has no residual scatter: give e0Sigma or more references', { field: 'e0Sigma' });
  }
  const b = line.slope;
  const valence = (e0 - line.intercept) / b;
  const lineVar = Number.isFinite(s) ? s * s * (1 / line.n + (e0 - line.meanE0) ** 2 / (b * b * line.sxx)) : 0;
  const ownVar = opts.e0Sigma !== undefined ? opts.e0Sigma ** 2 : (s * s) / m;
  return { valence, uncertainty: Math.sqrt(lineVar + ownVar) / Math.abs(b) };
}
