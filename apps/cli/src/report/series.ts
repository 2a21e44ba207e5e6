// The series variable of each XAS spectrum (potential, temperature, time …): from the config's
// per-file values, else the metadata key, else the file name ("…_m0.4V…" → −0.4 V, "ocp" → OCP),
// with a numeric value where one can be read (OCP takes Sample.open_circuit_potential when given).
// Members are ordered by acquisition: Scan.start_time when every file has it, else the file name.
import * as path from 'node:path';

export interface SeriesValue {
  label: string;
  value: number | null;
  source: 'config' | 'metadata' | 'file name' | 'none';
}

function metaGet(meta: Record<string, string>, key: string): string | undefined {
  const k = Object.keys(meta).find((m) => m.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : meta[k];
}

export function numberIn(s: string): number | null {
  const m = /([-+−]?\d+(?:\.\d+)?)/.exec(s.replace(/−/g, '-'));
  return m ? Number(m[1]) : null;
}

export function seriesValue(file: string, meta: Record<string, string>, v: { metadataKey: string; values?: Record<string, string | number> }): SeriesValue {
  const base = path.posix.basename(file);
  const given = v.values?.[file] ?? v.values?.[base];
  const ocp = () => {
    const o = Object.keys(meta).find((k) => /open.?circuit|(^|\.)ocp$/i.test(k));
    return o ? numberIn(meta[o]) : null;
  };
  const fromLabel = (label: string): number | null => (/^\s*ocp\b/i.test(label) ? ocp() : numberIn(label));
  if (given !== undefined) return { label: String(given), value: typeof given === 'number' ? given : fromLabel(given), source: 'config' };
  const m = metaGet(meta, v.metadataKey);
  if (m !== undefined && m.trim() !== '') return { label: m.trim(), value: fromLabel(m), source: 'metadata' };
  if (/(^|[^a-z])ocp([^a-z]|$)/i.test(base)) return { label: 'OCP', value: ocp(), source: 'file name' };
  const f = /(?:^|[_\-\s])([mp+-]?)(\d+(?:[.p]\d+)?)\s*V(?=[_\-.\s]|$)/i.exec(base.replace(/\.[^.]+$/, '') + '.');
  if (f) {
    const sign = f[1] === 'm' || f[1] === 'M' || f[1] === '-' ? -1 : 1;
    const x = sign * Number(f[2].replace(/p/i, '.'));
    return { label: `${x} V`, value: x, source: 'file name' };
  }
  return { label: base, value: null, source: 'none' };
}

export function acquisitionOrder(items: { file: string; meta: Record<string, string> }[]): number[] {
  const idx = items.map((_, i) => i);
  const times = items.map((it) => metaGet(it.meta, 'Scan.start_time'));
  if (times.every((t) => t !== undefined && !Number.isNaN(Date.parse(t!)))) {
    return idx.sort((a, b) => Date.parse(times[a]!) - Date.parse(times[b]!) || items[a].file.localeCompare(items[b].file));
  }
  return idx.sort((a, b) => items[a].file.localeCompare(items[b].file, undefined, { numeric: true }));
}

/** Distinct colours, one per series member, used by every figure (Okabe–Ito then Tableau). */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000', '#8c564b', '#7f7f7f', '#bcbd22', '#17becf'];
export const colourOf = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length];
