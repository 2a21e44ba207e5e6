// Line profiles across pairs and the Z-contrast call, against ground truth and the scikit-image
// anchor (line_profile_pairs in ref_skimage_seed0_default.json: brighter member is Zn in 96 %,
// median peak ratio 1.269; the generator's ratio is (30/26)^1.7 = 1.275).
import { expect } from 'vitest';
import { findAtoms, pairProfiles, readImage } from '@siteproof/stem-stats';
import { describeShared, itShared, readSharedBytes, readSharedText } from '../helpers/shared';
import { readTruth } from './_match';

const SYN = 'data/stem/synthetic';

describeShared('stem pair line profiles (synthetic default image)', () => {
  itShared('Zn/Fe order right in ≥ 94 % of pairs (anchor 96 %), median ratio within 0.02 of 1.275, confident calls ≥ 95 % right', () => {
    const rel = `${SYN}/synth_seed0_dose1.tif`;
    const img = readImage(readSharedBytes(rel), rel);
    const map = findAtoms(img, {}, rel);
    const pp = pairProfiles(img, map, { elements: [26, 30], exponent: 1.7 });
    const ref = JSON.parse(readSharedText(`${SYN}/ref_skimage_seed0_default.json`)).line_profile_pairs;
    const gt = readTruth(`${SYN}/synth_seed0_dose1_gt.csv`);
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
