import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import type { Image } from '../image';
import type { AtomMap } from '../detect/findAtoms';
import { preprocess } from '../detect/findAtoms';
import { classifySites } from '../statistics/sites';
import { fitTwoGaussians, lineProfile, type TwoGaussians } from './lineProfile';
import { assignZ, type ZAssignment } from './zContrast';

export const pairProfileSchema = z.object({
  maxPairNm: z.number().positive().default(0.35),
  /** Width (nm) averaged across the line. */
  widthNm: z.number().positive().default(0.06),
  /** Extension (nm) of the line beyond each atom. */
  extendNm: z.number().min(0).default(0.15),
  backgroundSigmaNm: z.number().positive().default(0.5),
  /** Candidate elements (light, heavy) for the assignment; omit to get ratios only. */
  elements: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  exponent: z.number().positive().default(1.7),
  threshold: z.number().min(0.5).max(1).default(0.9),
  includeSame: z.boolean().default(false),
});
export type PairProfileOptions = z.input<typeof pairProfileSchema>;

export interface PairProfile {
  /** Indices of the two atoms in the AtomMap. */
  atoms: [number, number];
  distanceNm: number;
  fit: TwoGaussians | null;
  /** Peak-height ratio atom 1 / atom 2 from the fit (null when the fit failed). */
  ratio: number | null;
  assignment: ZAssignment | null;
}

/** Width-averaged line profile across every pair, two-Gaussian fit, ratio and Z assignment. */
export function pairProfiles(img: Image, map: AtomMap, options: PairProfileOptions = {}): PairProfile[] {
  const o = parseOptions(pairProfileSchema, options, 'options');
  const px = map.pixelNm;
  const pre = preprocess(img, px, { backgroundSigmaNm: o.backgroundSigmaNm, smoothSigmaNm: 0 });
  const c = classifySites(map.atoms.map((a) => a.xNm), map.atoms.map((a) => a.yNm), o.maxPairNm);
  const out: PairProfile[] = [];
  const [zl, zh] = o.elements ? [Math.min(...o.elements), Math.max(...o.elements)] : [0, 0];
  for (const s of c.sites) {
    if (s.type !== 'pair') continue;
    const [i, j] = s.atoms;
    const A = map.atoms[i];
    const B = map.atoms[j];
    const ext = o.extendNm / px;
    const prof = lineProfile(pre.flat, img.width, img.height, A, B, o.widthNm / px, ext);
    const d = Math.hypot(B.x - A.x, B.y - A.y);
    const sigma0 = A.sigmaNm !== undefined ? A.sigmaNm / px : Math.max(1, 0.3 * d);
    const fit = fitTwoGaussians(prof, ext, ext + d, sigma0);
    const ok = fit && Math.abs(fit.m1 - ext) < 0.5 * d && Math.abs(fit.m2 - ext - d) < 0.5 * d;
    const ratio = ok ? fit!.a1 / fit!.a2 : null;
    out.push({
      atoms: [i, j],
      distanceNm: d * px,
      fit: ok ? fit : null,
      ratio,
      assignment: ok && o.elements && zl !== zh ? assignZ(fit!.a1, fit!.a1Err, fit!.a2, fit!.a2Err, zl, zh, o.exponent, o.threshold, o.includeSame) : null,
    });
  }
  return out;
}
