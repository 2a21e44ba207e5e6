import { describe, expect, it } from 'vitest';
import { main } from '../../main';
import { capture } from '../../testing';

describe('siteproof tofsims search', () => {
  it('returns candidates per m/z, best |ppm| first, with RDBE from explicit valences', async () => {
    const c = capture();
    const code = await main(['tofsims', 'search', '109.9409', '111.9467', '--ranges', 'C0-10 H0-10 N0-6 O0-4 S0-2 Fe0-2 Co0-2 Ni0-2 Cu0-2 Zn0-2', '--tol-ppm', '20', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.map((d: { mz: number }) => d.mz)).toEqual([109.9409, 111.9467]);
    const ni = doc[0].candidates.map((x: { formula: string }) => x.formula);
    // mf-finder lists the same three within 20 ppm: H3CoO3, C2N2Ni, CH3CuO2.
    expect(ni.sort()).toEqual(['C2N2Ni+', 'CH3CuO2+', 'CoH3O3+']);
    expect(doc[1].candidates[0].formula).toBe('FeN4+');
    expect(doc[1].candidates[0].rdbe).toBe(3);
  });

  it('rejects bad ranges and bad m/z values', async () => {
    const c = capture();
    expect(await main(['tofsims', 'search', '109.94', '--ranges', 'C0-10 Qq0-1', '--json'])).not.toBe(0);
    expect(await main(['tofsims', 'search', 'abc', '--ranges', 'C0-10', '--json'])).not.toBe(0);
    c.restore();
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/unknown element 'Qq'/);
    expect(c.err.join('')).toMatch(/'abc' is not a positive number/);
  });
});
