import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { classifySites, detectionEfficiency, findAtoms, mulberry32, overlaySvg, pairStatistics, percentileInterval, type EfficiencyResult, type PairStatsOptions, describeDetection } from '@siteproof/stem-stats';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { writeFileAtomic, resolveUserPath } from '../../io';
import { csvNumber, detectionFlags, detectionOptions, loadImage, requireImages, stemOf } from './_shared';

export default defineCommand({
  path: ['stem', 'pairs'],
  summary: 'single atoms vs pairs in HAADF-STEM images: both pair fractions with 95 % intervals, spacing KDE/fit, random null',
  usage:
    'stem pairs IMAGE... [--pixel-nm P] [--preset real-sac] [--no-auto] [--max-pair-nm 0.35] [--kde-bandwidth silverman|scott|NM] [--bootstrap 2000] [--seed 1] [--correct-rounds 2 (0 = no efficiency correction)] [--frame K] [--frame-count N] [--max-image-bytes B] [--out DIR] [--json]',
  options: {
    ...detectionFlags,
    'max-pair-nm': { type: 'string' },
    'kde-bandwidth': { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    'correct-rounds': { type: 'string' },
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
    const images: { image: Awaited<ReturnType<typeof loadImage>>["image"]; name: string; path: string; map: ReturnType<typeof findAtoms> }[] = [];
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
    // Detection-efficiency correction: inject-and-recover per image, pooled over images.
    const rounds = numberFlag(ctx, 'correct-rounds') ?? 2;
    if (!(Number.isInteger(rounds) && rounds >= 0 && rounds <= 100)) throw new ValidationError('--correct-rounds must be an integer 0–100', { field: 'correct-rounds' });
    let corrected: Record<string, unknown> | null = null;
    if (rounds > 0) {
      const per: EfficiencyResult[] = images.map((i) =>
        detectionEfficiency(i.image, i.map, det, { maxPairNm: stats.maxPairNm, rounds, seed: (so.seed as number | undefined) ?? 1 }),
      );
      per.forEach((e, k) => warnings.push(...e.warnings.map((w) => `${images[k].name} (efficiency): ${w}`)));
      if (per.every((e) => e.corrected)) {
        const S = per.reduce((a, e) => a + e.corrected!.nSingles, 0);
        const P = per.reduce((a, e) => a + e.corrected!.nPairs, 0);
        const M = per.reduce((a, e) => a + e.observed.nMultimers, 0);
        let ci: { pairSiteFraction: [number, number]; atomsInPairsFraction: [number, number] };
        if (per.length === 1) ci = per[0].corrected!.ci95;
        else {
          // Cluster bootstrap over images of the corrected counts.
          const rand = mulberry32(((so.seed as number | undefined) ?? 1) + 17);
          const f: number[] = [];
          const a: number[] = [];
          for (let b = 0; b < 2000; b++) {
            let s = 0, p = 0, m = 0;
            for (let i = 0; i < per.length; i++) {
              const e = per[Math.floor(rand() * per.length)];
              s += e.corrected!.nSingles; p += e.corrected!.nPairs; m += e.observed.nMultimers;
            }
            f.push(s + p + m > 0 ? p / (s + p + m) : 0);
            a.push(s + 2 * p + 3 * m > 0 ? (2 * p) / (s + 2 * p + 3 * m) : 0);
          }
          ci = { pairSiteFraction: percentileInterval(f), atomsInPairsFraction: percentileInterval(a) };
        }
        corrected = {
          method: 'inject-and-recover',
          rounds,
          nSingles: S,
          nPairs: P,
          pairSiteFraction: S + P + M > 0 ? P / (S + P + M) : 0,
          atomsInPairsFraction: S + 2 * P + 3 * M > 0 ? (2 * P) / (S + 2 * P + 3 * M) : 0,
          ci95: ci,
          perImage: per.map((e, k) => ({
            name: images[k].name,
            atomDetectionProbability: e.atomDetectionProbability,
            probeSigmaNm: e.probeSigmaNm,
            single: e.single,
            pair: e.pair,
          })),
        };
      }
    }
    const doc = {
      files: images.map((i) => i.name),
      pixelNm: images.map((i) => i.map.pixelNm),
      ...stats,
      corrected,
      /** Per image: the detection settings used and what the auto scales measured. */
      detection: images.map((i) => ({ file: i.name, settings: i.map.settings, auto: i.map.auto ?? null })),
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
          corrected
            ? `efficiency-corrected pair-site fraction ${pct(corrected.pairSiteFraction as number)} ${ci((corrected.ci95 as { pairSiteFraction: [number, number] }).pairSiteFraction)}`
            : 'no efficiency correction',
          `density ${stats.density.toFixed(3)} atoms/nm², Clark–Evans ${stats.clarkEvans?.toFixed(3) ?? '–'}, random placement would give ${stats.randomExpectedPairs.toFixed(1)} pairs [${stats.randomPairs95.join(', ')}]`,
          ...images.map((i) => `${i.name}: ${describeDetection(i.map)}`),
          '',
        ].join('\n'),
      );
      for (const w of warnings) ctx.err(`warning: ${w}\n`);
    }
  },
});
