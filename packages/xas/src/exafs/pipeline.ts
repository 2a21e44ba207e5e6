// The EXAFS reduction a beamline scientist runs on every scan: pre-edge normalization (E0, edge
// step) → AUTOBK → forward FT, with Larch's conventions at every stage. Shared by the CLI, the
// benchmark and the batch mode so all three compute the same numbers.
import { parseOptions } from '@siteproof/core';
import { preEdge, preEdgeCore, PreEdgeOptionsSchema, type PreEdgeOptions } from '../normalize';
import { autobk, autobkParsed, autobkSchema, type AutobkOptions, type AutobkParsedOptions, type AutobkResult } from './autobk';
import { xftf, xftfParsed, xftfSchema, type XftfOptions } from './xftf';

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

/**
 * The defaults parsed once (zod costs tens of µs, and AUTOBK's options change with every
 * spectrum's E0 and edge step, so a parse cache would miss): the usual call, without options.
 */
let parsedDefaults: { pre: ReturnType<typeof PreEdgeOptionsSchema.parse>; bk: AutobkParsedOptions; ft: ReturnType<typeof xftfSchema.parse> } | undefined;
function defaults() {
  if (!parsedDefaults) {
    parsedDefaults = {
      pre: Object.freeze(parseOptions(PreEdgeOptionsSchema, { makeFlat: false }, 'options')),
      // e0/edgeStep are placeholders, replaced by preEdge's values for each spectrum
      bk: Object.freeze(parseOptions(autobkSchema, { ...EXAFS_DEFAULTS.autobk, e0: 0, edgeStep: 1 }, 'options')),
      ft: Object.freeze(parseOptions(xftfSchema, EXAFS_DEFAULTS.xftf, 'options')),
    };
  }
  return parsedDefaults;
}

export function exafsPipeline(energy: ArrayLike<number>, mu: ArrayLike<number>, options: ExafsPipelineOptions = {}): ExafsPipelineResult {
  if (options.preEdge === undefined && options.autobk === undefined && options.xftf === undefined) {
    // Same computation as below with the defaults parsed once; preEdge validated the arrays, its
    // E0 is finite and its edge step positive (what autobkSchema checks), and AUTOBK's χ on its k
    // grid is what xftf checks.
    const d = defaults();
    const pre = preEdgeCore(energy, mu, d.pre);
    const bk = autobkParsed(pre.energy, pre.mu, { ...d.bk, e0: pre.e0, edgeStep: pre.edgeStep }, true);
    return result(pre.e0, pre.edgeStep, pre.energy, bk, bk.k.length >= 2 ? xftfParsed(bk.k, bk.chi, d.ft) : xftf(bk.k, bk.chi, EXAFS_DEFAULTS.xftf));
  }
  // The flattened spectrum is not needed for χ(k) (E0 and the edge step are identical either way).
  const pre = preEdge(energy, mu, { makeFlat: false, ...options.preEdge });
  const e0 = options.autobk?.e0 ?? pre.e0;
  const edgeStep = options.autobk?.edgeStep ?? pre.edgeStep;
  const bk = autobk(pre.energy, pre.mu, { ...EXAFS_DEFAULTS.autobk, ...options.autobk, e0, edgeStep });
  const ft = xftf(bk.k, bk.chi, { ...EXAFS_DEFAULTS.xftf, ...options.xftf });
  return result(e0, edgeStep, pre.energy, bk, ft);
}

function result(e0: number, edgeStep: number, energy: Float64Array, bk: AutobkResult, ft: ReturnType<typeof xftf>): ExafsPipelineResult {
  return {
    e0,
    edgeStep,
    energy,
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
