import { describe, expect, it } from 'vitest';
import { NumericalError } from '@siteproof/core';
import { polyfit, polyval } from './polyfit';
import { setWasmEnabled, wasmEnabled } from '../wasm/instance';

describe('polyfit (numpy Polynomial.fit(...).convert().coef)', () => {
  it('recovers an exact quadratic at absolute energies (well-conditioned)', () => {
    const x = Array.from({ length: 50 }, (_, i) => 9000 + 20 * i);
    const c = [26.9, -0.00447, 1.98e-7];
    const y = x.map((v) => polyval(c, v));
    const got = polyfit(x, y, 2);
    for (let j = 0; j < 3; j++) expect(got[j]).toBeCloseTo(c[j], Math.abs(Math.log10(Math.abs(c[j]))) + 9);
  });
  it('matches numpy on scattered data', () => {
    const x = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9].map((v) => v + 8000);
    const y = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9].map((v) => Math.sin(v) + 0.1 * v * v);
    // numpy 2.4.6: np.polynomial.Polynomial.fit(x, y, 2).convert().coef
    const numpy = [15047243.13237358, -3760.5459733432954, 0.23495511093454086];
    const got = polyfit(x, y, 2);
    for (let j = 0; j < 3; j++) expect(Math.abs(got[j] / numpy[j] - 1)).toBeLessThan(1e-8);
    // the fitted curve itself agrees far better than the (cancelling) coefficients
    for (const v of x) expect(Math.abs(polyval(got, v) - polyval(numpy, v))).toBeLessThan(1e-6);
  });
  it('fits a constant (degree 0) as the mean', () => {
    expect(polyfit([1, 2, 3], [2, 4, 9], 0)[0]).toBeCloseTo(5, 14);
  });
  it('refuses too few points', () => {
    expect(() => polyfit([1, 2], [1, 2], 2)).toThrow(NumericalError);
    expect(() => polyfit([3, 3, 3], [1, 2, 3], 1)).toThrow(NumericalError);
  });
  it('the WebAssembly fit (≤ 3 coefficients) gives the same bits as the plain-JS one, errors included', () => {
    expect(wasmEnabled()).toBe(true); // Node 20 has WebAssembly SIMD: the kernel path is tested
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 30; trial++) {
      const m = 3 + Math.floor(rnd() * 400);
      const x = Float64Array.from({ length: m }, (_, i) => 8900 + 2.5 * i + rnd());
      const y = Float64Array.from(x, (v) => 1.3 - 2e-4 * v + 1e-8 * v * v + 0.01 * (rnd() - 0.5));
      for (let deg = 0; deg <= Math.min(2, m - 1); deg++) {
        const w = polyfit(x, y, deg);
        const was = setWasmEnabled(false);
        const j = polyfit(Array.from(x), Array.from(y), deg);
        setWasmEnabled(was);
        expect(Array.from(w)).toEqual(Array.from(j));
      }
    }
    for (const on of [true, false]) {
      const was = setWasmEnabled(on);
      expect(() => polyfit([3, 3, 3], [1, 2, 3], 1)).toThrow(NumericalError);
      setWasmEnabled(was);
    }
  });
});
