import * as path from 'node:path';
import { findAtoms, overlaySvg, describeDetection } from '@siteproof/stem-stats';
import { defineCommand } from '../../command';
import { stringFlag, toJson } from '../../args';
import { writeFileAtomic, resolveUserPath } from '../../io';
import { csvNumber, detectionFlags, detectionOptions, loadImage, requireImages, stemOf } from './_shared';

export default defineCommand({
  path: ['stem', 'atoms'],
  summary: 'find single atoms in a HAADF-STEM image (sub-pixel positions, integrated intensities)',
  usage:
    'stem atoms IMAGE [--pixel-nm P] [--k-sigma 5] [--detector maxima|log] [--refine centroid|gaussian] [--preset real-sac] [--no-auto] [--frame K] [--frame-count N] [--max-image-bytes B] [--out DIR] [--json]',
  options: detectionFlags,
  async run(ctx) {
    const [file] = requireImages(ctx, 1);
    const { image, name, path: abs } = await loadImage(ctx, file);
    const map = findAtoms(image, detectionOptions(ctx), name);
    const doc = {
      file: name,
      pixelNm: map.pixelNm,
      width: map.width,
      height: map.height,
      noiseSigma: map.noiseSigma,
      threshold: map.threshold,
      nAtoms: map.atoms.length,
      settings: map.settings,
      auto: map.auto ?? null,
      atoms: map.atoms.map((a) => ({ x: a.x, y: a.y, xNm: a.xNm, yNm: a.yNm, intensity: a.intensity, snr: a.snr, ...(a.sigmaNm !== undefined ? { sigmaNm: a.sigmaNm } : {}) })),
      warnings: map.warnings,
    };
    const outDir = stringFlag(ctx, 'out');
    if (outDir !== undefined) {
      const dir = resolveUserPath(ctx.cwd, outDir);
      const base = path.join(dir, stemOf(name));
      const csv = ['x_px,y_px,x_nm,y_nm,intensity,snr', ...map.atoms.map((a) => [a.x, a.y, a.xNm, a.yNm, a.intensity, a.snr].map((v) => csvNumber(v)).join(','))].join('\n') + '\n';
      await writeFileAtomic(`${base}_atoms.csv`, csv, [abs]);
      await writeFileAtomic(`${base}_atoms.json`, toJson(doc) + '\n', [abs]);
      const svg = overlaySvg(image, map.atoms.map((a) => ({ x: a.x, y: a.y, kind: 'atom' })), 0.1 / map.pixelNm, name);
      await writeFileAtomic(`${base}_atoms.svg`, svg, [abs]);
    }
    if (ctx.values.json) ctx.out(toJson(doc) + '\n');
    else {
      ctx.out(`${name}: ${map.atoms.length} atoms (pixel ${map.pixelNm} nm, ${map.width}×${map.height}, noise σ ${map.noiseSigma.toFixed(3)})\n`);
      ctx.out(`${describeDetection(map)}\n`);
      for (const w of map.warnings) ctx.err(`warning: ${w}\n`);
    }
  },
});
