// Golden test of the mu builder: mu built from the shared files with the reference's mu_expr
// (or, when mu_expr is null, the file's own mu column found by the default search) equals the
// mu array Larch used (../shared/reference/xas/<name>.json). Tolerance 1e-9 relative: the same
// decimal inputs and the same IEEE arithmetic (a ratio or a column copy) on both sides.
import { expect } from 'vitest';
import { loadSpectrum } from '@siteproof/xas';
import { describeShared, itShared, loadReference, readSharedBytes } from '../helpers/shared';

interface MuRef {
  source: string;
  mu_expr: string | null;
  energy: number[];
  mu: number[];
}

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];

describeShared('buildMu vs Larch mu arrays', () => {
  for (const name of NAMES) {
    itShared(name, () => {
      const ref = loadReference<MuRef>(`xas/${name}.json`);
      const s = loadSpectrum(readSharedBytes(`data/xas/${ref.source}`), ref.source, ref.mu_expr ? { mu: ref.mu_expr } : {});
      expect(s.energy.length).toBe(ref.energy.length);
      let maxRel = 0;
      for (let i = 0; i < ref.mu.length; i++) {
        maxRel = Math.max(maxRel, Math.abs(s.mu[i] - ref.mu[i]) / Math.max(Math.abs(ref.mu[i]), 1e-300));
        expect(Math.abs(s.energy[i] - ref.energy[i])).toBeLessThanOrEqual(1e-9 * ref.energy[i]);
      }
      expect(maxRel).toBeLessThanOrEqual(1e-9);
      if (!ref.mu_expr) expect(['mu', 'xmu', 'mutrans', 'mufluor']).toContain(s.muExpr);
    });
  }
});

describeShared('reference channel', () => {
  itShared('cu_romanglass.xdi: mu = mufluor column, reference = ln(itrans/irefer) on the same grid', () => {
    const bytes = readSharedBytes('data/xas/xafsdata/cu_romanglass.xdi');
    // without --mu the default order (mu, xmu, mutrans, mufluor) picks the transmission column
    expect(loadSpectrum(bytes, 'cu_romanglass.xdi').muExpr).toBe('mutrans');
    const s = loadSpectrum(bytes, 'cu_romanglass.xdi', { mu: 'mufluor', reference: 'ln(itrans/irefer)' });
    expect(s.muExpr).toBe('mufluor');
    expect(s.reference?.length).toBe(473);
    const text = new TextDecoder().decode(bytes).split('\n');
    const row = text.find((l) => l.trim().length > 0 && !l.startsWith('#'))!.trim().split(/\s+/).map(Number);
    // columns: energy mufluor mutrans ifluor ifluor_raw i0 itrans irefer counttime
    expect(s.mu[0]).toBe(row[1]);
    expect(s.reference![0]).toBeCloseTo(Math.log(row[6] / row[7]), 14);
  });
});
