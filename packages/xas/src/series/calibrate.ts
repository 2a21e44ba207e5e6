// Energy calibration to a reference foil: E0 of the reference channel (Larch find_e0) is set to
// the tabulated edge energy, and the same shift applies to the sample recorded with it (both
// share the monochromator). The shift is stored as Spectrum.eShift; raw energies are never
// rewritten — consumers use energy + eShift (shiftedEnergy).
import { ValidationError } from '@siteproof/core';
import type { Spectrum } from '../io/types';
import { findE0 } from '../normalize/findE0';
import { edgeEnergy, guessEdge, type EdgeName } from './edgeEnergies';

export interface CalibrateOptions {
  /** Element of the reference foil (e.g. 'Ni'); with `edge`, picks the tabulated energy. */
  element?: string;
  edge?: EdgeName;
  /** Explicit calibration energy (eV); overrides element/edge. */
  energy?: number;
  /** Calibrate on the reference channel (default when present) or on mu itself. */
  channel?: 'reference' | 'mu';
}

export interface Calibration {
  /** A new Spectrum object with eShift set (arrays shared, never modified). */
  spectrum: Spectrum;
  /** E0 measured on the chosen channel, on the raw energy axis (eV). */
  e0Measured: number;
  /** The energy it is calibrated to (eV). */
  e0Target: number;
  eShift: number;
  channel: 'reference' | 'mu';
  warnings: string[];
}

/** Energy axis with the calibration shift applied (a copy). */
export function shiftedEnergy(s: Spectrum): Float64Array {
  const d = s.eShift ?? 0;
  return d === 0 ? s.energy : s.energy.map((e) => e + d);
}

export function calibrate(spectrum: Spectrum, options: CalibrateOptions): Calibration {
  const channel = options.channel ?? (spectrum.reference ? 'reference' : 'mu');
  const y = channel === 'reference' ? spectrum.reference : spectrum.mu;
  if (!y) {
    throw new ValidationError(`${spectrum.file}: no reference channel to calibrate on`, { file: spectrum.file, field: 'reference' }, 'give the reference expression, e.g. ln(itrans/irefer)');
  }
  const warnings: string[] = [];
  const e0Measured = findE0(spectrum.energy, y);
  let e0Target: number;
  if (options.energy !== undefined) e0Target = options.energy;
  else if (options.element) e0Target = edgeEnergy(options.element, options.edge ?? 'K');
  else throw new ValidationError('calibration needs an element (and edge) or an explicit energy', { field: 'element' });
  if (!Number.isFinite(e0Target)) throw new ValidationError('calibration energy must be finite', { field: 'energy' });
  const eShift = e0Target - e0Measured;
  if (Math.abs(eShift) > 50) {
    const g = guessEdge(e0Measured);
    warnings.push(
      `${spectrum.file}: calibration shift ${eShift.toFixed(2)} eV is large; the ${channel} edge at ${e0Measured.toFixed(2)} eV looks like ${g.element} ${g.edge} (${g.energy} eV)`,
    );
  }
  return { spectrum: { ...spectrum, eShift }, e0Measured, e0Target, eShift, channel, warnings };
}
