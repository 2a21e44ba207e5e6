import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { fftComplex, isPowerOfTwo, rfft } from './fft';

/** Direct O(N²) DFT, the definition used by numpy: X_j = Σ x_n e^(−2πi nj/N). */
function dft(re: number[], im: number[]): { re: number[]; im: number[] } {
  const n = re.length;
  const R: number[] = [];
  const I: number[] = [];
  for (let j = 0; j < n; j++) {
    let a = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      const t = (-2 * Math.PI * j * k) / n;
      a += re[k] * Math.cos(t) - im[k] * Math.sin(t);
      b += re[k] * Math.sin(t) + im[k] * Math.cos(t);
    }
    R.push(a);
    I.push(b);
  }
  return { re: R, im: I };
}

describe('fft', () => {
  const n = 64;
  const re = Array.from({ length: n }, (_, i) => Math.sin(0.3 * i) + 0.1 * i);
  const im = Array.from({ length: n }, (_, i) => Math.cos(1.7 * i));

  it('complex forward transform equals the e^(−2πi nj/N) DFT and the inverse round-trips', () => {
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = re[i];
      data[2 * i + 1] = im[i];
    }
    const X = fftComplex(data);
    const ref = dft(re, im);
    for (let j = 0; j < n; j++) {
      expect(X[2 * j]).toBeCloseTo(ref.re[j], 9);
      expect(X[2 * j + 1]).toBeCloseTo(ref.im[j], 9);
    }
    const back = fftComplex(X, true);
    for (let i = 0; i < 2 * n; i++) expect(back[i]).toBeCloseTo(data[i], 12);
  });

  it('real transform of a zero-padded sequence equals the DFT bins 0..n/2', () => {
    const x = re.slice(0, 40);
    const X = rfft(x, n, n / 2 + 1);
    const ref = dft([...x, ...new Array(n - 40).fill(0)], new Array(n).fill(0));
    for (let j = 0; j <= n / 2; j++) {
      expect(X[2 * j]).toBeCloseTo(ref.re[j], 9);
      expect(X[2 * j + 1]).toBeCloseTo(ref.im[j], 9);
    }
  });

  it('rejects lengths that are not powers of two', () => {
    expect(isPowerOfTwo(2048)).toBe(true);
    expect(isPowerOfTwo(1000)).toBe(false);
    expect(() => fftComplex(new Float64Array(2 * 12))).toThrow(ValidationError);
    expect(() => rfft([1, 2, 3], 6)).toThrow(ValidationError);
    expect(() => rfft(new Array(10).fill(1), 8)).toThrow(ValidationError);
  });
});
