// ColumnData → Spectrum: pick the energy column, build mu from a column or an expression, check
// that both are finite, put the energy in eV and make it strictly increasing. Every guess is
// reported as a warning; every problem that would make the numbers untrustworthy is an error.
import { z } from 'zod';
import { ParseError, SiteproofError, ValidationError, parseOptions } from '@siteproof/core';
import type { ColumnData, Spectrum } from './types';
import { evalExpr, parseExpr } from './expr';
import { removeDups, TINY_ENERGY } from '../normalize/energyGrid';

// Larch's remove_dups and TINY_ENERGY live with the energy-grid rules that find_e0/pre_edge use.
export { removeDups, TINY_ENERGY };
/** h·c in eV·Å (CODATA 2018), for Bragg's law. */
export const HC_EV_ANGSTROM = 12398.419843320026;
/** Fewer points than this cannot be normalized meaningfully (pre-edge + post-edge fits). */
export const MIN_POINTS = 10;
/** mu columns looked for, in order, when no expression is given (Larch/XDI names). */
export const DEFAULT_MU_COLUMNS = ['mu', 'xmu', 'mutrans', 'mufluor'] as const;

export const BuildMuOptionsSchema = z
  .object({
    /** Column name or expression for mu, e.g. "ln(i0/itrans)", "sum_fe_ka/i0". */
    mu: z.string().min(1).optional(),
    /** Column name or expression for a reference channel, e.g. "ln(itrans/irefer)". */
    reference: z.string().min(1).optional(),
    /** Energy column (name); default: energy / e / energy* / …energy…, else the first column. */
    energy: z.string().min(1).optional(),
    /**
     * 'strict' (default): a non-increasing energy (other than a wholly descending scan, which is
     * reversed with a warning) is a ParseError naming the line. 'larch': sort by energy and give
     * repeated energies Larch's +0.0005 eV increments (remove_dups), with warnings.
     * Strict is the default because every shared Larch example file is strictly increasing and
     * a repeated or backwards energy in a step scan usually means a stalled monochromator or a
     * concatenated file, which a scientist wants to see rather than have silently repaired.
     */
    energyPolicy: z.enum(['strict', 'larch']).default('strict'),
    /**
     * Energy units: 'auto' takes the units the file states (XDI Column.1, beamline template),
     * else Larch's guess_energy_units (keV if max < 120 and min step < 0.005; deg if also
     * max < 90 and decreasing). Degrees are converted with Bragg's law and Mono.d_spacing.
     */
    energyUnits: z.enum(['auto', 'eV', 'keV', 'deg']).default('auto'),
  })
  .strict();
export type BuildMuOptions = z.input<typeof BuildMuOptionsSchema>;

function lookupFactory(data: ColumnData): (name: string) => Float64Array | undefined {
  const map = new Map<string, Float64Array>();
  data.labels.forEach((l, i) => {
    if (!map.has(l)) map.set(l, data.columns[i]);
    const lc = l.toLowerCase();
    if (!map.has(lc)) map.set(lc, data.columns[i]);
  });
  return (name) => map.get(name) ?? map.get(name.toLowerCase());
}

/** Index of the energy column and a warning if it was guessed. */
export function findEnergyColumn(data: ColumnData, requested?: string): { index: number; warning?: string } {
  const labels = data.labels.map((l) => l.toLowerCase());
  if (requested) {
    const i = labels.indexOf(requested.toLowerCase());
    if (i < 0) {
      throw new ValidationError(`energy column '${requested}' not found; available columns: ${data.labels.join(', ')}`, {
        file: data.file,
        field: 'energy',
      });
    }
    return { index: i };
  }
  let i = labels.findIndex((l) => l === 'energy' || l === 'e');
  if (i >= 0) return { index: i };
  i = labels.findIndex((l) => l.startsWith('energy'));
  if (i >= 0) return { index: i };
  if (data.energyColumnHint !== undefined && data.energyColumnHint >= 1 && data.energyColumnHint <= labels.length) {
    const h = data.energyColumnHint - 1;
    return { index: h, warning: `energy taken from column ${h + 1} '${data.labels[h]}' (the beamline's header template says so)` };
  }
  i = labels.findIndex((l) => l.includes('energy'));
  if (i >= 0) return { index: i, warning: `energy taken from column '${data.labels[i]}' (no column named 'energy')` };
  return { index: 0, warning: `energy guessed to be the first column '${data.labels[0]}' (no column named 'energy')` };
}

/** Larch's guess_energy_units (xafsutils.py): 'eV', 'keV', 'deg' or 'steps'. */
export function guessEnergyUnits(e: ArrayLike<number>): 'eV' | 'keV' | 'deg' | 'steps' {
  const n = e.length;
  if (n < 2) return 'eV';
  let emax = -Infinity;
  let minAbsStep = Infinity;
  let sumStep = 0;
  for (let i = 0; i < n; i++) {
    if (e[i] > emax) emax = e[i];
    if (i > 0) {
      const d = e[i] - e[i - 1];
      sumStep += d;
      if (Math.abs(d) < minAbsStep) minAbsStep = Math.abs(d);
    }
  }
  let units: 'eV' | 'keV' | 'deg' | 'steps' = 'eV';
  if (emax > 200000) units = 'steps';
  if (emax < 120 && minAbsStep < 0.005) {
    units = 'keV';
    if (emax < 90 && sumStep / (n - 1) < 0) units = 'deg';
  }
  return units;
}

function rowWhere(data: ColumnData, row: number): number | undefined {
  return data.rowLines ? data.rowLines[row] : undefined;
}

/** Evaluate a column name or expression over the data (ValidationError for unknown names). */
export function evaluateColumns(data: ColumnData, expr: string, field = 'mu'): Float64Array {
  const ast = inFile(() => parseExpr(expr, field), data.file);
  const n = data.columns[0]?.length ?? 0;
  return evalExpr(ast, n, lookupFactory(data), data.labels, field, data.file);
}

function checkFinite(data: ColumnData, arr: Float64Array, what: string, field: string): void {
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new ParseError(
        `${Number.isNaN(arr[i]) ? 'NaN' : 'infinite value'} in ${what} at data row ${i + 1}`,
        { file: data.file, line: rowWhere(data, i), field },
        'check the columns used (a zero or negative value inside ln/log, a division by zero, or a NaN cell)',
      );
    }
  }
}

/** Run f, adding the file name to a SiteproofError that lacks one (expression syntax errors). */
function inFile<T>(f: () => T, file: string): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof SiteproofError ? e.withFile(file) : e;
  }
}

/** Build mu(E) from a ColumnData. See BuildMuOptionsSchema for the options. */
export function buildMu(data: ColumnData, opts?: BuildMuOptions): Spectrum {
  const o = parseOptions(BuildMuOptionsSchema, opts ?? {}, 'options');
  const warnings = [...data.warnings];
  const file = data.file;
  if (data.columns.length === 0) throw new ParseError('no data columns', { file, line: 1 });
  const n = data.columns[0].length;

  let muExpr = o.mu;
  if (!muExpr) {
    const lc = data.labels.map((l) => l.toLowerCase());
    const found = DEFAULT_MU_COLUMNS.find((c) => lc.includes(c));
    if (!found) {
      throw new ValidationError(
        `no mu column (${DEFAULT_MU_COLUMNS.join(', ')}) in the file: give mu as a column or an expression, e.g. ln(i0/itrans); available columns: ${data.labels.join(', ')}`,
        { file, field: 'mu' },
      );
    }
    muExpr = found;
  }
  const ast = inFile(() => parseExpr(muExpr, 'mu'), file);
  const lookup = lookupFactory(data);
  let mu = evalExpr(ast, n, lookup, data.labels, 'mu', file);
  let reference: Float64Array | undefined;
  if (o.reference) {
    const refExpr = o.reference;
    reference = evalExpr(inFile(() => parseExpr(refExpr, 'reference'), file), n, lookup, data.labels, 'reference', file);
  }

  const ec = findEnergyColumn(data, o.energy);
  if (ec.warning) warnings.push(`${file}: ${ec.warning}`);
  let energy: Float64Array = data.columns[ec.index].slice();
  const eLabel = data.labels[ec.index];
  if (n < MIN_POINTS) {
    throw new ValidationError(`only ${n} data points; at least ${MIN_POINTS} are needed for a spectrum`, { file, field: 'mu' });
  }
  checkFinite(data, energy, `energy column '${eLabel}'`, eLabel);
  checkFinite(data, mu, `mu (${muExpr})`, 'mu');
  if (reference) checkFinite(data, reference, `reference (${o.reference})`, 'reference');

  // units: keV → eV by Larch's rule, unless stated
  let units: string = o.energyUnits;
  if (units === 'auto') {
    const h = data.energyUnitsHint?.toLowerCase();
    const hinted = h === 'kev' ? 'keV' : h === 'ev' ? 'eV' : h === 'deg' || h === 'degrees' || h === 'degree' ? 'deg' : undefined;
    const g = guessEnergyUnits(energy);
    // units the file states win over the guess; otherwise Larch's guess_energy_units
    const u = hinted ?? g;
    if (u === 'steps') throw new ValidationError(`energy column '${eLabel}' looks like motor steps (max > 200000), not eV`, { file, field: 'energy' });
    units = u;
    if (u === 'keV' && !hinted) warnings.push(`${file}: energy looks like keV (max < 120, smallest step < 0.005: Larch's guess_energy_units); converted to eV`);
  }
  if (units === 'keV') for (let i = 0; i < n; i++) energy[i] *= 1000;
  if (units === 'deg') {
    // Bragg's law E = hc / (2 d sin θ) with the monochromator d-spacing the file states
    const dStr = Object.entries(data.metadata).find(([k]) => k.toLowerCase() === 'mono.d_spacing')?.[1];
    const d = dStr !== undefined ? Number(dStr.trim().split(/\s+/)[0]) : NaN;
    if (!(d > 0)) {
      throw new ValidationError(
        `energy column '${eLabel}' is a monochromator angle in degrees and the file gives no Mono.d_spacing to convert it to eV`,
        { file, field: 'energy' },
        "give the energy column in eV, or add '# Mono.d_spacing: <Å>' to the header",
      );
    }
    for (let i = 0; i < n; i++) energy[i] = HC_EV_ANGSTROM / (2 * d * Math.sin((energy[i] * Math.PI) / 180));
    warnings.push(`${file}: energy computed from the monochromator angle '${eLabel}' with d = ${d} Å (E = hc/(2d·sin θ))`);
  }

  // order: reverse a wholly descending scan; otherwise strict or Larch's sort + remove_dups
  let descending = true;
  let increasing = true;
  for (let i = 1; i < n; i++) {
    if (!(energy[i] < energy[i - 1])) descending = false;
    if (!(energy[i] > energy[i - 1])) increasing = false;
  }
  if (descending) {
    energy.reverse();
    mu = mu.slice().reverse();
    reference = reference?.slice().reverse();
    warnings.push(`${file}: energy was descending; the scan was reversed to increasing energy`);
  } else if (!increasing) {
    if (o.energyPolicy === 'strict') {
      for (let i = 1; i < n; i++) {
        if (!(energy[i] > energy[i - 1])) {
          const what = energy[i] === energy[i - 1] ? 'repeated' : 'decreasing';
          throw new ParseError(
            `${what} energy ${energy[i]} after ${energy[i - 1]} (energies must increase)`,
            { file, line: rowWhere(data, i), field: eLabel },
            "the option energyPolicy: 'larch' sorts and offsets repeats by 0.0005 eV as Larch does",
          );
        }
      }
    }
    const e0 = energy;
    const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => e0[a] - e0[b] || a - b);
    let moved = 0;
    sorted.forEach((v, i) => {
      if (v !== i) moved++;
    });
    energy = Float64Array.from(sorted, (i) => e0[i]);
    mu = Float64Array.from(sorted, (i) => mu[i]);
    if (reference) {
      const r = reference;
      reference = Float64Array.from(sorted, (i) => r[i]);
    }
    if (moved) warnings.push(`${file}: energy not monotonic; ${moved} points re-ordered by energy (Larch's sort_xafs)`);
    const before = energy;
    energy = removeDups(before, TINY_ENERGY);
    let ndup = 0;
    for (let i = 0; i < n; i++) if (energy[i] !== before[i]) ndup++;
    if (ndup) warnings.push(`${file}: ${ndup} repeated energies offset by multiples of ${TINY_ENERGY} eV (Larch's remove_dups)`);
  }
  const out: Spectrum = {
    file,
    name: data.record ?? file,
    energy,
    mu,
    muExpr,
    metadata: { ...data.metadata },
    warnings,
  };
  if (reference) {
    out.reference = reference;
    out.referenceExpr = o.reference;
  }
  return out;
}
