import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { fftPlan, fftPruned, rfftPruned } from './prunedFft';

/** Direct O(N²) DFT with e^(sign·2πi·mj/N), no scaling (numpy's forward for sign −1). */
function dft(re: ArrayLike<number>, im: ArrayLike<number>, n: number, sign: number): { re: number[]; im: number[] } {
  const R: number[] = [];
  const I: number[] = [];
  for (let j = 0; j < n; j++) {
    let a = 0;
    let b = 0;
    for (let m = 0; m < re.length; m++) {
      const t = (sign * 2 * Math.PI * ((m * j) % n)) / n;
      a += re[m] * Math.cos(t) - im[m] * Math.sin(t);
      b += re[m] * Math.sin(t) + im[m] * Math.cos(t);
    }
    R.push(a);
    I.push(b);
  }
  return { re: R, im: I };
}

const seq = (len: number, f: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(f * i + 0.3) + 0.01 * i);

describe('pruned FFT', () => {
  // Every (support, output-prefix) combination exercises a different mix of copied, radix-4,
  // radix-2 and half-butterfly stages. Tolerance 1e-13 of the largest bin: rounding only.
  it.each([
    [64, 64, 64, -1],
    [64, 10, 64, 1],
    [64, 1, 7, -1],
    [256, 33, 100, 1],
    [256, 200, 5, -1],
    [128, 128, 65, 1],
    [512, 300, 601 - 512 + 200, -1],
    [2, 2, 2, 1],
  ] as const)('n=%i, support %i, first %i outputs, sign %i equal the direct DFT', (n, len, nOut, sign) => {
    const re = seq(len, 0.37);
    const im = seq(len, 1.3);
    const ref = dft(re, im, n, sign);
    const plan = fftPlan(n);
    fftPruned(plan, re, im, len, sign, nOut);
    const mx = Math.max(...ref.re.map(Math.abs), ...ref.im.map(Math.abs));
    for (let j = 0; j < nOut; j++) {
      expect(Math.abs(plan.re[j] - ref.re[j])).toBeLessThanOrEqual(1e-13 * mx);
      expect(Math.abs(plan.im[j] - ref.im[j])).toBeLessThanOrEqual(1e-13 * mx);
    }
  });

  it('every output-prefix length from 1 to n, for several supports (all stage-pruning cases)', () => {
    const n = 256;
    const plan = fftPlan(n);
    for (const len of [1, 5, 16, 64, 200, 256]) {
      const re = seq(len, 0.61);
      const im = seq(len, 2.1);
      for (const sign of [-1, 1] as const) {
        const ref = dft(re, im, n, sign);
        const mx = Math.max(...ref.re.map(Math.abs), ...ref.im.map(Math.abs));
        for (let nOut = 1; nOut <= n; nOut += 7) {
          fftPruned(plan, re, im, len, sign, nOut);
          for (let j = 0; j < nOut; j++) {
            expect(Math.abs(plan.re[j] - ref.re[j])).toBeLessThanOrEqual(1e-13 * mx);
            expect(Math.abs(plan.im[j] - ref.im[j])).toBeLessThanOrEqual(1e-13 * mx);
          }
        }
      }
    }
  });

  it('a null imaginary part is a real input', () => {
    const re = seq(50, 0.9);
    const ref = dft(re, new Float64Array(50), 128, -1);
    const plan = fftPlan(128);
    fftPruned(plan, re, null, 50, -1, 128);
    for (let j = 0; j < 128; j++) expect(plan.re[j]).toBeCloseTo(ref.re[j], 11);
  });

  it.each([
    [2048, 251, 326],
    [2048, 2048, 1025],
    [64, 1, 33],
    [64, 33, 20],
    [8, 8, 5],
  ] as const)('real n=%i with %i points: bins < %i equal the direct DFT times the scale', (n, len, nOut) => {
    const x = seq(len, 0.21);
    const ref = dft(x, new Float64Array(len), n, -1);
    const re = new Float64Array(nOut);
    const im = new Float64Array(nOut);
    rfftPruned(x, len, n, nOut, 0.5, re, im);
    const mx = Math.max(...ref.re.map(Math.abs), ...ref.im.map(Math.abs));
    for (let j = 0; j < nOut; j++) {
      expect(Math.abs(re[j] - 0.5 * ref.re[j])).toBeLessThanOrEqual(1e-13 * mx);
      expect(Math.abs(im[j] - 0.5 * ref.im[j])).toBeLessThanOrEqual(1e-13 * mx);
    }
  });

  it('rejects bad sizes', () => {
    expect(() => fftPlan(1000)).toThrow(ValidationError);
    expect(() => rfftPruned([1, 2, 3], 3, 2, 1, 1, new Float64Array(1), new Float64Array(1))).toThrow(ValidationError);
    expect(() => rfftPruned([1, 2], 2, 8, 6, 1, new Float64Array(6), new Float64Array(6))).toThrow(ValidationError);
  });
});
