// Larch's feffit_transform (TransformGroup, larch/xafs/feffit.py): the k and R windows and
// ranges of a fit, and the k→R→q transforms of its residual. Defaults are Larch's: kaiser k
// window with dk = 4, hanning R window (the docstring says kaiser; the code uses hanning).
import { z } from 'zod';
import { parseOptions, ValidationError } from '@siteproof/core';
import { ftwindowRaw, windowName, type WindowName } from '../exafs/ftwindow';

export const FITSPACES = ['r', 'k', 'q'] as const;
export type FitSpace = (typeof FITSPACES)[number];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const transformSchema = z
  .object({
    kmin: finite.min(0).default(0),
    kmax: finite.positive().default(20),
    kweight: z.union([finite, z.array(finite).min(1)]).default(2),
    dk: finite.min(0).default(4),
    dk2: finite.min(0).optional(),
    window: z.string().default('kaiser'),
    nfft: z.number().int().default(2048),
    kstep: finite.positive().default(0.05),
    rmin: finite.min(0).default(0),
    rmax: finite.positive().default(10),
    dr: finite.min(0).default(0),
    dr2: finite.min(0).optional(),
    rwindow: z.string().default('hanning'),
    rweight: finite.default(0),
    fitspace: z.enum(['r', 'k', 'q', 'R', 'K', 'Q']).default('r'),
    rbkg: finite.min(0).default(0),
  })
  .strict();

export type TransformInput = z.input<typeof transformSchema>;

export interface Transform {
  kmin: number;
  kmax: number;
  kweights: number[];
  /** True when the user gave a list of k-weights (reports list them). */
  kweightList: boolean;
  dk: number;
  dk2?: number;
  window: WindowName;
  nfft: number;
  kstep: number;
  rstep: number;
  rmin: number;
  rmax: number;
  dr: number;
  dr2?: number;
  rwindow: WindowName;
  rweight: number;
  fitspace: FitSpace;
  rbkg: number;
  /** k window on k_ = kstep·arange(nfft). */
  kwin: Float64Array;
  /** R window on r_ = rstep·arange(nfft) (used in q-space fits). */
  rwin: Float64Array;
}

export function makeTransform(input: TransformInput = {}, field = 'transform'): Transform {
  const o = parseOptions(transformSchema, input, field);
  if (!(o.kmax > o.kmin)) throw new ValidationError(`kmax (${o.kmax}) must exceed kmin (${o.kmin})`, { field: `${field}.kmax` });
  if (!(o.rmax > o.rmin)) throw new ValidationError(`rmax (${o.rmax}) must exceed rmin (${o.rmin})`, { field: `${field}.rmax` });
  if (o.nfft < 64 || (o.nfft & (o.nfft - 1)) !== 0) throw new ValidationError(`nfft must be a power of two ≥ 64 (got ${o.nfft})`, { field: `${field}.nfft` });
  const window = windowName(o.window, `${field}.window`);
  const rwindow = windowName(o.rwindow, `${field}.rwindow`);
  const rstep = Math.PI / (o.kstep * o.nfft);
  const kgrid = Float64Array.from({ length: o.nfft }, (_, i) => o.kstep * i);
  const rgrid = Float64Array.from({ length: o.nfft }, (_, i) => rstep * i);
  const kwin = ftwindowRaw(kgrid, o.kmin, o.kmax, o.dk, o.dk2, window);
  const rwin = ftwindowRaw(rgrid, Math.max(o.rbkg, o.rmin), o.rmax, o.dr, o.dr2, rwindow);
  const kweightList = Array.isArray(o.kweight);
  const kweights = Array.isArray(o.kweight) ? o.kweight : [o.kweight];
  return {
    kmin: o.kmin,
    kmax: o.kmax,
    kweights,
    kweightList,
    dk: o.dk,
    dk2: o.dk2,
    window,
    nfft: o.nfft,
    kstep: o.kstep,
    rstep,
    rmin: o.rmin,
    rmax: o.rmax,
    dr: o.dr,
    dr2: o.dr2,
    rwindow,
    rweight: o.rweight,
    fitspace: o.fitspace.toLowerCase() as FitSpace,
    rbkg: o.rbkg,
    kwin,
    rwin,
  };
}

/** Larch's ε_k → ε_R factor for k-weight w: 2·√(π(2w+1)/(kstep·(kmax^(2w+1) − kmin^(2w+1)))). */
export function epsScale(t: Transform, kw: number): number {
  const w = 2 * kw + 1;
  return 2 * Math.sqrt((Math.PI * w) / (t.kstep * (t.kmax ** w - t.kmin ** w)));
}

/** The R-index range of an R-space fit: [int(0.01 + rmin/rstep), int(min(nfft/2, 0.01 + rmax/rstep))). */
export function rIndexRange(t: Transform): [number, number] {
  return [Math.trunc(Math.max(0, 0.01 + t.rmin / t.rstep)), Math.trunc(Math.min(t.nfft / 2, 0.01 + t.rmax / t.rstep))];
}

/** The k (and q) index range of k- and q-space fits. */
export function kIndexRange(t: Transform): [number, number] {
  return [Math.trunc(Math.max(0, 0.01 + t.kmin / t.kstep)), Math.trunc(Math.min(t.nfft / 2, 0.01 + t.kmax / t.kstep))];
}
