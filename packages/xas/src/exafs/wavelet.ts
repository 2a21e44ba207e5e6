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
//
// Speed (both wavelets): a row is W_m = (1/N)·Σ_j F_j·X_j·e^(2πi·jm/N) for m < nk, with a filter F
// that is negligible (< e^(−46) ≈ 1e-20 of its peak) outside a band of bins. Instead of one full
// N-point inverse FFT per row we (1) keep only that band, shifted to bin 0 (its phase put back on
// the outputs), (2) run a pruned FFT that skips the zero-padding stages and computes only the nk
// outputs, and (3) when the row's kernel in k space (the inverse transform of F, known in closed
// form) has decayed below 1e-20 of its peak further than L − nk samples away, transform on a period
// L < N: keeping every (N/L)-th bin folds W onto period L, W'_m = Σ_p W_(m+pL), which differs from
// W_m for m < nk by terms that the kernel's decay bounds by 1e-20·Σ|x|·max|kernel|. Rows with
// wider kernels use L = N (no folding). Maps agree with the full transform to ~1e-15 of the map
// maximum (wavelet.test.ts).
import { z } from 'zod';
import { finite, parseOptions, ValidationError } from '@siteproof/core';
import { isPowerOfTwo } from '../math/fft';
import { fftPlan, fftPruned, type FftPlan } from '../math/prunedFft';
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

/** Relative size below which filter values and kernel tails are dropped (see the top comment). */
const TAIL = 1e-20;
const LN_TAIL = Math.log(TAIL);

/** Work arrays for the band of one row (grown on demand). */
let bandRe = new Float64Array(0);
let bandIm = new Float64Array(0);
function bandScratch(n: number): void {
  if (bandRe.length < n) {
    bandRe = new Float64Array(n);
    bandIm = new Float64Array(n);
  }
}

/** Transform period for a row whose kernel is negligible beyond `halfWidth` samples: power of two L ≥ nOut + halfWidth, else N. */
function rowPeriod(N: number, nOut: number, halfWidth: number): number {
  let L = 64;
  while (L < N && L < nOut + halfWidth) L *= 2;
  return Math.min(L, N);
}

/**
 * Bluestein (chirp-z) data for rows of period L computed on a shorter cyclic convolution of
 * length Lc: with c_b = e^(πi·b²/L), Σ_b g_b·e^(2πi·bm/L) = c_m·Σ_b (g_b·c_b)·conj(c_(m−b)).
 */
interface Chirp {
  /** c_b for b < Lc (angles reduced exactly: b² mod 2L). */
  cRe: Float64Array;
  cIm: Float64Array;
  /** FFT_Lc of conj(c_d) placed at d mod Lc for d ∈ [−(Lc − nOut), nOut). */
  vRe: Float64Array;
  vIm: Float64Array;
}
const chirps = new Map<string, Chirp>();
let prodRe = new Float64Array(0);
let prodIm = new Float64Array(0);

function chirpFor(L: number, Lc: number, nOut: number): Chirp {
  const key = `${L}|${Lc}|${nOut}`;
  let ch = chirps.get(key);
  if (ch) return ch;
  const cRe = new Float64Array(Lc);
  const cIm = new Float64Array(Lc);
  for (let b = 0; b < Lc; b++) {
    const a = (Math.PI * ((b * b) % (2 * L))) / L;
    cRe[b] = Math.cos(a);
    cIm[b] = Math.sin(a);
  }
  const vr = new Float64Array(Lc);
  const vi = new Float64Array(Lc);
  for (let d = 0; d < nOut; d++) {
    vr[d] = cRe[d];
    vi[d] = -cIm[d];
  }
  for (let d = 1; d <= Lc - nOut; d++) {
    vr[Lc - d] = cRe[d];
    vi[Lc - d] = -cIm[d];
  }
  const plan = fftPlan(Lc);
  fftPruned(plan, vr, vi, Lc, -1, Lc);
  ch = { cRe, cIm, vRe: plan.re.slice(), vIm: plan.im.slice() };
  if (chirps.size >= 16) chirps.delete(chirps.keys().next().value as string); // bounded (one entry per k length)
  chirps.set(key, ch);
  return ch;
}

/**
 * Finish a row: bandRe/bandIm[0..nb) hold F·X at bins (q0 + b)·(N/L) (b < nb); writes
 * (1/L)·Σ_b band_b·e^(2πi(q0+b)m/L) for m < nOut into re/im/mag at `off`. Short bands on long
 * periods (rows at small R, whose kernels are too wide to fold) go through a chirp-z transform
 * of length Lc ≥ nb + nOut − 1 (two FFTs of Lc ≤ L/4 cost less than one pruned FFT of L).
 */
function finishRow(plan: FftPlan, nb: number, q0: number, nOut: number, re: Float64Array, im: Float64Array, mag: Float64Array, off: number): void {
  const L = plan.n;
  let Lc = 64;
  while (Lc < nb + nOut - 1) Lc *= 2;
  let zr: Float64Array;
  let zi: Float64Array;
  let inv = 1 / L;
  let ch: Chirp | undefined;
  if (4 * Lc <= L) {
    ch = chirpFor(L, Lc, nOut);
    const { cRe, cIm, vRe, vIm } = ch;
    for (let b = 0; b < nb; b++) {
      const gr = bandRe[b];
      const gi = bandIm[b];
      bandRe[b] = gr * cRe[b] - gi * cIm[b];
      bandIm[b] = gr * cIm[b] + gi * cRe[b];
    }
    const pc = fftPlan(Lc);
    fftPruned(pc, bandRe, bandIm, nb, -1, Lc);
    if (prodRe.length < Lc) {
      prodRe = new Float64Array(Lc);
      prodIm = new Float64Array(Lc);
    }
    const ur = pc.re;
    const ui = pc.im;
    for (let j = 0; j < Lc; j++) {
      prodRe[j] = ur[j] * vRe[j] - ui[j] * vIm[j];
      prodIm[j] = ur[j] * vIm[j] + ui[j] * vRe[j];
    }
    fftPruned(pc, prodRe, prodIm, Lc, 1, nOut);
    zr = pc.re;
    zi = pc.im;
    inv /= Lc;
  } else {
    fftPruned(plan, bandRe, bandIm, nb, 1, nOut);
    zr = plan.re;
    zi = plan.im;
  }
  const { cos, sin } = plan;
  const step = ((q0 % L) + L) % L;
  let idx = 0;
  if (ch) {
    // Rotation e^(2πi·q0·m/L) and the chirp c_m.
    const { cRe, cIm } = ch;
    for (let m = 0; m < nOut; m++) {
      const c0 = cos[idx];
      const s0 = sin[idx];
      const cr = cRe[m];
      const ci = cIm[m];
      const c = (c0 * cr - s0 * ci) * inv;
      const s = (c0 * ci + s0 * cr) * inv;
      const a = zr[m];
      const b = zi[m];
      const x = a * c - b * s;
      const y = a * s + b * c;
      re[off + m] = x;
      im[off + m] = y;
      mag[off + m] = Math.sqrt(x * x + y * y);
      idx += step;
      if (idx >= L) idx -= L;
    }
    return;
  }
  for (let m = 0; m < nOut; m++) {
    const c = cos[idx] * inv;
    const s = sin[idx] * inv;
    const a = zr[m];
    const b = zi[m];
    const x = a * c - b * s;
    const y = a * s + b * c;
    re[off + m] = x;
    im[off + m] = y;
    mag[off + m] = Math.sqrt(x * x + y * y);
    idx += step;
    if (idx >= L) idx -= L;
  }
}

/** Exponent of Larch's Cauchy filter at bin j ≥ 1: ln 2π − ln n! + n·ln a + n·ln ω_j − a·ω_j. */
function cauchyLnF(base: number, n: number, lnOmega: Float64Array, aScale: number, j: number): number {
  return base + n * lnOmega[j] - aScale * j;
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
  // x zero-padded (or truncated) to nfft/2 points; its FFT of length 2·nfft, bins j < nfft only.
  const nx = Math.min(nk, NFT);
  const x = new Float64Array(nx);
  const kw = o.kweight;
  for (let i = 0; i < nx; i++) x[i] = kw !== 0 ? chi[i] * k[i] ** kw : chi[i];
  const planN = fftPlan(n2);
  fftPruned(planN, x, null, nx, -1, nfft);
  const tRe = planN.re.slice(0, nfft);
  const tIm = planN.im.slice(0, nfft);
  const r = new Float64Array(nrpts);
  for (let i = 0; i < nrpts; i++) r[i] = (o.rmaxOut * i) / (nrpts - 1);
  r[0] = 1e-19;
  // ln(2π) − ln(nrpts!)
  const cauchySum = Math.log(2 * Math.PI) - lnGamma(nrpts + 1);
  const re = new Float64Array(nrpts * nk);
  const im = new Float64Array(nrpts * nk);
  const mag = new Float64Array(nrpts * nk);
  const omegaScale = (2 * Math.PI) / (kstep * 2 * nfft);
  const nOut = Math.min(nk, n2);
  // ln ω_j once (the filter's exponent is cauchySum + n·ln a + n·ln ω − a·ω). Bin 0 (Larch: a·ω
  // replaced by 1e-19, exponent ≈ −8.6e3·n) is always 0 in float64, as are the bins beyond nfft.
  const lnOmega = new Float64Array(nfft);
  for (let j = 1; j < nfft; j++) lnOmega[j] = Math.log(omegaScale * j);
  // The kernel of a row is ∝ (1 − i·k/a)^−(n+1) (inverse transform of ω^n·e^(−aω)): below TAIL of
  // its peak beyond |k| = a·√(TAIL^(−2/(n+1)) − 1).
  const widthPerA = Math.sqrt(Math.exp((-2 * LN_TAIL) / (nrpts + 1)) - 1) / kstep;
  bandScratch(nfft);
  const jMax = nfft - 1;
  for (let i = 0; i < nrpts; i++) {
    const a = nrpts / (2 * r[i]);
    const base = cauchySum + nrpts * Math.log(a);
    const aScale = a * omegaScale;
    // Peak of the (concave) exponent at ω = n/a = 2r.
    const jc = (2 * r[i]) / omegaScale;
    if (!(jc < nfft + 1)) continue;
    let jp = Math.min(jMax, Math.max(1, Math.round(jc)));
    if (jp > 1 && cauchyLnF(base, nrpts, lnOmega, aScale, jp - 1) > cauchyLnF(base, nrpts, lnOmega, aScale, jp)) jp--;
    else if (jp < jMax && cauchyLnF(base, nrpts, lnOmega, aScale, jp + 1) > cauchyLnF(base, nrpts, lnOmega, aScale, jp)) jp++;
    const peak = cauchyLnF(base, nrpts, lnOmega, aScale, jp);
    if (peak < -745) continue; // exp underflows to 0 everywhere, as in numpy
    const cut = Math.max(peak + LN_TAIL, -745); // below: negligible
    // Folding assumes the discrete filter is the smooth closed-form one: not when cut at the edges.
    const clipped = cauchyLnF(base, nrpts, lnOmega, aScale, 1) >= cut || cauchyLnF(base, nrpts, lnOmega, aScale, jMax) >= cut;
    const L = clipped ? n2 : rowPeriod(n2, nOut, a * widthPerA);
    const D = n2 / L;
    // The bins kept are the multiples of D where the exponent ≥ cut: an interval (concavity) that
    // contains floor(jp/D)·D or ceil(jp/D)·D if it contains any.
    const qMin = Math.ceil(1 / D);
    const qMax = Math.floor(jMax / D);
    let qp = Math.min(qMax, Math.max(qMin, Math.floor(jp / D)));
    if (cauchyLnF(base, nrpts, lnOmega, aScale, qp * D) < cut) qp++;
    if (qp > qMax || cauchyLnF(base, nrpts, lnOmega, aScale, qp * D) < cut) continue;
    let q0 = qp;
    while (q0 > qMin && cauchyLnF(base, nrpts, lnOmega, aScale, (q0 - 1) * D) >= cut) q0--;
    let q1 = qp;
    while (q1 < qMax && cauchyLnF(base, nrpts, lnOmega, aScale, (q1 + 1) * D) >= cut) q1++;
    const nb = q1 - q0 + 1;
    for (let b = 0; b < nb; b++) {
      const j = (q0 + b) * D;
      const f = Math.exp(cauchyLnF(base, nrpts, lnOmega, aScale, j));
      bandRe[b] = f * tRe[j];
      bandIm[b] = f * tIm[j];
    }
    finishRow(L === n2 ? planN : fftPlan(L), nb, q0, nOut, re, im, mag, i * nk);
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
  const x = new Float64Array(nk);
  for (let i = 0; i < nk; i++) x[i] = o.kweight !== 0 ? chi[i] * k[i] ** o.kweight : chi[i];
  const planN = fftPlan(N);
  fftPruned(planN, x, null, nk, -1, N);
  const XRe = planN.re.slice();
  const XIm = planN.im.slice();
  const rstep = o.rstep ?? Math.PI / (dk * N);
  const nr = Math.floor((o.rmaxOut - o.rmin) / rstep + 1e-9) + 1;
  const r = new Float64Array(nr);
  for (let i = 0; i < nr; i++) r[i] = o.rmin + i * rstep;
  const re = new Float64Array(nr * nk);
  const im = new Float64Array(nr * nk);
  const mag = new Float64Array(nr * nk);
  const { eta, sigma } = o;
  const dw = (2 * Math.PI) / (N * dk); // angular frequency step of the bins
  const zMax = Math.sqrt(-2 * LN_TAIL); // Gaussian below TAIL of its peak beyond zMax standard deviations
  const nOut = Math.min(nk, N);
  bandScratch(N);
  for (let i = 0; i < nr; i++) {
    const ri = r[i];
    if (ri <= 0) continue;
    const s = (eta * sigma) / (2 * ri);
    // W_m = √(2r/η)·Σ_n x_n h(k_m − k_n)·dk = √(2r/η)·IFFT(X·ĥ(ω))_m, since the DFT of h·dk ≈ ĥ(ω):
    // the dk of the integral cancels the 1/dk of the discrete transform.
    const pre = Math.sqrt((2 * ri) / eta) * (eta / (2 * ri));
    // Band of signed bins (−N/2, N/2] where the Gaussian exceeds TAIL of its peak (at ω = 2r).
    let jlo = Math.ceil((2 * ri - zMax / s) / dw);
    let jhi = Math.floor((2 * ri + zMax / s) / dw);
    const clipped = jlo <= -N / 2 || jhi > N / 2;
    jlo = Math.max(jlo, -N / 2 + 1);
    jhi = Math.min(jhi, N / 2);
    if (jhi < jlo) continue;
    // The kernel's Gaussian envelope in k is below TAIL beyond s·zMax (Å⁻¹).
    const L = clipped ? N : rowPeriod(N, nOut, (s * zMax) / dk);
    const D = N / L;
    const q0 = Math.ceil(jlo / D);
    const q1 = Math.floor(jhi / D);
    if (q1 < q0) continue;
    const nb = q1 - q0 + 1;
    for (let b = 0; b < nb; b++) {
      const js = (q0 + b) * D;
      const e = ((dw * js - 2 * ri) * s) ** 2 / 2;
      const f = pre * Math.exp(-e);
      const j = js < 0 ? js + N : js;
      bandRe[b] = f * XRe[j];
      bandIm[b] = f * XIm[j];
    }
    finishRow(L === N ? planN : fftPlan(L), nb, q0, nOut, re, im, mag, i * nk);
  }
  return { k: Float64Array.from(k), r, mag, re, im };
}
