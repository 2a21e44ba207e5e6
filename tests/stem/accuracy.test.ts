// Accuracy of atom finding and pair statistics against ground truth and the scikit-image anchor
// (../shared/data/stem/synthetic/ref_skimage_*.json, ref_blobs.py in the research notes).
// The one 2048² end-to-end run (default image) is detected once and shared by the accuracy,
// statistics and line-profile checks; everything else uses the 512² crops of the same images.
import { beforeAll, expect } from 'vitest';
import { classifySites, detectionEfficiency, findAtoms, pairProfiles, pairStatistics, preprocess, readImage, type AtomMap, type Image } from '@siteproof/stem-stats';
import { describeShared, itShared, readSharedBytes, readSharedText } from '../helpers/shared';
import { matchAtoms, readTruth } from './_match';

const SYN = 'data/stem/synthetic';
const SAC = 'data/stem/sjeon_haadf_sac';

function detect(rel: string, opts: Parameters<typeof findAtoms>[1] = {}): AtomMap {
  return findAtoms(readImage(readSharedBytes(rel), rel), opts, rel);
}

function truthFraction(rel: string, pixelNm: number): number {
  const t = readTruth(rel);
  const c = classifySites(t.map((a) => a.x * pixelNm), t.map((a) => a.y * pixelNm), 0.35);
  return c.nPairs / c.sites.length;
}

function stats(m: AtomMap) {
  return pairStatistics([{ xNm: m.atoms.map((a) => a.xNm), yNm: m.atoms.map((a) => a.yNm), widthNm: m.width * m.pixelNm, heightNm: m.height * m.pixelNm }]);
}

describeShared('stem accuracy: synthetic default image (2048², 900 atoms, 0.02 nm/px)', () => {
  const rel = `${SYN}/synth_seed0_dose1.tif`;
  let img: Image;
  let map: AtomMap;
  const truth = () => readTruth(`${SYN}/synth_seed0_dose1_gt.csv`);
  beforeAll(() => {
    img = readImage(readSharedBytes(rel), rel);
    map = findAtoms(img, {}, rel);
  }, 120_000);
  itShared('precision and recall ≥ 0.99, position RMSE ≤ 7 pm (anchor: centroid 5.7 pm) at 0.05 nm tolerance', () => {
    const m = matchAtoms(map.atoms, truth(), 0.05 / map.pixelNm);
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.recall).toBeGreaterThanOrEqual(0.99);
    expect(m.rmsePx * map.pixelNm * 1000).toBeLessThanOrEqual(7);
    // The anchor's noise σ (MAD of its processed image: background 0.5 nm, smoothing 1 px) is 6.337
    // counts: the same estimator on the same processing must agree to a few %, else the k·σ threshold
    // means something else here. (The default run smooths more — auto scales — so its σ is lower.)
    const ref = JSON.parse(readSharedText(`${SYN}/ref_skimage_seed0_default.json`));
    const anchorNoise = preprocess(img, map.pixelNm, { backgroundSigmaNm: 0.5, smoothSigmaNm: 0.02 }).sigma;
    expect(Math.abs(anchorNoise / ref.noise_sigma_counts - 1)).toBeLessThan(0.03);
  });
  itShared('auto scales: measured atom σ is the generator\'s 0.045 nm within 10 %; settings reported', () => {
    const a = map.auto!;
    expect(a.ok).toBe(true);
    expect(Math.abs(a.atomSigmaNm! / 0.045 - 1)).toBeLessThan(0.1);
    // The chosen smoothing lies between the anchor's 1 px and the matched filter (σ_atom).
    expect(map.settings.smoothSigmaNm).toBeGreaterThanOrEqual(0.02);
    expect(map.settings.smoothSigmaNm).toBeLessThanOrEqual(a.atomSigmaNm! + 1e-12);
    expect(a.chosen.smoothSigmaNm).toBe(map.settings.smoothSigmaNm);
    console.info(`[synthetic default] auto: σ_atom ${a.atomSigmaNm!.toFixed(4)} nm, noise ℓ ${a.noiseCorrelationPx!.toFixed(2)} px (σ ratio ${a.noiseSmoothingRatio!.toFixed(2)}), chosen ${JSON.stringify(a.chosen)}`);
  });
  itShared('pair-site fraction within 0.02 of truth (0.5); interval and spacing agree with the anchor', () => {
    const s = stats(map);
    expect(Math.abs(s.pairSiteFraction - 0.5)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(s.atomsInPairsFraction - 2 / 3)).toBeLessThanOrEqual(0.02);
    const ref = JSON.parse(readSharedText(`${SYN}/ref_skimage_seed0_default.json`));
    // Same counts as the anchor (300 pairs / 601 sites) give the same Wilson interval to 1e-4.
    if (s.nPairs === ref.pairs_detected.n_pairs && s.nSites === ref.pairs_detected.n_pairs + ref.pairs_detected.n_singles) {
      expect(s.ci95.pairSiteFraction.wilson[0]).toBeCloseTo(ref.pairs_detected.pair_site_fraction_wilson95[0], 4);
      expect(s.ci95.pairSiteFraction.wilson[1]).toBeCloseTo(ref.pairs_detected.pair_site_fraction_wilson95[1], 4);
    }
    // Bootstrap intervals are random: agree with the anchor's to 0.01.
    expect(Math.abs(s.ci95.pairSiteFraction.bootstrap[0] - ref.pairs_detected.pair_site_fraction_boot95[0])).toBeLessThan(0.01);
    expect(Math.abs(s.ci95.atomsInPairsFraction.bootstrap[1] - ref.pairs_detected.atoms_in_pairs_boot95[1])).toBeLessThan(0.01);
    // Spacing: truth 0.25 ± 0.015 nm; anchor fit µ 0.2501 ± 0.0004, σ 0.0179; KDE mode 0.2525.
    expect(s.gaussFit).not.toBeNull();
    expect(Math.abs(s.gaussFit!.mu - ref.nn_distance.hist_gauss_fit.mu_nm)).toBeLessThan(3 * ref.nn_distance.hist_gauss_fit.mu_se_nm);
    expect(Math.abs(s.gaussFit!.sigma - ref.nn_distance.hist_gauss_fit.sigma_nm)).toBeLessThan(0.002);
    // The KDE mode is a noisy estimator: its bootstrap SD over these 600 NN distances is ≈ 3 pm and
    // it moves by 8 pm between detection runs whose mean spacing and Gaussian fit agree to 0.5 pm
    // (the density is flat-topped at 0.245–0.255 nm), so ±10 pm (3 SD) is the meaningful check.
    expect(Math.abs(s.kdeModeNm! - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(s.meanPairDistanceNm! - ref.nn_distance.paired_distance_mean_sd_nm[0])).toBeLessThan(0.0005);
    // Random placement at this density would give far fewer pairs than observed.
    expect(s.randomExpectedPairs).toBeLessThan(s.nPairs / 2);
    expect(s.clarkEvans).toBeLessThan(1);
  });

  // Line profiles across pairs and the Z-contrast call, against ground truth and the anchor
  // (line_profile_pairs: brighter member is Zn in 96 %, median peak ratio 1.269; the generator's
  // ratio is (30/26)^1.7 = 1.275). Needs the full image: ≥ 295 Fe–Zn pairs.
  itShared('profiles: Zn/Fe order right in ≥ 94 % of pairs (anchor 96 %), median ratio within 0.02 of 1.275, confident calls ≥ 95 % right', () => {
    const pp = pairProfiles(img, map, { elements: [26, 30], exponent: 1.7 });
    const ref = JSON.parse(readSharedText(`${SYN}/ref_skimage_seed0_default.json`)).line_profile_pairs;
    const gt = truth();
    const zOf = (a: { x: number; y: number }) => {
      let best = gt[0];
      let bd = Infinity;
      for (const g of gt) {
        const d = Math.hypot(g.x - a.x, g.y - a.y);
        if (d < bd) [bd, best] = [d, g];
      }
      return bd < 2.5 ? Number(best.cls.split('_Z')[1]) : 0;
    };
    let n = 0, right = 0, conf = 0, confRight = 0;
    const ratios: number[] = [];
    for (const p of pp) {
      if (!p.assignment) continue;
      const z1 = zOf(map.atoms[p.atoms[0]]);
      const z2 = zOf(map.atoms[p.atoms[1]]);
      if (!z1 || !z2 || z1 === z2) continue;
      n++;
      if (p.assignment.z1 === z1) right++;
      if (p.assignment.verdict === 'assigned') {
        conf++;
        if (p.assignment.z1 === z1) confRight++;
      }
      ratios.push(z1 > z2 ? p.ratio! : 1 / p.ratio!);
    }
    ratios.sort((a, b) => a - b);
    expect(n).toBeGreaterThanOrEqual(295);
    expect(right / n).toBeGreaterThanOrEqual(ref.brighter_member_is_Zn_fraction - 0.02);
    expect(Math.abs(ratios[ratios.length >> 1] - (30 / 26) ** 1.7)).toBeLessThan(0.02);
    expect(confRight / conf).toBeGreaterThanOrEqual(0.95);
  });
});


describeShared('stem accuracy: synthetic hard image (textured support, dim atoms), 512² crop', () => {
  // The 512² crop of the hard image (59 atoms) against the anchor's rates on the full image: the crop
  // is a window of the same image, so the rates estimate the same quantities (binomial SE ≈ 0.03 here,
  // far below the margin over the anchor). Reached on the crop: P 1.0, R 0.949 (full image: P 0.995, R 0.967).
  const rel = `${SYN}/synth_seed0_hard_crop512.tif`;
  const det = { detector: 'log' as const };
  let img: Image;
  let map: AtomMap;
  beforeAll(() => {
    img = readImage(readSharedBytes(rel), rel);
    map = findAtoms(img, det, rel);
  }, 60_000);
  itShared('LoG detector: at least the recall of scikit-image blob_log at equal or better precision', () => {
    const ref = JSON.parse(readSharedText(`${SYN}/ref_skimage_seed0_hard.json`)).detection.blob_log;
    const m = matchAtoms(map.atoms, readTruth(`${SYN}/synth_seed0_hard_crop512_gt.csv`), 0.05 / map.pixelNm);
    // Anchor: P 0.9465, R 0.8056.
    expect(m.recall).toBeGreaterThanOrEqual(ref.recall);
    expect(m.precision).toBeGreaterThanOrEqual(ref.precision);
  });
  // Detection-efficiency correction (inject-and-recover). No reference program has it, so the test
  // is against ground truth: the corrected pair-site fraction must be within 0.05 of the true one
  // and its interval must cover it.
  itShared('efficiency correction: corrected pair-site fraction within 0.05 of truth, interval covers truth', () => {
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
});

describeShared('stem detection-efficiency correction, default crop', () => {
  itShared('everything is found, so the correction changes nothing', () => {
    const rel = `${SYN}/synth_seed0_dose1_crop512.tif`;
    const img = readImage(readSharedBytes(rel), rel);
    const map = findAtoms(img, {}, rel);
    const e = detectionEfficiency(img, map, {}, { rounds: 2, seed: 2 });
    expect(e.atomDetectionProbability).toBeGreaterThan(0.98);
    expect(e.corrected!.nPairs).toBeCloseTo(e.observed.nPairs, 0);
    expect(e.corrected!.nSingles).toBeCloseTo(e.observed.nSingles, 0);
  });
});

describeShared('stem accuracy: real labelled SAC images (Sjeon1/HAADF_Atom_Detection)', () => {
  // These TIFFs are uncalibrated; 0.02 nm/px is within the plausible 0.016–0.023 nm. The atoms here
  // have broad tails and the noise is correlated over a few pixels. With the fixed anchor settings
  // (auto: false) split and noise peaks give P ≈ 0.62, R ≈ 0.99; the defaults measure the atom size
  // and the SNR-vs-smoothing curve in the image (imageScale.ts) and must reach P, R ≥ 0.9 on their
  // own, as the hand-made 'real-sac' preset (background 0.4 nm, smoothing 0.04 nm, min separation
  // 0.14 nm, k 5.5) does.
  let bpy: Image;
  const bpyRel = `${SAC}/bpy_crop20.tif`;
  beforeAll(() => {
    bpy = readImage(readSharedBytes(bpyRel), bpyRel);
  });
  itShared('bpy_crop20 (84 labels), defaults (auto scales): precision and recall ≥ 0.9 within 6 px', () => {
    const map = findAtoms(bpy, { pixelNm: 0.02 }, bpyRel);
    const m = matchAtoms(map.atoms, readTruth(`${SAC}/bpy_crop20.csv`), 6);
    expect(map.auto?.ok).toBe(true);
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.recall).toBeGreaterThanOrEqual(0.9);
    const fixed = matchAtoms(findAtoms(bpy, { pixelNm: 0.02, auto: false }, bpyRel).atoms, readTruth(`${SAC}/bpy_crop20.csv`), 6);
    const a = map.auto!;
    console.info(`[bpy_crop20] defaults (auto): precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}; σ_atom ${a.atomSigmaNm!.toFixed(4)} nm, noise ℓ ${a.noiseCorrelationPx!.toFixed(2)} px (σ ratio ${a.noiseSmoothingRatio!.toFixed(2)}), chosen ${JSON.stringify(a.chosen)}; fixed anchor settings: ${fixed.precision.toFixed(3)}, ${fixed.recall.toFixed(3)}`);
  });
  itShared("bpy_crop20, preset 'real-sac' (no auto): precision and recall ≥ 0.9 within 6 px", () => {
    const map = findAtoms(bpy, { pixelNm: 0.02, preset: 'real-sac' }, bpyRel);
    expect(map.auto).toBeUndefined();
    expect(map.settings.smoothSigmaNm).toBe(0.04);
    const m = matchAtoms(map.atoms, readTruth(`${SAC}/bpy_crop20.csv`), 6);
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.recall).toBeGreaterThanOrEqual(0.9);
    console.info(`[bpy_crop20] real-sac preset: precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}`);
  });
  itShared('Ptporph12 (56 labels, known hard): report what the defaults and the LoG detector reach', () => {
    const rel = `${SAC}/Ptporph12.tif`;
    const truth = readTruth(`${SAC}/Ptporph12.csv`);
    const def = detect(rel, { pixelNm: 0.02 });
    const md = matchAtoms(def.atoms, truth, 6);
    const map = detect(rel, { pixelNm: 0.02, detector: 'log', backgroundSigmaNm: 0.4, minSeparationNm: 0.14 });
    const m = matchAtoms(map.atoms, truth, 6);
    // The anchor's classical pipeline reached P < 0.1 and R < 0.2 at every k; no claim beyond
    // "finite and reported" is made for this image.
    console.info(`[Ptporph12] defaults: detected ${def.atoms.length}, precision ${md.precision.toFixed(3)}, recall ${md.recall.toFixed(3)} (auto: ${def.auto?.ok ? `σ_atom ${def.auto.atomSigmaNm!.toFixed(4)} nm` : def.auto?.reason}); LoG: detected ${map.atoms.length}, precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}`);
    expect(Number.isFinite(m.precision) && Number.isFinite(m.recall) && Number.isFinite(md.precision)).toBe(true);
  });
});
