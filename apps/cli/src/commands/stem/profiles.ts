import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { findAtoms, pairProfiles } from '@siteproof/stem-stats';
import { defineCommand } from '../../command';
import { listFlag, numberFlag, stringFlag, toJson } from '../../args';
import { writeFileAtomic, resolveUserPath } from '../../io';
import { csvNumber, detectionFlags, detectionOptions, loadImage, requireImages, stemOf } from './_shared';

export default defineCommand({
  path: ['stem', 'profiles'],
  summary: 'line profile across each atom pair: two-Gaussian fit, intensity ratio, Z-contrast call with its confidence',
  usage: 'stem profiles IMAGE [--pixel-nm P] [--preset real-sac] [--no-auto] [--elements 26,30] [--exponent 1.7] [--max-pair-nm 0.35] [--width-nm 0.06] [--out DIR] [--json]',
  options: {
    ...detectionFlags,
    elements: { type: 'string' },
    exponent: { type: 'string' },
    'max-pair-nm': { type: 'string' },
    'width-nm': { type: 'string' },
  },
  async run(ctx) {
    const [file] = requireImages(ctx, 1);
    const { image, name, path: abs } = await loadImage(ctx, file);
    const det = detectionOptions(ctx);
    const map = findAtoms(image, det, name);
    const el = listFlag(ctx, 'elements');
    let elements: [number, number] | undefined;
    if (el) {
      const zs = el.map(Number);
      if (zs.length !== 2 || !zs.every((z) => Number.isInteger(z) && z > 0 && z < 119) || zs[0] === zs[1]) {
        throw new ValidationError(`--elements needs two different atomic numbers, e.g. 26,30; got '${el.join(',')}'`, { field: 'elements' });
      }
      elements = [zs[0], zs[1]];
    }
    const o: Record<string, unknown> = { elements };
    const ex = numberFlag(ctx, 'exponent');
    if (ex !== undefined) o.exponent = ex;
    const mp = numberFlag(ctx, 'max-pair-nm');
    if (mp !== undefined) o.maxPairNm = mp;
    const wn = numberFlag(ctx, 'width-nm');
    if (wn !== undefined) o.widthNm = wn;
    // The background the detection used (given, or chosen by the auto scales).
    if (det.backgroundSigmaNm !== undefined || map.auto?.chosen.backgroundSigmaNm !== undefined) o.backgroundSigmaNm = map.settings.backgroundSigmaNm;
    const pp = pairProfiles(image, map, o);
    const pairs = pp.map((p) => {
      const [a, b] = p.atoms.map((i) => map.atoms[i]);
      return {
        atom1: { x: a.x, y: a.y },
        atom2: { x: b.x, y: b.y },
        distanceNm: p.distanceNm,
        fit: p.fit,
        ratio: p.ratio,
        assignment: p.assignment,
      };
    });
    const doc = { file: name, pixelNm: map.pixelNm, exponent: (o.exponent as number | undefined) ?? 1.7, elements: elements ?? null, nPairs: pairs.length, nFitted: pp.filter((p) => p.fit).length, pairs, warnings: map.warnings };
    const outDir = stringFlag(ctx, 'out');
    if (outDir !== undefined) {
      const dir = resolveUserPath(ctx.cwd, outDir);
      const rows = ['x1_px,y1_px,x2_px,y2_px,distance_nm,a1,a2,ratio,z1,z2,confidence,verdict'];
      for (const p of pairs) {
        rows.push([p.atom1.x, p.atom1.y, p.atom2.x, p.atom2.y, p.distanceNm, p.fit?.a1 ?? NaN, p.fit?.a2 ?? NaN, p.ratio ?? NaN].map((v) => csvNumber(v)).concat([String(p.assignment?.z1 ?? ''), String(p.assignment?.z2 ?? ''), p.assignment ? csvNumber(p.assignment.confidence) : '', p.assignment?.verdict ?? '']).join(','));
      }
      await writeFileAtomic(path.join(dir, `${stemOf(name)}_profiles.csv`), rows.join('\n') + '\n', [abs]);
      await writeFileAtomic(path.join(dir, `${stemOf(name)}_profiles.json`), toJson(doc) + '\n', [abs]);
    }
    if (ctx.values.json) ctx.out(toJson(doc) + '\n');
    else {
      const assigned = pairs.filter((p) => p.assignment?.verdict === 'assigned').length;
      const ratios = pairs.map((p) => p.ratio).filter((r): r is number => r !== null).map((r) => Math.max(r, 1 / r)).sort((a, b) => a - b);
      ctx.out(
        `${name}: ${pairs.length} pairs, ${doc.nFitted} profiles fitted; median brighter/dimmer ratio ${ratios.length ? ratios[ratios.length >> 1].toFixed(3) : '–'}` +
          (elements ? `; ${assigned} assigned with confidence ≥ 0.9 (I ∝ Z^${doc.exponent}), ${pairs.length - assigned} undetermined` : '') +
          '\n',
      );
    }
  },
});
