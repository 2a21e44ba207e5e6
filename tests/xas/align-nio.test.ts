// Energy alignment against Larch on the NiO series (11 scans + Ni-foil reference channel).
//
// What Larch's reference numbers are: edgeshift_NiO_*.json holds energy_align() from Larch's
// library (array dmude, emin −15, emax 35). Its window starts at index_of(E, E0 − emin) =
// E0 + 15 eV (notes §2.6), so the rising edge is not fitted and lmfit, started at ΔE = 0, stops
// in the nearest local minimum of the post-edge oscillation match. We show that below (same
// window, search limited to ±3.5 eV ⇒ Larch's numbers to 0.02 eV), then test the intended
// alignment on physics: the sample and its foil channel, measured at the same time, must get
// the same shift; the shift must follow the E0 difference; and scan 009, whose max-derivative E0
// jumps ~12 eV, must line up with its neighbours.
import { describe, expect } from 'vitest';
import { preEdge } from '@siteproof/xas';
import { alignEnergy } from '../../packages/xas/src/series/align';
import { describeShared, itShared, loadReference } from '../helpers/shared';
import { loadColumns } from './seriesData';

interface EdgeShiftRef {
  reference: string;
  scans: { file: string; e0: number; eshift_to_ref: number }[];
}

const DIR = 'data/xas/athena-exported/NiO/';
function norm(file: string) {
  const s = loadColumns(DIR + file);
  const p = preEdge(s.energy, s.mu);
  return { energy: p.energy, norm: p.norm, e0: p.e0 };
}

describeShared('alignment of the NiO series (Larch edgeshift_NiO_*.json)', () => {
  const refch = loadReference<EdgeShiftRef>('xas/edgeshift_NiO_refchannel.json');
  const sample = loadReference<EdgeShiftRef>('xas/edgeshift_NiO_sample.json');

  itShared('E0 of every scan and reference channel equals Larch find_e0 (0.001 eV)', () => {
    for (const set of [refch, sample]) for (const sc of set.scans) expect(Math.abs(norm(sc.file).e0 - sc.e0)).toBeLessThan(1e-3);
  });

  itShared("Larch's library shifts are local minima of its defective window (reproduced to 0.02 eV)", () => {
    const std = norm(refch.reference);
    for (const sc of refch.scans.filter((s) => !/_00[1]\.dat$/.test(s.file))) {
      const r = alignEnergy(norm(sc.file), std, { method: 'dmude', emin: 15, emax: 35, maxShift: 3.5 });
      expect(Math.abs(r.eShift - sc.eshift_to_ref)).toBeLessThan(0.02);
    }
  });

  itShared('sample and foil channel get the same shift (0.1 eV); shifts follow ΔE0; scan 009 is not fooled', () => {
    const stdR = norm(refch.reference);
    const stdS = norm(sample.reference);
    const shiftsR: number[] = [];
    for (let i = 1; i < refch.scans.length; i++) {
      const r = norm(refch.scans[i].file);
      const s = norm(sample.scans[i].file);
      const ar = alignEnergy(r, stdR);
      const as = alignEnergy(s, stdS);
      expect(ar.warnings).toEqual([]);
      expect(Math.abs(ar.eShift - as.eShift)).toBeLessThan(0.1);
      // The three objectives agree to 0.05 eV.
      for (const method of ['dmude', 'norm'] as const) expect(Math.abs(alignEnergy(r, stdR, { method }).eShift - ar.eShift)).toBeLessThan(0.05);
      shiftsR.push(ar.eShift);
      if (!refch.scans[i].file.includes('_009')) expect(Math.abs(ar.eShift - (stdR.e0 - r.e0))).toBeLessThan(0.5);
    }
    const i009 = refch.scans.findIndex((s) => s.file.includes('_009')) - 1;
    expect(Math.abs(refch.scans[i009 + 1].e0 - refch.scans[i009].e0)).toBeGreaterThan(10); // the E0 jump is real
    expect(Math.abs(shiftsR[i009] - shiftsR[i009 - 1])).toBeLessThan(0.2);
    expect(Math.abs(shiftsR[i009] - shiftsR[i009 + 1])).toBeLessThan(0.2);
  });

  itShared('recovers a known imposed shift of a real foil spectrum to within 0.02 eV', () => {
    const s = loadColumns(DIR + 'd_Ref_NiO.dat');
    const std = preEdge(s.energy, s.mu);
    for (const delta of [-3.37, 0.41, 7.9]) {
      // The same spectrum recorded with a miscalibrated mono: every feature appears delta eV higher.
      const shifted = preEdge(s.energy.map((e) => e + delta), s.mu);
      for (const method of ['larix', 'dmude', 'norm'] as const) {
        const r = alignEnergy({ energy: shifted.energy, norm: shifted.norm, e0: shifted.e0 }, { energy: std.energy, norm: std.norm, e0: std.e0 }, { method });
        expect(Math.abs(r.eShift + delta)).toBeLessThan(0.02);
      }
    }
  });
});

describe('alignment: bad input', () => {
  itShared('a standard without E0 is refused', () => {
    const s = norm('d_Ref_NiO.dat');
    expect(() => alignEnergy(s, { energy: s.energy, norm: s.norm })).toThrow(/needs an E0/);
  });
});
