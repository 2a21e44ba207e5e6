// Power-of-two FFTs for the XAFS transforms. We use fft.js rather than ml-fft: fft.js keeps its
// twiddle tables in an instance (ml-fft has one global size set by FFT.init, unsafe when two
// sizes are in use, e.g. nfft and 2·nfft in the Cauchy wavelet), works on interleaved
// Float64Arrays without copying, and has a real-input transform (radix-4; ml-fft is radix-2 on
// separate re/im arrays), which matters in the per-spectrum pipeline.
// Convention (checked in fft.test.ts): forward X_j = Σ x_n e^(−2πi·nj/N), inverse includes 1/N,
// the same as numpy/scipy.fftpack, which Larch uses.
// The per-spectrum XAFS transforms (xftf, xftr, the wavelet rows) use prunedFft.ts instead: their
// inputs are mostly zero-padding and only a prefix of the outputs is wanted, which fft.js cannot
// exploit (and its realTransform measured slower than its complex transform of half the size).
import FFTJS from 'fft.js';
import { ValidationError } from '@siteproof/core';

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

const cache = new Map<number, FFTJS>();

function plan(n: number): FFTJS {
  let f = cache.get(n);
  if (!f) {
    if (!isPowerOfTwo(n)) throw new ValidationError(`FFT length must be a power of two ≥ 2 (got ${n})`, { field: 'nfft' });
    f = new FFTJS(n);
    cache.set(n, f);
  }
  return f;
}

/**
 * Complex FFT of length n on interleaved [re0, im0, re1, im1, …] data (length 2n).
 * `inverse` gives the inverse transform including the 1/n factor.
 */
export function fftComplex(data: Float64Array, inverse = false, out?: Float64Array): Float64Array {
  const n = data.length / 2;
  const f = plan(n);
  const o = out ?? new Float64Array(2 * n);
  if (inverse) f.inverseTransform(o, data);
  else f.transform(o, data);
  return o;
}

const realScratch = new Map<number, { inp: Float64Array; out: Float64Array }>();

/**
 * Forward FFT of a real sequence zero-padded to length n (power of two); returns the first
 * `nOut` (≤ n/2 + 1, default n/2) bins as interleaved complex values.
 */
export function rfft(x: ArrayLike<number>, n: number, nOut = n / 2, out?: Float64Array): Float64Array {
  const f = plan(n);
  if (x.length > n) throw new ValidationError(`rfft: ${x.length} points do not fit in an FFT of length ${n}`, { field: 'nfft' });
  if (nOut > n / 2 + 1) throw new ValidationError(`rfft: at most n/2+1 bins (asked ${nOut})`, { field: 'nOut' });
  let s = realScratch.get(n);
  if (!s) {
    s = { inp: new Float64Array(n), out: new Float64Array(2 * n) };
    realScratch.set(n, s);
  }
  s.inp.fill(0);
  for (let i = 0; i < x.length; i++) s.inp[i] = x[i];
  f.realTransform(s.out, s.inp);
  const o = out ?? new Float64Array(2 * nOut);
  o.set(s.out.subarray(0, 2 * nOut));
  return o;
}
