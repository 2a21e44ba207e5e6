// Detection-efficiency correction by inject-and-recover. Missed dim atoms turn pairs into
// "singles" and bias the pair fraction down (research notes §1.4: 0.13 measured vs 0.50 true on
// the hard synthetic). No anchor program does this; the method: measure the atoms' shape and
// intensity in the image, add synthetic single atoms and pairs of that shape and intensity in empty
// parts of the same image, re-detect with the same settings, tabulate what each injected site
// type is seen as, and invert observed = M · true.
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import type { Image } from '../image';
import { expandPreset, findAtoms, preprocess, type AtomMap, type FindAtomsOptions } from '../detect/findAtoms';
import { fitGaussian2d } from '../detect/gaussfit2d';
import { classifySites } from '../statistics/sites';
import { gaussian, mulberry32 } from '../statistics/rng';
import { percentileInterval } from '../statistics/intervals';

export const efficiencySchema = z.object({
  maxPairNm: z.number().positive().default(0.35),
  rounds: z.number().int().min(1).max(100).default(4),
  /** Single sites and pair sites injected per round (each). */
  sitesPerRound: z.number().int().min(1).max(10000).default(40),
  /** Spacing of injected pairs (nm): mean and SD; default: the measured pair spacing, else 0.25 ± 0.015. */
  pairSpacingNm: z.number().positive().optional(),
  pairSpacingSdNm: z.number().min(0).optional(),
  /** Injected sites keep at least this far (nm) from any atom or other injected site. */
  exclusionNm: z.number().positive().optional(),
  bootstrap: z.number().int().min(0).max(100000).default(1000),
  /** Override the measured atom shape (σ, nm) or peak heights (counts above background), e.g. from a standard. */
  probeSigmaNm: z.number().positive().optional(),
  amplitudes: z.array(z.number().positive()).min(1).optional(),
  seed: z.number().int().default(1),
});
export type EfficiencyOptions = z.input<typeof efficiencySchema>;

export interface Outcomes {
  injected: number;
  asSingle: number;
  asPair: number;
  lost: number;
  /** Merged into a multimer or with a neighbour: counted, not used in the inversion. */
  other: number;
}

export interface EfficiencyResult {
  probeSigmaNm: number;
  /** Median peak height (counts above background) of the measured atoms; injected heights are drawn from all of them. */
  medianAmplitude: number;
  pairSpacingNm: number;
  single: Outcomes;
  pair: Outcomes;
  /** Fraction of injected atoms (in singles and pairs) found within the matching radius. */
  atomDetectionProbability: number;
  observed: { nSingles: number; nPairs: number; nMultimers: number };
  corrected: {
    nSingles: number;
    nPairs: number;
    pairSiteFraction: number;
    atomsInPairsFraction: number;
    ci95: { pairSiteFraction: [number, number]; atomsInPairsFraction: [number, number] };
    bootstrapReplicates: number;
  } | null;
  warnings: string[];
}

interface Injected {
  type: 'single' | 'pair';
  atoms: { x: number; y: number }[];
}

/** Peak height of a Gaussian atom whose disk-integrated (radius r) intensity is `integrated`. */
function amplitudeFromIntegral(integrated: number, sigma: number, r: number): number {
  return integrated / (2 * Math.PI * sigma * sigma * (1 - Math.exp((-r * r) / (2 * sigma * sigma))));
}

/** Σ (I − annulus median) over a disk at a fixed position (no re-centring: used at empty spots). */
function diskIntegral(img: Float32Array, w: number, h: number, cx: number, cy: number, r: number, ann: [number, number]): number {
  const vals: number[] = [];
  let sum = 0;
  let n = 0;
  const R = Math.ceil(ann[1]);
  for (let y = Math.max(0, Math.floor(cy) - R); y <= Math.min(h - 1, Math.ceil(cy) + R); y++) {
    for (let x = Math.max(0, Math.floor(cx) - R); x <= Math.min(w - 1, Math.ceil(cx) + R); x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      const v = img[y * w + x];
      if (d2 <= r * r) {
        sum += v;
        n++;
      } else if (d2 >= ann[0] * ann[0] && d2 <= ann[1] * ann[1]) vals.push(v);
    }
  }
  vals.sort((a, b) => a - b);
  const m = vals.length ? (vals.length % 2 ? vals[vals.length >> 1] : 0.5 * (vals[(vals.length >> 1) - 1] + vals[vals.length >> 1])) : 0;
  return sum - n * m;
}

export function detectionEfficiency(img: Image, map: AtomMap, detectOptions: FindAtomsOptions = {}, options: EfficiencyOptions = {}): EfficiencyResult {
  // Re-detect with exactly the settings the map was made with: frozen, so the image-adaptive step
  // does not re-measure its scales on images carrying injected atoms (options outside `settings`,
  // such as refine or borderPx, still come from the caller).
  const detect: FindAtomsOptions = { ...expandPreset(detectOptions), ...map.settings, preset: undefined, auto: false };
  const o = parseOptions(efficiencySchema, options, 'options');
  const warnings: string[] = [];
  const px = map.pixelNm;
  const w = img.width;
  const h = img.height;
  const base = classifySites(map.atoms.map((a) => a.xNm), map.atoms.map((a) => a.yNm), o.maxPairNm);
  const observed = { nSingles: base.nSingles, nPairs: base.nPairs, nMultimers: base.nMultimers };
  const empty = (): Outcomes => ({ injected: 0, asSingle: 0, asPair: 0, lost: 0, other: 0 });
  const fail = (why: string): EfficiencyResult => ({
    probeSigmaNm: 0, medianAmplitude: 0, pairSpacingNm: 0, single: empty(), pair: empty(), atomDetectionProbability: 0, observed, corrected: null, warnings: [...warnings, why],
  });
  if (map.atoms.length < 3) return fail('too few atoms to measure their shape and intensity: no correction');

  // 1. Shape and height scale: 2D Gaussian fits (on the background-subtracted image) to a seeded
  // random subset of atoms, so bright atoms are not favoured.
  const pre = preprocess(img, px, { backgroundSigmaNm: map.settings.backgroundSigmaNm, smoothSigmaNm: 0 });
  const pick = mulberry32(o.seed + 31);
  const order = map.atoms.map((_, i) => i).sort(() => pick() - 0.5).slice(0, 150);
  const win = Math.max(4, Math.round(0.12 / px));
  const rInt = map.settings.centroidRadiusNm / px;
  const fits: { sigma: number; amp: number; i: number }[] = [];
  for (const i of order) {
    const a = map.atoms[i];
    const g = fitGaussian2d(pre.flat, w, h, a.x, a.y, win);
    if (g && g.sigma > 0.3 && g.sigma < win && g.amplitude > 0) fits.push({ sigma: g.sigma, amp: g.amplitude, i });
  }
  if (fits.length < 3) return fail('could not fit the atom shape: no correction');
  const med = (v: number[]) => v.slice().sort((a, b) => a - b)[v.length >> 1];
  const sigmaPx = o.probeSigmaNm !== undefined ? o.probeSigmaNm / px : med(fits.map((f) => f.sigma));
  // 2. Heights: every detected atom's disk integral converted to a peak height, rescaled by the
  // median fitted/integral ratio (the annulus background includes some of the atom's tail).
  const fromIntegral = map.atoms.map((a) => amplitudeFromIntegral(a.intensity, sigmaPx, rInt));
  const scale = med(fits.map((f) => f.amp / fromIntegral[f.i]).filter((r) => r > 0 && Number.isFinite(r)));
  const k = scale > 0 ? scale : 1;
  let measured = fromIntegral.map((v) => v * k);
  // The measured heights carry the noise and support texture under each atom; injected atoms
  // get their own texture from the image, so shrink the spread by the variance the same estimator
  // shows at empty positions (else that variance would count twice and ε come out too low).
  const emptyAmps: number[] = [];
  const exclEmpty = Math.max(2.5 * o.maxPairNm / px, 6 * sigmaPx);
  const ann: [number, number] = [((detect.annulusNm as [number, number] | undefined)?.[0] ?? 0.1) / px, ((detect.annulusNm as [number, number] | undefined)?.[1] ?? 0.14) / px];
  const er = mulberry32(o.seed + 53);
  for (let t = 0; t < 4000 && emptyAmps.length < 300; t++) {
    const x = ann[1] + er() * (w - 2 * ann[1]);
    const y = ann[1] + er() * (h - 2 * ann[1]);
    if (map.atoms.some((a) => (a.x - x) ** 2 + (a.y - y) ** 2 < exclEmpty * exclEmpty)) continue;
    emptyAmps.push(amplitudeFromIntegral(diskIntegral(pre.flat, w, h, x, y, rInt, ann), sigmaPx, rInt) * k);
  }
  if (measured.length >= 5 && emptyAmps.length >= 20) {
    const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
    const vM = measured.reduce((a, b) => a + (b - mean) ** 2, 0) / (measured.length - 1);
    const mE = emptyAmps.reduce((a, b) => a + b, 0) / emptyAmps.length;
    const vE = emptyAmps.reduce((a, b) => a + (b - mE) ** 2, 0) / (emptyAmps.length - 1);
    const shrink = Math.sqrt(Math.max(0, 1 - vE / vM));
    measured = measured.map((v) => mean + (v - mean) * shrink);
  }
  const amps = o.amplitudes ?? measured.filter((v) => v > 0);
  if (!amps.length) return fail('no positive atom intensity: no correction');
  const ampSorted = amps.slice().sort((a, b) => a - b);
  warnings.push('injected intensities are drawn from the detected atoms, which over-represent bright atoms: the correction may fall short when many dim atoms are missed');

  const meanSp = o.pairSpacingNm ?? (base.pairDistances.length >= 5 ? base.pairDistances.reduce((a, b) => a + b, 0) / base.pairDistances.length : 0.25);
  const sdSp = o.pairSpacingSdNm ?? (base.pairDistances.length >= 5 ? Math.sqrt(base.pairDistances.reduce((a, b) => a + (b - meanSp) ** 2, 0) / (base.pairDistances.length - 1)) : 0.015);
  const excl = (o.exclusionNm ?? Math.max(2.5 * o.maxPairNm, 6 * sigmaPx * px)) / px;
  const margin = Math.ceil(((detect.annulusNm as [number, number] | undefined)?.[1] ?? 0.14) / px) + 3;
  const tol = Math.min(0.45 * meanSp / px, rInt);
  const rand = mulberry32(o.seed);

  const single = empty();
  const pair = empty();
  // Per-site outcome records for the bootstrap: 0 single, 1 pair, 2 lost, 3 other.
  const sOut: number[] = [];
  const pOut: number[] = [];
  let atomsFound = 0;
  let atomsInjected = 0;
  const existing = map.atoms.map((a) => ({ x: a.x, y: a.y }));
  for (let round = 0; round < o.rounds; round++) {
    // Positions: rejection sampling on a grid of cell = exclusion radius.
    const placed: Injected[] = [];
    const taken = existing.slice();
    const cell = excl;
    const gw = Math.ceil(w / cell) + 1;
    const grid = new Map<number, { x: number; y: number }[]>();
    const put = (p: { x: number; y: number }) => {
      const k = Math.floor(p.y / cell) * gw + Math.floor(p.x / cell);
      (grid.get(k) ?? grid.set(k, []).get(k)!).push(p);
    };
    taken.forEach(put);
    const free = (p: { x: number; y: number }) => {
      const gx = Math.floor(p.x / cell);
      const gy = Math.floor(p.y / cell);
      for (let b = gy - 1; b <= gy + 1; b++)
        for (let a = gx - 1; a <= gx + 1; a++)
          for (const q of grid.get(b * gw + a) ?? []) if ((q.x - p.x) ** 2 + (q.y - p.y) ** 2 < excl * excl) return false;
      return true;
    };
    const want = 2 * o.sitesPerRound;
    let tries = 0;
    while (placed.length < want && tries < want * 200) {
      tries++;
      const c = { x: margin + rand() * (w - 2 * margin), y: margin + rand() * (h - 2 * margin) };
      if (!free(c)) continue;
      const type: 'single' | 'pair' = placed.length % 2 === 0 ? 'single' : 'pair';
      if (type === 'single') placed.push({ type, atoms: [c] });
      else {
        const d = Math.max(0.3 * meanSp, meanSp + sdSp * gaussian(rand)) / px;
        const th = rand() * Math.PI;
        placed.push({ type, atoms: [{ x: c.x - 0.5 * d * Math.cos(th), y: c.y - 0.5 * d * Math.sin(th) }, { x: c.x + 0.5 * d * Math.cos(th), y: c.y + 0.5 * d * Math.sin(th) }] });
      }
      put(c);
    }
    if (placed.length < want) warnings.push(`round ${round + 1}: only ${placed.length} of ${want} sites fit in the empty area`);
    if (!placed.length) break;
    // Render onto a copy of the raw image (raw data are never modified).
    const data = img.data.slice();
    const rr = Math.ceil(4 * sigmaPx);
    for (const s of placed) {
      for (const a of s.atoms) {
        const amp = ampSorted[Math.floor(rand() * ampSorted.length)];
        const x0 = Math.max(0, Math.floor(a.x) - rr), x1 = Math.min(w - 1, Math.ceil(a.x) + rr);
        const y0 = Math.max(0, Math.floor(a.y) - rr), y1 = Math.min(h - 1, Math.ceil(a.y) + rr);
        for (let y = y0; y <= y1; y++)
          for (let x = x0; x <= x1; x++) data[y * w + x] += amp * Math.exp(-((x - a.x) ** 2 + (y - a.y) ** 2) / (2 * sigmaPx * sigmaPx));
      }
    }
    const re = findAtoms({ ...img, data, pixelNm: px, warnings: [] }, { ...detect, pixelNm: px });
    const cls = classifySites(re.atoms.map((a) => a.xNm), re.atoms.map((a) => a.yNm), o.maxPairNm);
    // Match each injected atom to the nearest re-detected atom within tol (each detection once).
    const used = new Set<number>();
    for (const s of placed) {
      const hits: number[] = [];
      for (const a of s.atoms) {
        atomsInjected++;
        let best = -1;
        let bd = tol;
        re.atoms.forEach((d, i) => {
          if (used.has(i)) return;
          const dd = Math.hypot(d.x - a.x, d.y - a.y);
          if (dd <= bd) {
            bd = dd;
            best = i;
          }
        });
        if (best >= 0) {
          used.add(best);
          hits.push(best);
          atomsFound++;
        }
      }
      let outcome: number;
      if (hits.length === 0) outcome = 2;
      else {
        const siteIds = new Set(hits.map((i) => cls.siteOf[i]));
        const site = cls.sites[cls.siteOf[hits[0]]];
        if (siteIds.size !== 1) outcome = 3;
        else if (site.type === 'single') outcome = 0;
        else if (site.type === 'pair') outcome = 1;
        else outcome = 3;
      }
      const rec = s.type === 'single' ? single : pair;
      rec.injected++;
      if (outcome === 0) rec.asSingle++;
      else if (outcome === 1) rec.asPair++;
      else if (outcome === 2) rec.lost++;
      else rec.other++;
      (s.type === 'single' ? sOut : pOut).push(outcome);
    }
  }
  const result: EfficiencyResult = {
    probeSigmaNm: sigmaPx * px,
    medianAmplitude: ampSorted[ampSorted.length >> 1],
    pairSpacingNm: meanSp,
    single,
    pair,
    atomDetectionProbability: atomsInjected ? atomsFound / atomsInjected : 0,
    observed,
    corrected: null,
    warnings,
  };
  if (!single.injected || !pair.injected) {
    warnings.push('no site could be injected: no correction');
    return result;
  }
  const invert = (ss: number, sp: number, ps: number, pp: number, obsS: number, obsP: number, obsM: number) => {
    // obsS = S·ss + P·ps ; obsP = S·sp + P·pp  (ss = P(single seen as single), …)
    const det = ss * pp - ps * sp;
    if (!(Math.abs(det) > 1e-9)) return null;
    let S = (obsS * pp - obsP * ps) / det;
    let P = (ss * obsP - sp * obsS) / det;
    S = Math.max(S, 0);
    P = Math.max(P, 0);
    const sites = S + P + obsM;
    const atoms = S + 2 * P + 3 * obsM;
    return { S, P, frac: sites > 0 ? P / sites : 0, atomsFrac: atoms > 0 ? (2 * P) / atoms : 0 };
  };
  const rate = (out: number[], k: number) => out.filter((v) => v === k).length / out.length;
  const point = invert(rate(sOut, 0), rate(sOut, 1), rate(pOut, 0), rate(pOut, 1), observed.nSingles, observed.nPairs, observed.nMultimers);
  if (!point) {
    warnings.push('detection probabilities too low to invert (pairs are almost never seen as pairs): no correction');
    return result;
  }
  // Bootstrap: resample the image's sites (observed counts) and the injection outcomes together.
  const sizes = base.sites.map((s) => s.atoms.length);
  const repF: number[] = [];
  const repA: number[] = [];
  const bRand = mulberry32(o.seed + 104729);
  for (let b = 0; b < o.bootstrap; b++) {
    let oS = 0, oP = 0, oM = 0;
    for (let i = 0; i < sizes.length; i++) {
      const sz = sizes[Math.floor(bRand() * sizes.length)];
      if (sz === 1) oS++;
      else if (sz === 2) oP++;
      else oM++;
    }
    const rs = Array.from({ length: sOut.length }, () => sOut[Math.floor(bRand() * sOut.length)]);
    const rp = Array.from({ length: pOut.length }, () => pOut[Math.floor(bRand() * pOut.length)]);
    const r = invert(rate(rs, 0), rate(rs, 1), rate(rp, 0), rate(rp, 1), oS, oP, oM);
    if (r) {
      repF.push(r.frac);
      repA.push(r.atomsFrac);
    }
  }
  result.corrected = {
    nSingles: point.S,
    nPairs: point.P,
    pairSiteFraction: point.frac,
    atomsInPairsFraction: point.atomsFrac,
    ci95: {
      pairSiteFraction: repF.length ? percentileInterval(repF) : [point.frac, point.frac],
      atomsInPairsFraction: repA.length ? percentileInterval(repA) : [point.atomsFrac, point.atomsFrac],
    },
    bootstrapReplicates: repF.length,
  };
  return result;
}
