import { describe, expect, it } from 'vitest';
import { exafsPipeline } from '@siteproof/xas';
import { exafsBatch, ExafsBatchPool } from './exafsBatch';
import { generateXasExample } from '../../../../scripts/examples/xasSpectrum';

describe('exafsBatch (worker threads)', () => {
  it('gives bit-identical results to the in-thread pipeline, in input order, and reports failures per spectrum', async () => {
    const spectra = [1, 2, 3, 4, 5].map((seed) => {
      const ex = generateXasExample({ seed });
      return { energy: ex.energy, mu: Float64Array.from(ex.itrans, (t, i) => Math.log(ex.i0[i] / t)) };
    });
    // a spectrum that cannot be reduced (XANES only): its error is reported, the others still run
    spectra.splice(2, 0, { energy: Float64Array.from({ length: 40 }, (_, i) => 8300 + i), mu: Float64Array.from({ length: 40 }, (_, i) => (i > 30 ? 1 : 0.1)) });
    const before = spectra.map((s) => Float64Array.from(s.mu));
    const pool = new ExafsBatchPool(2);
    try {
      await pool.run(spectra); // a second run reuses the workers (and their cached AUTOBK geometry)
      const res = await pool.run(spectra);
      expect(res).toHaveLength(spectra.length);
      expect(res[2].error).toMatch(/beyond the data|too few points/);
      for (const i of [0, 1, 3, 4, 5]) {
        const ref = exafsPipeline(spectra[i].energy, spectra[i].mu);
        expect(res[i].error).toBeUndefined();
        expect(res[i].e0).toBe(ref.e0);
        expect(Array.from(res[i].chi)).toEqual(Array.from(ref.chi));
        expect(Array.from(res[i].chirMag)).toEqual(Array.from(ref.chirMag));
      }
      // inputs are never modified (they are copied before transfer)
      spectra.forEach((s, i) => expect(Array.from(s.mu)).toEqual(Array.from(before[i])));
    } finally {
      await pool.close();
    }
    const one = await exafsBatch(spectra.slice(0, 2), { threads: 1 });
    expect(one[1].chi.length).toBeGreaterThan(100);
  }, 180_000);
});
