import { describe, expect, it } from 'vitest';
import { main } from '../../main';
import { capture } from '../../testing';

describe('siteproof tofsims mass', () => {
  it('prints one JSON entry per formula with mz, monoisotopicMass, charge and pattern', async () => {
    const c = capture();
    const code = await main(['tofsims', 'mass', 'NiN2C2+', '[60Ni]N2C2+', 'C32H16CuN8+', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc).toHaveLength(3);
    expect(doc[0]).toMatchObject({ formula: 'NiN2C2+', charge: 1 });
    // masses.json: 109.94094183895093 / 111.93638530895093 / 575.078841691211 (1e-6 u)
    expect(Math.abs(doc[0].mz - 109.940941839)).toBeLessThan(1e-6);
    expect(Math.abs(doc[1].mz - 111.936385309)).toBeLessThan(1e-6);
    expect(Math.abs(doc[2].mz - 575.078841691)).toBeLessThan(1e-6);
    expect(Math.abs(doc[0].monoisotopicMass - 109.941490419)).toBeLessThan(1e-6);
    const p60 = doc[0].pattern.find((p: { mz: number }) => Math.abs(p.mz - 111.93639) < 1e-4);
    expect(p60.abundance).toBeCloseTo(0.3852, 3);
    expect(doc[1].pattern).toHaveLength(doc[1].pattern.filter((p: { abundance: number }) => p.abundance >= 1e-3).length);
  });

  it('fails with the position of a bad character, on stderr, non-zero', async () => {
    const c = capture();
    const code = await main(['tofsims', 'mass', 'NiN2$C2+', '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/unexpected '\$' at position 5/);
  });
});
