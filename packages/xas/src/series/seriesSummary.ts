// Per-spectrum results of a series (in situ potential steps, temperature, time): E0, its shift,
// edge step and white line, ordered by a series variable given by the user or read from the
// metadata. E0 and edge step are Larch's (find_e0 / pre_edge with its defaults) on the
// calibrated energy axis (energy + eShift).
//
// e0Shift: without a reference channel, E0 − E0 of the first spectrum. With a reference channel,
// E0(sample) − E0(reference channel of the same scan): the monochromator drift cancels, so it is
// the chemical edge shift of the sample against its foil.
import { ValidationError } from '@siteproof/core';
import type { Spectrum } from '../io/types';
import { findE0 } from '../normalize/findE0';
import { preEdge } from '../normalize/preEdge';
import { shiftedEnergy } from './calibrate';
import { guessEdge } from './edgeEnergies';

export interface SeriesVariable {
  name: string;
  /** One value per spectrum, in the order given (numbers where they parse). */
  values?: (number | string)[];
  /** Or read from each spectrum's metadata under this key (case-insensitive); sorted by it. */
  metadataKey?: string;
}

export interface SeriesSpectrumSummary {
  file: string;
  var?: number | string;
  e0: number;
  e0Shift: number;
  edgeStep: number;
  whiteLine: { energy: number; height: number };
  /** E0 of the reference channel (eV) when one is used. */
  referenceE0?: number;
  eShift: number;
  warnings: string[];
}

export interface SeriesSummary {
  variable?: string;
  spectra: SeriesSpectrumSummary[];
  warnings: string[];
}

/** White line: the largest normalized μ between E0 and E0 + 40 eV, vertex of a parabola through the top 3 points. */
export function whiteLine(energy: Float64Array, norm: Float64Array, e0: number, span = 40): { energy: number; height: number } {
  let best = -1;
  for (let i = 0; i < energy.length; i++) {
    if (energy[i] < e0 || energy[i] > e0 + span) continue;
    if (best < 0 || norm[i] > norm[best]) best = i;
  }
  if (best < 0) throw new ValidationError(`no data between E0 (${e0.toFixed(2)} eV) and E0 + ${span} eV for the white line`, { field: 'energy' });
  if (best > 0 && best < energy.length - 1) {
    const [x0, x1, x2] = [energy[best - 1], energy[best], energy[best + 1]];
    const [y0, y1, y2] = [norm[best - 1], norm[best], norm[best + 1]];
    const d = (x0 - x1) * (x0 - x2) * (x1 - x2);
    const a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / d;
    const b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / d;
    const c = (x1 * x2 * (x1 - x2) * y0 + x2 * x0 * (x2 - x0) * y1 + x0 * x1 * (x0 - x1) * y2) / d;
    if (a < 0) {
      const xv = -b / (2 * a);
      if (xv >= x0 && xv <= x2) return { energy: xv, height: c - (b * b) / (4 * a) };
    }
  }
  return { energy: energy[best], height: norm[best] };
}

function parseValue(v: string | number): number | string {
  if (typeof v === 'number') return v;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

export function summarizeSeries(spectra: Spectrum[], options: { variable?: SeriesVariable; useReference?: boolean } = {}): SeriesSummary {
  if (spectra.length === 0) throw new ValidationError('no spectra in the series', { field: 'files' });
  const warnings: string[] = [];
  const v = options.variable;
  let vars: (number | string | undefined)[] = spectra.map(() => undefined);
  if (v?.values) {
    if (v.values.length !== spectra.length) {
      throw new ValidationError(`--var ${v.name} has ${v.values.length} values for ${spectra.length} spectra`, { field: 'var' });
    }
    vars = v.values.map(parseValue);
  } else if (v?.metadataKey) {
    const key = v.metadataKey.toLowerCase();
    vars = spectra.map((s) => {
      const k = Object.keys(s.metadata).find((m) => m.toLowerCase() === key);
      if (k === undefined) {
        warnings.push(`${s.file}: no metadata '${v.metadataKey}'`);
        return undefined;
      }
      return parseValue(s.metadata[k]);
    });
  }
  const useRef = options.useReference ?? false;
  const rows: SeriesSpectrumSummary[] = spectra.map((s, i) => {
    const w: string[] = [];
    const energy = shiftedEnergy(s);
    const p = preEdge(energy, s.mu);
    let referenceE0: number | undefined;
    if (useRef) {
      if (!s.reference) w.push(`${s.file}: no reference channel; e0Shift is relative to the first spectrum instead`);
      else referenceE0 = findE0(energy, s.reference);
    }
    return {
      file: s.file,
      var: vars[i],
      e0: p.e0,
      e0Shift: 0,
      edgeStep: p.edgeStep,
      whiteLine: whiteLine(p.energy, p.norm, p.e0),
      referenceE0,
      eShift: s.eShift ?? 0,
      warnings: w,
    };
  });
  for (const r of rows) r.e0Shift = r.referenceE0 !== undefined ? r.e0 - r.referenceE0 : r.e0 - rows[0].e0;
  // Mixed edges: the guessed element/edge must agree across the series.
  const guesses = rows.map((r) => guessEdge(r.e0));
  const kinds = new Set(guesses.map((g) => `${g.element} ${g.edge}`));
  if (kinds.size > 1) {
    warnings.push(`mixed edges in the series: ${rows.map((r, i) => `${r.file} ≈ ${guesses[i].element} ${guesses[i].edge} (E0 ${r.e0.toFixed(1)} eV)`).join('; ')}`);
  }
  const missing = rows.filter((r) => useRef && r.referenceE0 === undefined).length;
  if (missing > 0 && missing < rows.length) warnings.push(`${missing} of ${rows.length} files lack the reference channel: their e0Shift is not against a foil`);
  for (const r of rows) warnings.push(...r.warnings);
  if (v?.metadataKey && vars.every((x) => typeof x === 'number')) rows.sort((a, b) => (a.var as number) - (b.var as number));
  return { variable: v?.name, spectra: rows, warnings };
}
