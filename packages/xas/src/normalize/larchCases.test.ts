// Edge cases of find_e0/pre_edge checked against Larch's own code (larch/xafs/pre_edge.py and
// larch/math/utils.py at commit a272abc7, run with numpy 2.4.6 on these same synthetic inputs;
// the expected numbers below are its output). Each case exercises one branch of Larch's rules.
// Tolerance: 1e-9 relative on the edge step, exact on E0 and the ranges (same grid point).
import { describe, expect, it } from 'vitest';
import { findE0 } from './findE0';
import { preEdge, type PreEdgeOptions } from './preEdge';

/** numpy.arange(start, stop, step): start + i·step, ceil((stop − start)/step) points. */
const arange = (a: number, b: number, s: number) => Array.from({ length: Math.ceil((b - a) / s) }, (_, i) => a + i * s);

/** Arctan edge at e0 with sloping pre/post-edge and a deterministic ripple (same formula as the Python run). */
function edge(E: number[], e0: number): number[] {
  return E.map((x, i) => 0.4 - 2e-4 * (x - e0) + (0.5 + Math.atan((x - e0) / 1.5) / Math.PI) * (1.2 - 3e-4 * Math.max(0, x - e0)) + 0.004 * Math.sin(i * 1.7));
}

const std = () => [...arange(8133, 8318, 5), ...arange(8318, 8350, 0.5), ...arange(8350, 8900, 4)];

interface Case {
  energy: number[];
  mu: number[];
  opts: PreEdgeOptions;
  larch: { e0: number; step: number; pre1: number; pre2: number; norm1: number; norm2: number; nnorm: number; nvict: number };
}

const CASES: Record<string, () => Case> = {
  // fewer than 100 points: find_energy_step is NaN and Python's min/max turn it into 1 eV
  'short scan (N < 100)': () => {
    const E = [...arange(8233, 8318, 5), ...arange(8318, 8350, 1), ...arange(8350, 8520, 20)];
    return { energy: E, mu: edge(E, 8333.3), opts: {}, larch: { e0: 8333.0, step: 1.1586882817452326, pre1: -95, pre2: -47.5, norm1: 25, norm2: 175, nnorm: 1, nvict: 0 } };
  },
  // a glitch in the first 5 % wins the derivative test: Larch keeps it (and so must we)
  'glitch near the start': () => {
    const E = [...arange(8133, 8318, 2), ...arange(8318, 8350, 0.5), ...arange(8350, 8800, 3)];
    const mu = edge(E, 8333.3);
    [1.5, 3, 4.5, 6].forEach((d, j) => (mu[8 + j] += d));
    return { energy: E, mu, opts: {}, larch: { e0: 8151.0, step: 0.5437021291166841, pre1: -16, pre2: -8, norm1: 25, norm2: 645, nnorm: 2, nvict: 0 } };
  },
  'repeated energies (remove_dups)': () => {
    const E = std();
    E.splice(60, 0, E[60]);
    E.splice(20, 0, E[20]);
    return { energy: E, mu: edge(E, 8333.3), opts: {}, larch: { e0: 8333.5, step: 1.1788981268707186, pre1: -195, pre2: -97.5, norm1: 25, norm2: 564.5, nnorm: 2, nvict: 0 } };
  },
  'Victoreen nvict = 2 with explicit ranges': () => {
    const E = std();
    const mu = edge(E, 8333.3).map((v, i) => v * (8333 / E[i]) ** 2);
    return { energy: E, mu, opts: { nvict: 2, pre1: -180, pre2: -40, norm1: 40, norm2: 500, nnorm: 2 }, larch: { e0: 8333.5, step: 1.174255015807704, pre1: -180, pre2: -40, norm1: 40, norm2: 500, nnorm: 2, nvict: 2 } };
  },
  'post-edge range of < 2 points: nnorm forced to 0': () => {
    const E = std();
    return { energy: E, mu: edge(E, 8333.3), opts: { norm1: 20, norm2: 26 }, larch: { e0: 8333.5, step: 1.154953305116884, pre1: -195, pre2: -97.5, norm1: 20, norm2: 26, nnorm: 0, nvict: 0 } };
  },
  'pre-edge range of < 3 points: constant pre-edge': () => {
    const E = std();
    return { energy: E, mu: edge(E, 8333.3), opts: { pre1: -150, pre2: -143 }, larch: { e0: 8333.5, step: 1.1561462090973338, pre1: -150, pre2: -143, norm1: 25, norm2: 564.5, nnorm: 2, nvict: 0 } };
  },
  'scan starting 12 eV below the edge: pre1 rounded to 2 eV': () => {
    const E = [...arange(8321, 8350, 0.7), ...arange(8350, 8700, 3)];
    return { energy: E, mu: edge(E, 8333.3), opts: {}, larch: { e0: 8333.600000000013, step: 1.05538166764876, pre1: -12, pre2: -6, norm1: 25, norm2: 364.3999999999869, nnorm: 2, nvict: 0 } };
  },
  'e0 outside the data: found instead': () => {
    const E = std();
    return { energy: E, mu: edge(E, 8333.3), opts: { e0: 9500 }, larch: { e0: 8333.5, step: 1.177494083947767, pre1: -195, pre2: -97.5, norm1: 25, norm2: 564.5, nnorm: 2, nvict: 0 } };
  },
};

describe('findE0/preEdge on Larch edge cases', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const c = make();
      const L = c.larch;
      expect(findE0(c.energy, c.mu)).toBeCloseTo(L.e0, 9);
      const r = preEdge(c.energy, c.mu, c.opts);
      expect(r.e0).toBeCloseTo(L.e0, 9);
      expect(Math.abs(r.edgeStep / L.step - 1)).toBeLessThan(1e-9);
      expect([r.pre1, r.pre2, r.norm1, r.nnorm, r.nvict]).toEqual([L.pre1, L.pre2, L.norm1, L.nnorm, L.nvict]);
      expect(r.norm2).toBeCloseTo(L.norm2, 9);
    });
  }
});
