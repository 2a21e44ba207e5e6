// Golden test for edge tracking on a real series: 11 NiO scans and their Ni-foil reference
// channels (../shared/data/xas/athena-exported/NiO), read with the project's readers, against
// Larch 2026.3.1 find_e0 / pre_edge / energy_align (../shared/reference/xas/edgeshift_NiO_*.json).
// Tolerances: E0 within 0.05 eV and edge step within 0.5 % for every scan (issue 2).
// energy_align with Larch's own window (which starts at e0 + 15 eV, a sign defect) and start
// (eshift = 0): same shift within 0.05 eV for at least 75 % of the scans — its objective has
// several local minima in that window and two Levenberg–Marquardt codes can stop in different ones.
// With the intended window (e0 − 15 … e0 + 35 eV), sample and foil channel must give the same
// monochromator drift within 0.15 eV (≈ 10 standard errors of these fits) for every scan.
import { expect } from 'vitest';
import { edgeShifts, energyAlign, loadSpectrum, preEdge, type PreEdgeResult } from '@siteproof/xas';
import { describeShared, itShared, loadReference, readSharedBytes } from '../helpers/shared';

interface Ref {
  reference: string;
  scans: { file: string; e0: number; edge_step: number; e0_find_e0: number; eshift_to_ref: number }[];
}

const DIR = 'data/xas/athena-exported/NiO';
const load = (file: string) => {
  const sp = loadSpectrum(readSharedBytes(`${DIR}/${file}`), file, { mu: 'mu' });
  return { name: file, energy: sp.energy, mu: sp.mu };
};

for (const which of ['sample', 'refchannel'] as const) {
  describeShared(`edge positions of the NiO series (${which}) vs Larch`, () => {
    itShared('E0 and edge step of every scan; E0 shifts; energy_align with Larch’s window', () => {
      const ref = loadReference<Ref>(`xas/edgeshift_NiO_${which}.json`);
      const series = ref.scans.map((s) => load(s.file));
      const { reference, rows } = edgeShifts(series);
      expect(reference).toBe(ref.reference);
      const refNorm = preEdge(series[0].energy, series[0].mu);
      const lines: string[] = [];
      let maxDe0 = 0;
      let maxDstep = 0;
      let notSame = 0;
      rows.forEach((row, i) => {
        const s = ref.scans[i];
        const de0 = Math.abs(row.e0.maxDerivative - s.e0_find_e0);
        const dstep = Math.abs(row.edgeStep / s.edge_step - 1);
        maxDe0 = Math.max(maxDe0, de0);
        maxDstep = Math.max(maxDstep, dstep);
        expect(de0, s.file).toBeLessThanOrEqual(0.05);
        expect(dstep, s.file).toBeLessThanOrEqual(0.005);
        expect(Math.abs(row.shift.maxDerivative - (s.e0_find_e0 - ref.scans[0].e0_find_e0)), s.file).toBeLessThanOrEqual(0.05);
        const al = energyAlign(preEdge(series[i].energy, series[i].mu), refNorm, { larchWindow: true, start: 'zero' });
        if (Math.abs(al.eshift - s.eshift_to_ref) > 0.05) notSame++;
        lines.push(`${s.file.padEnd(18)} E0 ${row.e0.maxDerivative.toFixed(4)} (Larch ${s.e0_find_e0})  ΔE0 arctan ${row.shift.arctan.toFixed(3)} halfStep ${row.shift.halfStep.toFixed(3)}  align(Larch window) ${al.eshift.toFixed(4)} (Larch ${s.eshift_to_ref.toFixed(4)})`);
      });
      // eslint-disable-next-line no-console
      console.log(`NiO ${which}: max|ΔE0| = ${maxDe0.toExponential(2)} eV, max|Δstep|/step = ${maxDstep.toExponential(2)}, energy_align: ${notSame}/${rows.length} scans differ from Larch by > 0.05 eV\n${lines.join('\n')}`);
      expect(notSame).toBeLessThanOrEqual(Math.floor(0.25 * rows.length));
    });
  });
}

describeShared('energyAlign with the intended window: sample and foil channel see the same drift', () => {
  itShared('shifts agree within 0.15 eV scan by scan, and match the arctan E0 shifts within 0.5 eV', () => {
    const S = loadReference<Ref>('xas/edgeshift_NiO_sample.json').scans.map((s) => s.file);
    const R = loadReference<Ref>('xas/edgeshift_NiO_refchannel.json').scans.map((s) => s.file);
    const norm = (f: string): PreEdgeResult => {
      const x = load(f);
      return preEdge(x.energy, x.mu);
    };
    const s0 = norm(S[0]);
    const r0 = norm(R[0]);
    const arctan = edgeShifts(S.map(load)).rows;
    const lines: string[] = [];
    let maxD = 0;
    for (let i = 1; i < S.length; i++) {
      const a = energyAlign(norm(S[i]), s0);
      const b = energyAlign(norm(R[i]), r0);
      maxD = Math.max(maxD, Math.abs(a.eshift - b.eshift));
      lines.push(`${S[i].padEnd(12)} sample ${a.eshift.toFixed(3)} ± ${a.eshiftStderr.toFixed(3)}  foil ${b.eshift.toFixed(3)} ± ${b.eshiftStderr.toFixed(3)}  −ΔE0(arctan) ${(-arctan[i].shift.arctan).toFixed(3)}`);
      expect(Math.abs(a.eshift - b.eshift), S[i]).toBeLessThanOrEqual(0.15);
      expect(Math.abs(a.eshift + arctan[i].shift.arctan), S[i]).toBeLessThanOrEqual(0.5);
    }
    // eslint-disable-next-line no-console
    console.log(`energyAlign (intended window): max|sample − foil| = ${maxD.toFixed(3)} eV\n${lines.join('\n')}`);
  });
});
