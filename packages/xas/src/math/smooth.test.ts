import { describe, expect, it } from 'vitest';
import { convValidDirect, convValidFft, smooth, smoothApprox } from './smooth';
import { setWasmEnabled, wasmEnabled } from '../wasm/instance';

const x = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9];
const y = x.map((v) => Math.sin(v) + 0.1 * v * v);

describe('smooth (Larch smooth, Lorentzian)', () => {
  it('matches Larch smooth(x, y, sigma=0.5, xstep=0.3) (numpy 2.4.6 run of the same algorithm)', () => {
    const ref = [1.1597020308379737, 1.2097938402554123, 1.3134236683456506, 1.3133897337849543, 1.299250114056013, 1.4399745827517523, 2.7623988822279992, 3.4742396128949458, 3.6335409847559763, 6.262761898409085];
    const got = smooth(x, y, { sigma: 0.5, xstep: 0.3 });
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 12);
  });
  it('matches Larch smooth(x, y) with its defaults (xstep = min step, sigma = 1)', () => {
    const ref = [1.2920032088448516, 1.3160383201785457, 1.3881876520801477, 1.395714180424167, 1.5478460085005652, 1.721869435242026, 2.8788262677773755, 3.4462967288637127, 3.5665649946970914, 5.424363366102068];
    const got = smooth(x, y);
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 12);
  });
  it('leaves a constant unchanged', () => {
    const got = smooth([0, 1, 2, 3, 4, 5], [2, 2, 2, 2, 2, 2], { sigma: 1.5 });
    for (const v of got) expect(v).toBeCloseTo(2, 12);
  });
  it('FFT and direct convolutions agree with a plain numpy-style valid convolution to 1e-14 of max|y| (large grid)', () => {
    // The Lorentzian tail decays as 1/d², so the kernel cannot be truncated without an error far
    // above rounding (the tail beyond D steps holds ≈ 2σ/(πD) of the weight): the speed-up is an
    // FFT convolution of the full kernel, exact up to rounding, which this test bounds.
    const npts = 700;
    const y1 = Float64Array.from({ length: 3 * npts - 1 }, (_, i) => Math.sin(i / 17) + 0.3 * Math.cos(i / 3.1) + (i % 7) * 0.01);
    const w = new Float64Array(2 * npts);
    let wsum = 0;
    for (let j = 0; j < w.length; j++) wsum += w[j] = 1 / (1 + ((j - npts) / 1.3) ** 2);
    for (let j = 0; j < w.length; j++) w[j] /= wsum;
    const naive = new Float64Array(npts);
    for (let k = 0; k < npts; k++) {
      let s = 0;
      for (let j = 0; j < w.length; j++) s += w[j] * y1[k + w.length - 1 - j];
      naive[k] = s;
    }
    const fft = convValidFft(y1, w, npts);
    const direct = convValidDirect(y1, w, npts);
    let scale = 0;
    for (const v of naive) scale = Math.max(scale, Math.abs(v));
    let dF = 0;
    let dD = 0;
    for (let k = 0; k < npts; k++) {
      dF = Math.max(dF, Math.abs(fft[k] - naive[k]));
      dD = Math.max(dD, Math.abs(direct[k] - naive[k]));
    }
    expect(dF / scale).toBeLessThan(1e-14);
    expect(dD / scale).toBeLessThan(1e-14);
  });
  it('direct convolution computed in pairs gives the same bits as the one-point formula in its fixed summation order (any need mask, odd and even grids)', () => {
    // find_e0's E0 depends on these exact values, so the pairing must not change a single bit:
    // reference = h0·y1[m] + h_npts·y1[k+2npts−1] accumulated in two chains (odd t, even t) as documented.
    for (const npts of [2, 3, 9, 88, 89]) {
      const y1 = Float64Array.from({ length: 3 * npts - 1 }, (_, i) => Math.sin(i * 0.77) + 0.01 * i);
      const w = new Float64Array(2 * npts);
      let wsum = 0;
      for (let j = 0; j < w.length; j++) wsum += w[j] = 1 / (1 + ((j - npts) / 1.1) ** 2);
      for (let j = 0; j < w.length; j++) w[j] /= wsum;
      const one = (k: number): number => {
        const m = k + npts - 1;
        let s0 = w[npts] * y1[m];
        let s1 = w[0] * y1[k + 2 * npts - 1];
        let t = 1;
        for (; t + 1 < npts; t += 2) {
          s0 += w[npts + t] * (y1[m - t] + y1[m + t]);
          s1 += w[npts + t + 1] * (y1[m - t - 1] + y1[m + t + 1]);
        }
        for (; t < npts; t++) s0 += w[npts + t] * (y1[m - t] + y1[m + t]);
        return s0 + s1;
      };
      const masks: (Uint8Array | undefined)[] = [undefined, Uint8Array.from({ length: npts }, (_, i) => (i % 3 === 1 ? 0 : 1)), Uint8Array.from({ length: npts }, (_, i) => (i % 2 ? 1 : 0))];
      for (const need of masks) {
        const got = convValidDirect(y1, w, npts, need);
        for (let k = 0; k < npts; k++) expect(Object.is(got[k], !need || need[k] ? one(k) : 0)).toBe(true);
      }
    }
  });
  it('smooth on a fine grid (FFT path) equals a plain re-implementation of Larch smooth with numpy-style sums to 1e-14', () => {
    // 132 points over 228 eV with xstep = sigma = 0.43 eV: find_e0's pass 2 on cu_metal_rt (539 grid points).
    const xs = Float64Array.from({ length: 132 }, (_, i) => 8900 + i * 1.73 + 0.2 * Math.sin(i));
    const ys = Float64Array.from(xs, (v) => 1 / (1 + ((v - 8980) / 2) ** 2) + 0.01 * Math.sin(v / 3));
    const xstep = 0.43;
    const got = smooth(xs, ys, { xstep, sigma: xstep });
    // reference: grid, kernel, mirror padding, full 'valid' sum, linear interpolation (as numpy/Larch)
    const xmin = xstep * Math.trunc((xs[0] - 5 * xstep) / xstep);
    const xmax = xstep * Math.trunc((xs[xs.length - 1] + 5 * xstep) / xstep);
    const npts = 1 + Math.trunc(Math.abs(xmax - xmin + 0.1 * xstep) / xstep);
    expect(npts).toBeGreaterThan(256);
    const x0 = Array.from({ length: npts }, (_, i) => (i === npts - 1 ? xmax : i * ((xmax - xmin) / (npts - 1)) + xmin));
    const lin = (xa: ArrayLike<number>, ya: ArrayLike<number>, q: number) => {
      if (q <= xa[0]) return ya[0];
      if (q >= xa[xa.length - 1]) return ya[ya.length - 1];
      let j = 0;
      while (xa[j + 1] <= q) j++;
      return ((ya[j + 1] - ya[j]) / (xa[j + 1] - xa[j])) * (q - xa[j]) + ya[j];
    };
    const y0 = x0.map((q) => lin(xs, ys, q));
    const w = Array.from({ length: 2 * npts }, (_, j) => 1 / (1 + (j - npts) ** 2));
    const ws = w.reduce((a, b) => a + b, 0);
    const y1 = [...y0.slice(1).reverse(), ...y0, ...y0.slice().reverse()];
    const y2 = Array.from({ length: npts }, (_, k) => {
      let acc = 0;
      for (let j = 0; j < w.length; j++) acc += (w[j] / ws) * y1[k + w.length - 1 - j];
      return acc;
    });
    let scale = 0;
    let dmax = 0;
    for (let i = 0; i < xs.length; i++) {
      const ref = lin(x0, y2, xs[i]);
      scale = Math.max(scale, Math.abs(ref));
      dmax = Math.max(dmax, Math.abs(got[i] - ref));
    }
    expect(dmax / scale).toBeLessThan(1e-14);
  });
  it('smoothApprox: no matrix until enough calls pay for it; then the matrix product is within its bound (and 1e-14 of max|y|) of smooth()', () => {
    const xs = Float64Array.from({ length: 120 }, (_, i) => 7100 + i * 1.9 + 0.3 * Math.cos(i));
    const opts = { xstep: 0.41, sigma: 0.41 };
    const out = new Float64Array(xs.length);
    const y = (c: number) => Float64Array.from(xs, (v, i) => 1 / (1 + ((v - 7180 - c) / 3) ** 2) + 0.02 * Math.sin(i * 1.7 + c));
    expect(smoothApprox(xs, y(0), opts, out)).toBe(-1); // plan made now, nothing cached before
    expect(smoothApprox(xs, y(0), opts, out)).toBe(-1); // one reuse does not pay for the matrix
    let calls = 2;
    while (smoothApprox(xs, y(0), opts, out) < 0 && calls < 1000) calls++;
    expect(calls).toBeGreaterThan(10);
    expect(calls).toBeLessThan(1000);
    for (let c = 1; c < 6; c++) {
      const yc = y(c);
      const eps = smoothApprox(xs, yc, opts, out);
      expect(eps).toBeGreaterThan(0);
      const exact = smooth(xs, yc, opts);
      let scale = 0;
      let d = 0;
      for (let i = 0; i < xs.length; i++) {
        scale = Math.max(scale, Math.abs(exact[i]));
        d = Math.max(d, Math.abs(out[i] - exact[i]));
      }
      expect(d).toBeLessThanOrEqual(eps);
      expect(d / scale).toBeLessThan(1e-14);
      expect(eps / scale).toBeLessThan(1e-8); // tight enough to decide find_e0's comparisons
    }
  });
  it('smoothApprox declines where the direct sums are cheaper than n² in plain JS (small grids)', () => {
    const was = setWasmEnabled(false);
    try {
      const xs = Float64Array.from({ length: 150 }, (_, i) => 7110 + i * 0.1);
      const ys = Float64Array.from(xs, (v) => Math.atan(v - 7118));
      const out = new Float64Array(xs.length);
      const opts = { xstep: 0.19, sigma: 0.19 };
      smooth(xs, ys, opts);
      expect(smoothApprox(xs, ys, opts, out)).toBe(-1);
    } finally {
      setWasmEnabled(was);
    }
  });
  it('the WebAssembly matrix product gives the same bits as the plain-JS one (n not a multiple of 4)', () => {
    const xs = Float64Array.from({ length: 131 }, (_, i) => 8900 + i * 1.7 + 0.2 * Math.sin(i));
    const opts = { xstep: 0.43, sigma: 0.43 };
    const y = (c: number) => Float64Array.from(xs, (v, i) => 1 / (1 + ((v - 8980 - c) / 4) ** 2) + 0.01 * Math.cos(i * 2.3 + c));
    const a = new Float64Array(xs.length);
    const b = new Float64Array(xs.length);
    let calls = 0;
    while (smoothApprox(xs, y(0), opts, a) < 0 && calls < 1000) calls++;
    expect(calls).toBeLessThan(1000);
    expect(wasmEnabled()).toBe(true); // Node 20 has WebAssembly SIMD: the kernel path is tested
    for (let c = 1; c < 4; c++) {
      const epsW = smoothApprox(xs, y(c), opts, a);
      const was = setWasmEnabled(false);
      const epsJ = smoothApprox(xs, y(c), opts, b);
      setWasmEnabled(was);
      expect(epsW).toBe(epsJ);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });
});
