// ToF-SIMS evidence: are heteronuclear fragments (both metals in one ion, e.g. [FeCuN6O2]+)
// enriched relative to the mononuclear ones ([FeN4]+ + [CuN4]+), compared with a single-atom
// control (e.g. a physical mixture of the two single-atom catalysts, where heteronuclear ions can
// only form by recombination in the plume)? Counts are peak areas (Poisson); the enrichment
//   E = (H/M)_sample / (H/M)_control
// gets a 95 % interval and a one-sided p-value on ln E by the delta method (var = Σ 1/count, as
// for a ratio of Poisson rates, Rothman & Greenland, Modern Epidemiology ch. 14), with Haldane's
// +½ when a count is 0. Each fragment also carries its Garwood interval and its isotope-pattern
// verdict (tofsims' analyzeSpectrum).
import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import { analyzeSpectrum, type FragmentMatch, type Spectrum } from '@siteproof/tofsims';
import { normalSurvival, poissonInterval } from '@siteproof/core';
import { ALPHA, fmt, type EvidenceRow, type Support } from './row';

export const tofsimsOptionsSchema = z
  .object({
    heteronuclear: z.array(z.string().min(1)).min(1),
    mononuclear: z.array(z.string().min(1)).min(1),
    tolPpm: z.number().positive().default(50),
    recalibrate: z.boolean().default(true),
    /** Enrichment upper bound below which "no enrichment" counts as single-atom evidence. */
    maxNullEnrichment: z.number().gt(1).default(2),
    /** Smallest enrichment that counts as pair evidence: recombination levels differ between samples (loading, matrix) by tens of %. */
    minEnrichment: z.number().gt(1).default(2),
  })
  .strict();
export type TofsimsOptions = z.input<typeof tofsimsOptionsSchema>;

export interface FragmentCount {
  fragment: string;
  mz: number;
  counts: number;
  ci95: [number, number];
  accepted: boolean;
  isotopeScore: number | null;
  reason: string;
}

export interface TofsimsEvidence {
  row: EvidenceRow;
  sample: FragmentCount[];
  control: FragmentCount[] | null;
  enrichment: { value: number; ci95: [number, number]; p: number } | null;
}

function counts(m: FragmentMatch): FragmentCount {
  const c = Math.max(0, m.area ?? 0);
  return { fragment: m.fragment, mz: m.mz, counts: c, ci95: poissonInterval(c), accepted: m.accepted, isotopeScore: m.isotopeScore, reason: m.reason };
}

function analyze(s: Spectrum, frags: string[], o: z.output<typeof tofsimsOptionsSchema>, warn: string[], tag: string): { counts: FragmentCount[]; unresolved: boolean } {
  const a = analyzeSpectrum(s, frags, { tolPpm: o.tolPpm, recalibrate: o.recalibrate });
  warn.push(...a.warnings.map((w) => `${tag}: ${w}`));
  return { counts: a.matches.map(counts), unresolved: a.interferences.some((r) => !!r.warning) };
}

export function tofsimsEvidence(sample: Spectrum, control: Spectrum | null, options: TofsimsOptions): TofsimsEvidence {
  const o = parseOptions(tofsimsOptionsSchema, options, 'tofsims');
  const frags = [...o.heteronuclear, ...o.mononuclear];
  if (new Set(frags).size !== frags.length) throw new ValidationError('a fragment is listed twice', { field: 'tofsims.heteronuclear' });
  const caveats: string[] = [];
  const sa = analyze(sample, frags, o, caveats, 'sample');
  const ca = control ? analyze(control, frags, o, caveats, 'control') : null;
  const sm = sa.counts;
  const cm = ca ? ca.counts : null;
  // A near-isobar the mass resolution cannot separate makes the counts of that fragment unreliable.
  const unresolved = sa.unresolved || !!ca?.unresolved;
  if (unresolved) caveats.push('mass resolution too low to separate a listed fragment from a near-isobar: counts are not attributable');
  const nh = o.heteronuclear.length;
  const sum = (a: FragmentCount[], from: number, to: number) => a.slice(from, to).reduce((t, f) => t + f.counts, 0);
  const hS = sum(sm, 0, nh);
  const mS = sum(sm, nh, frags.length);
  const hetOk = sm.slice(0, nh).filter((f) => f.counts > 0);
  const rejected = sm.filter((f) => f.counts > 0 && !f.accepted);
  for (const f of rejected) caveats.push(`${f.fragment}: assignment not accepted in the sample (${f.reason})`);
  if (mS <= 0) caveats.push('no mononuclear fragment counts in the sample');
  let enrichment: TofsimsEvidence['enrichment'] = null;
  let supports: Support = 'inconclusive';
  const hetAccepted = hetOk.length > 0 && hetOk.every((f) => f.accepted) && sm.slice(nh).every((f) => f.counts === 0 || f.accepted);
  if (cm) {
    const hC = sum(cm, 0, nh);
    const mC = sum(cm, nh, frags.length);
    if (mS > 0 && mC > 0) {
      const zero = hS === 0 || hC === 0;
      if (zero) caveats.push('a heteronuclear count is 0: Haldane +½ correction applied');
      const a = zero ? 0.5 : 0;
      const e = ((hS + a) / (mS + a)) / ((hC + a) / (mC + a));
      const sd = Math.sqrt(1 / (hS + a) + 1 / (mS + a) + 1 / (hC + a) + 1 / (mC + a));
      const zq = 1.959963984540054;
      const p = normalSurvival(Math.log(e) / sd);
      enrichment = { value: e, ci95: [e * Math.exp(-zq * sd), e * Math.exp(zq * sd)], p };
      if (hS === 0 && hC === 0) caveats.push('no heteronuclear fragment detected in either spectrum');
      else if (unresolved) {
        /* stays inconclusive */
      } else if (p < ALPHA && enrichment.ci95[0] > 1 && e >= o.minEnrichment && hetAccepted) supports = 'pair';
      else if (enrichment.ci95[1] < o.maxNullEnrichment && p >= ALPHA) supports = 'single';
      if (p < ALPHA && e < o.minEnrichment) caveats.push(`enrichment ×${fmt(e, 3)} is significant but below ×${o.minEnrichment}: within the sample-to-sample spread of recombination`);
      if (p < ALPHA && !hetAccepted) caveats.push('heteronuclear counts are enriched, but their isotope patterns do not confirm the assignment');
    } else caveats.push('no mononuclear counts: the enrichment is undefined');
  } else caveats.push('no single-atom control: heteronuclear ions also form by recombination of neighbouring single atoms, so their presence alone is not evidence of pairs');
  const hf = sm.slice(0, nh).map((f) => `${f.fragment} ${fmt(f.counts, 3)} [${fmt(f.ci95[0], 3)}, ${fmt(f.ci95[1], 3)}]${f.counts > 0 ? (f.accepted ? ' isotopes ✓' : ' isotopes ✗') : ''}`);
  return {
    row: {
      technique: 'ToF-SIMS',
      evidence: `heteronuclear ${o.heteronuclear.join(', ')} vs mononuclear ${o.mononuclear.join(' + ')}${cm ? ', sample vs single-atom control' : ''}`,
      effect: enrichment ? `enrichment ×${fmt(enrichment.value, 3)} (H/M ${fmt(hS / Math.max(mS, 1e-300), 3)} vs ${fmt(sum(cm!, 0, nh) / Math.max(sum(cm!, nh, frags.length), 1e-300), 3)}); ${hf.join('; ')}` : `H/M ${fmt(mS > 0 ? hS / mS : null, 3)}; ${hf.join('; ')}`,
      test: enrichment ? 'ratio of Poisson rate ratios, ln-delta method, one-sided' : 'none (no control)',
      p: enrichment?.p ?? null,
      interval: enrichment ? `E = ${fmt(enrichment.value, 3)} [${fmt(enrichment.ci95[0], 3)}, ${fmt(enrichment.ci95[1], 3)}] (95 %)` : null,
      supports,
      caveats,
      details: { sample: sm, control: cm, enrichment },
    },
    sample: sm,
    control: cm,
    enrichment,
  };
}
