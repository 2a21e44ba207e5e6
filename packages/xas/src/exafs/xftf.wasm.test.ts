// xftf with the WebAssembly FFT (χ·k^w·window, the pruned real FFT and |χ(R)| in one call) gives
// the same bits as the plain-JS path, on AUTOBK-like grids (k = kstep·i exactly: χ used as is) and
// on scans off the grid (np.interp path), for several weights, windows, ranges and FFT lengths.
import { afterEach, describe, expect, it } from 'vitest';
import { setWasmEnabled } from '../wasm/instance';
import { prunedFftWasmActive } from '../math/prunedFft';
import { xftf, type XftfOptions } from './xftf';

let seed = 11;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};

/** A two-shell EXAFS-like χ(k) with noise. */
function chiOf(k: Float64Array): Float64Array {
  return Float64Array.from(k, (v) => (0.8 * Math.sin(2 * 2.55 * v + 0.3) * Math.exp(-0.01 * v * v) + 0.3 * Math.sin(2 * 3.6 * v - 1)) / Math.max(v, 0.5) ** 1.2 + 0.002 * rnd());
}

function both(k: Float64Array, chi: Float64Array, o: XftfOptions): void {
  setWasmEnabled(false);
  const js = xftf(k, chi, o);
  setWasmEnabled(true);
  const wa = xftf(k, chi, o);
  for (const key of ['r', 'chirRe', 'chirIm', 'chirMag', 'kwin', 'chirPhase'] as const) {
    expect(wa[key] === undefined ? undefined : Array.from(wa[key])).toEqual(js[key] === undefined ? undefined : Array.from(js[key]));
  }
}

describe('xftf: WebAssembly and JS paths give the same bits', () => {
  afterEach(() => setWasmEnabled(true));

  it('the WebAssembly path runs here', () => {
    expect(prunedFftWasmActive()).toBe(true);
  });

  const onGrid = Float64Array.from({ length: 321 }, (_, i) => 0.05 * i); // AUTOBK's k: 0 … 16 Å⁻¹
  const offGrid = Float64Array.from({ length: 260 }, (_, i) => 0.3 + 0.0613 * i + 0.004 * Math.sin(i)); // a raw scan
  const settings: XftfOptions[] = [
    { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 },
    { kmin: 2, kmax: 14, dk: 2, window: 'kaiser', kweight: 3, rmaxOut: 6, withPhase: true },
    { kmin: 1, kmax: 20, kweight: 1, window: 'sine', rmaxOut: 25 },
    { kmin: 2.5, kmax: 11, dk: 0.5, dk2: 3, window: 'parzen', kweight: 0, nfft: 1024 },
    { kmin: 3, kmax: 15, window: 'welch', kweight: 2, nfft: 4096, rmaxOut: 12 },
    { kmin: 0, kmax: 16, dk: 0, window: 'hanning', kweight: 2, rmaxOut: 200 },
  ];
  it('outputs own their memory: one fresh buffer per call (not WebAssembly memory, not another call\'s), no overlaps', () => {
    const t = xftf(onGrid, chiOf(onGrid), settings[0]);
    const t2 = xftf(onGrid, chiOf(onGrid), settings[0]);
    const arrays = [t.r, t.chirRe, t.chirIm, t.chirMag, t.kwin];
    const buf = t.r.buffer;
    expect(buf).toBeInstanceOf(ArrayBuffer);
    for (const a of arrays) expect(a.buffer).toBe(buf); // one allocation (math/arena.ts), transferable at once
    expect(t2.r.buffer).not.toBe(buf);
    const ranges = arrays.map((a) => [a.byteOffset, a.byteOffset + a.byteLength]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    expect(ranges[ranges.length - 1][1]).toBe(buf.byteLength);
  });

  it.each(settings.map((o, i) => [i, o] as const))('setting %i on the AUTOBK grid', (_, o) => {
    both(onGrid, chiOf(onGrid), o);
  });
  it.each(settings.map((o, i) => [i, o] as const))('setting %i off the grid (interpolated)', (_, o) => {
    both(offGrid, chiOf(offGrid), o);
  });
});
