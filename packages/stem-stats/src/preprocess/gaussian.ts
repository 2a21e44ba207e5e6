// Separable Gaussian filtering on Float32Array images. Written by hand because no isomorphic npm
// library filters Float32 images at this speed; boundary handling matches scipy.ndimage's default
// 'reflect' (half-sample symmetric) and the kernel is truncated at 4σ, as in the scikit-image anchor.

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
export function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number, truncate = 4): Float32Array {
  if (!(sigma > 0)) return src.slice();
  const k = kernel1d(sigma, truncate);
  const r = (k.length - 1) >> 1;
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
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = k0 * tmp[o + x];
    for (let j = 1; j <= r; j++) {
      const c = k[r + j];
      const a = reflect(y - j, h) * w;
      const b = reflect(y + j, h) * w;
      for (let x = 0; x < w; x++) out[o + x] += c * (tmp[a + x] + tmp[b + x]);
    }
  }
  return out;
}

/**
 * Kernels of radius ≤ 6 (the detection smoothing, the LoG scale steps): every tap written out, so
 * each pass reads its neighbours and stores each pixel once instead of one read-modify-write pass
 * per tap (≈2× faster; sums differ from the tap-major order only by float32 rounding, ~1e-7).
 * Missing taps are zero; radii ≤ 3 get a shorter loop.
 */
function blurNarrow(src: Float32Array, w: number, h: number, k: Float32Array): Float32Array {
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
  const P = 6;
  const tmp = new Float32Array(w * h);
  const line = new Float32Array(w + 2 * P);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = -P; i < 0; i++) line[i + P] = src[o + reflect(i, w)];
    line.set(src.subarray(o, o + w), P);
    for (let i = w; i < w + P; i++) line[i + P] = src[o + reflect(i, w)];
    if (short) {
      for (let x = 0, c = P; x < w; x++, c++) tmp[o + x] = k0 * line[c] + k1 * (line[c - 1] + line[c + 1]) + k2 * (line[c - 2] + line[c + 2]) + k3 * (line[c - 3] + line[c + 3]);
    } else {
      for (let x = 0, c = P; x < w; x++, c++)
        tmp[o + x] =
          k0 * line[c] + k1 * (line[c - 1] + line[c + 1]) + k2 * (line[c - 2] + line[c + 2]) + k3 * (line[c - 3] + line[c + 3]) +
          k4 * (line[c - 4] + line[c + 4]) + k5 * (line[c - 5] + line[c + 5]) + k6 * (line[c - 6] + line[c + 6]);
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const a1 = reflect(y - 1, h) * w;
    const b1 = reflect(y + 1, h) * w;
    const a2 = reflect(y - 2, h) * w;
    const b2 = reflect(y + 2, h) * w;
    const a3 = reflect(y - 3, h) * w;
    const b3 = reflect(y + 3, h) * w;
    if (short) {
      for (let x = 0; x < w; x++) out[o + x] = k0 * tmp[o + x] + k1 * (tmp[a1 + x] + tmp[b1 + x]) + k2 * (tmp[a2 + x] + tmp[b2 + x]) + k3 * (tmp[a3 + x] + tmp[b3 + x]);
    } else {
      const a4 = reflect(y - 4, h) * w;
      const b4 = reflect(y + 4, h) * w;
      const a5 = reflect(y - 5, h) * w;
      const b5 = reflect(y + 5, h) * w;
      const a6 = reflect(y - 6, h) * w;
      const b6 = reflect(y + 6, h) * w;
      for (let x = 0; x < w; x++)
        out[o + x] =
          k0 * tmp[o + x] + k1 * (tmp[a1 + x] + tmp[b1 + x]) + k2 * (tmp[a2 + x] + tmp[b2 + x]) + k3 * (tmp[a3 + x] + tmp[b3 + x]) +
          k4 * (tmp[a4 + x] + tmp[b4 + x]) + k5 * (tmp[a5 + x] + tmp[b5 + x]) + k6 * (tmp[a6 + x] + tmp[b6 + x]);
    }
  }
  return out;
}

/**
 * Smooth large-σ background (the carbon support): block-average by f, blur the small image with
 * the remaining σ, and upsample bilinearly. The support varies over nm while atoms are ~0.1 nm, so
 * the background is band-limited and the ×f shortcut changes it by far less than the noise.
 */
export function gaussianBackground(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  return backgroundImpl(src, w, h, sigma, false);
}

/** src − gaussianBackground(src), fused into the upsampling pass (one full-size array less). */
export function subtractBackground(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  return backgroundImpl(src, w, h, sigma, true);
}

function backgroundImpl(src: Float32Array, w: number, h: number, sigma: number, subtract: boolean): Float32Array {
  const f = Math.floor(sigma / 3);
  if (f < 2 || w < 4 * f || h < 4 * f) {
    const b = gaussianBlur(src, w, h, sigma);
    if (subtract) for (let i = 0; i < b.length; i++) b[i] = src[i] - b[i];
    return b;
  }
  const ws = Math.ceil(w / f);
  const hs = Math.ceil(h / f);
  const small = new Float32Array(ws * hs);
  const colBlock = new Int32Array(w);
  for (let x = 0; x < w; x++) colBlock[x] = (x / f) | 0;
  for (let y = 0; y < h; y++) {
    const ys = ((y / f) | 0) * ws;
    const o = y * w;
    for (let x = 0; x < w; x++) small[ys + colBlock[x]] += src[o + x];
  }
  // Pixels per block: f·f, fewer in the last (partial) block row/column.
  for (let j = 0; j < hs; j++) {
    const ny = Math.min(f, h - j * f);
    for (let i = 0; i < ws; i++) small[j * ws + i] /= ny * Math.min(f, w - i * f);
  }
  // A box of width f already blurred by variance f²/12.
  const rest = Math.sqrt(Math.max(sigma * sigma - (f * f) / 12, 0)) / f;
  const bs = gaussianBlur(small, ws, hs, rest);
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
  const wide = new Float32Array(hs * w);
  for (let j = 0; j < hs; j++) {
    const o = j * ws;
    const p = j * w;
    for (let x = 0; x < w; x++) {
      const x0 = xi0[x];
      const x1 = Math.min(x0 + 1, ws - 1);
      wide[p + x] = bs[o + x0] + (bs[o + x1] - bs[o + x0]) * xt[x];
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    let gy = (y + 0.5) / f - 0.5;
    if (gy < 0) gy = 0;
    if (gy > hs - 1) gy = hs - 1;
    const y0 = Math.min(Math.floor(gy), Math.max(hs - 2, 0));
    const ty = gy - y0;
    const a = y0 * w;
    const b = Math.min(y0 + 1, hs - 1) * w;
    const o = y * w;
    if (subtract) for (let x = 0; x < w; x++) out[o + x] = src[o + x] - (wide[a + x] + (wide[b + x] - wide[a + x]) * ty);
    else for (let x = 0; x < w; x++) out[o + x] = wide[a + x] + (wide[b + x] - wide[a + x]) * ty;
  }
  return out;
}
