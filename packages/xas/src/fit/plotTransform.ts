import type { XftfOptions } from '../exafs/xftf';
import type { FittedDataset } from './feffit';

/**
 * The forward-transform options a fitted data set was compared with (its k range, window and
 * first k-weight), for plotting data, model and paths in R the way the fit saw them.
 */
export function fitTransformOptions(d: FittedDataset, rmaxOut = 6): XftfOptions {
  const t = d.transform;
  return { kmin: t.kmin, kmax: t.kmax, dk: t.dk, window: t.window, kweight: t.kweights[0], rmaxOut };
}
