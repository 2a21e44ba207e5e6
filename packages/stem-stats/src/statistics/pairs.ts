import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import { classifySites, type SiteClassification } from './sites';
import { percentileInterval, wilson } from './intervals';
import { bandwidth, kde } from './kde';
import { fitGaussianHistogram, type GaussFit } from './gaussfit1d';
import { randomMeanNnDistance, randomPairsNull, type RandomNull } from './spatial';
import { mulberry32 } from './rng';
import { simdKernels } from '../preprocess/simd';

export const pairStatsSchema = z.object({
  /** Pair cut-off (nm): atoms closer than this are linked into one site. Always reported. */
  maxPairNm: z.number().positive().default(0.35),
  bootstrap: z.number().int().min(0).max(100000).default(2000),
  seed: z.number().int().default(1),
  /** KDE bandwidth: a rule name or a value in nm. */
  kdeBandwidth: z.union([z.enum(['silverman', 'scott']), z.number().positive()]).default('silverman'),
  /** NN distances above this (nm) are left out of the KDE and the peak fit (the random tail). */
  kdeMaxNm: z.number().positive().default(0.5),
  histBinNm: z.number().positive().default(0.005),
  nullSimulations: z.number().int().min(0).max(10000).default(200),
});
export type PairStatsOptions = z.input<typeof pairStatsSchema>;

export interface FieldAtoms {
  /** Atom positions in nm. */
  xNm: ArrayLike<number>;
  yNm: ArrayLike<number>;
  widthNm: number;
  heightNm: number;
  name?: string;
}

export interface PairStatistics {
  nImages: number;
  maxPairNm: number;
  nAtoms: number;
  nSites: number;
  nPairs: number;
  nSingles: number;
  nMultimers: number;
  /** Pairs / all sites (single + pair + multimer). */
  pairSiteFraction: number;
  /** Atoms in pairs / all atoms. */
  atomsInPairsFraction: number;
  ci95: {
    method: 'site bootstrap' | 'cluster bootstrap over images';
    bootstrapReplicates: number;
    seed: number;
    pairSiteFraction: { wilson: [number, number]; bootstrap: [number, number] };
    /** Wilson does not apply (atoms in a pair are not independent), so only the bootstrap. */
    atomsInPairsFraction: { bootstrap: [number, number] };
  };
  meanPairDistanceNm: number | null;
  pairDistanceSdNm: number | null;
  pairDistanceSemNm: number | null;
  kdeModeNm: number | null;
  kdeBandwidthNm: number | null;
  gaussFit: GaussFit | null;
  histogram: { binNm: number; edgesNm: number[]; counts: number[] };
  /** Atoms per nm². */
  density: number;
  meanNnDistanceNm: number | null;
  randomMeanNnDistanceNm: number;
  /** Observed mean NN distance / random expectation (< 1 clustered, > 1 dispersed); no edge correction. */
  clarkEvans: number | null;
  randomExpectedPairs: number;
  randomPairs95: [number, number];
  perImage: { name: string; nAtoms: number; nSites: number; nPairs: number; pairSiteFraction: number }[];
  warnings: string[];
}

/** Pair statistics of one or more images (pooled; intervals by cluster bootstrap over images when > 1). */
export function pairStatistics(fields: FieldAtoms[], options: PairStatsOptions = {}): PairStatistics {
  const o = parseOptions(pairStatsSchema, options, 'options');
  const warnings: string[] = [];
  const cls: SiteClassification[] = fields.map((f) => classifySites(f.xNm, f.yNm, o.maxPairNm));
  let nAtoms = 0, nPairs = 0, nSingles = 0, nMultimers = 0, area = 0;
  const pairD: number[] = [];
  const nnAll: number[] = [];
  cls.forEach((c, k) => {
    nAtoms += fields[k].xNm.length;
    nPairs += c.nPairs;
    nSingles += c.nSingles;
    nMultimers += c.nMultimers;
    area += fields[k].widthNm * fields[k].heightNm;
    pairD.push(...c.pairDistances);
    for (const d of c.nnDistance) if (Number.isFinite(d)) nnAll.push(d);
  });
  const nSites = nPairs + nSingles + nMultimers;
  const frac = (a: number, b: number) => (b > 0 ? a / b : 0);
  if (nAtoms === 0) warnings.push('no atoms: fractions are 0 by convention and carry no information');

  // Bootstrap: over sites for one image, over images (each with all its sites) for a batch,
  // because images differ more than sites within an image.
  const rand = mulberry32(o.seed);
  const repSite: number[] = [];
  const repAtoms: number[] = [];
  const cluster = fields.length > 1;
  if (cluster && fields.length < 5) warnings.push(`cluster bootstrap over only ${fields.length} images understates the spread; quote the Wilson interval too`);
  if (nSites > 0 && o.bootstrap > 0) {
    if (cluster) {
      const per = cls.map((c) => ({ p: c.nPairs, s: c.sites.length, a: c.siteOf.length }));
      for (let b = 0; b < o.bootstrap; b++) {
        let p = 0, s = 0, a = 0;
        for (let i = 0; i < per.length; i++) {
          const q = per[Math.floor(rand() * per.length)];
          p += q.p; s += q.s; a += q.a;
        }
        repSite.push(frac(p, s));
        repAtoms.push(frac(2 * p, a));
      }
    } else {
      // The first draws of `rand` (seed o.seed) are made inside, by the same generator inlined.
      siteBootstrap(Int32Array.from(cls[0].sites, (s) => s.atoms.length), o.bootstrap, o.seed, repSite, repAtoms);
    }
  }
  const pairSiteFraction = frac(nPairs, nSites);
  const atomsInPairsFraction = frac(2 * nPairs, nAtoms);
  const boot = (r: number[], v: number): [number, number] => (r.length ? percentileInterval(r) : [v, v]);

  // Distance distribution near the pair peak.
  const near = nnAll.filter((d) => d <= o.kdeMaxNm);
  let kdeModeNm: number | null = null;
  let kdeBw: number | null = null;
  if (near.length >= 2) {
    const bw = typeof o.kdeBandwidth === 'number' ? o.kdeBandwidth : bandwidth(near, o.kdeBandwidth);
    if (bw > 0) {
      const k = kde(near, bw, 0, o.kdeMaxNm, Math.round(o.kdeMaxNm / 0.0005) + 1);
      kdeModeNm = k.mode;
      kdeBw = bw;
    }
  }
  const nb = Math.max(1, Math.round(o.kdeMaxNm / o.histBinNm));
  const counts = new Array<number>(nb).fill(0);
  for (const d of near) counts[Math.min(nb - 1, Math.floor(d / o.histBinNm))]++;
  const edges = Array.from({ length: nb + 1 }, (_, i) => i * o.histBinNm);
  const centres = edges.slice(0, nb).map((e) => e + o.histBinNm / 2);
  const gaussFit = fitGaussianHistogram(centres, counts);
  if (!gaussFit && nPairs > 0) warnings.push('Gaussian fit to the pair peak failed (too few distances); see meanPairDistanceNm');

  const mean = pairD.length ? pairD.reduce((a, b) => a + b, 0) / pairD.length : null;
  const sd = pairD.length > 1 && mean !== null ? Math.sqrt(pairD.reduce((a, b) => a + (b - mean) ** 2, 0) / (pairD.length - 1)) : null;
  const density = area > 0 ? nAtoms / area : 0;
  const meanNn = nnAll.length ? nnAll.reduce((a, b) => a + b, 0) / nnAll.length : null;
  const rr = randomMeanNnDistance(density);
  const nul: RandomNull = randomPairsNull(
    fields.map((f) => ({ nAtoms: f.xNm.length, widthNm: f.widthNm, heightNm: f.heightNm })),
    o.maxPairNm,
    o.nullSimulations,
    o.seed + 7919,
  );
  return {
    nImages: fields.length,
    maxPairNm: o.maxPairNm,
    nAtoms,
    nSites,
    nPairs,
    nSingles,
    nMultimers,
    pairSiteFraction,
    atomsInPairsFraction,
    ci95: {
      method: cluster ? 'cluster bootstrap over images' : 'site bootstrap',
      bootstrapReplicates: repSite.length,
      seed: o.seed,
      pairSiteFraction: { wilson: wilson(nPairs, nSites), bootstrap: boot(repSite, pairSiteFraction) },
      atomsInPairsFraction: { bootstrap: boot(repAtoms, atomsInPairsFraction) },
    },
    meanPairDistanceNm: mean,
    pairDistanceSdNm: sd,
    pairDistanceSemNm: sd !== null ? sd / Math.sqrt(pairD.length) : null,
    kdeModeNm,
    kdeBandwidthNm: kdeBw,
    gaussFit,
    histogram: { binNm: o.histBinNm, edgesNm: edges, counts },
    density,
    meanNnDistanceNm: meanNn,
    randomMeanNnDistanceNm: rr,
    clarkEvans: meanNn !== null && rr > 0 ? meanNn / rr : null,
    randomExpectedPairs: nul.meanPairs,
    randomPairs95: nul.pairs95,
    perImage: cls.map((c, k) => ({
      name: fields[k].name ?? `image ${k + 1}`,
      nAtoms: c.siteOf.length,
      nSites: c.sites.length,
      nPairs: c.nPairs,
      pairSiteFraction: frac(c.nPairs, c.sites.length),
    })),
    warnings,
  };
}

/**
 * Site bootstrap of one image: resample the sites with replacement and record the pair-site and
 * atoms-in-pairs fractions. The mulberry32 generator of `seed` is written out in the loop (the
 * same numbers as mulberry32(seed)(), without a call per draw: 2000 × sites draws per image).
 */
function siteBootstrap(sizes: Int32Array, reps: number, seed: number, repSite: number[], repAtoms: number[]): void {
  const m = sizes.length;
  const K = simdKernels();
  const OS = (4 * m + 7) & ~7;
  const OA = OS + 8 * reps;
  if (K && K.reserve(OA + 8 * reps)) {
    // The same loop in WebAssembly (native int32 arithmetic for the generator).
    new Int32Array(K.memory.buffer, 0, m).set(sizes);
    K.boot(0, m, reps, seed | 0, OS, OA);
    const site = new Float64Array(K.memory.buffer, OS, reps);
    const atoms = new Float64Array(K.memory.buffer, OA, reps);
    for (let b = 0; b < reps; b++) {
      repSite.push(site[b]);
      repAtoms.push(atoms[b]);
    }
    return;
  }
  let state = seed >>> 0;
  for (let b = 0; b < reps; b++) {
    let p = 0;
    let a = 0;
    for (let i = 0; i < m; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const sz = sizes[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * m)];
      if (sz === 2) p++;
      a += sz;
    }
    repSite.push(p / m);
    repAtoms.push(a > 0 ? (2 * p) / a : 0);
  }
}
