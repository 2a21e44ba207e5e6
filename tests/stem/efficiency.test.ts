// Detection-efficiency correction (inject-and-recover). No reference program has it, so the test
// is against ground truth: on the hard synthetic crop (textured support, Fe peak 60 counts) the
// corrected pair-site fraction must be within 0.05 of the true one and its interval must cover it.
import { expect } from 'vitest';
import { classifySites, detectionEfficiency, findAtoms, readImage } from '@siteproof/stem-stats';
import { describeShared, itShared, readSharedBytes } from '../helpers/shared';
import { readTruth } from './_match';

const SYN = 'data/stem/synthetic';

function truthFraction(rel: string, pixelNm: number): number {
  const t = readTruth(rel);
  const c = classifySites(t.map((a) => a.x * pixelNm), t.map((a) => a.y * pixelNm), 0.35);
  return c.nPairs / c.sites.length;
}

describeShared('stem detection-efficiency correction', () => {
  itShared('hard crop, LoG detector: corrected pair-site fraction within 0.05 of truth, interval covers truth', () => {
    const rel = `${SYN}/synth_seed0_hard_crop512.tif`;
    const img = readImage(readSharedBytes(rel), rel);
    const det = { detector: 'log' as const };
    const map = findAtoms(img, det, rel);
    const e = detectionEfficiency(img, map, det, { rounds: 3, seed: 1 });
    const truth = truthFraction(`${SYN}/synth_seed0_hard_crop512_gt.csv`, 0.02);
    expect(e.corrected).not.toBeNull();
    const c = e.corrected!;
    expect(Math.abs(c.pairSiteFraction - truth)).toBeLessThanOrEqual(0.05);
    expect(c.ci95.pairSiteFraction[0]).toBeLessThanOrEqual(truth);
    expect(c.ci95.pairSiteFraction[1]).toBeGreaterThanOrEqual(truth);
    // The measured probe σ is the generator's 0.045 nm within 10 %.
    expect(Math.abs(e.probeSigmaNm / 0.045 - 1)).toBeLessThan(0.1);
    expect(e.atomDetectionProbability).toBeGreaterThan(0.85);
  });

  itShared('default crop: everything is found, so the correction changes nothing', () => {
    const rel = `${SYN}/synth_seed0_dose1_crop512.tif`;
    const img = readImage(readSharedBytes(rel), rel);
    const map = findAtoms(img, {}, rel);
    const e = detectionEfficiency(img, map, {}, { rounds: 2, seed: 2 });
    expect(e.atomDetectionProbability).toBeGreaterThan(0.98);
    expect(e.corrected!.nPairs).toBeCloseTo(e.observed.nPairs, 0);
    expect(e.corrected!.nSingles).toBeCloseTo(e.observed.nSingles, 0);
  });
});
