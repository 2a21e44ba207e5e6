// Synthetic ToF-SIMS spectra with a known truth: isotope patterns placed by a ToF calibration,
// Gaussian peaks of constant mass resolution, a flat background and Poisson counting noise from
// a seeded generator. Used by tests, benchmarks and the example-data script.
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import { isotopePattern } from './formula/isotopePattern';
import { tofMzToTime, tofTimeToMz, type TofCalibration } from './calibration/tofCalibration';
import type { Spectrum } from './spectrum';
import { mulberry32 as seededRandom, poisson } from '@siteproof/core';

export const SyntheticSpectrumOptions = z.object({
  ions: z.array(z.object({ formula: z.string(), counts: z.number().nonnegative() })),
  /** True calibration of the instrument (channels). */
  calibration: z.object({ t0: z.number(), k: z.number().positive() }),
  /** Calibration written into the m/z column (to simulate an export that is off); default = true one. */
  exportCalibration: z.object({ t0: z.number(), k: z.number().positive() }).optional(),
  channels: z.number().int().positive(),
  /** First channel; default: just above both t0 so the m/z axis is increasing. */
  firstChannel: z.number().int().optional(),
  /** Mass resolving power m/Δm (FWHM). */
  resolution: z.number().positive().default(5000),
  /** Minimum peak FWHM in channels (pulse width, detector): low-mass peaks are not sub-channel. */
  minWidth: z.number().nonnegative().default(2.5),
  /** Mean background counts per channel. */
  background: z.number().nonnegative().default(0.2),
  seed: z.number().int().default(1),
  /** Draw Poisson noise (false: expected values). */
  noise: z.boolean().default(true),
});
export type SyntheticSpectrumOptions = z.input<typeof SyntheticSpectrumOptions>;

/** Seeded uniform generator and Poisson deviates live in @siteproof/core (shared by all packages). */
export { mulberry32 as seededRandom, poisson } from '@siteproof/core';

/** Build the spectrum (channel, m/z per the export calibration, counts). */
export function syntheticSpectrum(options: SyntheticSpectrumOptions): Spectrum {
  const o = parseOptions(SyntheticSpectrumOptions, options, 'options');
  const n = o.channels;
  const cal: TofCalibration = o.calibration;
  const exp: TofCalibration = o.exportCalibration ?? cal;
  const first = o.firstChannel ?? Math.floor(Math.max(cal.t0, exp.t0)) + 1;
  const expected = new Float64Array(n).fill(o.background);
  for (const ion of o.ions) {
    for (const p of isotopePattern(ion.formula, { threshold: 1e-4 })) {
      const t = tofMzToTime(p.mz, cal);
      // FWHM in time from the mass resolution: dt/(t − t0) = dm/(2m).
      const sigma = Math.hypot((t - cal.t0) / (2 * o.resolution), o.minWidth) / 2.354820045;
      const amp = ion.counts * p.probability;
      const lo = Math.max(0, Math.floor(t - 6 * sigma - first));
      const hi = Math.min(n - 1, Math.ceil(t + 6 * sigma - first));
      // Integrate the Gaussian over each channel [c − ½, c + ½] so areas are exact.
      for (let i = lo; i <= hi; i++) {
        const c = i + first;
        expected[i] += (amp / 2) * (erf((c + 0.5 - t) / (Math.SQRT2 * sigma)) - erf((c - 0.5 - t) / (Math.SQRT2 * sigma)));
      }
    }
  }
  const rand = seededRandom(o.seed);
  const intensity = new Float64Array(n);
  const channel = new Float64Array(n);
  const mz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    intensity[i] = o.noise ? poisson(expected[i], rand) : expected[i];
    channel[i] = i + first;
    mz[i] = tofTimeToMz(channel[i], exp);
  }
  return { mz, intensity, channel, meta: { source: 'synthetic' } };
}

/** erf via the Chebyshev-fitted erfc approximation (|ε| < 1.2e-7 everywhere). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.5 * a);
  const y =
    1 -
    t *
      Math.exp(
        -a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      );
  return s * y;
}
