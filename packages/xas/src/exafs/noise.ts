// Noise in χ(k) and χ(R) from the high-R part of the transform, as Larch's feffit
// `estimate_noise` (larch/xafs/feffit.py): above ~15 Å there is no structural signal, so the RMS
// of Re/Im χ(R) over 15 ≤ R < 30 Å measures the white noise. ε_R = RMS/⟨window⟩ and, by
// Parseval, ε_k = ε_R·√(2π(2w+1)/(kstep·(kmax^(2w+1) − kmin^(2w+1)))).
import { z } from 'zod';
import { finite, parseOptions, ValidationError } from '@siteproof/core';
import { isPowerOfTwo } from '../math/fft';
import { ftwindowRaw, windowNameSchema } from './ftwindow';
import { checkKChi, npInterp, xftfFast } from './xftf';
import { pyInt } from './constants';

export const noiseSchema = z
  .object({
    // Defaults are those of Larch's feffit transform (TransformGroup): kmin 0, kmax 20, kweight 2, dk 4, kaiser.
    kmin: finite().min(0).default(0),
    kmax: finite().positive().default(20),
    kweight: finite().default(2),
    dk: finite().min(0).default(4),
    dk2: finite().min(0).optional(),
    window: windowNameSchema.default('kaiser'),
    nfft: z.number().int().refine(isPowerOfTwo, { message: 'must be a power of two' }).default(2048),
    kstep: finite().positive().default(0.05),
    rmin: finite().min(0).default(15),
    rmax: finite().positive().default(30),
  })
  .refine((o) => o.kmin < o.kmax, { message: 'kmin must be below kmax', path: ['kmin'] })
  .refine((o) => o.rmin < o.rmax, { message: 'rmin must be below rmax', path: ['rmin'] });
export type NoiseOptions = z.input<typeof noiseSchema>;

export interface NoiseEstimate {
  /** Noise in χ(k) (χ units). */
  epsK: number;
  /** Noise in |χ(R)| (χ(R) units, for the given k-weight). */
  epsR: number;
}

/** Larch `estimate_noise` for one k-weight. χ is put on the grid kstep·[0 … max k] with np.interp. */
export function estimateNoise(k: ArrayLike<number>, chi: ArrayLike<number>, options: NoiseOptions = {}): NoiseEstimate {
  const o = parseOptions(noiseSchema, options, 'options');
  checkKChi(k, chi);
  const kmaxData = k[k.length - 1];
  if (o.kmin >= kmaxData) throw new ValidationError(`k range beyond the data: kmin = ${o.kmin} Å⁻¹, data end at ${kmaxData.toFixed(3)} Å⁻¹`, { field: 'options.kmin' });
  const nfft = o.nfft;
  const rstep = Math.PI / (o.kstep * nfft);
  const kg = new Float64Array(nfft);
  for (let i = 0; i < nfft; i++) kg[i] = o.kstep * i;
  const kwin = ftwindowRaw(kg, o.kmin, o.kmax, o.dk, o.dk2, o.window);
  const nk = Math.min(nfft, pyInt(1.01 + kmaxData / o.kstep));
  const chiG = npInterp(kg.subarray(0, nk), k, chi);
  const cx = new Float64Array(nk);
  for (let i = 0; i < nk; i++) cx[i] = chiG[i] * kwin[i] * kg[i] ** o.kweight;
  const irmin = pyInt(0.01 + o.rmin / rstep);
  const irmax = pyInt(Math.min(nfft / 2, 1.01 + o.rmax / rstep));
  if (irmax <= irmin) throw new ValidationError(`R range ${o.rmin}–${o.rmax} Å is beyond the transform (nfft ${nfft}, kstep ${o.kstep})`, { field: 'options.rmin' });
  const { re, im } = xftfFast(cx, nfft, o.kstep, irmax);
  let ss = 0;
  for (let j = irmin; j < irmax; j++) ss += re[j] * re[j] + im[j] * im[j];
  const rms = Math.sqrt(ss / (2 * (irmax - irmin)));
  let wsum = 0;
  for (let i = 0; i < nfft; i++) wsum += kwin[i];
  const kwinAve = (wsum * o.kstep) / (o.kmax - o.kmin);
  if (!(kwinAve > 0)) throw new ValidationError('the k window is empty', { field: 'options.kmin' });
  const epsR = rms / kwinAve;
  const w = 2 * o.kweight + 1;
  const epsK = epsR * Math.sqrt((2 * Math.PI * w) / (o.kstep * (o.kmax ** w - o.kmin ** w)));
  return { epsK, epsR };
}
