// Wavelet transforms of χ(k) giving magnitude maps on a (k, R) grid.
// - Cauchy wavelet exactly as Larch `cauchy_wavelet` (larch/xafs/cauchy_wavelet.py, after Muñoz,
//   Argoul & Farges 2003): R step (π/2048)/kstep with the 2048 HARD-CODED (not nfft), order
//   n = nrpts, filter 2π(a·ω)^n e^(−a·ω)/n! with a = nrpts/(2R), only positive frequencies
//   (an analytic signal), FFT length 2·nfft.
// - Morlet wavelet of Funke, Scheinost & Chukalina (Phys. Rev. B 71, 094110, 2005), the "WT-EXAFS"
//   map of most single-atom-catalyst papers: W(k, r) = √(2r/η)·∫ χ(k′)k′ⁿ ψ*(t) dk′ with
//   ψ(t) = e^(iηt)·e^(−t²/2σ²)/(√(2π)σ), t = 2r(k′ − k)/η. No reference program implements it.
//   We evaluate the integral by the convolution theorem with the kernel's exact Fourier transform,
//   (η/2r)·exp(−(ω − 2r)²s²/2), s = ησ/(2r): a Gaussian band-pass centred at ω = 2r, so a shell
//   sin(2kR + φ) lights up at r ≈ R (phase-uncorrected, like |χ(R)|).
import { z } from 'zod';
import { finite, parseOptions, ValidationError } from '@siteproof/core';
import { fftComplex, isPowerOfTwo } from '../math/fft';
import { checkKChi } from './xftf';
import { lnGamma } from '@siteproof/core';

export interface WaveletMap {
  /** k grid of the map columns (Å⁻¹): the input k. */
  k: Float64Array;
  /** R grid of the map rows (Å). */
  r: Float64Array;
  /** |W|, row-major nR × nk. */
  mag: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

/** Rows of a row-major nR × nk map as plain arrays (for JSON/plots). */
export function mapRows(m: Float64Array, nr: number, nk: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < nr; i++) rows.push(Array.from(m.subarray(i * nk, (i + 1) * nk)));
  return rows;
}

const nfftSchema = z.number().int().refine(isPowerOfTwo, { message: 'must be a power of two' }).default(2048);

export const cauchySchema = z.object({
  kweight: finite().default(0),
  rmaxOut: finite().positive().default(10),
  nfft: nfftSchema,
});
export type CauchyWaveletOptions = z.input<typeof cauchySchema>;

/** Python/numpy round-half-to-even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Cauchy wavelet transform (Larch `cauchy_wavelet`). `k` must be the uniform grid from 0 (AUTOBK's
 * output). Defaults as Larch: kweight 0, rmaxOut 10 Å, nfft 2048.
 */
export function cauchyWavelet(k: ArrayLike<number>, chi: ArrayLike<number>, options: CauchyWaveletOptions = {}): WaveletMap {
  const o = parseOptions(cauchySchema, options, 'options');
  checkKChi(k, chi);
  const nfft = o.nfft;
  const kstep = Math.round(1000 * (k[1] - k[0])) / 1000;
  if (!(kstep > 0)) throw new ValidationError(`k step ${k[1] - k[0]} rounds to 0 (Larch rounds it to 0.001 Å⁻¹)`, { field: 'k' });
  const rstep = Math.PI / 2048 / kstep; // 2048 hard-coded in Larch, independent of nfft
  const nrpts = roundHalfEven((o.rmaxOut - 1e-7) / rstep);
  if (nrpts < 2) throw new ValidationError(`rmaxOut = ${o.rmaxOut} Å gives fewer than 2 R points`, { field: 'options.rmaxOut' });
  const nk = k.length;
  const NFT = nfft / 2;
  const n2 = 2 * nfft;
  // x zero-padded (or truncated) to nfft/2 points, then FFT of length 2·nfft.
  const data = new Float64Array(2 * n2);
  const kw = o.kweight;
  for (let i = 0; i < Math.min(nk, NFT); i++) data[2 * i] = kw !== 0 ? chi[i] * k[i] ** kw : chi[i];
  const tff = fftComplex(data);
  const r = new Float64Array(nrpts);
  for (let i = 0; i < nrpts; i++) r[i] = (o.rmaxOut * i) / (nrpts - 1);
  r[0] = 1e-19;
  // ln(2π) − ln(nrpts!)
  const cauchySum = Math.log(2 * Math.PI) - lnGamma(nrpts + 1);
  const re = new Float64Array(nrpts * nk);
  const im = new Float64Array(nrpts * nk);
  const mag = new Float64Array(nrpts * nk);
  const buf = new Float64Array(2 * n2);
  const out = new Float64Array(2 * n2);
  const omegaScale = (2 * Math.PI) / (kstep * 2 * nfft);
  const nOut = Math.min(nk, n2);
  // ln ω_j once (the filter's exponent is cauchySum + n·ln a + n·ln ω − a·ω); ω_0 = 0 is replaced by
  // 1e-19/a in Larch (a·ω = 1e-19), handled per row below.
  const lnOmega = new Float64Array(nfft);
  for (let j = 1; j < nfft; j++) lnOmega[j] = Math.log(omegaScale * j);
  for (let i = 0; i < nrpts; i++) {
    const a = nrpts / (2 * r[i]);
    const base = cauchySum + nrpts * Math.log(a);
    buf.fill(0);
    let any = false;
    for (let j = 0; j < nfft; j++) {
      const aom = a * omegaScale * j;
      const filt = j === 0 || aom === 0 ? cauchySum + nrpts * Math.log(1e-19) - 1e-19 : base + nrpts * lnOmega[j] - aom;
      if (filt < -745) continue; // exp underflows to 0 in float64, as in numpy
      const f = Math.exp(filt);
      buf[2 * j] = f * tff[2 * j];
      buf[2 * j + 1] = f * tff[2 * j + 1];
      any = true;
    }
    if (!any) continue;
    fftComplex(buf, true, out);
    for (let m = 0; m < nOut; m++) {
      const x = out[2 * m];
      const y = out[2 * m + 1];
      re[i * nk + m] = x;
      im[i * nk + m] = y;
      mag[i * nk + m] = Math.sqrt(x * x + y * y);
    }
  }
  return { k: Float64Array.from(k), r, mag, re, im };
}

export const morletSchema = z.object({
  /** Frequency of the mother wavelet (Funke et al. use η ≈ 10). */
  eta: finite().positive().default(10),
  /** Width of its Gaussian envelope (σ ≈ 1). */
  sigma: finite().positive().default(1),
  kweight: finite().default(2),
  rmin: finite().min(0).default(0),
  rmaxOut: finite().positive().default(6),
  /** R step of the map (Å); default π/(kstep·nfft) as |χ(R)|. */
  rstep: finite().positive().optional(),
  nfft: nfftSchema,
});
export type MorletWaveletOptions = z.input<typeof morletSchema>;

/**
 * Morlet wavelet transform (Funke et al. 2005) of χ(k) on a uniform k grid. Rows at r = 0 are 0
 * (the transform is undefined there). Map R grid: rmin … rmaxOut with step `rstep`.
 */
export function morletWavelet(k: ArrayLike<number>, chi: ArrayLike<number>, options: MorletWaveletOptions = {}): WaveletMap {
  const o = parseOptions(morletSchema, options, 'options');
  checkKChi(k, chi);
  if (o.rmin >= o.rmaxOut) throw new ValidationError('rmin must be below rmaxOut', { field: 'options.rmin' });
  const nk = k.length;
  const dk = (k[nk - 1] - k[0]) / (nk - 1);
  for (let i = 1; i < nk; i++) {
    if (Math.abs(k[i] - k[i - 1] - dk) > 1e-6 * dk + 1e-9) throw new ValidationError('Morlet wavelet needs a uniform k grid (use AUTOBK output)', { field: 'k' });
  }
  // FFT length: at least 2·nk (no wrap-around of the kernel) and nfft.
  let N = o.nfft;
  while (N < 2 * nk) N *= 2;
  const data = new Float64Array(2 * N);
  for (let i = 0; i < nk; i++) data[2 * i] = o.kweight !== 0 ? chi[i] * k[i] ** o.kweight : chi[i];
  const X = fftComplex(data);
  const rstep = o.rstep ?? Math.PI / (dk * N);
  const nr = Math.floor((o.rmaxOut - o.rmin) / rstep + 1e-9) + 1;
  const r = new Float64Array(nr);
  for (let i = 0; i < nr; i++) r[i] = o.rmin + i * rstep;
  const re = new Float64Array(nr * nk);
  const im = new Float64Array(nr * nk);
  const mag = new Float64Array(nr * nk);
  const buf = new Float64Array(2 * N);
  const out = new Float64Array(2 * N);
  const { eta, sigma } = o;
  for (let i = 0; i < nr; i++) {
    const ri = r[i];
    if (ri <= 0) continue;
    const s = (eta * sigma) / (2 * ri);
    // W_m = √(2r/η)·Σ_n x_n h(k_m − k_n)·dk = √(2r/η)·IFFT(X·ĥ(ω))_m, since the DFT of h·dk ≈ ĥ(ω):
    // the dk of the integral cancels the 1/dk of the discrete transform.
    const pre = Math.sqrt((2 * ri) / eta) * (eta / (2 * ri));
    buf.fill(0);
    for (let j = 0; j < N; j++) {
      const w = ((2 * Math.PI) / (N * dk)) * (j <= N / 2 ? j : j - N); // angular frequency of bin j
      const e = ((w - 2 * ri) * s) ** 2 / 2;
      if (e > 700) continue;
      const f = pre * Math.exp(-e);
      buf[2 * j] = f * X[2 * j];
      buf[2 * j + 1] = f * X[2 * j + 1];
    }
    fftComplex(buf, true, out);
    for (let m = 0; m < nk; m++) {
      const x = out[2 * m];
      const y = out[2 * m + 1];
      re[i * nk + m] = x;
      im[i * nk + m] = y;
      mag[i * nk + m] = Math.sqrt(x * x + y * y);
    }
  }
  return { k: Float64Array.from(k), r, mag, re, im };
}
