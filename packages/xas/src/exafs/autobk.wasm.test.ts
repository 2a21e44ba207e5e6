// AUTOBK with its WebAssembly kernels (assembly/autobk.ts) against the plain-JS twins: every
// output must have the same bits (the kernels perform the same operations in the same order).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autobk, basisTableByKernel, clearAutobkGeometryCache, type AutobkOptions, type AutobkResult } from './autobk';
import { basisTable, interpolatingKnots } from '../math/spline';
import { E0, exafsGrid, syntheticMu } from './syntheticSpectrum.test-helper';
import { preEdge } from '../normalize';
import { setWasmEnabled, wasmEnabled } from '../wasm/instance';
import { describeShared, SHARED_DIR } from '../../../../tests/helpers/shared';

const energy = exafsGrid();
// two shells, a smooth background and deterministic noise
const chiTrue = (k: number) => (k > 0.5 ? (0.3 * Math.sin(2 * k * 2.5) * Math.exp(-0.01 * k * k) + 0.1 * Math.sin(2 * k * 3.7 + 1) * Math.exp(-0.02 * k * k)) / k : 0);
const mu = syntheticMu(energy, chiTrue, (i) => 2e-4 * Math.sin(i * 12.9898 + 78.233 * Math.cos(i)));

/** Every array and number of an AUTOBK result, as plain values (toEqual then compares bits, ±0 included). */
function outputs(r: AutobkResult) {
  const d = r.details;
  return {
    k: Array.from(r.k),
    chi: Array.from(r.chi),
    bkg: Array.from(r.bkg),
    chie: Array.from(r.chie),
    coefs: Array.from(d.coefs),
    initCoefs: Array.from(d.initCoefs),
    coefsStd: Array.from(d.coefsStd),
    covar: d.covar ? Array.from(d.covar) : undefined,
    initBkg: Array.from(d.initBkg),
    initChi: Array.from(d.initChi),
    chisqr: d.chisqr,
    redchi: d.redchi,
    iterations: d.iterations,
  };
}

/**
 * The same call with the WebAssembly kernels on and off, each building its own geometry, and each
 * on the geometry the other built (A, AᵀA and the tables come from either path).
 */
function both(e: ArrayLike<number>, m: ArrayLike<number>, o: AutobkOptions) {
  const was = setWasmEnabled(true);
  try {
    const run = (on: boolean) => {
      setWasmEnabled(on);
      return outputs(autobk(e, m, o));
    };
    clearAutobkGeometryCache();
    const wasm = run(true);
    const jsOnWasmGeometry = run(false);
    clearAutobkGeometryCache();
    const js = run(false);
    const wasmOnJsGeometry = run(true);
    return { wasm, js, jsOnWasmGeometry, wasmOnJsGeometry };
  } finally {
    setWasmEnabled(was);
  }
}

describe('autobk: WebAssembly kernels and plain JS give the same bits', () => {
  it('WebAssembly (with SIMD) is available here, so the kernel path is what is tested', () => {
    expect(wasmEnabled()).toBe(true);
  });
  const cases: [string, Partial<AutobkOptions>][] = [
    ['pipeline defaults (rbkg 1, kweight 2)', { rbkg: 1, kweight: 2 }],
    ['irbkg not a multiple of 4, kweight 1', { rbkg: 1.13, kweight: 1 }],
    ['nknots 9, kmin 1, stronger clamps', { rbkg: 1, kweight: 2, nknots: 9, kmin: 1, nclamp: 5, clampHi: 10 }],
    ['nfft 4096, kstep 0.04, rbkg 1.4', { rbkg: 1.4, kweight: 3, nfft: 4096, kstep: 0.04 }],
    ['kaiser window, kmax 14', { rbkg: 0.9, kweight: 2, window: 'kaiser', dk: 2, kmax: 14 }],
  ];
  for (const [name, opts] of cases) {
    it(name, () => {
      const r = both(energy, mu, { e0: E0, edgeStep: 1.1, ...opts } as AutobkOptions);
      expect(r.wasm).toEqual(r.js);
      expect(r.jsOnWasmGeometry).toEqual(r.js);
      expect(r.wasmOnJsGeometry).toEqual(r.js);
      expect(r.js.covar).toBeDefined();
    });
  }
  it('with a standard χ subtracted', () => {
    const std = { k: Array.from({ length: 300 }, (_, i) => i * 0.05), chi: Array.from({ length: 300 }, (_, i) => 0.01 * Math.sin(i * 0.25)) };
    const r = both(energy, mu, { e0: E0 + 0.5, edgeStep: 1, rbkg: 1, kweight: 2, standard: std });
    expect(r.wasm).toEqual(r.js);
    expect(r.wasmOnJsGeometry).toEqual(r.js);
  });
});

describeShared('autobk: WebAssembly vs plain JS on the ../shared XAS references', () => {
  const dir = path.join(SHARED_DIR, 'reference', 'xas');
  const names = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_e'].filter((n) => readdirSync(dir).includes(`${n}.json`));
  it('found the reference spectra', () => expect(names.length).toBeGreaterThan(3));
  for (const n of names) {
    it(n, () => {
      const ref = JSON.parse(readFileSync(path.join(dir, `${n}.json`), 'utf8')) as { energy: number[]; mu: number[] };
      const pre = preEdge(ref.energy, ref.mu, { makeFlat: false });
      for (const rbkg of [1, 1.05]) {
        const r = both(pre.energy, pre.mu, { e0: pre.e0, edgeStep: pre.edgeStep, rbkg, kweight: 2 });
        expect(r.wasm).toEqual(r.js);
        expect(r.jsOnWasmGeometry).toEqual(r.js);
        expect(r.wasmOnJsGeometry).toEqual(r.js);
      }
    });
  }
});

describe('basis tables by the kernel (spans and values)', () => {
  it('equal math/spline.ts basisTable bit for bit: increasing, decreasing and extrapolated abscissae, odd and even counts', () => {
    let seed = 5;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 30; trial++) {
      const m = 4 + Math.floor(rnd() * 60);
      const xs = [rnd()];
      for (let i = 1; i < m; i++) xs.push(xs[i - 1] + 10 ** (-2 + 2 * rnd()));
      const t = interpolatingKnots(xs);
      const span = xs[m - 1] - xs[0];
      const n = 1 + Math.floor(rnd() * 300);
      // mostly increasing (with exact knot hits and repeats), some decreasing steps, some outside [x0, x_last]
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        x[i] = r < 0.1 ? xs[Math.floor(rnd() * m)] : r < 0.15 && i > 0 ? x[i - 1] : r < 0.2 ? xs[0] - 0.2 * span + 1.4 * span * rnd() : xs[0] - 0.05 * span + (1.1 * span * (i + rnd())) / n;
      }
      const ref = basisTable(t, x);
      const got = basisTableByKernel(t, x);
      expect(got).toBeDefined();
      expect(Array.from(got!.span)).toEqual(Array.from(ref.span));
      expect(Array.from(got!.b)).toEqual(Array.from(ref.b));
    }
  });
});
