// Rebin quick-EXAFS data onto a "standard 3-region XAFS scan", following Larch's rebin_xafs
// (larch/xafs/rebin_xafs.py): pre-edge in pre_step eV steps up to pre2 (−30 eV), XANES in
// xanes_step = 0.05·max(1, int(E0/1250)) eV up to exafs1 (+15 eV), EXAFS in exafs_kstep Å⁻¹
// steps to the end; each region excludes its last point. Each input point belongs to one bin
// (boundaries half-way, in index, between the index_of positions of neighbouring grid points);
// a bin's value is the mean (boxcar), the centroid, or a linear interpolation when it holds
// fewer than 3 points. deltaMu is the standard deviation of the points in the bin (0 where a
// bin is interpolated from fewer than 2 points; Larch puts NaN there).
import { z } from 'zod';
import { ValidationError, finite, parseOptions } from '@siteproof/core';
import { indexOf } from '../math/indexOf';

/** ħ²/(2mₑ) in eV·Å² (CODATA, Larch's KTOE). */
export const KTOE = 3.8099819442818976;
const etok = (e: number) => Math.sqrt(Math.max(0, e) / KTOE);
const ktoe = (k: number) => k * k * KTOE;

export const rebinOptionsSchema = z
  .object({
    e0: finite(),
    pre1: finite().optional(),
    pre2: finite().default(-30),
    preStep: finite().positive().default(2),
    xanesStep: finite().positive().optional(),
    exafs1: finite().default(15),
    exafs2: finite().optional(),
    exafsKstep: finite().positive().default(0.05),
    method: z.enum(['boxcar', 'centroid']).default('boxcar'),
  })
  .strict();
export type RebinOptions = z.input<typeof rebinOptionsSchema>;

export interface RebinResult {
  energy: Float64Array;
  mu: Float64Array;
  deltaMu: Float64Array;
}

/** The rebinned energy grid alone (Larch's three regions). */
export function rebinGrid(energy: Float64Array, options: RebinOptions): Float64Array {
  const o = parseOptions(rebinOptionsSchema, options, 'options');
  const e0 = o.e0;
  const emin = energy[0] - e0;
  const emax = energy[energy.length - 1] - e0;
  let pre1 = o.pre1 ?? o.preStep * Math.trunc(emin / o.preStep);
  let exafs2 = o.exafs2 ?? emax;
  const xanesStep = o.xanesStep ?? 0.05 * Math.max(1, Math.trunc(e0 / 1250));
  pre1 = Math.max(pre1, emin);
  let pre2 = Math.min(Math.max(o.pre2, pre1 + o.preStep), emax);
  let exafs1 = Math.min(Math.max(o.exafs1, pre2 + xanesStep), emax);
  exafs2 = Math.min(Math.max(exafs2, exafs1 + o.exafsKstep * 20), emax);
  if (pre2 <= pre1) pre2 = Math.min(pre1 + o.preStep, emax);
  if (exafs1 <= pre2) exafs1 = Math.min(pre2 + xanesStep, emax);
  if (exafs2 <= exafs1) exafs2 = Math.min(exafs1 + o.exafsKstep * 20, emax);
  const en: number[] = [];
  const regions: [number, number, number, boolean][] = [
    [pre1, pre2, o.preStep, false],
    [pre2, exafs1, xanesStep, false],
    [exafs1, exafs2, o.exafsKstep, true],
  ];
  for (const [a0, b0, step, isK] of regions) {
    if (a0 === b0) continue;
    const a = isK ? etok(a0) : a0;
    const b = isK ? etok(b0) : b0;
    const npts = 1 + Math.trunc(0.1 + Math.abs(b - a) / step);
    for (let i = 0; i < npts - 1; i++) {
      const v = npts > 1 ? a + ((b - a) * i) / (npts - 1) : a;
      en.push(e0 + (isK ? ktoe(v) : v));
    }
  }
  return Float64Array.from(en);
}

export function rebinXafs(energy: Float64Array, mu: Float64Array, options: RebinOptions): RebinResult {
  if (energy.length !== mu.length) throw new ValidationError('energy and mu differ in length', { field: 'mu' });
  if (energy.length < 10) throw new ValidationError('rebin needs at least 10 points', { field: 'energy' });
  for (let i = 1; i < energy.length; i++) {
    if (!(energy[i] > energy[i - 1])) throw new ValidationError(`energy must be strictly increasing (index ${i})`, { field: 'energy' });
  }
  const o = parseOptions(rebinOptionsSchema, options, 'options');
  const en = rebinGrid(energy, o);
  const n = energy.length;
  const m = en.length;
  const bounds = Array.from(en, (e) => indexOf(energy, e));
  const out = new Float64Array(m);
  const err = new Float64Array(m);
  const std = (j0: number, j1: number) => {
    const c = j1 - j0;
    if (c < 2) return 0;
    let s = 0;
    for (let j = j0; j < j1; j++) s += mu[j];
    const mean = s / c;
    let v = 0;
    for (let j = j0; j < j1; j++) v += (mu[j] - mean) ** 2;
    return Math.sqrt(v / c);
  };
  let j0 = 0;
  for (let i = 0; i < m; i++) {
    const j1 = i === m - 1 ? n - 1 : Math.trunc((bounds[i] + bounds[i + 1] + 1) / 2);
    if (i === 0 && j0 === 0) j0 = indexOf(energy, en[0] - 5);
    if (j1 - j0 < 3) {
      // Too few points: interpolate linearly through the neighbourhood (at least 2 points).
      let a = j0;
      let b = Math.min(n, j1 + (j1 + 1 - j0 < 3 ? 2 : 1));
      if (b - a < 2) {
        a = Math.max(0, a - 1);
        b = Math.min(n, b + 1);
      }
      let k = a;
      while (k < b - 2 && energy[k + 1] < en[i]) k++;
      const t = (en[i] - energy[k]) / (energy[k + 1] - energy[k]);
      out[i] = mu[k] + t * (mu[k + 1] - mu[k]);
      err[i] = std(a, b);
    } else {
      let s = 0;
      let se = 0;
      let sme = 0;
      for (let j = j0; j < j1; j++) {
        s += mu[j];
        se += energy[j];
        sme += mu[j] * energy[j];
      }
      out[i] = o.method === 'boxcar' ? s / (j1 - j0) : sme / se;
      err[i] = std(j0, j1);
    }
    j0 = j1;
  }
  return { energy: en, mu: out, deltaMu: err };
}
