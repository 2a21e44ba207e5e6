import { describe, expect, it } from 'vitest';
import { assessInterference, checkInterferences, KNOWN_INTERFERENCES } from './interferences';
import { chiSquareSurvival } from './chiSquare';

describe('near-isobaric interferences (values of ../shared notes §3, verify/masses_py.txt)', () => {
  // Δm to 0.01 mDa and the required m/Δm to 0.5 % (the notes round Δm to 0.01 mDa).
  const expected: Record<string, [number, number]> = {
    'FeN4+': [10.3, 10869],
    '[54Fe]N4+': [10.42, 10556],
    'C2H2FeN2+': [15.24, 7212],
    'CFeN3+': [2.67, 41208],
    'CH3O2Cu+': [1.41, 77882],
  };
  for (const pair of KNOWN_INTERFERENCES) {
    it(`${pair.ion} vs ${pair.interferer}`, () => {
      const r = assessInterference(pair);
      const [dm, R] = expected[pair.interferer];
      expect(Math.abs(r.deltaMDa - dm)).toBeLessThan(0.01);
      expect(Math.abs(r.requiredResolution - R) / R).toBeLessThan(0.005);
    });
  }
  it('verdicts from resolving power and bin width', () => {
    const [r] = checkInterferences(['FeN4+'], { resolution: 12000 });
    expect(r.resolvable).toBe(true);
    const [r2] = checkInterferences(['FeN4+'], { resolution: 12000, binWidthAt: () => 0.13 });
    expect(r2.resolvable).toBe(false);
    expect(r2.warning).toMatch(/bin width 130\.0 mDa > Δm 10\.3 mDa/);
    // NiN2C2+ brings in its 60Ni isotopologue's interference with FeN4+.
    expect(checkInterferences(['NiN2C2+']).map((x) => x.interferer)).toContain('FeN4+');
  });
});

describe('χ² tail probability', () => {
  it('matches tabulated 5 % critical values', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
