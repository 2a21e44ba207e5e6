import { describe, expect, it } from 'vitest';
import { edgePositions, edgeShifts, foilCalibrationShift } from './edgeShift';
import { preEdge } from './preEdge';

/** Arctan edge + white line at e0 on a 0.25 eV XANES grid. */
function spectrum(e0: number) {
  const e: number[] = [];
  for (let x = 8133; x < 8313; x += 5) e.push(x);
  for (let x = 8313; x < 8383; x += 0.25) e.push(x);
  for (let x = 8383; x < 9000; x += 3) e.push(x);
  const energy = Float64Array.from(e);
  const mu = energy.map((x) => 0.5 - 1e-4 * (x - 8333) + 0.5 + Math.atan((x - e0) / 1.2) / Math.PI + 0.4 / (1 + ((x - e0 - 6) / 3) ** 2));
  return { energy, mu };
}

describe('edgePositions', () => {
  it('gives each definition near the true edge of an arctan step', () => {
    const { energy, mu } = spectrum(8333.1);
    const p = edgePositions(preEdge(energy, mu));
    expect(Math.abs(p.maxDerivative - 8333.1)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(p.halfStep - 8333.1)).toBeLessThan(1.5); // white line and slope move the half-height
    expect(Math.abs(p.secondDerivativeZero - 8333.1)).toBeLessThan(0.5);
    expect(Math.abs(p.arctan - 8333.1)).toBeLessThan(1.5);
    expect(p.arctanStderr).toBeGreaterThan(0);
  });
});

describe('edgeShifts', () => {
  it('recovers a known +1.7 eV shift by every definition (within the grid step for maxDerivative)', () => {
    const a = spectrum(8333.0);
    const b = spectrum(8334.7);
    const { reference, rows } = edgeShifts([
      { name: 'a', ...a },
      { name: 'b', ...b },
    ]);
    expect(reference).toBe('a');
    expect(rows[0].shift.halfStep).toBe(0);
    expect(Math.abs(rows[1].shift.maxDerivative - 1.7)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(rows[1].shift.halfStep - 1.7)).toBeLessThan(0.05);
    expect(Math.abs(rows[1].shift.secondDerivativeZero - 1.7)).toBeLessThan(0.1);
    expect(Math.abs(rows[1].shift.arctan - 1.7)).toBeLessThan(0.05);
  });
  it('applies a foil calibration shift to the energy axis without touching the data', () => {
    const a = spectrum(8333.0);
    const shift = foilCalibrationShift(8333.0, 8333.0 + 2);
    expect(shift).toBe(2);
    const energyCopy = Float64Array.from(a.energy);
    const { rows } = edgeShifts([{ name: 'a', ...a }], { reference: { name: 'a-cal', ...a, eShift: shift } });
    expect(Math.abs(rows[0].shift.arctan + 2)).toBeLessThan(1e-3);
    expect(Array.from(a.energy)).toEqual(Array.from(energyCopy));
    expect(() => foilCalibrationShift(8333, 7112)).toThrow(/wrong edge/);
  });
});

describe('edgeShifts alignment column', () => {
  it('aligning dμ/dE recovers a +1.3 eV shift with a small standard error', () => {
    const a = spectrum(8333.0);
    const b = spectrum(8334.3);
    const { rows } = edgeShifts([
      { name: 'a', ...a },
      { name: 'b', ...b },
    ]);
    expect(rows[0].alignShift).toBe(0);
    expect(Math.abs(rows[1].alignShift - 1.3)).toBeLessThan(0.02);
    expect(rows[1].alignStderr).toBeLessThan(0.05);
  });
});
