// End to end: the shared data files read with the project's readers (mu built as the reference's
// mu_expr says, or the file's mu column), then normalized — against Larch 2026.3.1.
// Same tolerances as normalize.golden.test.ts: E0 0.05 eV, edge step 0.5 %, norm/flat 2e-3.
import { expect } from 'vitest';
import { loadSpectrum, preEdge } from '@siteproof/xas';
import { describeShared, itShared, loadReference, readSharedBytes } from '../helpers/shared';

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];

describeShared('file → loadSpectrum → preEdge vs Larch', () => {
  for (const name of NAMES) {
    itShared(name, () => {
      const ref = loadReference<any>(`xas/${name}.json`);
      const file = `data/xas/${ref.source}`;
      const s = loadSpectrum(readSharedBytes(file), ref.source, ref.mu_expr ? { mu: ref.mu_expr } : {});
      expect(s.energy.length).toBe(ref.energy.length);
      const r = preEdge(s.energy, s.mu);
      let dn = 0;
      let df = 0;
      for (let i = 0; i < r.norm.length; i++) {
        dn = Math.max(dn, Math.abs(r.norm[i] - ref.norm[i]));
        df = Math.max(df, Math.abs(r.flat[i] - ref.flat[i]));
      }
      expect(Math.abs(r.e0 - ref.e0)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.edgeStep / ref.edge_step - 1)).toBeLessThanOrEqual(0.005);
      expect(dn).toBeLessThanOrEqual(2e-3);
      expect(df).toBeLessThanOrEqual(2e-3);
    });
  }
});
