// Time-of-flight mass calibration: √(m/z) is linear in flight time, m/z = ((t − t0)/k)².
// IONTOF SurfaceLab stores the same law as m = ((channel − k0)/sf)² (pySPM channel2mass),
// so k = sf and t0 = k0 when t is the channel number. The fit is the linear least-squares
// regression of t on √m (pySPM fit_spectrum, CasaXPS "ToF mass calibration").
import { z } from 'zod';
import { NumericalError, parseOptions, ValidationError } from '@siteproof/core';
import { exactMass } from '../formula/exactMass';
import type { Polarity } from '../spectrum';

export interface TofCalibration {
  /** Time/channel offset t0 (SurfaceLab k0). */
  t0: number;
  /** Scale k (SurfaceLab sf), in time units per √u. */
  k: number;
}

export interface CalibrationFit extends TofCalibration {
  /** Residual of each point, ppm of m/z: (m_calibrated − m_reference)/m_reference·1e6. */
  residualsPpm: Float64Array;
  rmsPpm: number;
  maxAbsPpm: number;
  n: number;
}

export function tofTimeToMz(t: number, cal: TofCalibration): number {
  const r = (t - cal.t0) / cal.k;
  return r * r;
}

export function tofMzToTime(mz: number, cal: TofCalibration): number {
  return cal.k * Math.sqrt(mz) + cal.t0;
}

/** m/z of every channel/time value. */
export function applyCalibration(times: ArrayLike<number>, cal: TofCalibration): Float64Array {
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = tofTimeToMz(times[i], cal);
  return out;
}

/**
 * Fit t = k·√m + t0 by (weighted) least squares on calibrant pairs (time, reference m/z).
 * Needs ≥ 2 distinct masses; returns residuals in ppm.
 */
export function fitTofCalibration(times: ArrayLike<number>, masses: ArrayLike<number>, weights?: ArrayLike<number>): CalibrationFit {
  const n = times.length;
  if (masses.length !== n) throw new ValidationError('times and masses differ in length', { field: 'masses' });
  if (n < 2) throw new ValidationError(`a ToF calibration needs at least 2 calibrant peaks, got ${n}`, { field: 'calibrants' });
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const m = masses[i];
    if (!(m > 0) || !Number.isFinite(times[i])) throw new ValidationError(`calibrant ${i} has an invalid mass or time`, { field: 'calibrants' });
    const w = weights ? weights[i] : 1;
    const x = Math.sqrt(m);
    const y = times[i];
    sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
  }
  const det = sw * sxx - sx * sx;
  if (!(Math.abs(det) > 1e-12 * sw * sxx)) throw new NumericalError('calibrant masses are all equal: cannot fit a ToF calibration', { field: 'calibrants' });
  const k = (sw * sxy - sx * sy) / det;
  const t0 = (sy - k * sx) / sw;
  if (!(k > 0)) throw new NumericalError(`fitted scale k = ${k} is not positive: calibrants assigned to the wrong peaks?`, { field: 'calibrants' });
  const residualsPpm = new Float64Array(n);
  let ss = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const r = ((tofTimeToMz(times[i], { t0, k }) - masses[i]) / masses[i]) * 1e6;
    residualsPpm[i] = r;
    ss += r * r;
    maxAbs = Math.max(maxAbs, Math.abs(r));
  }
  return { t0, k, residualsPpm, rmsPpm: Math.sqrt(ss / n), maxAbsPpm: maxAbs, n };
}

/**
 * Recover the calibration an exporter applied from its own channel and m/z columns
 * (SurfaceLab ASCII exports follow m = ((ch − k0)/sf)² to their 6-decimal rounding).
 * Bins below `minMz` are ignored: there the 6-decimal rounding dominates.
 */
export function recoverCalibration(channel: ArrayLike<number>, mz: ArrayLike<number>, minMz = 1): CalibrationFit {
  const t: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < mz.length; i++) if (mz[i] >= minMz) { t.push(channel[i]); m.push(mz[i]); }
  if (t.length < 2) throw new ValidationError(`fewer than 2 bins above m/z ${minMz}: cannot recover the calibration`, { field: 'mz' });
  return fitTofCalibration(t, m);
}

/** Standard calibrant ions (most intense, ubiquitous fragments in SIMS: hydrocarbons, Na+, CN-…). */
export const POSITIVE_CALIBRANTS: readonly string[] = ['H+', 'C+', 'CH+', 'CH2+', 'CH3+', 'Na+', 'C2H3+', 'C2H5+', 'C3H5+', 'C3H7+', 'C4H7+'];
export const NEGATIVE_CALIBRANTS: readonly string[] = ['H-', 'C-', 'CH-', 'O-', 'OH-', 'C2-', 'C2H-', 'CN-', 'C3-', 'CNO-', 'C4H-'];

export function standardCalibrants(polarity: Polarity): readonly string[] {
  return polarity === 'positive' ? POSITIVE_CALIBRANTS : NEGATIVE_CALIBRANTS;
}

/** A peak position for recalibration: observed m/z, its ToF coordinate and an intensity. */
export interface CalibrationPeak {
  mz: number;
  /** Channel/time of the peak centroid; when absent √(observed m/z) is used as the time axis. */
  time?: number;
  area: number;
}

export const AutoCalibrationOptions = z.object({
  /** Calibrant ions (formulas with charge); defaults to the standard list of the polarity. */
  calibrants: z.array(z.string()).optional(),
  polarity: z.enum(['positive', 'negative']).default('positive'),
  /** Search window around each calibrant on the current m/z axis: ppm part and absolute part (u). */
  searchPpm: z.number().positive().default(300),
  searchAbs: z.number().nonnegative().default(0.01),
  /** Calibrants whose residual exceeds this after the fit are dropped and the fit repeated. */
  maxResidualPpm: z.number().positive().default(30),
  minCalibrants: z.number().int().min(2).default(3),
});
export type AutoCalibrationOptions = z.input<typeof AutoCalibrationOptions>;

export interface CalibrantMatch {
  ion: string;
  mz: number;
  observedMz: number;
  time: number;
  residualPpm: number;
}

export interface AutoCalibration extends TofCalibration {
  /** 'channel': t is the ToF channel/time; 'sqrt-mz': t = √(m/z) of the input axis (no channels). */
  axis: 'channel' | 'sqrt-mz';
  calibrants: CalibrantMatch[];
  rmsPpm: number;
  /** Calibrants looked for but not found / rejected as outliers. */
  missing: string[];
  rejected: string[];
}

/**
 * Recalibrate on the standard calibrants of a polarity: each calibrant is assigned to the most
 * intense peak within the search window of its m/z on the current axis, the ToF law is fitted
 * by least squares weighted by peak area, outliers beyond maxResidualPpm are removed one at a
 * time, and the fit is repeated. Throws NumericalError when fewer than minCalibrants remain.
 */
export function autoCalibrate(peaks: readonly CalibrationPeak[], options?: AutoCalibrationOptions): AutoCalibration {
  const o = parseOptions(AutoCalibrationOptions, options, 'options');
  const names = o.calibrants ?? [...standardCalibrants(o.polarity)];
  const useChannel = peaks.length > 0 && peaks.every((p) => p.time !== undefined && Number.isFinite(p.time));
  const timeOf = (p: CalibrationPeak) => (useChannel ? p.time! : Math.sqrt(p.mz));
  let chosen: (CalibrantMatch & { w: number })[] = [];
  const missing: string[] = [];
  for (const ion of names) {
    const ref = exactMass(ion).mz;
    const win = ref * o.searchPpm * 1e-6 + o.searchAbs;
    let best: CalibrationPeak | undefined;
    for (const p of peaks) if (Math.abs(p.mz - ref) <= win && (!best || p.area > best.area)) best = p;
    if (best && best.area > 0) chosen.push({ ion, mz: ref, observedMz: best.mz, time: timeOf(best), residualPpm: 0, w: Math.sqrt(best.area) });
    else missing.push(ion);
  }
  const rejected: string[] = [];
  for (;;) {
    if (chosen.length < o.minCalibrants) {
      throw new NumericalError(
        `only ${chosen.length} calibrant peaks found (${chosen.map((c) => c.ion).join(', ') || 'none'}); need ${o.minCalibrants}`,
        { field: 'calibrants' },
        'check the polarity, widen the search window or give --calibrants',
      );
    }
    const fit = fitTofCalibration(chosen.map((c) => c.time), chosen.map((c) => c.mz), chosen.map((c) => c.w));
    chosen.forEach((c, i) => (c.residualPpm = fit.residualsPpm[i]));
    let worst = -1;
    for (let i = 0; i < chosen.length; i++) if (Math.abs(chosen[i].residualPpm) > o.maxResidualPpm && (worst < 0 || Math.abs(chosen[i].residualPpm) > Math.abs(chosen[worst].residualPpm))) worst = i;
    if (worst < 0) {
      return {
        t0: fit.t0,
        k: fit.k,
        axis: useChannel ? 'channel' : 'sqrt-mz',
        calibrants: chosen.map(({ w: _w, ...c }) => c),
        rmsPpm: fit.rmsPpm,
        missing,
        rejected,
      };
    }
    rejected.push(chosen[worst].ion);
    chosen = chosen.filter((_, i) => i !== worst);
  }
}

/** The calibrated m/z of a peak under an AutoCalibration. */
export function calibratedMz(p: CalibrationPeak, cal: AutoCalibration): number {
  const t = cal.axis === 'channel' ? p.time! : Math.sqrt(p.mz);
  return tofTimeToMz(t, cal);
}
