// Spectrum → defensible fragment table: pick peaks, recalibrate on the standard calibrants of
// the polarity (exported spectra are often tens of ppm off), match the fragments, test their
// isotope patterns, and flag near-isobaric interferences the data cannot resolve.
import { z } from 'zod';
import { NumericalError, parseOptions } from '@siteproof/core';
import { parseFormula } from '../formula/parseFormula';
import { autoCalibrate, calibratedMz, recoverCalibration, type AutoCalibration, type CalibrantMatch } from '../calibration/tofCalibration';
import { makeIntegrator } from '../peaks/integrate';
import { pickPeaks, PickPeaksOptions, type Peak } from '../peaks/pickPeaks';
import { lowerBound, totalIonCount, validateSpectrum, type Polarity, type Spectrum } from '../spectrum';
import { checkInterferences, type InterferenceReport } from './interferences';
import { matchFragments, type FragmentMatch } from './matchFragments';

export const AnalyzeSpectrumOptions = z.object({
  tolPpm: z.number().positive().default(50),
  tolMDa: z.number().nonnegative().default(0),
  /** Calibrant ions; default: the standard list of the polarity. */
  calibrants: z.array(z.string()).optional(),
  polarity: z.enum(['positive', 'negative']).optional(),
  recalibrate: z.boolean().default(true),
  /**
   * Recalibration is skipped when bins are wider than this (ppm of m/z at 50 u): centroids of
   * peaks one or two bins wide are no better than the bin, and the export's own calibration
   * (recoverable from its channel/m/z columns) is then the better one.
   */
  maxBinPpmForRecalibration: z.number().positive().default(200),
  /** 'tic' (total counts of the spectrum) or a fragment formula whose area is the denominator. */
  normalizeTo: z.string().default('tic'),
  peaks: PickPeaksOptions.optional(),
});
export type AnalyzeSpectrumOptions = z.input<typeof AnalyzeSpectrumOptions>;

export interface CalibrationReport {
  /** 'recalibrated': fitted here on calibrants; 'input': the spectrum's own m/z axis kept. */
  applied: 'recalibrated' | 'input';
  axis?: 'channel' | 'sqrt-mz';
  t0?: number;
  k?: number;
  rmsPpm?: number;
  calibrants: CalibrantMatch[];
  missing: string[];
  rejected: string[];
  /** Calibration recovered from the export's own channel/m/z columns (SurfaceLab sf/k0). */
  exported?: { t0: number; k: number; rmsPpm: number };
}

export interface SpectrumAnalysis {
  calibration: CalibrationReport;
  peaks: Peak[];
  matches: FragmentMatch[];
  interferences: InterferenceReport[];
  totalCounts: number;
  normalization: { to: string; value: number };
  warnings: string[];
}

/** Run the whole pipeline on one spectrum. */
export function analyzeSpectrum(spectrum: Spectrum, fragments: readonly string[], options?: AnalyzeSpectrumOptions): SpectrumAnalysis {
  const o = parseOptions(AnalyzeSpectrumOptions, options, 'options');
  validateSpectrum(spectrum);
  const parsed = fragments.map((f) => parseFormula(f));
  const warnings: string[] = [];
  const polarity: Polarity =
    o.polarity ?? spectrum.meta.polarity ?? (parsed.some((f) => f.charge < 0) && !parsed.some((f) => f.charge > 0) ? 'negative' : 'positive');
  let peaks = pickPeaks(spectrum, o.peaks);
  if (peaks.length === 0) throw new NumericalError('no peaks found in the spectrum', { file: spectrum.meta.source }, 'lower the snr option');

  const calibration: CalibrationReport = { applied: 'input', calibrants: [], missing: [], rejected: [] };
  if (spectrum.channel) {
    try {
      const ex = recoverCalibration(spectrum.channel, spectrum.mz);
      calibration.exported = { t0: ex.t0, k: ex.k, rmsPpm: ex.rmsPpm };
    } catch {
      /* channel column is not a ToF channel: nothing to recover */
    }
  }
  const mzAxis = spectrum.mz;
  const binWidthAt = (m: number) => {
    const i = lowerBound(mzAxis, m);
    if (i <= 0 || i >= mzAxis.length) return undefined;
    return mzAxis[i] - mzAxis[i - 1];
  };
  const bin50 = binWidthAt(50);
  const binPpm50 = bin50 !== undefined ? (bin50 / 50) * 1e6 : 0;
  let recalibrate = o.recalibrate;
  if (recalibrate && binPpm50 > o.maxBinPpmForRecalibration) {
    recalibrate = false;
    warnings.push(
      `bins are ${binPpm50.toFixed(0)} ppm wide at m/z 50: recalibration on bin-limited centroids skipped, ` +
        `the export's calibration is used${calibration.exported ? ` (t0 = ${calibration.exported.t0.toFixed(2)}, k = ${calibration.exported.k.toFixed(2)})` : ''}`,
    );
  }
  if (recalibrate) {
    let cal: AutoCalibration | undefined;
    try {
      cal = autoCalibrate(
        peaks.map((p) => ({ mz: p.mz, time: p.channel, area: p.area })),
        { polarity, calibrants: o.calibrants, searchAbs: Math.max(0.01, bin50 ?? 0) },
      );
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
      warnings.push(`recalibration skipped, the input m/z axis is used: ${e.detail}`);
    }
    if (cal) {
      const c = cal;
      Object.assign(calibration, { applied: 'recalibrated', axis: c.axis, t0: c.t0, k: c.k, rmsPpm: c.rmsPpm, calibrants: c.calibrants, missing: c.missing, rejected: c.rejected });
      peaks = peaks.map((p) => {
        const m = calibratedMz({ mz: p.mz, time: p.channel, area: p.area }, c);
        const s = m / p.mz;
        return { ...p, mz: m, fwhm: p.fwhm * s, lower: p.lower * s, upper: p.upper * s, resolution: m / (p.fwhm * s) };
      });
    }
  }
  const totalCounts = totalIonCount(spectrum);
  let normValue = totalCounts;
  if (o.normalizeTo !== 'tic') {
    const [ref] = matchFragments(peaks, [o.normalizeTo], { tolPpm: o.tolPpm, tolMDa: o.tolMDa }, undefined, (m) => 0.75 * (binWidthAt(m) ?? 0));
    if (ref.area === null || !(ref.area > 0)) throw new NumericalError(`normalization peak ${o.normalizeTo} not found`, { field: 'normalizeTo' });
    normValue = ref.area;
  }
  // Integrator on the (re)calibrated axis for isotope partners below the picking threshold.
  let axis = spectrum.mz;
  const cal = calibration.applied === 'recalibrated' ? calibration : undefined;
  if (cal) {
    const c = { t0: cal.t0!, k: cal.k!, axis: cal.axis! } as AutoCalibration;
    axis = new Float64Array(spectrum.mz.length);
    for (let i = 0; i < axis.length; i++) axis[i] = calibratedMz({ mz: spectrum.mz[i], time: spectrum.channel?.[i], area: 0 }, c);
  }
  const integ = makeIntegrator(axis, spectrum.intensity);
  // A centroid cannot be placed better than about a bin: the window is at least ¾ of the local bin.
  const minTol = (m: number) => 0.75 * (binWidthAt(m) ?? 0);
  const matches = matchFragments(peaks, fragments, { tolPpm: o.tolPpm, tolMDa: o.tolMDa, normalization: normValue }, (a, b) => integ(a, b).net, minTol);

  // Data resolving power near each fragment: median m/Δm of the picked peaks; bin width of the axis.
  const res = peaks.map((p) => p.resolution).filter(Number.isFinite).sort((a, b) => a - b);
  const medianRes = res.length ? res[res.length >> 1] : undefined;
  const interferences = checkInterferences(fragments, { resolution: medianRes, binWidthAt });
  for (const r of interferences) if (r.warning) warnings.push(r.warning);
  if (spectrum.meta.binning && spectrum.meta.binning > 1) {
    warnings.push(`spectrum exported with ${spectrum.meta.binning}-channel binning: peak centroids and widths are limited by the bin width`);
  }
  return { calibration, peaks, matches, interferences, totalCounts, normalization: { to: o.normalizeTo, value: normValue }, warnings };
}
