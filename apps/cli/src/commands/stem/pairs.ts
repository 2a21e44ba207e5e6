import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { classifySites, findAtoms, overlaySvg, pairStatistics, type PairStatsOptions } from '@siteproof/stem-stats';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { writeFileAtomic, resolveUserPath } from '../../io';
import { csvNumber, detectionFlags, detectionOptions, loadImage, requireImages, stemOf } from './_shared';

export default defineCommand({
  path: ['stem', 'pairs'],
  summary: 'single atoms vs pairs in HAADF-STEM images: both pair fractions with 95 % intervals, spacing KDE/fit, random null',
  usage:
    'stem pairs IMAGE... [--pixel-nm P] [--max-pair-nm 0.35] [--kde-bandwidth silverman|scott|NM] [--bootstrap 2000] [--seed 1] [--out DIR] [--json]',
  options: {
    ...detectionFlags,
    'max-pair-nm': { type: 'string' },
    'kde-bandwidth': { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(ctx) {
    const files = requireImages(ctx);
    const det = detectionOptions(ctx);
    const so: Record<string, unknown> = {};
    const mp = numberFlag(ctx, 'max-pair-nm');
    if (mp !== undefined) so.maxPairNm = mp;
    const bs = numberFlag(ctx, 'bootstrap');
    if (bs !== undefined) so.bootstrap = bs;
    const sd = numberFlag(ctx, 'seed');
    if (sd !== undefined) so.seed = sd;
    const kb = stringFlag(ctx, 'kde-bandwidth');
    if (kb !== undefined) {
      if (kb === 'silverman' || kb === 'scott') so.kdeBandwidth = kb;
      else {
        const v = Number(kb);
        if (!(v > 0) || !Number.isFinite(v)) throw new ValidationError(`--kde-bandwidth must be silverman, scott or a bandwidth in nm, got '${kb}'`, { field: 'kde-bandwidth' });
        so.kdeBandwidth = v;
      }
    }
    const images = [];
    for (const f of files) {
      const im = await loadImage(ctx, f);
      const map = findAtoms(im.image, det, im.name);
      images.push({ ...im, map });
    }
    const stats = pairStatistics(
      images.map((i) => ({
        xNm: i.map.atoms.map((a) => a.xNm),
        yNm: i.map.atoms.map((a) => a.yNm),
        widthNm: i.map.width * i.map.pixelNm,
        heightNm: i.map.height * i.map.pixelNm,
        name: i.name,
      })),
      so as PairStatsOptions,
    );
    const warnings = [...images.flatMap((i) => i.map.warnings.map((w) => `${i.name}: ${w}`)), ...stats.warnings];
    const doc = {
      files: images.map((i) => i.name),
      pixelNm: images.map((i) => i.map.pixelNm),
      ...stats,
      // The detection-efficiency correction is a separate, slower step (stem efficiency); null here.
      corrected: null,
      warnings,
    };
    const outDir = stringFlag(ctx, 'out');
    if (outDir !== undefined) {
      const dir = resolveUserPath(ctx.cwd, outDir);
      const inputs = images.map((i) => i.path);
      await writeFileAtomic(path.join(dir, 'pairs.json'), toJson(doc) + '\n', inputs);
      const rows = ['image,x_px,y_px,x_nm,y_nm,intensity,snr,site,site_type,nn_distance_nm'];
      for (const i of images) {
        const xs = i.map.atoms.map((a) => a.xNm);
        const ys = i.map.atoms.map((a) => a.yNm);
        const c = classifySites(xs, ys, stats.maxPairNm);
        i.map.atoms.forEach((a, k) => {
          const s = c.siteOf[k];
          rows.push([JSON.stringify(i.name), ...[a.x, a.y, a.xNm, a.yNm, a.intensity, a.snr].map((v) => csvNumber(v)), s, c.sites[s].type, csvNumber(c.nnDistance[k])].join(','));
        });
        const markers = i.map.atoms.map((a, k) => ({ x: a.x, y: a.y, kind: c.sites[c.siteOf[k]].type }));
        await writeFileAtomic(path.join(dir, `${stemOf(i.name)}_pairs.svg`), overlaySvg(i.image, markers, 0.1 / i.map.pixelNm, i.name), inputs);
      }
      await writeFileAtomic(path.join(dir, 'atoms.csv'), rows.join('\n') + '\n', inputs);
    }
    if (ctx.values.json) ctx.out(toJson(doc) + '\n');
    else {
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
      const ci = (c: [number, number]) => `[${pct(c[0])}, ${pct(c[1])}]`;
      ctx.out(
        [
          `${stats.nImages} image(s): ${stats.nAtoms} atoms in ${stats.nSites} sites — ${stats.nSingles} single, ${stats.nPairs} pairs, ${stats.nMultimers} multimers (pair cut-off ${stats.maxPairNm} nm)`,
          `pair-site fraction ${pct(stats.pairSiteFraction)}  Wilson ${ci(stats.ci95.pairSiteFraction.wilson)}  bootstrap ${ci(stats.ci95.pairSiteFraction.bootstrap)}`,
          `atoms-in-pairs fraction ${pct(stats.atomsInPairsFraction)}  bootstrap ${ci(stats.ci95.atomsInPairsFraction.bootstrap)}`,
          stats.gaussFit ? `pair spacing ${stats.gaussFit.mu.toFixed(4)} ± ${stats.gaussFit.muErr.toFixed(4)} nm (Gaussian σ ${stats.gaussFit.sigma.toFixed(4)} nm), KDE mode ${stats.kdeModeNm?.toFixed(4)} nm` : 'pair spacing: too few pairs to fit',
          `density ${stats.density.toFixed(3)} atoms/nm², Clark–Evans ${stats.clarkEvans?.toFixed(3) ?? '–'}, random placement would give ${stats.randomExpectedPairs.toFixed(1)} pairs [${stats.randomPairs95.join(', ')}]`,
          '',
        ].join('\n'),
      );
      for (const w of warnings) ctx.err(`warning: ${w}\n`);
    }
  },
});
