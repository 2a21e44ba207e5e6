import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { lnGamma } from '@siteproof/core';
import { fftComplex } from '../math/fft';
import { cauchyWavelet, mapRows, morletWavelet } from './wavelet';

// Synthetic single shell: χ(k) = sin(2kR + φ)·exp(−2σ²k²), R = 2.5 Å, φ = 0.3, σ² = 0.005 Å².
const k = Float64Array.from({ length: 401 }, (_, i) => i * 0.05); // 0 … 20 Å⁻¹
const R = 2.5;
const S2 = 0.005;
const chi = Array.from(k, (v) => Math.sin(2 * v * R + 0.3) * Math.exp(-2 * S2 * v * v));

function argmax2(m: Float64Array, nk: number): { ir: number; ik: number } {
  let b = 0;
  for (let i = 1; i < m.length; i++) if (m[i] > m[b]) b = i;
  return { ir: Math.floor(b / nk), ik: b % nk };
}

describe('Morlet wavelet (Funke et al. 2005), by its defining properties', () => {
  it('property 1: the ridge lies at r = R (phase-uncorrected), within 2 R-grid steps', () => {
    const m = morletWavelet(k, chi, { kweight: 2, eta: 10, sigma: 1, rmaxOut: 6 });
    const { ir } = argmax2(m.mag, k.length);
    expect(Math.abs(m.r[ir] - R)).toBeLessThanOrEqual(2 * (m.r[1] - m.r[0]));
    // the same holds for every k column in the middle of the data
    for (const kk of [6, 9, 12]) {
      const ik = Math.round(kk / 0.05);
      let best = 0;
      for (let i = 1; i < m.r.length; i++) if (m.mag[i * k.length + ik] > m.mag[best * k.length + ik]) best = i;
      expect(Math.abs(m.r[best] - R)).toBeLessThanOrEqual(2 * (m.r[1] - m.r[0]));
    }
  });

  it('property 2: along the ridge |W| peaks where the k-weighted envelope k²·exp(−2σ²k²) does (k = 1/√(2σ²) = 10 Å⁻¹), within 0.3 Å⁻¹', () => {
    const m = morletWavelet(k, chi, { kweight: 2, eta: 10, sigma: 1, rmaxOut: 6 });
    const { ik } = argmax2(m.mag, k.length);
    expect(Math.abs(k[ik] - 1 / Math.sqrt(2 * S2))).toBeLessThanOrEqual(0.3);
  });

  it('property 3: |W| along the ridge follows the envelope: W(k, R) ≈ √(η/2R)·k²·A(k)/2 for a slowly varying amplitude', () => {
    // For χ = A(k)·sin(2kR+φ) and slowly varying A, the Gaussian band-pass at ω = 2R passes the
    // e^(i(2kR+φ)) half of the sine: |W(k, R)| = √(2R/η)·(η/2R)·k²A(k)/2.
    const kk = Float64Array.from({ length: 801 }, (_, i) => i * 0.05);
    const flat = Array.from(kk, (v) => Math.sin(2 * v * R));
    const m = morletWavelet(kk, flat, { kweight: 0, eta: 10, sigma: 1, rmin: R, rmaxOut: R + 0.01, rstep: 0.1 });
    const ik = Math.round(20 / 0.05);
    expect(m.mag[ik]).toBeCloseTo(Math.sqrt((2 * R) / 10) * (10 / (2 * R)) * 0.5, 3);
  });

  it('two shells at different R are resolved as two ridges', () => {
    const two = Array.from(k, (v) => Math.sin(2 * v * 1.5) + Math.sin(2 * v * 3.0));
    const m = morletWavelet(k, two, { kweight: 0, rmaxOut: 5 });
    const ik = Math.round(10 / 0.05);
    const col = m.r.map((_, i) => m.mag[i * k.length + ik]);
    const peaks = [];
    for (let i = 1; i < col.length - 1; i++) if (col[i] > col[i - 1] && col[i] >= col[i + 1] && col[i] > 0.3 * Math.max(...col)) peaks.push(m.r[i]);
    expect(peaks.length).toBe(2);
    expect(Math.abs(peaks[0] - 1.5)).toBeLessThan(0.07);
    expect(Math.abs(peaks[1] - 3.0)).toBeLessThan(0.07);
  });

  it('no NaN, zero row at r = 0, typed errors for bad input', () => {
    const m = morletWavelet(k, chi, { rmaxOut: 3 });
    expect(m.mag.every(Number.isFinite)).toBe(true);
    expect(m.mag.subarray(0, k.length).every((v) => v === 0)).toBe(true);
    expect(mapRows(m.mag, m.r.length, k.length)[1].length).toBe(k.length);
    expect(() => morletWavelet(k, chi, { rmin: 5, rmaxOut: 3 })).toThrow(ValidationError);
    expect(() => morletWavelet(k, chi, { eta: -1 })).toThrow(ValidationError);
    const uneven = Array.from(k, (v, i) => v + (i === 10 ? 0.01 : 0));
    expect(() => morletWavelet(uneven, chi)).toThrow(/uniform/);
  });
});

describe('Cauchy wavelet (Larch)', () => {
  it('R grid uses the hard-coded 2048 and the ridge of a single shell lies near R', () => {
    const w = cauchyWavelet(k, chi, { kweight: 2, rmaxOut: 6, nfft: 4096 });
    // rstep = (π/2048)/kstep regardless of nfft: nrpts = round((6 − 1e-7)/rstep) = 196
    expect(w.r.length).toBe(196);
    expect(w.r[0]).toBe(1e-19);
    const { ir } = argmax2(w.mag, k.length);
    expect(Math.abs(w.r[ir] - R)).toBeLessThan(0.15);
    expect(w.mag.every(Number.isFinite)).toBe(true);
  });
});

// The definitions computed the slow way (one full-length inverse FFT per row, filter on every bin,
// as Larch's cauchy_wavelet does with numpy): the band-limited, pruned and folded transforms of
// wavelet.ts must reproduce them to 1e-9 of the map maximum (we see ~1e-14).
function cauchyFull(kk: ArrayLike<number>, x: ArrayLike<number>, kweight: number, rmaxOut: number, nfft: number) {
  const kstep = Math.round(1000 * (kk[1] - kk[0])) / 1000;
  const rstep = Math.PI / 2048 / kstep;
  const nr = Math.round((rmaxOut - 1e-7) / rstep);
  const n2 = 2 * nfft;
  const data = new Float64Array(2 * n2);
  for (let i = 0; i < Math.min(kk.length, nfft / 2); i++) data[2 * i] = x[i] * kk[i] ** kweight;
  const t = fftComplex(data);
  const out = new Float64Array(nr * kk.length);
  const om = (2 * Math.PI) / (kstep * n2);
  for (let i = 0; i < nr; i++) {
    const r = i === 0 ? 1e-19 : (rmaxOut * i) / (nr - 1);
    const a = nr / (2 * r);
    const buf = new Float64Array(2 * n2);
    for (let j = 0; j < nfft; j++) {
      const aw = j === 0 ? 1e-19 : a * om * j;
      const f = Math.exp(Math.log(2 * Math.PI) - lnGamma(nr + 1) + nr * Math.log(aw) - aw);
      buf[2 * j] = f * t[2 * j];
      buf[2 * j + 1] = f * t[2 * j + 1];
    }
    const w = fftComplex(buf, true);
    for (let m = 0; m < Math.min(kk.length, n2); m++) out[i * kk.length + m] = Math.hypot(w[2 * m], w[2 * m + 1]);
  }
  return out;
}

function morletFull(kk: ArrayLike<number>, x: ArrayLike<number>, kweight: number, eta: number, sigma: number, rmaxOut: number, nfft: number) {
  const nk = kk.length;
  const dk = kk[1] - kk[0];
  let N = nfft;
  while (N < 2 * nk) N *= 2;
  const data = new Float64Array(2 * N);
  for (let i = 0; i < nk; i++) data[2 * i] = x[i] * kk[i] ** kweight;
  const X = fftComplex(data);
  const rstep = Math.PI / (dk * N);
  const nr = Math.floor(rmaxOut / rstep + 1e-9) + 1;
  const out = new Float64Array(nr * nk);
  for (let i = 1; i < nr; i++) {
    const r = i * rstep;
    const s = (eta * sigma) / (2 * r);
    const buf = new Float64Array(2 * N);
    for (let j = 0; j < N; j++) {
      const w = ((2 * Math.PI) / (N * dk)) * (j <= N / 2 ? j : j - N);
      const f = Math.sqrt((2 * r) / eta) * (eta / (2 * r)) * Math.exp(-(((w - 2 * r) * s) ** 2) / 2);
      buf[2 * j] = f * X[2 * j];
      buf[2 * j + 1] = f * X[2 * j + 1];
    }
    const o = fftComplex(buf, true);
    for (let m = 0; m < nk; m++) out[i * nk + m] = Math.hypot(o[2 * m], o[2 * m + 1]);
  }
  return out;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let mx = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    mx = Math.max(mx, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / mx;
}

describe('fast wavelet maps equal the full-length transforms (1e-9 of the map maximum)', () => {
  // Two shells plus a noise-like term, so that rows see signal at every R and the folded rows
  // would show any aliasing.
  const kk = Float64Array.from({ length: 361 }, (_, i) => i * 0.05);
  const x = Array.from(kk, (v, i) => Math.sin(2 * v * 1.9 + 0.2) * Math.exp(-0.01 * v * v) + 0.5 * Math.sin(2 * v * 4.4) + 0.05 * Math.sin(i * i * 0.7));
  it.each([
    [2, 6, 2048],
    [0, 10, 2048],
    [3, 4, 1024],
    [1, 8, 4096],
  ])('Cauchy kweight %i, rmaxOut %i, nfft %i', (kweight, rmaxOut, nfft) => {
    const w = cauchyWavelet(kk, x, { kweight, rmaxOut, nfft });
    expect(maxRelDiff(w.mag, cauchyFull(kk, x, kweight, rmaxOut, nfft))).toBeLessThan(1e-9);
  });
  it('Cauchy on a short k range (fewer points than nfft/2 and than one folded period)', () => {
    const short = kk.subarray(0, 120);
    const w = cauchyWavelet(short, x.slice(0, 120), { kweight: 2, rmaxOut: 6 });
    expect(maxRelDiff(w.mag, cauchyFull(short, x.slice(0, 120), 2, 6, 2048))).toBeLessThan(1e-9);
  });
  it.each([
    [2, 10, 1, 6, 2048],
    [0, 5, 0.5, 8, 2048],
    [1, 20, 2, 4, 1024],
  ])('Morlet kweight %i, η %i, σ %f, rmaxOut %i, nfft %i', (kweight, eta, sigma, rmaxOut, nfft) => {
    const m = morletWavelet(kk, x, { kweight, eta, sigma, rmaxOut, nfft });
    expect(maxRelDiff(m.mag, morletFull(kk, x, kweight, eta, sigma, rmaxOut, nfft))).toBeLessThan(1e-9);
  });
});
