import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { basisFunctions, basisTable, CubicInterpolator, evalBasisTable, findSpan, interpolatingKnots, interpolatingSpline, splev, splevAt, splrep } from './spline';
import { Float64Arena } from './arena';

describe('splrep / splev (FITPACK interpolating cubic)', () => {
  const x = [0, 0.3, 0.9, 1.4, 2.0, 2.2, 3.1, 4.0];

  it('places knots as FITPACK does for s=0: [x0]x4, x[2..m-3], [xlast]x4', () => {
    expect(Array.from(interpolatingKnots(x))).toEqual([0, 0, 0, 0, 0.9, 1.4, 2.0, 2.2, 4, 4, 4, 4]);
  });

  it('reproduces any cubic exactly, inside and extrapolated (not-a-knot property)', () => {
    const f = (v: number) => 1.5 - 2 * v + 0.7 * v * v - 0.25 * v * v * v;
    const s = splrep(x, x.map(f));
    const xq = [-1, -0.2, 0, 0.45, 1.1, 2.1, 3.99, 4, 4.7, 6];
    const yq = splev(s, xq);
    xq.forEach((v, i) => expect(yq[i]).toBeCloseTo(f(v), 11));
  });

  it('matches scipy 1.17 splrep/splev coefficients and values for sin(x) on an uneven grid', () => {
    // Reference numbers printed by scipy.interpolate.splrep(x, sin(x), k=3) and splev (ext=0).
    const s = splrep(x, x.map(Math.sin));
    const cRef = [0.0, 0.301360651597991, 0.76056763642221, 1.04171388278621, 0.98303581537977, 0.543952222088047, -0.359915032934262, -0.756802495307928, 0, 0, 0, 0];
    cRef.forEach((c, i) => expect(s.c[i]).toBeCloseTo(c, 12));
    const vRef = [-0.490429054138945, 0.100085233773186, 0.991046621734608, -0.686947300458189, -0.982412909764912];
    const v = splev(s, [-0.5, 0.1, 1.7, 3.9, 4.6]);
    vRef.forEach((r, i) => expect(v[i]).toBeCloseTo(r, 12));
    expect(splevAt(s, 1.7)).toBeCloseTo(vRef[2], 12);
  });

  it('interpolates its data points and basis tables agree with splev', () => {
    const y = x.map((v) => Math.exp(-v) * Math.cos(3 * v));
    const { spline, evaluate } = interpolatingSpline(x, y);
    const back = evaluate(x);
    y.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 12));
    const xq = Array.from({ length: 50 }, (_, i) => -0.5 + i * 0.1);
    const tab = basisTable(spline.t, xq);
    const a = evalBasisTable(tab, spline.c);
    const b = splev(spline, xq);
    for (let i = 0; i < xq.length; i++) expect(a[i]).toBeCloseTo(b[i], 13);
  });

  it('solves several right-hand sides with one factorization (linearity)', () => {
    const ci = new CubicInterpolator(x);
    const y1 = x.map((v) => v * v);
    const y2 = x.map((v) => Math.sqrt(v + 1));
    const c1 = ci.solve(y1);
    const c2 = ci.solve(y2);
    const c12 = ci.solve(y1.map((v, i) => 2 * v - 3 * y2[i]));
    for (let i = 0; i < x.length; i++) expect(c12[i]).toBeCloseTo(2 * c1[i] - 3 * c2[i], 12);
  });

  it('works with the minimum of 4 points (a single cubic)', () => {
    const xs = [1, 2, 4, 5];
    const f = (v: number) => v * v * v - v;
    const s = splrep(xs, xs.map(f));
    expect(splevAt(s, 3)).toBeCloseTo(f(3), 12);
    expect(splevAt(s, 7)).toBeCloseTo(f(7), 10);
  });

  it('rejects too few or non-increasing abscissae with a ValidationError', () => {
    expect(() => splrep([0, 1, 2], [0, 1, 2])).toThrow(ValidationError);
    expect(() => splrep([0, 1, 1, 2, 3], [0, 1, 2, 3, 4])).toThrow(ValidationError);
    expect(() => splrep([0, 1, 2, 3], [0, 1, 2])).toThrow(ValidationError);
  });
});

describe('basisTable', () => {
  it('finds the same span and basis values as findSpan/basisFunctions for sorted, unsorted and repeated abscissae', () => {
    // basisTable walks the knots for increasing abscissae; it must agree with bisection exactly,
    // including points on knots, repeated points, extrapolation at both ends and a decrease.
    const t = interpolatingKnots([0, 0.5, 0.5000001, 1.2, 2, 2.5, 3.7, 4, 5.5]);
    const x = [-1, 0, 0, 0.2, 0.5, 0.5000001, 0.7, 1.2, 1.2, 3.9, 4, 5.5, 7, 2, 2.1, -3, 5.5];
    const tab = basisTable(t, x);
    const bb = new Float64Array(4);
    x.forEach((v, i) => {
      const s = findSpan(t, v);
      expect(tab.span[i]).toBe(s);
      basisFunctions(t, s, v, bb);
      for (let q = 0; q < 4; q++) expect(tab.b[4 * i + q]).toBe(bb[q]);
    });
  });
});

describe('caller-supplied arrays (one buffer for many arrays)', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const grid = (n: number) => {
    const x = [rnd()];
    for (let i = 1; i < n; i++) x.push(x[i - 1] + 0.01 + rnd());
    return x;
  };

  it('basisTable into given arrays (even dirty ones) and CubicInterpolator on arena views give the same bits', () => {
    for (let trial = 0; trial < 20; trial++) {
      const m = 4 + Math.floor(rnd() * 60);
      const x = grid(m);
      const xq = grid(5 + Math.floor(rnd() * 80)).map((v) => v * (x[m - 1] / 40) - 0.5);
      const plain = new CubicInterpolator(x);
      const arena = new Float64Arena(10 * m + 4);
      const viaArena = new CubicInterpolator(x, 'x', arena);
      expect(Array.from(viaArena.t)).toEqual(Array.from(plain.t));
      expect(Array.from(viaArena.band)).toEqual(Array.from(plain.band));
      const y = x.map(() => rnd() - 0.5);
      expect(Array.from(viaArena.solve(y))).toEqual(Array.from(plain.solve(y)));
      const ref = basisTable(plain.t, xq);
      const into = { span: new Int32Array(xq.length).fill(99), b: new Float64Array(4 * xq.length).fill(Number.NaN) };
      const got = basisTable(plain.t, xq, into);
      expect(got.span).toBe(into.span);
      expect(Array.from(got.span)).toEqual(Array.from(ref.span));
      expect(Array.from(got.b)).toEqual(Array.from(ref.b));
    }
    expect(() => basisTable([0, 0, 0, 0, 1, 1, 1, 1], [0.5, 0.6], { span: new Int32Array(1), b: new Float64Array(8) })).toThrow(RangeError);
  });
});

describe('CubicInterpolator band: closed-form spans and direct writes equal the generic collocation', () => {
  it('same LU bits as collocation by findSpan + basisFunctions summed into a zero band, then band LU', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 40; trial++) {
      const m = 4 + Math.floor(rnd() * (trial < 10 ? 6 : 400));
      const x = [rnd() * 3 - 1];
      // uneven steps over several decades (AUTOBK's kraw: dense near E0, √E spacing above)
      for (let i = 1; i < m; i++) x.push(x[i - 1] + 10 ** (-3 + 3 * rnd()));
      const t = interpolatingKnots(x);
      const a = new Float64Array(7 * m);
      const bb = new Float64Array(4);
      for (let i = 0; i < m; i++) {
        const s = findSpan(t, x[i]);
        basisFunctions(t, s, x[i], bb);
        for (let q = 0; q < 4; q++) a[i * 7 + (s - 3 + q - i + 3)] += bb[q];
      }
      for (let i = 0; i < m; i++) {
        const piv = a[i * 7 + 3];
        const last = Math.min(i + 3, m - 1);
        for (let r = i + 1; r <= last; r++) {
          const f = a[r * 7 + (i - r + 3)] / piv;
          if (f === 0) continue;
          a[r * 7 + (i - r + 3)] = f;
          for (let c = i + 1; c <= last; c++) a[r * 7 + (c - r + 3)] -= f * a[i * 7 + (c - i + 3)];
        }
      }
      expect(Array.from(new CubicInterpolator(x).band)).toEqual(Array.from(a));
    }
  });
});
