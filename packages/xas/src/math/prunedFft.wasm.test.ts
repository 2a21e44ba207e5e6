// The WebAssembly stages (assembly/fft.ts) give the same bits as the JS stages of prunedFft.ts for
// every stage mix: compact radix-4 or copied first stage, full and pruned radix-4, full and half
// radix-2 butterflies, odd pair boundaries, both signs, real and complex inputs.
import { afterEach, describe, expect, it } from 'vitest';
import { setWasmEnabled } from '../wasm/instance';
import { fftPlan, fftPruned, prunedFftWasmActive, rfftPruned } from './prunedFft';

let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};
const noise = (len: number) => Float64Array.from({ length: len }, rnd);

function complexBoth(n: number, re: Float64Array, im: Float64Array | null, len: number, sign: -1 | 1, nOut: number) {
  const plan = fftPlan(n);
  const out: Record<string, number[][]> = {};
  for (const on of [false, true]) {
    setWasmEnabled(on);
    plan.re.fill(NaN);
    plan.im.fill(NaN);
    fftPruned(plan, re, im, len, sign, nOut);
    out[String(on)] = [Array.from(plan.re.subarray(0, nOut)), Array.from(plan.im.subarray(0, nOut))];
  }
  return out;
}

function realBoth(n: number, x: ArrayLike<number>, len: number, nOut: number, scale: number) {
  const out: Record<string, number[][]> = {};
  for (const on of [false, true]) {
    setWasmEnabled(on);
    const re = new Float64Array(nOut);
    const im = new Float64Array(nOut);
    rfftPruned(x, len, n, nOut, scale, re, im);
    out[String(on)] = [Array.from(re), Array.from(im)];
  }
  return out;
}

describe('pruned FFT: WebAssembly and JS give the same bits', () => {
  afterEach(() => setWasmEnabled(true));

  it('the WebAssembly path runs here (Node has WebAssembly SIMD)', () => {
    setWasmEnabled(true);
    expect(prunedFftWasmActive()).toBe(true);
  });

  it('complex transforms: every support and output prefix on n = 2…256', () => {
    for (const n of [2, 4, 8, 16, 32, 64, 256]) {
      for (const len of new Set([1, 2, 3, 5, n >> 3, n >> 2, (n >> 1) + 1, n - 1, n].filter((v) => v >= 1 && v <= n))) {
        const re = noise(len);
        const im = noise(len);
        for (const sign of [-1, 1] as const) {
          for (let nOut = 1; nOut <= n; nOut += n >= 64 ? 5 : 1) {
            const o = complexBoth(n, re, im, len, sign, nOut);
            expect(o.true).toEqual(o.false);
            const r = complexBoth(n, re, null, len, sign, nOut);
            expect(r.true).toEqual(r.false);
          }
        }
      }
    }
  });

  it('complex transforms of length 2048 (xftr, wavelet sizes), plain arrays as input', () => {
    const re = Array.from(noise(700));
    const im = Array.from(noise(700));
    for (const [len, nOut] of [[700, 2048], [700, 601], [300, 1024], [40, 333], [2048 - 1348, 1]] as const) {
      const o = complexBoth(2048, Float64Array.from(re), Float64Array.from(im), len, 1, nOut);
      expect(o.true).toEqual(o.false);
    }
  });

  it('real transforms: xftf sizes and every output count on small n', () => {
    for (const [n, len, nOut] of [
      [2048, 251, 326],
      [2048, 252, 326],
      [2048, 401, 1025],
      [2048, 2048, 1025],
      [2048, 1, 2],
      [1024, 333, 513],
      [4096, 1000, 700],
    ] as const) {
      const o = realBoth(n, noise(len), len, nOut, 0.05 / Math.sqrt(Math.PI));
      expect(o.true).toEqual(o.false);
    }
    for (const n of [4, 8, 16, 64]) {
      for (let len = 1; len <= n; len++) {
        const x = Array.from(noise(len));
        for (let nOut = 1; nOut <= n / 2 + 1; nOut++) {
          const o = realBoth(n, x, len, nOut, 1.5);
          expect(o.true).toEqual(o.false);
        }
      }
    }
  });

  it('plans of many sizes (cache eviction by count and by memory) keep giving the same bits', () => {
    for (let rep = 0; rep < 2; rep++) {
      for (const b of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 4, 17, 5]) {
        const n = 2 ** b;
        const len = Math.max(1, n >> 3);
        const o = complexBoth(n, noise(len), noise(len), len, -1, Math.min(n, 700));
        expect(o.true).toEqual(o.false);
      }
    }
  });
});
