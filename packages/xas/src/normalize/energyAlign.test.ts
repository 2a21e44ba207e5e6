import { describe, expect, it } from 'vitest';
import { energyAlign, energyAlignObjective } from './energyAlign';
import { preEdge } from './preEdge';

function spectrum(e0: number, scale = 1) {
  const e: number[] = [];
  for (let x = 8133; x < 8313; x += 5) e.push(x);
  for (let x = 8313; x < 8383; x += 0.3) e.push(x);
  for (let x = 8383; x < 9000; x += 3) e.push(x);
  const energy = Float64Array.from(e);
  const mu = energy.map((x) => scale * (0.5 + Math.atan((x - e0) / 1.2) / Math.PI + 0.3 / (1 + ((x - e0 - 7) / 3) ** 2) + 0.05 * Math.sin((x - e0) / 4)));
  return preEdge(energy, mu);
}

describe('energyAlign', () => {
  it('finds the shift that puts a shifted spectrum back on the reference (eshift = −ΔE)', () => {
    const ref = spectrum(8333);
    for (const d of [-3.7, 0.45, 2.2]) {
      const r = energyAlign(spectrum(8333 + d, 1.7), ref);
      expect(Math.abs(r.eshift + d)).toBeLessThan(0.01);
      expect(r.eshiftStderr).toBeLessThan(0.05);
    }
  });
  it('the objective is smallest at the found shift', () => {
    const ref = spectrum(8333);
    const s = spectrum(8334);
    const r = energyAlign(s, ref);
    const f0 = energyAlignObjective(s, ref, r.eshift);
    expect(f0).toBeLessThan(energyAlignObjective(s, ref, r.eshift + 0.2));
    expect(f0).toBeLessThan(energyAlignObjective(s, ref, r.eshift - 0.2));
  });
  it('uses Larch’s window (from e0 + 15 eV) only when asked', () => {
    const ref = spectrum(8333);
    expect(energyAlign(ref, ref).window[0]).toBeLessThan(8333 - 14);
    expect(energyAlign(ref, ref, { larchWindow: true }).window[0]).toBeGreaterThan(8333 + 14);
  });
});
