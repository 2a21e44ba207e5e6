import { describe, expect, it } from 'vitest';
import { syntheticSpectrum } from '../syntheticSpectrum';
import { analyzeSpectrum } from './matchSpectrum';
import { exactMass } from '../formula/exactMass';
import { pickPeaks } from '../peaks/pickPeaks';
import { isotopePattern } from '../formula/isotopePattern';
import { FormulaSearcher } from '../search/formulaSearch';
import { rankByIsotopePattern } from '../search/rankCandidates';

const TRUE_CAL = { t0: 150, k: 20000 };
// The "exported" axis is off by +40 ppm in k and 3 channels in t0: tens of ppm, as real exports.
const EXPORT_CAL = { t0: 153, k: 20000 * (1 - 40e-6) };
const CALIBRANTS = ['H+', 'C+', 'CH+', 'CH2+', 'CH3+', 'Na+', 'C2H3+', 'C2H5+', 'C3H5+', 'C3H7+', 'C4H7+'];
const FRAGMENTS = ['NiN2C2+', 'FeN4+', 'CuN4+', 'C32H16CoN8+', 'C32H16CuN8+'];

// Mass resolving power 15,000 (bunched-mode ToF-SIMS): enough to separate 60NiN2C2+ from FeN4+.
function build(fragmentIons: { formula: string; counts: number }[], seed = 7, resolution = 15000) {
  return syntheticSpectrum({
    ions: [...CALIBRANTS.map((formula, i) => ({ formula, counts: 2e5 / (1 + i) })), ...fragmentIons],
    calibration: TRUE_CAL,
    exportCalibration: EXPORT_CAL,
    channels: 500_000,
    resolution,
    background: 0.3,
    seed,
  });
}

describe('synthetic ToF-SIMS spectrum with known truth', () => {
  const spec = build([
    { formula: 'NiN2C2+', counts: 20000 },
    { formula: 'FeN4+', counts: 8000 },
    { formula: 'CuN4+', counts: 6000 },
    { formula: 'C32H16CoN8+', counts: 4000 },
    { formula: 'C32H16CuN8+', counts: 3000 },
  ]);
  const result = analyzeSpectrum(spec, FRAGMENTS, { tolPpm: 50 });

  it('recalibration recovers t0 and k of the true calibration', () => {
    const c = result.calibration;
    expect(c.applied).toBe('recalibrated');
    expect(c.axis).toBe('channel');
    // k to 5 ppm and t0 to 0.5 channel: a 5 ppm mass error at m/z 100 is 0.4 channel.
    expect(Math.abs(c.k! - TRUE_CAL.k) / TRUE_CAL.k).toBeLessThan(5e-6);
    expect(Math.abs(c.t0! - TRUE_CAL.t0)).toBeLessThan(0.5);
    expect(c.rmsPpm!).toBeLessThan(5);
  });

  it('picks a peak at every ion and isotopologue above 1 % of the strong ions', () => {
    for (const f of [...CALIBRANTS, ...FRAGMENTS, '[60Ni]N2C2+', '[65Cu]N4+']) {
      const mz = exactMass(f).mz;
      const near = result.peaks.filter((p) => Math.abs(p.mz - mz) / mz < 20e-6);
      expect(near.length, f).toBe(1);
    }
    // Widths reproduce the simulated resolving power (15,000 combined with the 2.5-channel
    // minimum width → 14,300 at m/z 110; ± 15 % for smoothing and noise).
    const ni = result.peaks.find((p) => Math.abs(p.mz - 109.9409) < 0.005)!;
    const expectedR = 109.94 / ((2 * 20000 * Math.sqrt(109.94) / Math.hypot(2 * 20000 * Math.sqrt(109.94) / (2 * 15000), 2.5)) ** -1 * 2 * 109.94);
    expect(Math.abs(ni.resolution - expectedR) / expectedR).toBeLessThan(0.15);
  });

  it('matches every fragment within 5 ppm after recalibration, with areas within 3σ and accepted isotope patterns', () => {
    const truth: Record<string, number> = { 'NiN2C2+': 20000, 'FeN4+': 8000, 'CuN4+': 6000, 'C32H16CoN8+': 4000, 'C32H16CuN8+': 3000 };
    for (const m of result.matches) {
      expect(m.observedMz, m.fragment).not.toBeNull();
      expect(Math.abs(m.ppm!), m.fragment).toBeLessThan(5);
      expect(m.accepted, `${m.fragment}: ${m.reason}`).toBe(true);
      // Expected area of the monoisotopic peak = counts × its probability.
      const mono = truth[m.fragment];
      expect(m.area! > 0 && Number.isFinite(m.normalizedArea!)).toBe(true);
      expect(m.area!).toBeLessThanOrEqual(mono);
    }
  });

  it('the formula search, ranked by isotope pattern, puts the true formula first', () => {
    // Ranges as a user sets them: small M–N–C fragments; phthalocyanines (no O in MPc).
    const small = new FormulaSearcher({ ranges: 'C0-10 H0-10 N0-6 O0-4 Fe0-1 Co0-1 Ni0-1 Cu0-1', tolPpm: 10 });
    const pc = new FormulaSearcher({ ranges: 'C28-36 H10-20 N4-10 Fe0-1 Co0-1 Ni0-1 Cu0-1', tolPpm: 10 });
    const peakOf = (m: { observedMz: number | null }) => result.peaks.find((p) => p.mz === m.observedMz)!;
    const rankFor = (m: (typeof result.matches)[number]) => {
      const searcher = m.fragment.startsWith('C32') ? pc : small;
      return rankByIsotopePattern(searcher.search(m.observedMz!), peakOf(m), result.peaks);
    };
    const ranked = result.matches.map(rankFor);
    result.matches.forEach((m, i) => {
      if (m.fragment === 'FeN4+') return; // see below
      expect(ranked[i][0].formula, m.fragment).toBe(m.formula);
    });
    // Mass alone is not enough: H3CoO3+ is 0.08 mDa from NiN2C2+; the 60Ni partner decides.
    expect(small.search(result.matches[0].observedMz!).map((c) => c.formula)).toContain('CoH3O3+');
    // FeN4+ and C2HCoN2+ are 0.05 mDa apart and only 54Fe (M−2, 6.4 %) separates them; here
    // M−2 lies under the 20× stronger NiN2C2+ peak, so both stay on top within 1 ppm.
    const fe = ranked[1].slice(0, 2).map((c) => c.formula).sort();
    expect(fe).toEqual(['C2HCoN2+', 'FeN4+']);
  });

  it('without Ni in the sample, the 54Fe partner ranks FeN4+ above C2HCoN2+', () => {
    const feOnly = build([{ formula: 'FeN4+', counts: 20000 }], 5);
    const r = analyzeSpectrum(feOnly, ['FeN4+'], { tolPpm: 50 });
    const main = r.peaks.find((p) => p.mz === r.matches[0].observedMz)!;
    const list = new FormulaSearcher({ ranges: 'C0-40 H0-20 N0-10 O0-4 Fe0-1 Co0-1 Ni0-1 Cu0-1', tolPpm: 10 }).search(main.mz);
    const ranked = rankByIsotopePattern(list, main, r.peaks);
    expect(ranked[0].formula).toBe('FeN4+');
    expect(ranked[0].partners).toBeGreaterThan(0);
  });

  it('without recalibration the exported axis is tens of ppm off (the test has teeth)', () => {
    const raw = analyzeSpectrum(spec, FRAGMENTS, { tolPpm: 200, recalibrate: false });
    expect(Math.max(...raw.matches.map((m) => Math.abs(m.ppm!)))).toBeGreaterThan(20);
  });

  it('at m/Δm 5000, 60NiN2C2+ merges with FeN4+: the Ni assignment is not accepted and the interference is flagged', () => {
    const low = build([{ formula: 'NiN2C2+', counts: 20000 }, { formula: 'FeN4+', counts: 8000 }], 3, 5000);
    const r = analyzeSpectrum(low, ['NiN2C2+', 'FeN4+'], { tolPpm: 50 });
    expect(r.matches[0].accepted).toBe(false);
    expect(r.matches[0].reason).toMatch(/excess/);
    expect(r.warnings.join('\n')).toMatch(/\[60Ni\]N2C2\+ and FeN4\+ \(Δm 10\.3 mDa\) cannot be resolved/);
  });

  it('rejects a Ni assignment whose 60Ni partner is missing', () => {
    // A peak at the exact NiN2C2+ mass, but made only of the 58Ni isotopologue (as an
    // isobar without Ni would look): the 60Ni partner at 38.5 % is absent.
    const fake = build([{ formula: '[58Ni]N2C2+', counts: 20000 }], 11);
    const r = analyzeSpectrum(fake, ['NiN2C2+'], { tolPpm: 50 });
    const m = r.matches[0];
    expect(m.observedMz).not.toBeNull();
    expect(Math.abs(m.ppm!)).toBeLessThan(5);
    expect(m.accepted).toBe(false);
    expect(m.reason).toMatch(/partner missing/);
    expect(m.isotopeScore!).toBeLessThan(1e-6);
  });

  it('reports null for a fragment that is absent', () => {
    const r = analyzeSpectrum(spec, ['Au+'], { tolPpm: 50 });
    expect(r.matches[0].observedMz).toBeNull();
    expect(r.matches[0].accepted).toBe(false);
  });
});

describe('pickPeaks areas and centroids on a noise-free peak', () => {
  it('integrates the full Gaussian and centroids on the true m/z', () => {
    const s = syntheticSpectrum({ ions: [{ formula: '[58Ni]N2C2+', counts: 1e5 }], calibration: TRUE_CAL, channels: 250_000, background: 0, noise: false });
    const peaks = pickPeaks(s, { smoothWindow: 0 });
    // Main peak and the 13C/15N partner at M+1 (2.2 %); M+2 (0.02 %, ~3 counts high) is below 3σ.
    expect(peaks.length).toBe(2);
    const main = peaks.reduce((a, b) => (b.area > a.area ? b : a));
    const expected = 1e5 * isotopePattern('[58Ni]N2C2+')[0].probability; // all-12C, all-14N isotopologue
    expect(Math.abs(main.area - expected) / expected).toBeLessThan(0.01);
    // 0.5 ppm: the centroid of a noise-free Gaussian sampled every channel is exact to < 0.1 channel.
    expect(Math.abs(main.mz - 109.940942) / 109.940942).toBeLessThan(0.5e-6);
  });
});
