// Known truth: random layouts (no pairs) at increasing density, and layouts with real pairs.
// The verdict: single atoms at low density, inconclusive when chance pairs dominate, pairs when
// pairs exceed chance. The Monte-Carlo null is seeded, so the outcomes are reproducible.
import { describe, expect, it } from 'vitest';
import { haadfEvidence, readAtomsCsv, synthesizeLayout } from '@siteproof/evidence';

const W = 40;
const field = (nSingles: number, nPairs: number, seed: number) => ({ ...synthesizeLayout({ widthNm: W, heightNm: W, nSingles, nPairs, seed }), widthNm: W, heightNm: W });

describe('HAADF evidence on synthetic layouts', () => {
  it('random layout, low density (0.05 /nm²): no excess pairs → single', () => {
    const ev = haadfEvidence([field(80, 0, 2)], { simulations: 199 });
    expect(ev.p).toBeGreaterThan(0.05);
    expect(ev.chancePairSiteFraction).toBeLessThan(0.05);
    expect(ev.row.supports).toBe('single');
  });
  it('random layout, high density (1.5 /nm²): inconclusive, chance pairs dominate', () => {
    const ev = haadfEvidence([field(2400, 0, 2)], { simulations: 39 });
    expect(ev.chancePairSiteFraction).toBeGreaterThan(0.1);
    expect(ev.row.supports).toBe('inconclusive');
    expect(ev.row.caveats.join(' ')).toMatch(/by chance alone/);
  });
  it('a handful of close pairs at low density never supports "pair" (seed 1: 3 pairs, 0.67 expected, MC p ≈ 0.04)', () => {
    const ev = haadfEvidence([field(80, 0, 1)], { simulations: 199 });
    expect(ev.observedPairs).toBeLessThan(10);
    expect(ev.row.supports).toBe('inconclusive');
    expect(ev.row.caveats.join(' ')).toMatch(/too few to claim pairs/);
  });
  it('density ladder: the verdict on random layouts is never "pair"', () => {
    for (const [n, seed] of [[80, 3], [400, 4], [1200, 5]] as const) {
      const ev = haadfEvidence([field(n, 0, seed)], { simulations: 39, seed });
      expect(ev.row.supports).not.toBe('pair');
    }
  });
  it('30 % of sites are pairs at low density: pair, p at the Monte-Carlo floor', () => {
    const ev = haadfEvidence([field(70, 30, 6)], { simulations: 199, elements: ['Fe', 'Zn'], snr: 8 });
    expect(ev.row.supports).toBe('pair');
    expect(ev.p).toBeCloseTo(1 / 200, 12);
    expect(ev.observedPairs).toBeGreaterThanOrEqual(25); // a few planted pairs merge with a random neighbour into a multimer
    // Fe (26) / Zn (30): (30/26)^1.7 = 1.2756 cannot be told apart at SNR 8
    expect(ev.zContrast!.ratio).toBeCloseTo((30 / 26) ** 1.7, 10);
    expect(ev.row.caveats.join(' ')).toMatch(/Fe\/Zn Z-contrast ratio 1.28 is below/);
  });
  it('reads atoms CSV (image, x_nm, y_nm, snr) and refuses a file without coordinates', () => {
    const r = readAtomsCsv('image,x_nm,y_nm,snr\na,1,2,5\na,3,4,7\nb,5,6,9\n', 'atoms.csv', 10, 10);
    expect(r.fields.map((f) => f.xNm.length)).toEqual([2, 1]);
    expect(r.snr).toBe(7);
    expect(() => readAtomsCsv('x,y\n1,2\n', 'bad.csv', 10, 10)).toThrow(/x_nm and y_nm/);
  });
});
