// The other users of the pruned FFT (xftr, feffit's xftfFast/xftrFast, the Cauchy and Morlet
// wavelets) give the same bits with the WebAssembly stages (assembly/fft.ts) as with the JS ones.
import { afterEach, describe, expect, it } from 'vitest';
import { setWasmEnabled } from '../wasm/instance';
import { prunedFftWasmActive } from '../math/prunedFft';
import { xftf, xftfFast } from './xftf';
import { xftr, xftrFast } from './xftr';
import { cauchyWavelet, morletWavelet } from './wavelet';

const k = Float64Array.from({ length: 361 }, (_, i) => 0.05 * i);
const chi = Float64Array.from(k, (v) => Math.sin(2 * 2.5 * v + 0.3) * Math.exp(-0.01 * v * v) + 0.4 * Math.sin(2 * 3.7 * v) / (1 + v));

function same<T>(f: () => T, pick: (t: T) => ArrayLike<number>[]): void {
  setWasmEnabled(false);
  const js = pick(f()).map((a) => Array.from(a));
  setWasmEnabled(true);
  const wa = pick(f()).map((a) => Array.from(a));
  expect(wa).toEqual(js);
}

describe('prunedFft users: WebAssembly and JS give the same bits', () => {
  afterEach(() => setWasmEnabled(true));

  it('the WebAssembly path runs here', () => {
    expect(prunedFftWasmActive()).toBe(true);
  });

  it('xftr (complex and real χ(R), several ranges)', () => {
    const ft = xftf(k, chi, { kmin: 2, kmax: 16, window: 'hanning', kweight: 2, rmaxOut: 30 });
    same(() => xftr(ft.r, ft.chirRe, ft.chirIm, { rmin: 1, rmax: 3.2, dr: 0.1, window: 'hanning' }), (q) => [q.chiqRe, q.chiqIm, q.chiqMag]);
    same(() => xftr(ft.r, ft.chirRe, undefined, { rmin: 0.5, rmax: 6, dr: 0.5, rweight: 1, qmaxOut: 18, nfft: 1024 }), (q) => [q.chiqRe, q.chiqIm, q.chiqMag]);
  });

  it("feffit's xftfFast / xftrFast", () => {
    const c = Float64Array.from(chi, (v, i) => v * k[i] ** 2 * Math.sin((Math.PI * i) / chi.length));
    same(() => xftfFast(c, 2048, 0.05), (t) => [t.re, t.im]);
    const f = xftfFast(c, 2048, 0.05);
    same(() => xftrFast(f.re, f.im, 2048, 0.05, 400), (t) => [t.re, t.im]);
  });

  it('Cauchy and Morlet wavelets', () => {
    same(() => cauchyWavelet(k, chi, { kweight: 2, rmaxOut: 8 }), (m) => [m.re, m.im, m.mag]);
    same(() => morletWavelet(k, chi, { kweight: 2, rmaxOut: 6 }), (m) => [m.re, m.im, m.mag]);
    same(() => morletWavelet(k, chi, { kweight: 1, eta: 6, sigma: 0.7, rmin: 1, rmaxOut: 5, nfft: 4096 }), (m) => [m.re, m.im, m.mag]);
  });
});
