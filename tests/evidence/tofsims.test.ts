// Known truth: Fe/Cu-N-C spectra with and without the diatomic [FeCuN6O2]+ fragment beyond the
// recombination level of a single-atom control; and a low-resolution instrument where the
// assignment cannot be confirmed. Seeded Poisson noise (tofsims' syntheticSpectrum).
import { describe, expect, it } from 'vitest';
import { syntheticSpectrum } from '@siteproof/tofsims';
import { tofsimsEvidence } from '@siteproof/evidence';

const CAL = { t0: 150, k: 20000 };
const CALIBRANTS = ['H+', 'C+', 'CH+', 'CH2+', 'CH3+', 'Na+', 'C2H3+', 'C2H5+', 'C3H5+', 'C3H7+', 'C4H7+'];
const opts = { heteronuclear: ['FeCuN6O2+'], mononuclear: ['FeN4+', 'CuN4+'] };
function spectrum(hetero: number, seed: number, resolution = 15000) {
  return syntheticSpectrum({
    ions: [...CALIBRANTS.map((formula, i) => ({ formula, counts: 2e5 / (1 + i) })), { formula: 'FeN4+', counts: 8000 }, { formula: 'CuN4+', counts: 6000 }, { formula: 'FeCuN6O2+', counts: hetero }],
    calibration: CAL,
    channels: 330_000,
    resolution,
    background: 0.2,
    seed,
  });
}
const control = spectrum(60, 101);

describe('ToF-SIMS evidence on synthetic spectra', () => {
  it('dual-atom sample (heteronuclear ×8 over the control): pair, isotope patterns accepted', () => {
    const ev = tofsimsEvidence(spectrum(500, 102), control, opts);
    expect(ev.row.supports).toBe('pair');
    expect(ev.enrichment!.ci95[0]).toBeGreaterThan(3);
    expect(ev.enrichment!.ci95[1]).toBeLessThan(20);
    expect(ev.enrichment!.p).toBeLessThan(1e-6);
    expect(ev.sample[0].accepted).toBe(true);
  });
  it('single-atom sample (recombination level only): no enrichment → single', () => {
    const ev = tofsimsEvidence(spectrum(60, 103), control, opts);
    expect(ev.enrichment!.ci95[0]).toBeLessThan(1);
    expect(ev.enrichment!.ci95[1]).toBeGreaterThan(1);
    expect(ev.row.supports).toBe('single');
  });
  it('resolution too low (m/Δm 2000: [60Ni]N2C2+ and FeN4+ merge, the diatomic peak is lost): inconclusive', () => {
    const ev = tofsimsEvidence(spectrum(500, 105, 2000), spectrum(60, 106, 2000), opts);
    expect(ev.row.supports).toBe('inconclusive');
    expect(ev.row.caveats.join(' ')).toMatch(/cannot be resolved/);
  });
  it('no control: inconclusive, says why', () => {
    const ev = tofsimsEvidence(spectrum(500, 104), null, opts);
    expect(ev.row.supports).toBe('inconclusive');
    expect(ev.row.caveats.join(' ')).toMatch(/no single-atom control/);
  });
});
