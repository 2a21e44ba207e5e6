import { describe, expect, it } from 'vitest';
import { findMFs } from 'mf-finder';
import { exactMass } from '../formula/exactMass';
import { FormulaSearcher, parseRanges, searchFormulas } from './formulaSearch';

const RANGES = 'C0-10 H0-10 N0-6 O0-4 S0-2 Fe0-2 Co0-2 Ni0-2 Cu0-2 Zn0-2';

describe('formula search', () => {
  it('parses element ranges and reports bad ones with their position', () => {
    expect(parseRanges('C0-10 H2 [13C]0-1').map((r) => [r.key, r.min, r.max])).toEqual([['C', 0, 10], ['H', 2, 2], ['[13C]', 0, 1]]);
    expect(() => parseRanges('C0-10 Xy0-2')).toThrow(/unknown element 'Xy'/);
    expect(() => parseRanges('C0-10 $')).toThrow(/position 7/);
  });

  it('gives exactly mf-finder\'s candidate list (same ranges, 20 ppm, no RDBE filter)', async () => {
    for (const mz of [109.9409, 111.9467, 118.9413, 57.9348, 175.93]) {
      const ours = searchFormulas([mz], { ranges: RANGES, tolPpm: 20, rdbeMin: null })[0];
      const ref = (await findMFs(mz, { ranges: RANGES, precision: 20, ionizations: '+', allowNeutral: false, limit: 10000 })) as unknown as { mfs: { atoms: Record<string, number>; ms: { ppm: number } }[] };
      const key = (atoms: Record<string, number>) => Object.keys(atoms).sort().map((k) => `${k}${atoms[k]}`).join('');
      // ppm to 1e-5: the two sum the atomic masses in different orders (1e-14 u differences).
      const refSet = ref.mfs.map((m) => `${key(m.atoms)}|${m.ms.ppm.toFixed(5)}`).sort();
      const ourSet = ours.map((c) => `${key(c.atoms)}|${c.ppm.toFixed(5)}`).sort();
      expect(ourSet.length).toBeGreaterThan(0);
      expect(ourSet).toEqual(refSet);
    }
  });

  it('batch search equals single searches', () => {
    const s = new FormulaSearcher({ ranges: RANGES, tolPpm: 10 });
    const mzs = [109.9409, 234.8723, 60.0, 571.0824, 118.9413];
    const batch = s.searchBatch(mzs);
    const brief = (l: { formula: string; ppm: number }[]) => l.map((c) => `${c.formula} ${c.ppm.toFixed(6)}`);
    mzs.forEach((m, i) => expect(brief(batch[i])).toEqual(brief(s.search(m))));
    expect(batch.flat().length).toBeGreaterThan(5);
  });

  it('the RDBE filter uses explicit metal valences (NiN2C2: RDBE 4 with Ni = 2)', () => {
    const [c] = searchFormulas([exactMass('NiN2C2+').mz], { ranges: 'C0-4 N0-4 Ni0-1', tolPpm: 1 });
    expect(c[0].formula).toBe('C2N2Ni+');
    expect(c[0].rdbe).toBe(4);
    expect(searchFormulas([exactMass('NiN2C2+').mz], { ranges: 'C0-4 N0-4 Ni0-1', tolPpm: 1, rdbeMax: 3 })[0]).toEqual([]);
  });
});
