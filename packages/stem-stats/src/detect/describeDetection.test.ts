import { describe, expect, it } from 'vitest';
import { describeDetection } from './describeDetection';
import type { AtomMap, DetectionSettings } from './findAtoms';

const settings: DetectionSettings = {
  detector: 'maxima', kSigma: 4.58, backgroundSigmaNm: 0.616, smoothSigmaNm: 0.0536, minSeparationNm: 0.154,
  centroidRadiusNm: 0.0737, annulusNm: [0.12, 0.17], logSigmasNm: [0.037, 0.055, 0.074],
};
const base: AtomMap = { pixelNm: 0.02, width: 64, height: 64, noiseSigma: 1, threshold: 5, atoms: [], warnings: [], settings };

describe('describeDetection', () => {
  it('names fixed settings when auto is off', () => {
    expect(describeDetection(base)).toBe('scales: fixed (smoothing 0.0536 nm, min separation 0.154 nm, k 4.58)');
  });
  it('says why the scales were not measured', () => {
    const line = describeDetection({ ...base, auto: { ok: false, reason: 'only 2 clear peaks (≥ 6σ)', chosen: {}, kept: [] } });
    expect(line).toBe('auto scales: not measured (only 2 clear peaks (≥ 6σ)); fixed defaults used');
  });
  it('gives the measured scales, the chosen settings in nm and px, and what was kept as given', () => {
    const line = describeDetection({
      ...base,
      auto: { ok: true, atomSigmaNm: 0.0552, atomSigmaPx: 2.76, noiseCorrelationPx: 0.467, nPeaks: 16, chosen: { smoothSigmaNm: 0.0536 }, kept: ['kSigma'] },
    });
    expect(line).toContain('atom σ 0.0552 nm (2.76 px, 16 peaks), noise correlation 0.467 px');
    expect(line).toContain('smoothing 0.0536 nm (2.68 px), min separation 0.154 nm, k 4.58');
    expect(line).toContain('background 0.616 nm, centroid r 0.0737 nm (kept as given: kSigma)');
  });
});
