import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { besselI0, ftwindow, ftwindowRaw, WINDOW_NAMES, windowName } from './ftwindow';

const k = Float64Array.from({ length: 401 }, (_, i) => 0.05 * i); // 0 … 20 Å⁻¹

describe('ftwindow (Larch conventions)', () => {
  it('hanning: 0 outside [kmin−dk/2, kmax+dk/2], 1 on the plateau, sin² ramps, exact grid snapping', () => {
    const w = ftwindow(k, { xmin: 3, xmax: 12, dx: 1, window: 'hanning' });
    // x1 = 2.5 (i1 = 50), x2 = 3.5 (i2 = 70), x3 = 11.5 (i3 = 230), x4 = 12.5 (i4 = 250)
    expect(w[49]).toBe(0);
    expect(w[50]).toBe(0);
    expect(w[60]).toBeCloseTo(0.5, 12);
    expect(w[70]).toBeCloseTo(1, 12);
    for (let i = 70; i <= 230; i++) expect(w[i]).toBeCloseTo(1, 12);
    expect(w[240]).toBeCloseTo(0.5, 12);
    expect(w[250]).toBeCloseTo(0, 12);
    expect(w[251]).toBe(0);
  });

  it('every window is finite and within [0, 1], and symmetric for dk = dk2', () => {
    for (const name of WINDOW_NAMES) {
      const w = ftwindow(k, { xmin: 4, xmax: 14, dx: 2, window: name });
      for (const v of w) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(-1e-12);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }
      // centre 9 Å⁻¹ = index 180; window symmetric about it
      for (let d = 0; d < 100; d++) expect(w[180 + d]).toBeCloseTo(w[180 - d], 9);
    }
  });

  it('asymmetric tapers: dk2 sets the high-k ramp width (parzen is linear)', () => {
    const w = ftwindow(k, { xmin: 3, xmax: 12, dx: 1, dx2: 4, window: 'parzen' });
    // high side ramps from x3 = 10 to x4 = 14: linear, 0.5 at 12
    expect(w[240]).toBeCloseTo(0.5, 9);
    expect(w[200]).toBeCloseTo(1, 9);
    expect(w[280]).toBeCloseTo(0, 9);
  });

  it('kaiser: (I0(β√(1−u²)) − 1)/(I0(β) − 1), 1 at the centre, β = dk', () => {
    const w = ftwindow(k, { xmin: 3, xmax: 12, dx: 4, window: 'kaiser' });
    // x1 = 1, x4 = 14: centre 7.5 (index 150)
    expect(w[150]).toBeCloseTo(1, 12);
    const u = (10 - 7.5) / 6.5;
    expect(w[200]).toBeCloseTo((besselI0(4 * Math.sqrt(1 - u * u)) - 1) / (besselI0(4) - 1), 12);
    expect(besselI0(0)).toBe(1);
    expect(besselI0(4)).toBeCloseTo(11.301921952136330, 12); // scipy.special.i0(4)
  });

  it('gaussian is never zeroed; sine spans [x1, x4]', () => {
    const g = ftwindow(k, { xmin: 3, xmax: 12, dx: 1, window: 'gaussian' });
    expect(g[0]).toBeGreaterThan(0);
    const s = ftwindow(k, { xmin: 3, xmax: 12, dx: 1, window: 'sine' });
    expect(s[150]).toBeCloseTo(1, 12); // centre of [2.5, 12.5]
    expect(s[49]).toBe(0);
  });

  it('accepts Larch abbreviations and rejects unknown names with a ValidationError', () => {
    expect(windowName('Han')).toBe('hanning');
    expect(windowName(' KAISER-bessel')).toBe('kaiser');
    expect(() => windowName('fhanning')).toThrow(ValidationError);
    expect(() => ftwindow(k, { window: 'bessel' })).toThrow(ValidationError);
    expect(() => ftwindow(k, { window: 'triangle' })).toThrow(/unknown window/);
  });
});

describe('ftwindowRaw into a given array', () => {
  it('writes the same window into `out` (zero-filled, x\'s length) and returns it', () => {
    for (const w of WINDOW_NAMES) {
      const ref = ftwindowRaw(k, 3, 12, 1, 1, w);
      const out = new Float64Array(k.length);
      const got = ftwindowRaw(k, 3, 12, 1, 1, w, out);
      expect(got).toBe(out);
      expect(Array.from(got)).toEqual(Array.from(ref));
    }
    expect(() => ftwindowRaw(k, 3, 12, 1, 1, 'hanning', new Float64Array(3))).toThrow(RangeError);
  });
});
