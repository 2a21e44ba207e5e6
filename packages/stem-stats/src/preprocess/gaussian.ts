// Separable Gaussian filtering on Float32Array images. Written by hand because no isomorphic npm
// library filters Float32 images at this speed; boundary handling matches scipy.ndimage's default
// 'reflect' (half-sample symmetric) and the kernel is truncated at 4σ, as in the scikit-image anchor.

import { simdKernels, UNROLLED_MAX_R, type SimdKernels } from './simd';

function kernel1d(sigma: number, truncate: number): Float32Array {
  const r = Math.max(1, Math.ceil(truncate * sigma));
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    k[i + r] = v;
    s += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

/** Index with scipy 'reflect' boundary: … c b a | a b c … */
function reflect(i: number, n: number): number {
  const p = 2 * n;
  i %= p;
  if (i < 0) i += p;
  return i < n ? i : p - 1 - i;
}

/** Gaussian blur of a w×h image with standard deviation `sigma` pixels (returns a new array). */
export function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number, truncate = 4): Float32Array<ArrayBuffer> {
  return blurAt(src, w, h, sigma, truncate, 0);
}

/** gaussianBlur using the WebAssembly memory from float offset `base` on (below it is the caller's). */
function blurAt(src: Float32Array, w: number, h: number, sigma: number, truncate: number, base: number): Float32Array<ArrayBuffer> {
  if (!(sigma > 0)) return src.slice();
  const k = kernel1d(sigma, truncate);
  const r = (k.length - 1) >> 1;
  const fast = w > 2 * r && h > 2 * r ? blurSimd(src, w, h, k, base) : null;
  if (fast) return fast;
  if (r <= 6) return blurNarrow(src, w, h, k);
  const k0 = k[r];
  const tmp = new Float32Array(w * h);
  const line = new Float32Array(w + 2 * r);
  // Rows: copy each row into a padded line so the inner loop has no boundary tests; the kernel is
  // symmetric, so pair the taps (half the multiplications).
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = -r; i < 0; i++) line[i + r] = src[o + reflect(i, w)];
    line.set(src.subarray(o, o + w), r);
    for (let i = w; i < w + r; i++) line[i + r] = src[o + reflect(i, w)];
    // Tap-major loops (one shifted line per tap) keep the inner loop free of reductions.
    for (let x = 0; x < w; x++) tmp[o + x] = k0 * line[x + r];
    for (let j = 1; j <= r; j++) {
      const c = k[r + j];
      const a = r - j;
      const b = r + j;
      for (let x = 0; x < w; x++) tmp[o + x] += c * (line[a + x] + line[b + x]);
    }
  }
  // Columns: accumulate whole rows (contiguous memory), one symmetric tap pair at a time.
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    columnRow(tmp, out, y, w, h, k, r, k0);
  }
  return out;
}

/**
 * The separable blur through the WebAssembly SIMD kernel (null when it is unavailable or memory
 * cannot grow). The reflect boundary is made by padding: each row is copied with r reflected
 * pixels at both ends, and the row-filtered image gets r reflected rows above and below, so both
 * passes run without boundary tests (only the ≤ 3 pixels after the last full vector are done in JS).
 * Needs w, h > 2r.
 */
function blurSimd(src: Float32Array, w: number, h: number, k: Float32Array, base: number): Float32Array<ArrayBuffer> | null {
  const K = simdKernels();
  if (!K || !K.reserve(4 * (base + blurFloats(w, h, (k.length - 1) >> 1)))) return null;
  const D = blurInMemory(K, src, w, h, k, base);
  return new Float32Array(K.memory.buffer).slice(D, D + w * h);
}

/** Floats of WebAssembly memory a blur of radius r needs above its base. */
function blurFloats(w: number, h: number, r: number): number {
  return 4 + 4 * (r + 1) + 4 + (w + 2 * r) * h + 4 + w * (h + 2 * r) + 4 + w * h + 4;
}

/**
 * Blur of a w×h image with the kernel k (radius r) into WebAssembly memory; returns the float
 * offset of the result there. The caller has reserved blurFloats(w, h, r) floats above `base`
 * (so `src` may itself be a view on that memory, below base or in the result area of a previous call).
 */
function blurInMemory(K: SimdKernels, src: Float32Array, w: number, h: number, k: Float32Array, base: number): number {
  const r = (k.length - 1) >> 1;
  const n = w * h;
  const pw = w + 2 * r; // padded row pitch of the source copy
  const KO = (base + 3) & ~3; // float offsets, 16-byte aligned
  const S = KO + 4 * (r + 1);
  const T = (S + pw * h + 3) & ~3; // (h + 2r) rows of w
  const D = (T + w * (h + 2 * r) + 3) & ~3;
  const f = new Float32Array(K.memory.buffer);
  for (let j = 0; j <= r; j++) f.fill(k[r + j], KO + 4 * j, KO + 4 * j + 4);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const p = S + y * pw + r;
    f.set(src.subarray(o, o + w), p);
    for (let j = 1; j <= r; j++) {
      f[p - j] = src[o + j - 1]; // scipy 'reflect': … c b a | a b c …
      f[p + w - 1 + j] = src[o + w - j];
    }
  }
  const w4 = w & ~3;
  const k0 = k[r];
  const fir = r <= UNROLLED_MAX_R ? K.firByRadius[r] : K.fir;
  for (let y = 0; y < h; y++) {
    const p = S + y * pw + r;
    const q = T + (y + r) * w;
    fir(4 * p, 4 * q, w4, 4, r, 4 * KO);
    for (let x = w4; x < w; x++) {
      let acc = k0 * f[p + x];
      for (let j = 1; j <= r; j++) acc += k[r + j] * (f[p + x - j] + f[p + x + j]);
      f[q + x] = acc;
    }
  }
  for (let j = 1; j <= r; j++) {
    f.copyWithin(T + (r - j) * w, T + (r + j - 1) * w, T + (r + j) * w);
    f.copyWithin(T + (r + h - 1 + j) * w, T + (r + h - j) * w, T + (r + h - j + 1) * w);
  }
  const n4 = n & ~3;
  const T0 = T + r * w;
  fir(4 * T0, 4 * D, n4, 4 * w, r, 4 * KO);
  for (let i = n4; i < n; i++) {
    let acc = k0 * f[T0 + i];
    for (let j = 1; j <= r; j++) acc += k[r + j] * (f[T0 + i - j * w] + f[T0 + i + j * w]);
    f[D + i] = acc;
  }
  return D;
}

/**
 * The cascade of Gaussian blurs of the LoG (each the previous one blurred by σ_i) kept in
 * WebAssembly memory from float offset `base`: for each σ, `visit(offset)` gets the blurred image's
 * float offset in K.memory while it is valid (until the next blur). False (nothing visited) when
 * SIMD or the memory is unavailable, or an image side is ≤ 2r.
 */
export function blurCascadeInMemory(src: Float32Array, w: number, h: number, sigmas: number[], truncate: number, base: number, visit: (offset: number, index: number) => void): boolean {
  const K = simdKernels();
  if (!K) return false;
  const ks = sigmas.map((s) => kernel1d(s, truncate));
  const rMax = Math.max(...ks.map((k) => (k.length - 1) >> 1));
  if (!(w > 2 * rMax && h > 2 * rMax)) return false;
  // Two alternating areas, so a blur reads its input from the other one's result.
  const size = (blurFloats(w, h, rMax) + 3) & ~3;
  const b0 = (base + 3) & ~3;
  if (!K.reserve(4 * (b0 + 2 * size))) return false;
  let prev: Float32Array = src;
  ks.forEach((k, i) => {
    const D = blurInMemory(K, prev, w, h, k, b0 + (i % 2) * size);
    visit(D, i);
    prev = new Float32Array(K.memory.buffer, 4 * D, w * h);
  });
  return true;
}

/**
 * Kernels of radius ≤ 6 (the detection smoothing, the LoG scale steps): every tap written out, so
 * each pass reads its neighbours and stores each pixel once instead of one read-modify-write pass
 * per tap (sums differ from the tap-major order only by float32 rounding, ~1e-7). Interior pixels
 * read the source directly (no padded copy, no boundary tests); only the r edge pixels of each
 * row go through `reflect`. Missing taps are zero; radii ≤ 3 get a shorter loop.
 */
function blurNarrow(src: Float32Array, w: number, h: number, k: Float32Array): Float32Array<ArrayBuffer> {
  const r = (k.length - 1) >> 1;
  const t = (j: number) => (j <= r ? k[r + j] : 0);
  const k0 = k[r];
  const k1 = t(1);
  const k2 = t(2);
  const k3 = t(3);
  const k4 = t(4);
  const k5 = t(5);
  const k6 = t(6);
  const short = r <= 3;
  const R = short ? 3 : 6;
  const tmp = new Float32Array(w * h);
  // Interior columns [R, w − R) need no reflection; the rest are done tap by tap below.
  const xa = Math.min(R, w);
  const xb = Math.max(xa, w - R);
  // One run over the whole image (pixels near a row end mix in the neighbouring row: they are
  // overwritten with the reflected sums just after), so the hot loop is a single long one.
  if (xb > xa && h > 0) {
    if (short) rowShort(src, tmp, xa, (h - 1) * w + xb, k0, k1, k2, k3);
    else rowLong(src, tmp, xa, (h - 1) * w + xb, k0, k1, k2, k3, k4, k5, k6);
  }
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      if (x === xa) x = xb;
      if (x >= w) break;
      let acc = k0 * src[o + x];
      for (let j = 1; j <= r; j++) acc += k[r + j] * (src[o + reflect(x - j, w)] + src[o + reflect(x + j, w)]);
      tmp[o + x] = acc;
    }
  }
  const out = new Float32Array(w * h);
  // Interior rows [R, h − R) as one run of contiguous pixels with fixed row strides.
  const ya = Math.min(R, h);
  const yb = Math.max(ya, h - R);
  if (yb > ya) {
    if (short) colShort(tmp, out, ya * w, yb * w, w, k0, k1, k2, k3);
    else colLong(tmp, out, ya * w, yb * w, w, k0, k1, k2, k3, k4, k5, k6);
  }
  for (let y = 0; y < h; y++) {
    if (y === ya) y = yb;
    if (y >= h) break;
    columnRow(tmp, out, y, w, h, k, r, k0);
  }
  return out;
}

/** Vertical 7-tap symmetric filter of pixels [i0, i1) (3 valid rows above and below). */
function colShort(src: Float32Array, dst: Float32Array, i0: number, i1: number, w: number, k0: number, k1: number, k2: number, k3: number): void {
  const w2 = 2 * w;
  const w3 = 3 * w;
  for (let i = i0; i < i1; i++) dst[i] = k0 * src[i] + k1 * (src[i - w] + src[i + w]) + k2 * (src[i - w2] + src[i + w2]) + k3 * (src[i - w3] + src[i + w3]);
}

/** Vertical 13-tap symmetric filter of pixels [i0, i1) (6 valid rows above and below). */
function colLong(src: Float32Array, dst: Float32Array, i0: number, i1: number, w: number, k0: number, k1: number, k2: number, k3: number, k4: number, k5: number, k6: number): void {
  const w2 = 2 * w;
  const w3 = 3 * w;
  const w4 = 4 * w;
  const w5 = 5 * w;
  const w6 = 6 * w;
  for (let i = i0; i < i1; i++)
    dst[i] =
      k0 * src[i] + k1 * (src[i - w] + src[i + w]) + k2 * (src[i - w2] + src[i + w2]) + k3 * (src[i - w3] + src[i + w3]) +
      k4 * (src[i - w4] + src[i + w4]) + k5 * (src[i - w5] + src[i + w5]) + k6 * (src[i - w6] + src[i + w6]);
}

/** 7-tap symmetric filter of src[i0..i1) into dst (caller guarantees 3 valid samples each side). */
function rowShort(src: Float32Array, dst: Float32Array, i0: number, i1: number, k0: number, k1: number, k2: number, k3: number): void {
  for (let i = i0; i < i1; i++) dst[i] = k0 * src[i] + k1 * (src[i - 1] + src[i + 1]) + k2 * (src[i - 2] + src[i + 2]) + k3 * (src[i - 3] + src[i + 3]);
}

/** 13-tap symmetric filter of src[i0..i1) into dst (caller guarantees 6 valid samples each side). */
function rowLong(src: Float32Array, dst: Float32Array, i0: number, i1: number, k0: number, k1: number, k2: number, k3: number, k4: number, k5: number, k6: number): void {
  for (let i = i0; i < i1; i++)
    dst[i] =
      k0 * src[i] + k1 * (src[i - 1] + src[i + 1]) + k2 * (src[i - 2] + src[i + 2]) + k3 * (src[i - 3] + src[i + 3]) +
      k4 * (src[i - 4] + src[i + 4]) + k5 * (src[i - 5] + src[i + 5]) + k6 * (src[i - 6] + src[i + 6]);
}

/**
 * Smooth large-σ background (the carbon support): block-average by f, blur the small image with
 * the remaining σ, and upsample bilinearly. The support varies over nm while atoms are ~0.1 nm, so
 * the background is band-limited and the ×f shortcut changes it by far less than the noise.
 */
export function gaussianBackground(src: Float32Array, w: number, h: number, sigma: number): Float32Array<ArrayBuffer> {
  return backgroundImpl(src, w, h, sigma, false);
}

/** src − gaussianBackground(src), fused into the upsampling pass (one full-size array less). */
export function subtractBackground(src: Float32Array, w: number, h: number, sigma: number): Float32Array<ArrayBuffer> {
  return backgroundImpl(src, w, h, sigma, true);
}

function backgroundImpl(src: Float32Array, w: number, h: number, sigma: number, subtract: boolean): Float32Array<ArrayBuffer> {
  const f = Math.floor(sigma / 3);
  if (f < 2 || w < 4 * f || h < 4 * f) {
    const b = gaussianBlur(src, w, h, sigma);
    if (subtract) for (let i = 0; i < b.length; i++) b[i] = src[i] - b[i];
    return b;
  }
  const ws = Math.ceil(w / f);
  const hs = Math.ceil(h / f);
  const K = subtract && w >= 4 ? simdKernels() : null;
  const n = w * h;
  // WebAssembly memory layout (float offsets): source, block-row accumulator, wide rows, output.
  const S = 0;
  const A = (n + 3) & ~3;
  const W = A + ((w + 3) & ~3);
  const O = W + ((hs * w + 3) & ~3);
  const end = O + n + 4;
  let mem = K && K.reserve(4 * end) ? new Float32Array(K.memory.buffer) : null;
  if (mem) mem.set(src, S);
  const small = mem && K ? blockMeansSimd(K, mem, S, A, w, h, f, ws, hs) : blockMeans(src, w, h, f, ws, hs);
  // A box of width f already blurred by variance f²/12.
  const rest = Math.sqrt(Math.max(sigma * sigma - (f * f) / 12, 0)) / f;
  // Above our arrays in the shared memory; it may grow it, so the view is taken again.
  const bs = blurAt(small, ws, hs, rest, 4, end);
  if (mem && K) mem = new Float32Array(K.memory.buffer);
  // Bilinear upsampling, separably: interpolate each small row to full width once, then every
  // output row is a blend of two of those (2 multiply-adds per pixel).
  const xi0 = new Int32Array(w);
  const xt = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    let gx = (x + 0.5) / f - 0.5;
    if (gx < 0) gx = 0;
    if (gx > ws - 1) gx = ws - 1;
    const x0 = Math.min(Math.floor(gx), Math.max(ws - 2, 0));
    xi0[x] = x0;
    xt[x] = gx - x0;
  }
  const wide = mem ? mem.subarray(W, W + hs * w) : new Float32Array(hs * w);
  for (let j = 0; j < hs; j++) widenRow(bs, j * ws, ws, wide, j * w, w, xi0, xt);
  const out = mem ? mem.subarray(O, O + n) : new Float32Array(w * h);
  const w4 = w & ~3;
  for (let y = 0; y < h; y++) {
    let gy = (y + 0.5) / f - 0.5;
    if (gy < 0) gy = 0;
    if (gy > hs - 1) gy = hs - 1;
    const y0 = Math.min(Math.floor(gy), Math.max(hs - 2, 0));
    const ty = gy - y0;
    const a = y0 * w;
    const b = Math.min(y0 + 1, hs - 1) * w;
    if (mem && K) {
      const o = y * w;
      K.lerpsub(4 * (S + o), 4 * (O + o), 4 * (W + a), 4 * (W + b), w4, ty);
      for (let x = w4; x < w; x++) out[o + x] = src[o + x] - (wide[a + x] + (wide[b + x] - wide[a + x]) * ty);
    } else if (subtract) subtractRow(src, out, wide, y * w, a, b, ty, w);
    else blendRow(out, wide, y * w, a, b, ty, w);
  }
  return mem ? out.slice() : out;
}

/** blockMeans with the rows summed by the SIMD kernel; the source is already at float offset S. */
function blockMeansSimd(K: SimdKernels, mem: Float32Array, S: number, A: number, w: number, h: number, f: number, ws: number, hs: number): Float32Array {
  const small = new Float32Array(ws * hs);
  const w4 = w & ~3;
  const acc = mem.subarray(A, A + w);
  for (let j = 0; j < hs; j++) {
    acc.fill(0);
    const y0 = j * f;
    const y1 = Math.min(h, y0 + f);
    for (let y = y0; y < y1; y++) {
      const o = S + y * w;
      K.vadd(4 * A, 4 * o, w4);
      for (let x = w4; x < w; x++) acc[x] += mem[o + x];
    }
    finishBlockRow(acc, w, f, y1 - y0, small, j * ws, ws);
  }
  return small;
}

// The hot loops live in small functions of their own: V8 optimises those far better than loops
// inside one long function (measured 2–3× on the 2048² image).

/** Means of f×f blocks (the last block row/column may be partial), accumulated a block row at a time. */
function blockMeans(src: Float32Array, w: number, h: number, f: number, ws: number, hs: number): Float32Array {
  const small = new Float32Array(ws * hs);
  const acc = new Float64Array(w);
  for (let j = 0; j < hs; j++) {
    acc.fill(0);
    const y0 = j * f;
    const y1 = Math.min(h, y0 + f);
    for (let y = y0; y < y1; y++) addRow(acc, src, y * w, w);
    finishBlockRow(acc, w, f, y1 - y0, small, j * ws, ws);
  }
  return small;
}

/** Block means of one block row from its column sums (both the SIMD and the JS path end here). */
function finishBlockRow(acc: Float32Array | Float64Array, w: number, f: number, ny: number, small: Float32Array, o: number, ws: number): void {
  for (let i = 0; i < ws; i++) {
    const x0 = i * f;
    const x1 = Math.min(w, x0 + f);
    let s = 0;
    for (let x = x0; x < x1; x++) s += acc[x];
    small[o + i] = s / (ny * (x1 - x0));
  }
}

function addRow(acc: Float64Array, src: Float32Array, o: number, w: number): void {
  for (let x = 0; x < w; x++) acc[x] += src[o + x];
}

function widenRow(bs: Float32Array, o: number, ws: number, wide: Float32Array, p: number, w: number, xi0: Int32Array, xt: Float32Array): void {
  for (let x = 0; x < w; x++) {
    const x0 = xi0[x];
    const x1 = x0 + 1 < ws ? x0 + 1 : ws - 1;
    wide[p + x] = bs[o + x0] + (bs[o + x1] - bs[o + x0]) * xt[x];
  }
}

function subtractRow(src: Float32Array, out: Float32Array, wide: Float32Array, o: number, a: number, b: number, ty: number, w: number): void {
  for (let x = 0; x < w; x++) out[o + x] = src[o + x] - (wide[a + x] + (wide[b + x] - wide[a + x]) * ty);
}

function blendRow(out: Float32Array, wide: Float32Array, o: number, a: number, b: number, ty: number, w: number): void {
  for (let x = 0; x < w; x++) out[o + x] = wide[a + x] + (wide[b + x] - wide[a + x]) * ty;
}

/** Output row y of the column pass (any radius, reflect boundary): whole rows, one symmetric tap pair at a time. */
function columnRow(tmp: Float32Array, out: Float32Array, y: number, w: number, h: number, k: ArrayLike<number>, r: number, k0: number): void {
  const o = y * w;
  for (let x = 0; x < w; x++) out[o + x] = k0 * tmp[o + x];
  for (let j = 1; j <= r; j++) {
    const c = k[r + j];
    const a = reflect(y - j, h) * w;
    const b = reflect(y + j, h) * w;
    for (let x = 0; x < w; x++) out[o + x] += c * (tmp[a + x] + tmp[b + x]);
  }
}
