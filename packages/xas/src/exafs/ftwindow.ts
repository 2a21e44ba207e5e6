// Fourier-transform windows exactly as Larch's `ftwindow` (larch/xafs/xafsft.py): the window
// edges are snapped to the grid with int((v + xeps)/xstep), which assumes x[0] = 0 (true for the
// k and R grids of the transforms); dx is also the Kaiser β.
import { z } from 'zod';
import { finite, parseOptions, ValidationError } from '@siteproof/core';

export const WINDOW_NAMES = ['hanning', 'kaiser', 'parzen', 'welch', 'gaussian', 'sine'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];
const SHORT: Record<string, WindowName> = { han: 'hanning', kai: 'kaiser', par: 'parzen', wel: 'welch', gau: 'gaussian', sin: 'sine' };

/** Resolve a window name the way Larch does (first three letters, case-insensitive). */
export function windowName(name: string, field = 'window'): WindowName {
  const key = String(name).trim().toLowerCase().slice(0, 3);
  const w = SHORT[key];
  if (!w) {
    throw new ValidationError(`unknown window "${name}" (valid: ${WINDOW_NAMES.join(', ')})`, { field }, 'Larch accepts the first three letters of a name, e.g. "han".');
  }
  return w;
}

export const windowNameSchema = z.string().transform((s, ctx) => {
  const key = s.trim().toLowerCase().slice(0, 3);
  const w = SHORT[key];
  if (!w) {
    ctx.addIssue({ code: 'custom', message: `unknown window "${s}" (valid: ${WINDOW_NAMES.join(', ')})` });
    return z.NEVER;
  }
  return w;
});

export const ftwindowSchema = z.object({
  xmin: finite().optional(),
  xmax: finite().optional(),
  dx: finite().default(1),
  dx2: finite().optional(),
  window: windowNameSchema.default('hanning'),
});
export type FtWindowOptions = z.input<typeof ftwindowSchema>;

/** Modified Bessel function I0 (power series; converges fast for the β ≤ ~50 used in windows). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** Window array on the grid x (Larch `ftwindow(x, xmin, xmax, dx, dx2, window)`). */
export function ftwindow(x: ArrayLike<number>, options: FtWindowOptions = {}): Float64Array {
  const o = parseOptions(ftwindowSchema, options, 'options');
  return ftwindowRaw(x, o.xmin, o.xmax, o.dx, o.dx2, o.window);
}

/** ftwindow without option parsing (hot paths; the window name must already be resolved). */
export function ftwindowRaw(x: ArrayLike<number>, xminIn: number | undefined, xmaxIn: number | undefined, dx: number, dx2In: number | undefined, win: WindowName, out?: Float64Array): Float64Array {
  const n = x.length;
  // `out` (zero-filled, x's length): e.g. a view of a buffer shared with other arrays (AUTOBK's geometry)
  if (out !== undefined && out.length !== n) throw new RangeError(`ftwindowRaw: out has ${out.length} points, x has ${n}`);
  const fwin = out ?? new Float64Array(n);
  if (n === 0) return fwin;
  let xlo = Infinity;
  let xhi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < xlo) xlo = x[i];
    if (x[i] > xhi) xhi = x[i];
  }
  let dx1 = dx;
  const dx2 = dx2In ?? dx1;
  const xmin = xminIn ?? xlo;
  const xmax = xmaxIn ?? xhi;
  let xstep = n > 1 ? (x[n - 1] - x[0]) / (n - 1) : NaN;
  if (xstep < 0 || Number.isNaN(xstep)) xstep = 1e-3;
  const xeps = 1e-4 * xstep;
  let x1 = Math.max(xlo, xmin - dx1 / 2);
  let x2 = xmin + dx1 / 2 + xeps;
  let x3 = xmax - dx2 / 2 - xeps;
  let x4 = Math.min(xhi, xmax + dx2 / 2);
  if (win === 'gaussian') dx1 = Math.max(dx1, xeps);
  const asint = (v: number) => Math.trunc((v + xeps) / xstep);
  let i1 = Math.max(0, asint(x1));
  const i2 = Math.max(0, asint(x2));
  let i3 = Math.min(n - 1, asint(x3));
  const i4 = Math.min(n - 1, asint(x4));
  if (i2 === i1) i1 = Math.max(0, i2 - 1);
  if (i4 === i3) i3 = Math.max(i2, i4 - 1);
  // Python slices clip negative/oversized bounds; mimic fwin[a:b] on the clipped index ranges.
  const at = (i: number) => x[Math.min(Math.max(i, 0), n - 1)];
  x1 = at(i1);
  x2 = at(i2);
  x3 = at(i3);
  x4 = at(i4);
  if (x1 === x2) x2 += xeps;
  if (x3 === x4) x4 += xeps;
  for (let i = i2; i < Math.min(i3, n); i++) fwin[i] = 1;
  const hiEnd = (i: number) => Math.min(i, n - 1); // inclusive end of fwin[a:i+1]
  switch (win) {
    case 'hanning':
      for (let i = i1; i <= hiEnd(i2); i++) fwin[i] = Math.sin(((Math.PI / 2) * (x[i] - x1)) / (x2 - x1)) ** 2;
      for (let i = Math.max(0, i3); i <= hiEnd(i4); i++) fwin[i] = Math.cos(((Math.PI / 2) * (x[i] - x3)) / (x4 - x3)) ** 2;
      break;
    case 'parzen':
      for (let i = i1; i <= hiEnd(i2); i++) fwin[i] = (x[i] - x1) / (x2 - x1);
      for (let i = Math.max(0, i3); i <= hiEnd(i4); i++) fwin[i] = 1 - (x[i] - x3) / (x4 - x3);
      break;
    case 'welch':
      for (let i = i1; i <= hiEnd(i2); i++) fwin[i] = 1 - ((x[i] - x2) / (x2 - x1)) ** 2;
      for (let i = Math.max(0, i3); i <= hiEnd(i4); i++) fwin[i] = 1 - ((x[i] - x3) / (x4 - x3)) ** 2;
      break;
    case 'kaiser': {
      const cen = (x4 + x1) / 2;
      const wid = (x4 - x1) / 2;
      const scale = Math.max(1e-10, besselI0(dx) - 1);
      for (let i = 0; i < n; i++) {
        let arg = 1 - (x[i] - cen) ** 2 / (wid * wid);
        if (arg < 0) arg = 0;
        fwin[i] = (besselI0(dx * Math.sqrt(arg)) - 1) / scale;
      }
      break;
    }
    case 'sine':
      for (let i = i1; i <= hiEnd(i4); i++) fwin[i] = Math.sin((Math.PI * (x4 - x[i])) / (x4 - x1));
      break;
    case 'gaussian': {
      const cen = (x4 + x1) / 2;
      for (let i = 0; i < n; i++) fwin[i] = Math.exp(-((x[i] - cen) ** 2) / (2 * dx1 * dx1));
      break;
    }
  }
  return fwin;
}
