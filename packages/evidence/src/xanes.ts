// XANES evidence (where references are given): can the single-atom references reproduce the
// spectrum by linear combination (xas' lcf), or does it need another component? The residual is
// tested against the noise (χ² with n − m degrees of freedom; noise from the second differences of
// the residual, which removes smooth misfit and keeps point noise); with a pair reference, the
// nested F test (the Hamilton/Fisher test of one added component) and its weight are reported.
import { z } from 'zod';
import { parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { lcf, type LcfReference } from '@siteproof/xas';
import { chiSquareSurvival } from '@siteproof/tofsims';
import { fSurvival } from '@siteproof/core';
import { ALPHA, fmt, fmtP, type EvidenceRow, type Support } from './row';

export const xanesOptionsSchema = z
  .object({
    noise: z.number().positive().optional(),
    xmin: z.number().optional(),
    xmax: z.number().optional(),
  })
  .strict();
export type XanesOptions = z.input<typeof xanesOptionsSchema>;

export interface XanesEvidence {
  row: EvidenceRow;
  noise: number;
  single: { rFactor: number; chi2: number; dof: number; p: number; weights: { name: string; value: number; stderr: number | null }[] };
  withPair: { rFactor: number; f: number; p: number; weight: number; weightStderr: number | null } | null;
}

/** Two whitespace/comma-separated numeric columns (energy, normalized μ); '#' comments. */
export function readTwoColumns(input: Uint8Array | string, file: string): { x: Float64Array; y: Float64Array } {
  const t = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const x: number[] = [];
  const y: number[] = [];
  t.split(/\r?\n/).forEach((line, i) => {
    const s = line.trim();
    if (!s || s.startsWith('#')) return;
    const c = s.split(/[\s,;]+/).map(Number);
    if (c.length < 2 || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      if (x.length === 0) return; // a header line
      throw new ParseError('expected two numbers (energy, normalized μ)', { file, line: i + 1, column: 1 });
    }
    x.push(c[0]);
    y.push(c[1]);
  });
  if (x.length < 10) throw new ParseError(`only ${x.length} data rows`, { file });
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}

/** σ of point noise from second differences of r: Var(r[i+1] − 2r[i] + r[i−1]) = 6σ². */
export function noiseFromSecondDifferences(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < r.length - 1; i++) s += (r[i + 1] - 2 * r[i] + r[i - 1]) ** 2;
  return Math.sqrt(s / (6 * Math.max(1, r.length - 2)));
}

export function xanesEvidence(data: { x: Float64Array; y: Float64Array }, references: LcfReference[], pairReference: LcfReference | null, options: XanesOptions = {}): XanesEvidence {
  const o = parseOptions(xanesOptionsSchema, options, 'xanes');
  if (references.length === 0) throw new ValidationError('no single-atom references', { field: 'xanes.references' });
  const lo = { bounded: true, ...(o.xmin !== undefined ? { xmin: o.xmin } : {}), ...(o.xmax !== undefined ? { xmax: o.xmax } : {}) };
  const f0 = lcf(data.x, data.y, references, lo);
  const r0 = f0.y.map((v, i) => v - f0.yfit[i]);
  const noise = o.noise ?? noiseFromSecondDifferences(r0);
  if (!(noise > 0)) throw new ValidationError('noise is 0: give xanes.noise', { field: 'xanes.noise' });
  const rss0 = r0.reduce((a, v) => a + v * v, 0);
  const dof = f0.npts - f0.nvarys;
  const chi2 = rss0 / (noise * noise);
  const p0 = chiSquareSurvival(chi2, dof);
  const caveats = ['neighbouring XANES points are correlated (interpolation, core-hole broadening): p-values are optimistic'];
  if (o.noise === undefined) caveats.push(`noise ${fmt(noise, 2)} estimated from second differences of the residual`);
  let withPair: XanesEvidence['withPair'] = null;
  let supports: Support = 'inconclusive';
  if (pairReference) {
    const f1 = lcf(data.x, data.y, [...references, pairReference], lo);
    const rss1 = f1.y.reduce((a, v, i) => a + (v - f1.yfit[i]) ** 2, 0);
    const d2 = f1.npts - f1.nvarys;
    const F = rss1 > 0 ? Math.max(0, ((rss0 - rss1) / 1) / (rss1 / d2)) : Infinity;
    const w = f1.weights[f1.weights.length - 1];
    withPair = { rFactor: f1.rFactor, f: F, p: fSurvival(F, 1, d2), weight: w.value, weightStderr: w.stderr };
    const wExcl = w.stderr !== null && w.value - 1.96 * w.stderr > 0;
    if (withPair.p < ALPHA && wExcl) supports = 'pair';
    else if (p0 >= ALPHA && !wExcl) supports = 'single';
  } else caveats.push(p0 < ALPHA ? 'an extra component is needed, but without a pair reference nothing says it is a pair' : 'the single-atom references suffice, but XANES is weakly sensitive to a second metal: this is not evidence against pairs');
  const ws = f0.weights.map((w) => `${w.name} ${fmt(w.value, 2)}`).join(', ');
  return {
    row: {
      technique: 'XANES',
      evidence: `LCF with single-atom references (${references.map((r) => r.name).join(', ')})${pairReference ? ` and with ${pairReference.name} added` : ''}`,
      effect: `R-factor ${fmt(f0.rFactor)}${withPair ? ` → ${fmt(withPair.rFactor)}` : ''}; χ²/dof ${fmt(chi2 / dof, 3)} (weights ${ws})`,
      test: withPair ? `F test of the added component, F(1, ${f0.npts - f0.nvarys - 1}) = ${fmt(withPair.f, 3)}` : `χ² of the residual (${dof} dof), ${fmtP(p0)}`,
      p: withPair ? withPair.p : p0,
      interval: withPair ? `pair weight ${fmt(withPair.weight, 2)}${withPair.weightStderr !== null ? ` ± ${fmt(1.96 * withPair.weightStderr, 2)} (95 %)` : ''}` : null,
      supports,
      caveats,
      details: { noise, rFactor: f0.rFactor, chi2, dof, pResidual: p0, weights: f0.weights, withPair },
    },
    noise,
    single: { rFactor: f0.rFactor, chi2, dof, p: p0, weights: f0.weights },
    withPair,
  };
}
