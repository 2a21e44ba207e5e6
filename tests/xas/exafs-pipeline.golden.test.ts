// Golden test of the whole reduction (preEdge → AUTOBK → xftf, `exafsPipeline`, what the CLI and the
// benchmark run) on the JSON's raw energy/mu with Larch's default pre_edge: E0 and edge step must
// be Larch's, and χ(k)/|χ(R)| within the tolerances (2 % RMS over 3–12 Å⁻¹; 2 % of the
// maximum for R ≤ 6 Å). Achieved: same as autobk.golden (χ relative RMS ~1e-6).
import { describe, expect } from 'vitest';
import { exafsPipeline } from '@siteproof/xas';
import { itShared, loadReference } from '../helpers/shared';
import { compareCurves } from '../helpers/compare';

describe('exafsPipeline vs Larch (pre_edge + autobk + xftf)', () => {
  for (const name of ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k']) {
    itShared(name, () => {
      const d = loadReference<any>(`xas/${name}.json`);
      const res = exafsPipeline(d.energy, d.mu);
      expect(Math.abs(res.e0 - d.e0)).toBeLessThan(1e-6);
      expect(Math.abs(res.edgeStep / d.edge_step - 1)).toBeLessThan(1e-9);
      const c = compareCurves({ x: d.k, y: d.chi }, { x: res.k, y: res.chi }, { xmin: 3, xmax: 12 });
      expect(c.relRms).toBeLessThan(0.02);
      expect(c.relRms).toBeLessThan(1e-4);
      const m = compareCurves({ x: d.r, y: d.chir_mag }, { x: res.r, y: res.chirMag }, { xmax: 6 });
      expect(m.maxAbs / m.refMaxAbs).toBeLessThan(0.02);
    });
  }
});
