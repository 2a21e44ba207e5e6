// Reverse XAFS Fourier transform χ(R) → χ(q) with Larch's conventions (larch/xafs/xafsft.py):
// χ(q) = scale·(4√π/kstep)·IFFT(χ(R)·W(R)·R^rw) with the 1/nfft inside the IFFT, kstep = π/(rstep·nfft).
// Larch's `xftr` uses scale = 0.5 for complex χ(R), so Re χ(q) reproduces the windowed k^w·χ(k).
// feffit's internal back-transform (TransformGroup.fftr → xftr_fast) has no 0.5: `xftrFast` is
// that variant; its χ(q) is 2× the xftr value (irrelevant to fit results, visible in q plots).
import { z } from 'zod';
import { assertFiniteArray, finite, ValidationError } from '@siteproof/core';
import { isPowerOfTwo } from '../math/fft';
import { fftPlan, fftPruned } from '../math/prunedFft';
import { parseOptionsCached } from '../normalize/parseOptionsCached';
import type { WindowName } from './ftwindow';
import { complexPhase } from './xftf';
import { ftwindowRaw, windowNameSchema } from './ftwindow';
import { pyInt } from './constants';

const SQRT_PI = Math.sqrt(Math.PI);

export const xftrSchema = z
  .object({
    rmin: finite().min(0).default(0),
    rmax: finite().positive().default(20),
    dr: finite().min(0).default(1),
    dr2: finite().min(0).optional(),
    /** R-weight exponent. */
    rweight: finite().default(0),
    window: windowNameSchema.default('kaiser'),
    qmaxOut: finite().positive().default(30),
    nfft: z.number().int().refine(isPowerOfTwo, { message: 'must be a power of two' }).default(2048),
    withPhase: z.boolean().default(false),
  })
  .refine((o) => o.rmin < o.rmax, { message: 'rmin must be below rmax', path: ['rmin'] });
export type XftrOptions = z.input<typeof xftrSchema>;

export interface ChiQ {
  q: Float64Array;
  chiqRe: Float64Array;
  chiqIm: Float64Array;
  chiqMag: Float64Array;
  chiqPhase?: Float64Array;
  /** R-window on the input R points. */
  rwin: Float64Array;
}

/**
 * Larch `xftr_fast` (and feffit's fftr): (4√π/kstep)·IFFT(c zero-padded to nfft)[:nfft/2], no 0.5
 * factor. `re`/`im` are χ(R) already windowed, on the grid rstep·[0, 1, …].
 */
export function xftrFast(re: ArrayLike<number>, im: ArrayLike<number> | undefined, nfft = 2048, kstep = 0.05, nOut = nfft / 2): { re: Float64Array; im: Float64Array } {
  if (re.length > nfft) throw new ValidationError(`xftr: ${re.length} R points do not fit in nfft = ${nfft}`, { field: 'nfft' });
  // Trailing zeros (beyond the R window) shorten the pruned FFT's input; only nOut outputs are computed.
  let len = re.length;
  while (len > 0 && re[len - 1] === 0 && (!im || im[len - 1] === 0)) len--;
  const plan = fftPlan(nfft);
  fftPruned(plan, re, im ?? null, len, 1, nOut);
  const s = (4 * SQRT_PI) / kstep / nfft;
  const oRe = new Float64Array(nOut);
  const oIm = new Float64Array(nOut);
  for (let j = 0; j < nOut; j++) {
    oRe[j] = s * plan.re[j];
    oIm[j] = s * plan.im[j];
  }
  return { re: oRe, im: oIm };
}

/** R grid and window for the last few (nfft, rstep, window) settings. */
const winCache: { key: string; win: Float64Array; rg: Float64Array }[] = [];
function rWindow(nfft: number, rstep: number, rmin: number, rmax: number, dr: number, dr2: number | undefined, window: WindowName) {
  const key = `${nfft}|${rstep}|${rmin}|${rmax}|${dr}|${dr2}|${window}`;
  const hit = winCache.find((w) => w.key === key);
  if (hit) return hit;
  const rg = new Float64Array(nfft);
  for (let i = 0; i < nfft; i++) rg[i] = rstep * i;
  const w = { key, rg, win: ftwindowRaw(rg, rmin, rmax, dr, dr2, window) };
  winCache.unshift(w);
  if (winCache.length > 8) winCache.pop();
  return w;
}

/**
 * Reverse XAFS Fourier transform (Larch `xftr`): χ(R) on a uniform R grid starting at 0 → χ(q).
 * Pass `chirIm` for complex χ(R) (the usual case; then the 0.5 factor applies, as in Larch).
 * Defaults are Larch's: rmin 0, rmax 20, dr 1, kaiser window, qmaxOut 30, nfft 2048.
 */
export function xftr(r: ArrayLike<number>, chirRe: ArrayLike<number>, chirIm?: ArrayLike<number>, options: XftrOptions = {}): ChiQ {
  const o = parseOptionsCached(xftrSchema, options, 'options');
  if (r.length < 2 || r.length !== chirRe.length || (chirIm && chirIm.length !== r.length)) {
    throw new ValidationError(`r and chi(R) must have the same length ≥ 2 (r: ${r.length}, re: ${chirRe.length}${chirIm ? `, im: ${chirIm.length}` : ''})`, { field: 'chirRe' });
  }
  assertFiniteArray(r, 'r');
  assertFiniteArray(chirRe, 'chirRe');
  if (chirIm) assertFiniteArray(chirIm, 'chirIm');
  const rstep = r[1] - r[0];
  if (!(rstep > 0)) throw new ValidationError('r must be increasing', { field: 'r' });
  const kstep = Math.PI / (rstep * o.nfft);
  const scale = chirIm ? 0.5 : 1;
  const { rg, win } = rWindow(o.nfft, rstep, o.rmin, o.rmax, o.dr, o.dr2, o.window);
  const n = r.length;
  const cre = new Float64Array(n);
  const cim = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = win[i] * rg[i] ** o.rweight;
    cre[i] = chirRe[i] * w;
    cim[i] = chirIm ? chirIm[i] * w : 0;
  }
  const nq = pyInt(1.05 + o.qmaxOut / kstep);
  if (nq > o.nfft / 2) throw new ValidationError(`qmaxOut = ${o.qmaxOut} exceeds the q range of nfft = ${o.nfft}`, { field: 'options.qmaxOut' });
  const out = xftrFast(cre, cim, o.nfft, kstep, nq);
  const q = new Float64Array(nq);
  const mag = new Float64Array(nq);
  for (let j = 0; j < nq; j++) {
    // Larch: q = linspace(0, qmax_out, nq), which is not exactly j·kstep when qmax_out/kstep is not integral.
    q[j] = nq > 1 ? (o.qmaxOut * j) / (nq - 1) : 0;
    out.re[j] *= scale;
    out.im[j] *= scale;
    mag[j] = Math.sqrt(out.re[j] * out.re[j] + out.im[j] * out.im[j]);
  }
  const res: ChiQ = { q, chiqRe: out.re, chiqIm: out.im, chiqMag: mag, rwin: win.slice(0, n) };
  if (o.withPhase) res.chiqPhase = complexPhase(out.re, out.im);
  return res;
}
