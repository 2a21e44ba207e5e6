// LCF over a whole series (potential steps, temperature, time) with one set of references:
// one row of fractions ± uncertainties per spectrum, and the table as CSV. The references are
// interpolated once per distinct energy grid, so long quick-EXAFS series stay cheap.
import { SiteproofError, parseOptions } from '@siteproof/core';
import { lcfOptionsSchema, lcfPrepared, prepareLcf, type LcfOptions, type LcfReference, type LcfResult } from './lcf';

export interface SeriesSpectrum {
  name: string;
  x: Float64Array;
  y: Float64Array;
  /** Value of the series variable (potential, temperature, time…), if known. */
  variable?: number | string;
}

export interface LcfSeriesRow {
  name: string;
  variable?: number | string;
  /** Null when this spectrum could not be fitted (see error). */
  fit: LcfResult | null;
  error?: string;
}

export interface LcfSeriesResult {
  references: string[];
  rows: LcfSeriesRow[];
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function lcfSeries(spectra: SeriesSpectrum[], references: LcfReference[], options: LcfOptions = {}): LcfSeriesResult {
  const opts = parseOptions(lcfOptionsSchema, options, 'options');
  const nparams = (opts.sumToOne ? references.length - 1 : references.length) + (opts.varyEShift ? 1 : 0);
  let cacheX: Float64Array | null = null;
  let cache: ReturnType<typeof prepareLcf> | null = null;
  const rows: LcfSeriesRow[] = [];
  for (const s of spectra) {
    try {
      if (!cache || !cacheX || !sameArray(cacheX, s.x)) {
        cache = prepareLcf(s.x, references, opts, nparams);
        cacheX = s.x;
      }
      rows.push({ name: s.name, variable: s.variable, fit: lcfPrepared(cache, s.x, s.y, opts) });
    } catch (e) {
      // A singular design is a property of the references, not of one spectrum: stop.
      if (e instanceof SiteproofError && e.kind === 'numerical') throw e;
      if (e instanceof SiteproofError) rows.push({ name: s.name, variable: s.variable, fit: null, error: e.message });
      else throw e;
    }
  }
  return { references: references.map((r) => r.name), rows };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The series table as CSV: one row per spectrum; empty cells where a value is unavailable. */
export function lcfSeriesCsv(result: LcfSeriesResult): string {
  const head = ['spectrum', 'variable'];
  for (const r of result.references) head.push(r, `${r}_stderr`);
  head.push('sum', 'eshift', 'eshift_stderr', 'rfactor', 'redchi', 'error');
  const lines = [head.map(csvCell).join(',')];
  for (const row of result.rows) {
    const cells: unknown[] = [row.name, row.variable];
    for (const name of result.references) {
      const w = row.fit?.weights.find((q) => q.name === name);
      cells.push(w?.value, w?.stderr);
    }
    const f = row.fit;
    cells.push(f?.sum.value, f?.eShift.value, f?.eShift.stderr, f?.rFactor, f?.redChi, row.error ?? (f && f.warnings.length ? f.warnings.join('; ') : ''));
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
