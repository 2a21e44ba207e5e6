import { describe, expect, it } from 'vitest';
import { compareCurves, interpAt } from './compare';

describe('golden comparison helpers', () => {
  it('interpolates linearly and refuses to extrapolate', () => {
    expect(interpAt([0, 1, 2], [0, 10, 40], 1.5)).toBeCloseTo(25, 12);
    expect(interpAt([0, 1, 2], [0, 10, 40], 2)).toBe(40);
    expect(Number.isNaN(interpAt([0, 1], [0, 1], 3))).toBe(true);
  });

  it('measures max and RMS differences on the reference grid within a range', () => {
    const x = [0, 1, 2, 3, 4];
    const ref = { x, y: [1, 1, 1, 1, 1] };
    const got = { x, y: [1, 1.1, 1, 0.8, 5] };
    const d = compareCurves(ref, got, { xmax: 3 });
    expect(d.n).toBe(4);
    expect(d.maxAbs).toBeCloseTo(0.2, 12);
    expect(d.xAtMax).toBe(3);
    expect(d.rmsDiff).toBeCloseTo(Math.sqrt((0.01 + 0.04) / 4), 12);
    expect(d.relRms).toBeCloseTo(d.rmsDiff, 12);
  });
});
