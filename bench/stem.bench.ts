// stem-2048: images/s for a 2048² synthetic HAADF image end to end — TIFF decode, background,
// smoothing, MAD noise, detection, centroid refinement, pair statistics (2000 bootstrap replicates,
// 200-run Monte-Carlo null). Anchors: the scikit-image pipeline timings in
// ../shared/data/stem/synthetic/ref_skimage_seed0_default.json (core_plm_pipeline_total ≈ 1.0 s,
// log_pipeline_total ≈ 4.3 s; those exclude file reading and statistics, ours include them).
import { readFileSync } from 'node:fs';
import { findAtoms, pairStatistics, readImage, type FindAtomsOptions } from '@siteproof/stem-stats';
import { hasShared, loadSharedJson, sharedPath, type Benchmark } from './harness';

const FILE = 'data/stem/synthetic/synth_seed0_dose1.tif';
const REF = 'data/stem/synthetic/ref_skimage_seed0_default.json';

interface Ctx {
  bytes: Uint8Array;
}

function endToEnd(ctx: Ctx, opts: FindAtomsOptions): number {
  const img = readImage(ctx.bytes, FILE);
  const map = findAtoms(img, opts, FILE);
  const s = pairStatistics([{ xNm: map.atoms.map((a) => a.xNm), yNm: map.atoms.map((a) => a.yNm), widthNm: map.width * map.pixelNm, heightNm: map.height * map.pixelNm }]);
  if (s.nAtoms < 800) throw new Error(`only ${s.nAtoms} atoms found`);
  return 1;
}

function anchor(key: string, label: string) {
  const ref = loadSharedJson<{ timing_s: Record<string, number> }>(REF);
  const t = ref?.timing_s?.[key];
  return t && t > 0 ? { name: `scikit-image ${label} (${t} s per 2048²)`, value: 1 / t } : undefined;
}

const setup = (): Ctx => {
  const b = readFileSync(sharedPath(FILE));
  return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
};
const skip = () => (hasShared() ? undefined : '../shared absent (synthetic HAADF image)');

export const benchmarks: Benchmark<Ctx>[] = [
  {
    name: 'stem-2048',
    unit: 'images/s',
    skip,
    setup,
    run: (ctx) => endToEnd(ctx, {}),
    anchor: () => anchor('core_plm_pipeline_total', 'peak_local_max pipeline'),
    minIterations: 3,
  },
  {
    name: 'stem-2048-log',
    unit: 'images/s',
    skip,
    setup,
    run: (ctx) => endToEnd(ctx, { detector: 'log' }),
    anchor: () => anchor('log_pipeline_total', 'blob_log pipeline'),
    minIterations: 2,
  },
];

benchmarks.push({
  name: 'stem-2048-log-fast',
  unit: 'images/s',
  skip,
  setup,
  run: (ctx) => endToEnd(ctx, { detector: 'log', logDownsample: 2 }),
  anchor: () => anchor('log_pipeline_total', 'blob_log pipeline'),
  minIterations: 2,
});
