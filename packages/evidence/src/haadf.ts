// HAADF-STEM evidence: are there more close pairs than a random layout of the same atoms gives?
// Observed pair count against a Monte-Carlo null (uniform placement of the same number of atoms in
// the same fields, same linking cut-off: stem-stats' randomPairsNull), a one-sided Monte-Carlo
// p-value (Davison & Hinkley 1997, eq. 4.11: (1 + #{T* ≥ t})/(1 + B)), the pair-site fraction
// beyond chance, the efficiency-corrected fraction when given, and whether the Z contrast of the
// two metals can be told apart at the image's SNR.
import { z } from 'zod';
import { parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { atomicNumber } from '@siteproof/xas';
import { pairStatistics, randomPairsNull, wilson, type FieldAtoms } from '@siteproof/stem-stats';
import { ALPHA, fmt, type EvidenceRow, type Support } from './row';

export const haadfOptionsSchema = z
  .object({
    maxPairNm: z.number().positive().default(0.35),
    simulations: z.number().int().min(19).max(100000).default(999),
    seed: z.number().int().default(1),
    /** Efficiency-corrected pair-site fraction and its 95 % interval (siteproof stem pairs: corrected). */
    corrected: z.object({ pairSiteFraction: z.number().min(0).max(1), ci95: z.tuple([z.number(), z.number()]) }).optional(),
    /** The two metals, to judge whether HAADF can tell them apart by Z contrast. */
    elements: z.tuple([z.string(), z.string()]).optional(),
    /** Median peak SNR of the atoms (per-atom intensity error ≈ 1/SNR). */
    snr: z.number().positive().optional(),
    /** HAADF intensity ∝ Z^n. */
    zExponent: z.number().positive().default(1.7),
    /** A chance pair fraction above this makes the random background dominate. */
    maxChanceFraction: z.number().min(0).max(1).default(0.1),
    /** Fewer observed pairs than this never support "pair" (a handful of close pairs is the classic over-reading). */
    minPairs: z.number().int().min(1).default(10),
    /** Excess pair fraction below which "no pairs beyond chance" is accepted as single-atom evidence. */
    negligibleExcess: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type HaadfOptions = z.input<typeof haadfOptionsSchema>;

export interface HaadfEvidence {
  row: EvidenceRow;
  nAtoms: number;
  nSites: number;
  observedPairs: number;
  expectedPairs: number;
  expectedPairs95: [number, number];
  p: number;
  pairSiteFraction: number;
  pairSiteFractionCi95: [number, number];
  chancePairSiteFraction: number;
  excessPairSiteFraction: number;
  excessCi95: [number, number];
  density: number;
  zContrast: { ratio: number; separable: boolean; sigmas: number } | null;
}

export function haadfEvidence(fields: FieldAtoms[], options: HaadfOptions = {}): HaadfEvidence {
  const o = parseOptions(haadfOptionsSchema, options, 'haadf');
  if (fields.length === 0) throw new ValidationError('no HAADF fields of view', { field: 'haadf.atoms' });
  const st = pairStatistics(fields, { maxPairNm: o.maxPairNm, bootstrap: 0, nullSimulations: 0 });
  const shapes = fields.map((f) => ({ nAtoms: f.xNm.length, widthNm: f.widthNm, heightNm: f.heightNm }));
  // One simulation per call so the whole null distribution (not only its mean and quantiles) is kept.
  const sims: number[] = [];
  let fracSum = 0;
  for (let s = 0; s < o.simulations; s++) {
    const r = randomPairsNull(shapes, o.maxPairNm, 1, o.seed * 1000003 + s);
    sims.push(r.meanPairs);
    fracSum += r.meanPairSiteFraction;
  }
  sims.sort((a, b) => a - b);
  const expected = sims.reduce((a, b) => a + b, 0) / sims.length;
  const q = (p: number) => sims[Math.min(sims.length - 1, Math.floor(p * sims.length))];
  const ge = sims.filter((v) => v >= st.nPairs).length;
  const p = (1 + ge) / (1 + sims.length);
  const chance = fracSum / o.simulations;
  const ci = wilson(st.nPairs, st.nSites);
  const excess = st.pairSiteFraction - chance;
  const excessCi: [number, number] = [ci[0] - chance, ci[1] - chance];
  const caveats: string[] = [];
  if (chance > o.maxChanceFraction) caveats.push(`density ${fmt(st.density)} atoms/nm²: ${fmt(100 * chance, 2)} % of sites are pairs by chance alone`);
  if (st.nSites < 30) caveats.push(`only ${st.nSites} sites`);
  let zc: HaadfEvidence['zContrast'] = null;
  if (o.elements) {
    const [za, zb] = o.elements.map((e) => atomicNumber(e));
    if (za === undefined || zb === undefined) throw new ValidationError(`unknown element in ${o.elements.join(', ')}`, { field: 'haadf.elements' });
    const ratio = (Math.max(za, zb) / Math.min(za, zb)) ** o.zExponent;
    if (o.snr !== undefined) {
      // ln(I1/I2) has se √2/SNR plus 10 % per atom of model error (defocus, height, support), as stem-stats' assignZ.
      const se = Math.sqrt(2 / (o.snr * o.snr) + 2 * 0.1 * 0.1);
      const sig = Math.log(ratio) / se;
      zc = { ratio, separable: sig >= 2, sigmas: sig };
      if (!zc.separable) caveats.push(`${o.elements[0]}/${o.elements[1]} Z-contrast ratio ${fmt(ratio, 3)} is below what this SNR (${fmt(o.snr, 2)}) can separate: HAADF cannot say a pair is heteronuclear`);
    } else {
      zc = { ratio, separable: false, sigmas: 0 };
      caveats.push(`${o.elements[0]}/${o.elements[1]} Z-contrast ratio ${fmt(ratio, 3)}: SNR unknown, the pair's elements are not assigned`);
    }
  } else caveats.push('pairs are counted by distance only: their elements are not identified');
  if (!o.corrected) caveats.push('no detection-efficiency correction: missed dim atoms bias the pair fraction down');
  caveats.push(...st.warnings.filter((w) => !/Gaussian fit to the pair peak/.test(w)));

  let supports: Support = 'inconclusive';
  if (st.nPairs < o.minPairs) caveats.push(`only ${st.nPairs} pairs observed (< ${o.minPairs}): too few to claim pairs`);
  if (p < ALPHA && excessCi[0] > 0 && st.nPairs >= o.minPairs && chance <= o.maxChanceFraction) supports = 'pair';
  else if (p < ALPHA && excessCi[0] > 0 && st.nPairs >= o.minPairs) {
    // Excess over a large chance background: real but each pair is as likely a chance neighbour.
    supports = 'pair';
    caveats.push('pairs exceed chance, but most observed pairs are chance neighbours at this density');
  }
  else if (p >= ALPHA && chance <= o.maxChanceFraction && excessCi[1] < o.negligibleExcess && st.nSites >= 30) supports = 'single';
  const frac = o.corrected ? `efficiency-corrected pair-site fraction ${fmt(o.corrected.pairSiteFraction, 2)} [${fmt(o.corrected.ci95[0], 2)}, ${fmt(o.corrected.ci95[1], 2)}]` : `pair-site fraction ${fmt(st.pairSiteFraction, 2)} [${fmt(ci[0], 2)}, ${fmt(ci[1], 2)}]`;
  return {
    row: {
      technique: 'HAADF-STEM',
      evidence: `${st.nPairs} pairs (≤ ${o.maxPairNm} nm) among ${st.nSites} sites in ${fields.length} field(s), vs random layouts at the measured density`,
      effect: `${st.nPairs} observed vs ${fmt(expected, 3)} expected by chance [${q(0.025)}, ${q(0.975)}]; excess pair-site fraction ${fmt(excess, 2)}`,
      test: `Monte-Carlo random-layout null (${o.simulations} layouts), one-sided`,
      p,
      interval: `${frac} (95 %)`,
      supports,
      caveats,
      details: { density: st.density, nAtoms: st.nAtoms, nSites: st.nSites, observedPairs: st.nPairs, expectedPairs: expected, chancePairSiteFraction: chance, corrected: o.corrected ?? null, zContrast: zc },
    },
    nAtoms: st.nAtoms,
    nSites: st.nSites,
    observedPairs: st.nPairs,
    expectedPairs: expected,
    expectedPairs95: [q(0.025), q(0.975)],
    p,
    pairSiteFraction: st.pairSiteFraction,
    pairSiteFractionCi95: ci,
    chancePairSiteFraction: chance,
    excessPairSiteFraction: excess,
    excessCi95: excessCi,
    density: st.density,
    zContrast: zc,
  };
}

/**
 * Atom positions from CSV text with a header naming x_nm and y_nm (siteproof stem pairs --out
 * atoms.csv); an `image` column splits fields, an `snr` column gives the median SNR.
 */
export function readAtomsCsv(input: Uint8Array | string, file: string, widthNm: number, heightNm: number): { fields: FieldAtoms[]; snr: number | null } {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(',').map((s) => s.trim().toLowerCase()) ?? [];
  const ix = header.indexOf('x_nm');
  const iy = header.indexOf('y_nm');
  if (ix < 0 || iy < 0) throw new ParseError(`atoms CSV needs columns x_nm and y_nm (found ${header.join(', ')})`, { file, line: 1 });
  const ii = header.indexOf('image');
  const is = header.indexOf('snr');
  const by = new Map<string, { x: number[]; y: number[] }>();
  const snrs: number[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (lines[l].trim() === '') continue;
    const c = lines[l].split(',');
    const x = Number(c[ix]);
    const y = Number(c[iy]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new ParseError(`not a number in x_nm/y_nm`, { file, line: l + 1, column: 1 });
    const name = ii >= 0 ? c[ii].replace(/^"|"$/g, '') : file;
    if (!by.has(name)) by.set(name, { x: [], y: [] });
    by.get(name)!.x.push(x);
    by.get(name)!.y.push(y);
    if (is >= 0 && Number.isFinite(Number(c[is]))) snrs.push(Number(c[is]));
  }
  snrs.sort((a, b) => a - b);
  return {
    fields: [...by].map(([name, v]) => ({ name, xNm: v.x, yNm: v.y, widthNm, heightNm })),
    snr: snrs.length ? snrs[snrs.length >> 1] : null,
  };
}
