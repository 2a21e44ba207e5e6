// The array a series tool works on, from a Spectrum on its calibrated axis (energy + eShift):
// μ(E), normalized μ(E) and its derivative (Larch pre_edge with its defaults), or k^w·χ(k)
// (Larch autobk, rbkg 1). One place so LCF, merge, PCA and alignment agree on what "norm" means.
import type { Spectrum } from '../io/types';
import { autobk } from '../exafs/autobk';
import { preEdge } from '../normalize/preEdge';
import { shiftedEnergy } from './calibrate';

export type SeriesArray = 'mu' | 'norm' | 'dmude' | 'chi';

export interface SpectrumSignal {
  /** Energy (eV) for mu/norm/dmude, k (Å⁻¹) for chi. */
  x: Float64Array;
  y: Float64Array;
  e0: number;
  edgeStep: number;
}

export function spectrumSignal(s: Spectrum, array: SeriesArray = 'norm', kweight = 2): SpectrumSignal {
  const p = preEdge(shiftedEnergy(s), s.mu);
  switch (array) {
    case 'mu':
      return { x: p.energy, y: p.mu, e0: p.e0, edgeStep: p.edgeStep };
    case 'norm':
      return { x: p.energy, y: p.norm, e0: p.e0, edgeStep: p.edgeStep };
    case 'dmude':
      return { x: p.energy, y: p.dmude, e0: p.e0, edgeStep: p.edgeStep };
    case 'chi': {
      const b = autobk(p.energy, p.mu, { e0: p.e0, edgeStep: p.edgeStep, kweight });
      return { x: b.k, y: b.chi.map((c, i) => c * b.k[i] ** kweight), e0: p.e0, edgeStep: p.edgeStep };
    }
  }
}
