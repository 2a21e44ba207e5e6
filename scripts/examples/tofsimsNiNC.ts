// Deterministic ToF-SIMS spectra of a Ni–N–C single-atom catalyst and its metal-free N–C control
// (positive ions), written in the IONTOF SurfaceLab ASCII export layout (Channel, m/z, Intensity
// with '#' header lines) that @siteproof/tofsims reads. Peaks come from the package's own
// isotope patterns placed by a ToF calibration (syntheticSpectrum); the exported m/z axis is
// 35 ppm off, as real exports are, so the report's recalibration has something to do.
import { syntheticSpectrum, type Spectrum } from '@siteproof/tofsims';

export const TOF_CALIBRATION = { t0: 150, k: 3000 };
const EXPORT_CALIBRATION = { t0: 150.6, k: 3000 * (1 - 35e-6) };
const CALIBRANTS = ['CH3+', 'Na+', 'C2H3+', 'C2H5+', 'C3H5+', 'C3H7+', 'C4H7+', 'C5H9+'];
/** Hydrocarbons near the Ni–N–C fragments (same nominal mass, different mass defect). */
const ORGANICS = ['C8H13+', 'C8H15+', 'C7H9N+', 'C6H5N2+'];

export interface TofsimsTruth {
  /** Counts of each ion (all isotopologues) in the sample and the control. */
  sample: Record<string, number>;
  control: Record<string, number>;
  calibration: { t0: number; k: number };
  exportCalibration: { t0: number; k: number };
}

function exportText(s: Spectrum, title: string): string {
  const lines = [
    `# Sample: ${title}`,
    '# Polarity: positive',
    '# Binning: 1 channels',
    '# Deadtime Correction: on',
    '# Generator: scripts/examples/tofsimsNiNC.ts (synthetic, not measured)',
    'Channel\tm/z\tIntensity',
  ];
  for (let i = 0; i < s.mz.length; i++) lines.push(`${s.channel![i]}\t${s.mz[i].toFixed(5)}\t${s.intensity[i]}`);
  return lines.join('\n') + '\n';
}

export function generateTofsims(seed = 11): { files: { name: string; text: string }[]; truth: TofsimsTruth } {
  const base: Record<string, number> = {};
  CALIBRANTS.forEach((c, i) => (base[c] = 3e5 / (1 + 0.6 * i)));
  ORGANICS.forEach((c, i) => (base[c] = 6000 / (1 + i)));
  base['C3H3N+'] = 15000; // N-doped carbon in both
  const sample = { ...base, 'Ni+': 60000, 'NiCN+': 25000, 'NiN2C2+': 30000, 'NiN4C4+': 6000 };
  const control = { ...base };
  // first channel at m/z ≈ 10 keeps the export small; last just above m/z 175 (NiN4C4+ at 161.97)
  const firstChannel = Math.floor(TOF_CALIBRATION.t0 + TOF_CALIBRATION.k * Math.sqrt(10));
  const last = Math.ceil(TOF_CALIBRATION.t0 + TOF_CALIBRATION.k * Math.sqrt(175));
  const make = (ions: Record<string, number>, s: number) =>
    syntheticSpectrum({
      ions: Object.entries(ions).map(([formula, counts]) => ({ formula, counts })),
      calibration: TOF_CALIBRATION,
      exportCalibration: EXPORT_CALIBRATION,
      firstChannel,
      channels: last - firstChannel,
      resolution: 12000,
      background: 0.4,
      seed: s,
    });
  return {
    files: [
      { name: 'ni_nc_sample_pos.txt', text: exportText(make(sample, seed), 'Ni-N-C single-atom catalyst') },
      { name: 'nc_control_pos.txt', text: exportText(make(control, seed + 1), 'metal-free N-C control') },
    ],
    truth: { sample, control, calibration: TOF_CALIBRATION, exportCalibration: EXPORT_CALIBRATION },
  };
}
