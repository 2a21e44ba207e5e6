// The EXAFS reduction a beamline scientist runs on every scan: pre-edge normalization (E0, edge
// step) → AUTOBK → forward FT, with Larch's conventions at every stage. Shared by the CLI, the
// benchmark and the batch mode so all three compute the same numbers.
import { preEdge, type PreEdgeOptions } from '../normalize';
import { autobk, type AutobkOptions, type AutobkResult } from './autobk';
import { xftf, type XftfOptions } from './xftf';

export interface ExafsPipelineOptions {
  preEdge?: PreEdgeOptions;
  /** AUTOBK options except e0/edgeStep (taken from preEdge unless given here). */
  autobk?: Partial<AutobkOptions>;
  xftf?: XftfOptions;
}

export interface ExafsPipelineResult {
  e0: number;
  edgeStep: number;
  /** Energy grid actually used (sorted, duplicates separated as Larch). */
  energy: Float64Array;
  bkg: Float64Array;
  k: Float64Array;
  chi: Float64Array;
  r: Float64Array;
  chirMag: Float64Array;
  chirRe: Float64Array;
  chirIm: Float64Array;
  kwin: Float64Array;
  autobk: AutobkResult;
}

/** Issue-4 defaults (the shared references' options): rbkg 1, bkg kweight 2; FT 3–12 Å⁻¹, dk 1, hanning, kweight 2. */
export const EXAFS_DEFAULTS = {
  autobk: { rbkg: 1, kweight: 2 },
  xftf: { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 },
} as const;

export function exafsPipeline(energy: ArrayLike<number>, mu: ArrayLike<number>, options: ExafsPipelineOptions = {}): ExafsPipelineResult {
  // The flattened spectrum is not needed for χ(k) (E0 and the edge step are identical either way).
  const pre = preEdge(energy, mu, { makeFlat: false, ...options.preEdge });
  const e0 = options.autobk?.e0 ?? pre.e0;
  const edgeStep = options.autobk?.edgeStep ?? pre.edgeStep;
  const bk = autobk(pre.energy, pre.mu, { ...EXAFS_DEFAULTS.autobk, ...options.autobk, e0, edgeStep });
  const ft = xftf(bk.k, bk.chi, { ...EXAFS_DEFAULTS.xftf, ...options.xftf });
  return {
    e0,
    edgeStep,
    energy: pre.energy,
    bkg: bk.bkg,
    k: bk.k,
    chi: bk.chi,
    r: ft.r,
    chirMag: ft.chirMag,
    chirRe: ft.chirRe,
    chirIm: ft.chirIm,
    kwin: ft.kwin,
    autobk: bk,
  };
}
