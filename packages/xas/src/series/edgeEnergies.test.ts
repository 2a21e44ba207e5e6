import { describe, expect, it } from 'vitest';
import { edgeEnergy, guessEdge, tabulatedElements } from './edgeEnergies';

describe('edge table', () => {
  it('holds the well-known edges (X-ray Data Booklet / Bearden & Burr)', () => {
    expect(edgeEnergy('Cu')).toBe(8979);
    expect(edgeEnergy('Fe', 'K')).toBe(7112);
    expect(edgeEnergy('Ni')).toBe(8333);
    expect(edgeEnergy('Zn')).toBe(9659);
    expect(edgeEnergy('Ti')).toBe(4966);
    expect(edgeEnergy('Mo')).toBe(20000);
    expect(edgeEnergy('pt', 'L3')).toBe(11564);
    expect(edgeEnergy('Au', 'L3')).toBe(11919);
    expect(edgeEnergy('Ir', 'L3')).toBe(11215);
  });
  it('covers Ti–Zn, Mo, Ru, Rh, Pd, Ag, Sn, Ir, Pt, Au with K above L3, increasing with Z', () => {
    const need = ['Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Mo', 'Ru', 'Rh', 'Pd', 'Ag', 'Sn', 'Ir', 'Pt', 'Au'];
    for (const el of need) expect(edgeEnergy(el, 'K')).toBeGreaterThan(edgeEnergy(el, 'L3'));
    const els = tabulatedElements();
    for (let i = 1; i < els.length; i++) {
      expect(edgeEnergy(els[i], 'K')).toBeGreaterThan(edgeEnergy(els[i - 1], 'K'));
      expect(edgeEnergy(els[i], 'L3')).toBeGreaterThan(edgeEnergy(els[i - 1], 'L3'));
    }
  });
  it('guesses the edge from E0 and refuses unknown elements', () => {
    expect(guessEdge(8332.9)).toMatchObject({ element: 'Ni', edge: 'K' });
    expect(guessEdge(11565)).toMatchObject({ element: 'Pt', edge: 'L3' });
    expect(() => edgeEnergy('Xx')).toThrow(/no tabulated edge/);
  });
});
