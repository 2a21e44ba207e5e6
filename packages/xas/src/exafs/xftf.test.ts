import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { complexPhase, npInterp, xftf, xftfFast } from './xftf';
import { ftwindow } from './ftwindow';
import { xftr, xftrFast } from './xftr';

const k = Float64Array.from({ length: 341 }, (_, i) => 0.05 * i); // 0 … 17 Å⁻¹

describe('xftf / xftfFast (Larch normalisation)', () => {
  it('a unit impulse at k_n transforms to kstep/√π·e^(−2πi nj/nfft)', () => {
    const c = new Float64Array(100);
    c[10] = 1;
    const { re, im } = xftfFast(c, 2048, 0.05);
    const s = 0.05 / Math.sqrt(Math.PI);
    for (const j of [0, 1, 37, 500]) {
      const ph = (-2 * Math.PI * 10 * j) / 2048;
      expect(re[j]).toBeCloseTo(s * Math.cos(ph), 14);
      expect(im[j]).toBeCloseTo(s * Math.sin(ph), 14);
    }
  });

  it('a single shell sin(2kR) gives |χ(R)| peaking at R (grid π/(kstep·nfft)), R up to rmaxOut', () => {
    const R = 2.3;
    const chi = Array.from(k, (v) => Math.sin(2 * v * R) * Math.exp(-0.005 * v * v));
    const t = xftf(k, chi, { kmin: 3, kmax: 15, dk: 1, window: 'hanning', kweight: 2, rmaxOut: 8, withPhase: true });
    const rstep = Math.PI / (0.05 * 2048);
    expect(t.r[1]).toBeCloseTo(rstep, 14);
    expect(t.r[t.r.length - 1]).toBeLessThanOrEqual(8 + rstep);
    let best = 0;
    for (let i = 1; i < t.r.length; i++) if (t.chirMag[i] > t.chirMag[best]) best = i;
    expect(Math.abs(t.r[best] - R)).toBeLessThanOrEqual(rstep);
    expect(t.chirPhase!.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < t.r.length; i++) expect(Math.abs(t.chirMag[i] - Math.hypot(t.chirRe[i], t.chirIm[i]))).toBeLessThanOrEqual(1e-14 * (1 + t.chirMag[i]));
  });

  it('xftr with the 0.5 factor returns the windowed k^w χ(k) in Re χ(q); xftrFast is twice that', () => {
    const chi = Array.from(k, (v) => Math.sin(2 * v * 2.5) / (1 + v));
    const t = xftf(k, chi, { kmin: 3, kmax: 14, dk: 1, window: 'hanning', kweight: 1, rmaxOut: 30 });
    const q = xftr(t.r, t.chirRe, t.chirIm, { rmin: 0, rmax: 29, dr: 0.5, window: 'hanning' });
    // Exact up to the truncation of χ(R) at 30 Å and its R window: agreement to 2 % of the maximum.
    let mx = 0;
    for (let i = 0; i < 300; i++) mx = Math.max(mx, Math.abs(t.kwin[i] * k[i] * chi[i]));
    for (let i = 0; i < 300; i++) expect(Math.abs(q.chiqRe[i] - t.kwin[i] * k[i] * chi[i])).toBeLessThan(0.02 * mx);
    const re = Float64Array.from(t.chirRe, (v, i) => v * q.rwin[i]);
    const im = Float64Array.from(t.chirIm, (v, i) => v * q.rwin[i]);
    const f = xftrFast(re, im, 2048, Math.PI / ((t.r[1] - t.r[0]) * 2048), 300);
    for (let i = 0; i < 300; i += 7) {
      expect(f.re[i]).toBeCloseTo(2 * q.chiqRe[i], 12);
      expect(f.im[i]).toBeCloseTo(2 * q.chiqIm[i], 12);
    }
  });

  it('equals the direct sum (kstep/√π)·Σ w_n k_n^w χ_n e^(−2πi nj/nfft) to 1e-12 of max |χ(R)| (pruned FFT)', () => {
    // Non-uniform input k, so χ goes through np.interp onto kstep·[0, 1, …] as in Larch.
    const kk = Float64Array.from({ length: 300 }, (_, i) => 0.057 * i + 0.001 * Math.sin(i));
    const chi = Array.from(kk, (v) => Math.sin(2 * v * 1.9 + 0.4) * Math.exp(-0.01 * v * v) + 0.3 * Math.sin(2 * v * 3.1));
    for (const [nfft, window, dk] of [[2048, 'hanning', 1], [4096, 'kaiser', 4], [1024, 'sine', 0.5]] as const) {
      const o = { kmin: 2, kmax: 14, dk, window, kweight: 3, kstep: 0.05, nfft, rmaxOut: 12 };
      const t = xftf(kk, chi, o);
      const n = Math.trunc(1.01 + kk[kk.length - 1] / 0.05);
      const kg = Float64Array.from({ length: n }, (_, i) => 0.05 * i);
      const w = ftwindow(kg, { xmin: 2, xmax: 14, dx: dk, window });
      const c = Array.from(npInterp(kg, kk, chi), (v, i) => v * kg[i] ** 3 * w[i]);
      const mx = Math.max(...t.chirMag);
      for (let j = 0; j < t.r.length; j++) {
        let a = 0;
        let b = 0;
        for (let m = 0; m < n; m++) {
          const ph = (-2 * Math.PI * ((m * j) % nfft)) / nfft;
          a += c[m] * Math.cos(ph);
          b += c[m] * Math.sin(ph);
        }
        const s = 0.05 / Math.sqrt(Math.PI);
        expect(Math.abs(t.chirRe[j] - s * a)).toBeLessThanOrEqual(1e-12 * mx);
        expect(Math.abs(t.chirIm[j] - s * b)).toBeLessThanOrEqual(1e-12 * mx);
      }
    }
  });

  it('xftrFast equals the direct sum (4√π/kstep)·(1/nfft)·Σ c_j e^(+2πi jn/nfft) to 1e-12 of its maximum (pruned FFT)', () => {
    // χ(R) with trailing zeros (an R window) and q outputs up to nOut only: both are pruned.
    const n = 400;
    const re = Float64Array.from({ length: n }, (_, j) => (j < 260 ? Math.sin(0.05 * j) * Math.exp(-j / 90) : 0));
    const im = Float64Array.from({ length: n }, (_, j) => (j < 260 ? Math.cos(0.11 * j) / (1 + j) : 0));
    const nfft = 2048;
    const nOut = 601;
    const f = xftrFast(re, im, nfft, 0.05, nOut);
    const s = (4 * Math.sqrt(Math.PI)) / 0.05 / nfft;
    const dre: number[] = [];
    const dim: number[] = [];
    for (let q = 0; q < nOut; q++) {
      let a = 0;
      let b = 0;
      for (let j = 0; j < n; j++) {
        const ph = (2 * Math.PI * ((j * q) % nfft)) / nfft;
        a += re[j] * Math.cos(ph) - im[j] * Math.sin(ph);
        b += re[j] * Math.sin(ph) + im[j] * Math.cos(ph);
      }
      dre.push(s * a);
      dim.push(s * b);
    }
    const mx = Math.max(...dre.map(Math.abs), ...dim.map(Math.abs));
    for (let q = 0; q < nOut; q++) {
      expect(Math.abs(f.re[q] - dre[q])).toBeLessThanOrEqual(1e-12 * mx);
      expect(Math.abs(f.im[q] - dim[q])).toBeLessThanOrEqual(1e-12 * mx);
    }
  });

  it('phase unwrapping removes jumps of π', () => {
    const re = [1, -1, -1, 1];
    const im = [0.1, 0.1, -0.1, -0.1];
    const p = complexPhase(re, im);
    for (let i = 1; i < p.length; i++) expect(Math.abs(p[i] - p[i - 1])).toBeLessThan(Math.PI / 2 + 0.2);
  });

  it('npInterp is linear with constant extrapolation', () => {
    expect(Array.from(npInterp([-1, 0.5, 3], [0, 1, 2], [10, 20, 40]))).toEqual([10, 15, 40]);
  });

  it('rejects kmin ≥ kmax, kmin beyond the data, unknown windows and bad arrays', () => {
    const chi = new Float64Array(k.length);
    expect(() => xftf(k, chi, { kmin: 12, kmax: 3 })).toThrow(ValidationError);
    expect(() => xftf(k, chi, { kmin: 18, kmax: 19 })).toThrow(/beyond the data/);
    expect(() => xftf(k, chi, { window: 'boxcar' })).toThrow(ValidationError);
    expect(() => xftf(k, chi.subarray(1))).toThrow(ValidationError);
    expect(() => xftf(k, Float64Array.from(chi, (_, i) => (i === 5 ? NaN : 0)))).toThrow();
    expect(() => xftf(k, chi, { nfft: 1000 })).toThrow(ValidationError);
  });
});
