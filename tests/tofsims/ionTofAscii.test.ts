// Real IONTOF SurfaceLab ASCII exports (Laurent et al., Anal. Chem. 2024; MIT), Ru sample,
// Bi1+ primary ions, positive and negative polarity, 200-channel binning.
import { expect, it } from 'vitest';
import { describeShared, readSharedBytes, loadReference } from '../helpers/shared';
import { analyzeSpectrum, readAsciiSpectrum, recoverCalibration, totalIonCount, exactMass } from '@siteproof/tofsims';

describeShared('IONTOF ASCII exports', () => {
  const P = readAsciiSpectrum(readSharedBytes('data/tofsims/IONTOF_ascii_P_Ru_Bi1_1.txt'), 'IONTOF_ascii_P_Ru_Bi1_1.txt');
  const N = readAsciiSpectrum(readSharedBytes('data/tofsims/IONTOF_ascii_N_Ru_Bi1_1.txt'), 'IONTOF_ascii_N_Ru_Bi1_1.txt');

  it('load with sensible shapes and header', () => {
    expect(P.mz.length).toBe(4827); // 4830 lines − 3 header lines
    expect(N.mz.length).toBe(4903);
    for (const s of [P, N]) {
      expect(s.meta.binning).toBe(200);
      expect(s.meta.deadtimeCorrection).toBe(true);
      expect(s.channel![1] - s.channel![0]).toBe(200);
      expect(s.mz[s.mz.length - 1]).toBeGreaterThan(800);
    }
    // Positive file: ~1.54 M counts in total, Na+ the largest bin with 663,063 counts (notes §2.2).
    expect(Math.abs(totalIonCount(P) - 1.54e6) / 1.54e6).toBeLessThan(0.01);
    let imax = 0;
    for (let i = 0; i < P.intensity.length; i++) if (P.intensity[i] > P.intensity[imax]) imax = i;
    expect(P.intensity[imax]).toBe(663063);
    expect(Math.abs(P.mz[imax] - exactMass('Na+').mz)).toBeLessThan(0.03);
  });

  it('recovers the SurfaceLab calibration (sf, k0) from the export itself', () => {
    // Notes: P sf 32965.73, k0 −362.95; N sf 32984.20, k0 −374.94; residual ≤ 0.4 ppm (6-decimal rounding).
    const p = recoverCalibration(P.channel!, P.mz);
    const n = recoverCalibration(N.channel!, N.mz);
    expect(Math.abs(p.k - 32965.73)).toBeLessThan(0.01);
    expect(Math.abs(p.t0 + 362.95)).toBeLessThan(0.01);
    expect(Math.abs(n.k - 32984.2)).toBeLessThan(0.01);
    expect(Math.abs(n.t0 + 374.94)).toBeLessThan(0.01);
    expect(p.maxAbsPpm).toBeLessThan(0.5);
    expect(n.maxAbsPpm).toBeLessThan(0.5);
  });

  it('finds Ru+ with the 7-isotope Ru pattern on the Ru sample and Cl− with 37Cl; warns about the binning', () => {
    const rp = analyzeSpectrum(P, ['Ru+', 'Na+'], { tolPpm: 50 });
    const ru = rp.matches[0];
    expect(ru.observedMz).not.toBeNull();
    expect(ru.accepted).toBe(true);
    expect(ru.isotopes.length).toBeGreaterThanOrEqual(4); // 99, 100, 101, 104Ru vs 102Ru
    expect(rp.calibration.applied).toBe('input');
    expect(rp.warnings.join(' ')).toMatch(/recalibration on bin-limited centroids skipped/);
    const rn = analyzeSpectrum(N, ['Cl-'], { tolPpm: 50 });
    expect(rn.matches[0].accepted).toBe(true);
    expect(rn.matches[0].isotopes[0].label).toBe('M+2');
  });

  it('says that 200-channel bins cannot resolve 60NiN2C2+ from FeN4+', () => {
    const r = analyzeSpectrum(P, ['NiN2C2+'], { tolPpm: 50 });
    expect(r.interferences.find((i) => i.interferer === 'FeN4+')!.resolvable).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/bin width .* mDa > Δm 10\.3 mDa/);
  });

  it('verified masses file agrees with our exact masses (1e-6 u)', () => {
    const ref = loadReference<Record<string, { formula: string; mz_cation: number }>>('tofsims/masses.json');
    for (const v of Object.values(ref)) expect(Math.abs(exactMass(`${v.formula}+`).mz - v.mz_cation)).toBeLessThan(1e-6);
  });
});
