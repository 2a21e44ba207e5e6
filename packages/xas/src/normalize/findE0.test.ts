import { describe, expect, it } from 'vitest';
import { smooth } from '../math/smooth';
import { findE0Details } from './findE0';
import { setWasmEnabled, wasmEnabled } from '../wasm/instance';

/**
 * Larch's _finde0 pass written plainly (numpy.gradient ratio, smooth() for pass 2, scaling and
 * the high-point search), to check that the fast paths of findE0 (no copies on plain grids, the
 * cached smoothing matrix with error-bounded decisions) pick the same grid point.
 */
function plainPass(en: number[], mu: number[], estep: number | undefined, useSmooth: boolean): number {
  const n = en.length - 1; // in-order points of an increasing grid: all but the last
  const g = (y: number[], i: number) => (i === 0 ? y[1] - y[0] : i === n - 1 ? y[n - 1] - y[n - 2] : (y[i + 1] - y[i - 1]) / 2);
  let d = Array.from({ length: n }, (_, i) => g(mu, i) / g(en, i));
  if (useSmooth) d = Array.from(smooth(en.slice(0, n), d, { xstep: estep, sigma: estep }));
  const nmin = Math.max(3, Math.trunc(n * 0.02));
  const mid = d.slice(nmin, n - nmin);
  const lo = Math.min(...mid);
  const ptp = Math.max(1e-10, Math.max(...mid) - lo);
  d = d.map((v) => (v - lo) / ptp);
  let t = n > 20 ? 0.6 : 0.3;
  let high = d.map((v) => v > t);
  const count = () => high.filter(Boolean).length;
  // Larch: only when fewer than 3 pass; halve up to twice, stopping early only when MORE than 3 pass
  for (let k = 0; k < 2 && (k === 0 ? count() < 3 : count() <= 3); k++) {
    t *= 0.5;
    high = d.map((v) => v > t);
  }
  if (count() < 3) high = high.map(() => true);
  let imax = 0;
  let dmax = 0;
  for (let i = nmin; i <= n - nmin; i++) if (high[i] && high[i + 1] && high[i - 1] && d[i] > dmax) (imax = i), (dmax = d[i]);
  return imax;
}

function plainFindE0(E: number[], mu: number[]): number {
  const i1 = plainPass(E, mu, undefined, false);
  const n = E.length;
  // grids here have ≥ 100 points and E0 past the first 5 %: Larch's window ±75 points
  const istart = Math.max(3, i1 - 75);
  const istop = Math.min(i1 + 75, n - 3);
  const steps = E.slice(1, n - 1).map((v, i) => v - E[i]);
  const nskip = Math.trunc(0.01 * (n - 1));
  const kept = steps.slice(nskip, steps.length - nskip).sort((a, b) => a - b).slice(nskip, nskip + 10);
  const step1 = kept.reduce((a, b) => a + b, 0) / kept.length;
  const clip = (v: number) => Math.max(0.01, Math.min(1, v));
  const estep = 0.5 * (clip(step1) + clip(E[i1] / 25000));
  const i2 = plainPass(E.slice(istart, istop), mu.slice(istart, istop), estep, true);
  return i2 < 1 ? E[istart + 2] : E[istart + i2];
}

describe('findE0 fast paths against a plain re-implementation', () => {
  it('picks the same E0 for every spectrum of a noisy series on one EXAFS grid (the later ones through the cached smoothing matrix)', () => {
    // EXAFS-like grid: 10 eV pre-edge steps, 0.5 eV XANES, growing steps above (pass 2 smooths ≈ 540 grid points)
    const E: number[] = [];
    for (let x = 8780; x < 8960; x += 10) E.push(x);
    for (let x = 8960; x < 9010; x += 0.5) E.push(x);
    for (let x = 9010; x < 9800; x += 2 + (x - 9010) / 200) E.push(x);
    let seed = 5;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    // the same pass-2 window for most spectra (E0 within one grid step), so the matrix gets built
    for (let s = 0; s < 160; s++) {
      const e0 = s % 10 === 9 ? 8979 + 2 * r() : 8980.1 + 0.2 * r();
      const noise = s % 2 ? 0.002 : 0.03;
      const mu = E.map((x) => 0.2 + (0.5 + Math.atan((x - e0) / 1.2) / Math.PI) + 0.15 * Math.exp(-(((x - e0 - 6) / 2) ** 2)) + noise * (r() - 0.5));
      expect(findE0Details(E, mu).e0).toBe(plainFindE0(E, mu));
    }
  });
  it('falls back to the exact smoothing where the matrix values cannot decide (no edge: flat derivative, near-ties)', () => {
    const E: number[] = [];
    for (let x = 8780; x < 8960; x += 10) E.push(x);
    for (let x = 8960; x < 9010; x += 0.5) E.push(x);
    for (let x = 9010; x < 9800; x += 3) E.push(x);
    let seed = 9;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    // enough spectra on one grid for the smoothing matrix to be built, so its refusals are exercised
    for (let s = 0; s < 90; s++) {
      // a straight line (constant derivative up to rounding) and a line with a tiny ripple: the
      // smoothed derivatives have no clear maximum
      const mu = E.map((x, i) => 1 + 1e-4 * (x - 8780) + (s % 2 ? 1e-9 * Math.sin(i + s) : 0) + (s % 3 === 2 ? 1e-12 * r() : 0));
      expect(findE0Details(E, mu).e0).toBe(plainFindE0(E, mu));
    }
  });
  it('the WebAssembly first pass picks what the plain-JS pass picks (edges, a lone spike, a flat line, short scans)', () => {
    expect(wasmEnabled()).toBe(true); // Node 20 has WebAssembly SIMD: the kernel path is tested
    let seed = 11;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const cases: { E: number[]; mu: number[] }[] = [];
    for (let s = 0; s < 40; s++) {
      const n = 15 + Math.floor(r() * 600);
      const E = Array.from({ length: n }, (_, i) => 7000 + i * (0.3 + 2 * r()) + i * i * 0.002);
      const e0 = E[Math.floor(n * (0.05 + 0.6 * r()))];
      const kind = s % 4;
      const mu = E.map((x, i) =>
        kind === 0 ? 0.1 + Math.atan((x - e0) / 2) / Math.PI + 0.01 * (r() - 0.5)
        : kind === 1 ? (i === Math.floor(n / 2) ? 5 : 0) // a lone spike: fewer than 3 high points
        : kind === 2 ? 1 + 1e-4 * x // flat derivative
        : 0.5 + 0.2 * Math.sin(i / 3) + 0.001 * r(),
      );
      cases.push({ E, mu });
    }
    const outcome = (E: number[], mu: number[]) => {
      try {
        return findE0Details(E, mu);
      } catch (e) {
        return String(e); // too short a pass-2 window: both paths must say the same
      }
    };
    for (const { E, mu } of cases) {
      const w = outcome(E, mu);
      const was = setWasmEnabled(false);
      const j = outcome(E, mu);
      setWasmEnabled(was);
      expect(w).toEqual(j);
    }
  });
});
