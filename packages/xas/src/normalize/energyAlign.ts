// Energy alignment of a spectrum to a reference by least squares, as Larch's energy_align
// (larch/xafs/pre_edge.py): find eshift (and a free scale) minimizing
//   Σ [ spline(E_dat + eshift, y_dat)(E_ref)·scale − y_ref(E_ref) ]²
// over a window around the reference E0, with y = dμ/dE of the normalized spectrum (default),
// norm or mu; eshift ∈ [−50, 50] eV, scale ∈ [0, 50]; cubic (not-a-knot) interpolation.
// Larch computes the window start as index_of(E_ref, e0 − emin) with emin = −15, i.e. e0 + 15 eV,
// a defect (the intended window is e0 − 15 … e0 + 35). We use the intended window by default and
// offer `larchWindow: true, start: 'zero'` to reproduce Larch's numbers (Larch's fit starts at
// eshift = 0 and can stop in a local minimum; the default scans for the global one first).
import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import { indexOf } from '../math/indexOf';
import { levenbergMarquardt } from '../math/levenbergMarquardt';
import { interpolatingSpline } from '../math/spline';
import type { PreEdgeResult } from './preEdge';

const finiteNum = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });

export const EnergyAlignOptionsSchema = z
  .object({
    array: z.enum(['dmude', 'norm', 'mu']).default('dmude'),
    /** Window relative to the reference E0 (eV), Larch's emin/emax. */
    emin: finiteNum().default(-15),
    emax: finiteNum().default(35),
    /** Reproduce Larch's window start at e0 − emin (a sign defect) instead of e0 + emin. */
    larchWindow: z.boolean().default(false),
    /**
     * Starting shift: 'scan' (default) evaluates eshift on a 0.1 eV grid over ±`scanRange` eV with the
     * best scale in closed form and starts the fit from the best point (the objective has several
     * local minima when dμ/dE is noisy); 'zero' starts at 0 as Larch does.
     */
    start: z.enum(['scan', 'zero']).default('scan'),
    scanRange: finiteNum().positive().max(50).default(20),
  })
  .strict();
export type EnergyAlignOptions = z.input<typeof EnergyAlignOptionsSchema>;

export interface EnergyAlignResult {
  /** Add to the spectrum's energies to align it with the reference (eV). */
  eshift: number;
  scale: number;
  /** Standard error of eshift (eV) from the fit covariance scaled by χ²_ν. */
  eshiftStderr: number;
  /** Reference energy window used [emin, emax] (absolute eV). */
  window: [number, number];
}

type Aligned = Pick<PreEdgeResult, 'energy' | 'mu' | 'norm' | 'dmude' | 'e0'>;

function setup(sample: Aligned, reference: Aligned, o: z.output<typeof EnergyAlignOptionsSchema>) {
  const xref = reference.energy;
  const yref = reference[o.array];
  const i1 = indexOf(xref, o.larchWindow ? reference.e0 - o.emin : reference.e0 + o.emin);
  const i2 = indexOf(xref, reference.e0 + o.emax);
  const m = i2 - i1; // Python slice [i1:i2]
  if (m < 4) throw new ValidationError(`alignment window holds ${Math.max(0, m)} reference points (need ≥ 4)`, { field: 'emax' });
  const spline = interpolatingSpline(sample.energy, sample[o.array]);
  const xq = new Float64Array(m);
  /** Sample values moved by eshift, on the reference window: spline(x + δ)(E) = spline(x)(E − δ). */
  const moved = (eshift: number) => {
    for (let i = 0; i < m; i++) xq[i] = xref[i1 + i] - eshift;
    return spline.evaluate(xq);
  };
  return { xref, yref, i1, i2, m, moved };
}

/** Σ r² at a given shift with the best (least-squares, ≥ 0) scale: the objective energyAlign minimizes. */
export function energyAlignObjective(sample: Aligned, reference: Aligned, eshift: number, options: EnergyAlignOptions = {}): number {
  const o = parseOptions(EnergyAlignOptionsSchema, options, 'options');
  const { yref, i1, m, moved } = setup(sample, reference, o);
  return bestScale(moved(eshift), yref, i1, m).ss;
}

function bestScale(y: Float64Array, yref: ArrayLike<number>, i1: number, m: number): { scale: number; ss: number } {
  let syy = 0;
  let syr = 0;
  for (let i = 0; i < m; i++) {
    syy += y[i] * y[i];
    syr += y[i] * yref[i1 + i];
  }
  const scale = syy > 0 ? Math.min(50, Math.max(0, syr / syy)) : 1;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (y[i] * scale - yref[i1 + i]) ** 2;
  return { scale, ss };
}

export function energyAlign(sample: Aligned, reference: Aligned, options: EnergyAlignOptions = {}): EnergyAlignResult {
  const o = parseOptions(EnergyAlignOptionsSchema, options, 'options');
  const { xref, yref, i1, i2, m, moved } = setup(sample, reference, o);
  let start = 0;
  let startScale = 1;
  if (o.start === 'scan') {
    let best = Infinity;
    const nstep = Math.round(o.scanRange / 0.1);
    for (let k = -nstep; k <= nstep; k++) {
      const d = k * 0.1;
      const b = bestScale(moved(d), yref, i1, m);
      if (b.ss < best) {
        best = b.ss;
        start = d;
        startScale = b.scale;
      }
    }
  }
  const fit = levenbergMarquardt(
    (p) => {
      const y = moved(p[0]);
      const r = new Float64Array(m);
      for (let i = 0; i < m; i++) r[i] = y[i] * p[1] - yref[i1 + i];
      return r;
    },
    [start, Math.max(1e-6, startScale)],
    { lower: [-50, 0], upper: [50, 50] },
  );
  const redchi = fit.sumSquares / Math.max(1, m - 2);
  const se = fit.covariance ? Math.sqrt(Math.max(0, fit.covariance[0] * redchi)) : 0;
  return { eshift: fit.x[0], scale: fit.x[1], eshiftStderr: Number.isFinite(se) ? se : 0, window: [xref[i1], xref[Math.max(i1, i2 - 1)]] };
}
