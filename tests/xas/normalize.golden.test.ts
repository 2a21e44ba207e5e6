// Golden test: findE0/preEdge against Larch 2026.3.1 (../shared/reference/xas/*.json), fed with the
// energy and mu arrays stored in the references (so the readers are not under test here).
// Tolerances (what a scientist accepts, from issue 2): E0 within 0.05 eV, edge step within 0.5 %,
// norm and flat within 2e-3 absolute (edge-step units) at every point, pre/norm ranges equal
// (1e-9 eV). The implementation is meant to be exact; the measured deviations are printed.
import { describe, expect } from 'vitest';
import { findE0, preEdge } from '@siteproof/xas';
import { describeShared, itShared, loadReference } from '../helpers/shared';

const E0_TOL = 0.05;
const STEP_REL_TOL = 0.005;
const CURVE_TOL = 2e-3;
const RANGE_TOL = 1e-9;

interface Ref {
  e0: number;
  edge_step: number;
  pre_edge_details: { pre1: number; pre2: number; norm1: number; norm2: number; nnorm: number; nvict: number; pre_offset: number; pre_slope: number; [k: string]: number };
  energy: number[];
  mu: number[];
  norm: number[];
  flat: number[];
}

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const rows: string[] = [];

describeShared('preEdge/findE0 vs Larch 2026.3.1 defaults', () => {
  for (const name of NAMES) {
    itShared(name, () => {
      const ref = loadReference<Ref>(`xas/${name}.json`);
      const e0 = findE0(ref.energy, ref.mu);
      const r = preEdge(ref.energy, ref.mu);
      const d = ref.pre_edge_details;
      const dNorm = maxAbsDiff(r.norm, ref.norm);
      const dFlat = maxAbsDiff(r.flat, ref.flat);
      const dStep = Math.abs(r.edgeStep / ref.edge_step - 1);
      rows.push(`${name.padEnd(12)} ΔE0=${Math.abs(e0 - ref.e0).toExponential(2)} eV  Δstep/step=${dStep.toExponential(2)}  max|Δnorm|=${dNorm.toExponential(2)}  max|Δflat|=${dFlat.toExponential(2)}`);
      expect(Math.abs(e0 - ref.e0)).toBeLessThanOrEqual(E0_TOL);
      expect(Math.abs(r.e0 - ref.e0)).toBeLessThanOrEqual(E0_TOL);
      expect(dStep).toBeLessThanOrEqual(STEP_REL_TOL);
      expect(dNorm).toBeLessThanOrEqual(CURVE_TOL);
      expect(dFlat).toBeLessThanOrEqual(CURVE_TOL);
      for (const k of ['pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict'] as const) {
        expect(Math.abs((r as any)[k] - d[k]), k).toBeLessThanOrEqual(RANGE_TOL);
      }
      // The fitted lines themselves (relative 1e-6: these are the same least-squares problems).
      expect(Math.abs(r.preSlope - d.pre_slope)).toBeLessThanOrEqual(1e-6 * Math.abs(d.pre_slope) + 1e-15);
      expect(Math.abs(r.preOffset - d.pre_offset)).toBeLessThanOrEqual(1e-6 * Math.abs(d.pre_offset));
    });
  }
  itShared('prints the measured deviations', () => {
    // eslint-disable-next-line no-console
    console.log(`preEdge vs Larch (defaults):\n${rows.join('\n')}`);
    expect(rows.length).toBe(NAMES.length);
  });
});

describeShared('preEdge vs Larch with explicit ranges (cu_metal_rt, pre −150…−30, norm 150…1000, nnorm 2)', () => {
  itShared('matches pre_edge, post_edge, norm, flat, dmude and the coefficients', () => {
    const ref = loadReference<any>('xas/cu_metal_rt_explicit_ranges.json');
    const a = ref.arrays;
    const p = ref.pre_edge;
    const r = preEdge(a.energy, a.mu, { pre1: -150, pre2: -30, norm1: 150, norm2: 1000, nnorm: 2 });
    expect(Math.abs(r.e0 - p.e0)).toBeLessThanOrEqual(E0_TOL);
    expect(Math.abs(r.edgeStep / p.edge_step - 1)).toBeLessThanOrEqual(STEP_REL_TOL);
    const dNorm = maxAbsDiff(r.norm, a.norm);
    const dFlat = maxAbsDiff(r.flat, a.flat);
    const dPre = maxAbsDiff(r.preEdge, a.pre_edge);
    const dPost = maxAbsDiff(r.postEdge, a.post_edge);
    // dmude in this reference is the derivative of norm (Larch ≥ 2024); same tolerance per eV.
    const dD = maxAbsDiff(r.dmude, a.dmude);
    // eslint-disable-next-line no-console
    console.log(`explicit ranges: Δstep/step=${Math.abs(r.edgeStep / p.edge_step - 1).toExponential(2)} max|Δnorm|=${dNorm.toExponential(2)} max|Δflat|=${dFlat.toExponential(2)} max|Δpre|=${dPre.toExponential(2)} max|Δpost|=${dPost.toExponential(2)} max|Δdmude|=${dD.toExponential(2)}`);
    expect(dNorm).toBeLessThanOrEqual(CURVE_TOL);
    expect(dFlat).toBeLessThanOrEqual(CURVE_TOL);
    expect(dPre).toBeLessThanOrEqual(CURVE_TOL * p.edge_step);
    expect(dPost).toBeLessThanOrEqual(CURVE_TOL * p.edge_step);
    expect(dD).toBeLessThanOrEqual(CURVE_TOL);
    for (let j = 0; j < 3; j++) expect(Math.abs(r.normCoefs[j] / p.norm_coefs[j] - 1)).toBeLessThanOrEqual(1e-6);
    for (let j = 0; j < 3; j++) expect(Math.abs(r.flatCoefs![j] / p.flat_coefs[j] - 1)).toBeLessThanOrEqual(1e-4);
  });
});

describeShared('preEdge vs Larch on a fluorescence spectrum with defaults (cu_romanglass, mufluor)', () => {
  itShared('matches E0, ranges (pre1 clipped to the data start), norm, flat, pre/post-edge and dmude', () => {
    const ref = loadReference<any>('xas/cu_romanglass_fluor.json');
    const a = ref.arrays;
    const p = ref.pre_edge;
    const r = preEdge(a.energy, a.mu);
    expect(Math.abs(r.e0 - p.e0)).toBeLessThanOrEqual(E0_TOL);
    expect(Math.abs(r.edgeStep / p.edge_step - 1)).toBeLessThanOrEqual(STEP_REL_TOL);
    for (const k of ['pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict'] as const) expect(Math.abs((r as any)[k] - p[k]), k).toBeLessThanOrEqual(RANGE_TOL);
    const dNorm = maxAbsDiff(r.norm, a.norm);
    const dFlat = maxAbsDiff(r.flat, a.flat);
    const dD = maxAbsDiff(r.dmude, a.dmude);
    // eslint-disable-next-line no-console
    console.log(`cu_romanglass fluorescence: ΔE0=${Math.abs(r.e0 - p.e0).toExponential(2)} Δstep/step=${Math.abs(r.edgeStep / p.edge_step - 1).toExponential(2)} max|Δnorm|=${dNorm.toExponential(2)} max|Δflat|=${dFlat.toExponential(2)} max|Δdmude|=${dD.toExponential(2)}`);
    expect(dNorm).toBeLessThanOrEqual(CURVE_TOL);
    expect(dFlat).toBeLessThanOrEqual(CURVE_TOL);
    expect(dD).toBeLessThanOrEqual(CURVE_TOL);
    expect(maxAbsDiff(r.preEdge, a.pre_edge)).toBeLessThanOrEqual(CURVE_TOL * p.edge_step);
    expect(maxAbsDiff(r.postEdge, a.post_edge)).toBeLessThanOrEqual(CURVE_TOL * p.edge_step);
  });
});

describe('golden harness sanity', () => {
  itShared('a different post-edge degree is detected (the test can fail)', () => {
    const ref = loadReference<Ref>('xas/cu_metal_rt.json');
    const r = preEdge(ref.energy, ref.mu, { nnorm: 1 });
    expect(maxAbsDiff(r.flat, ref.flat)).toBeGreaterThan(CURVE_TOL);
  });
});
