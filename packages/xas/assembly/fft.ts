// WebAssembly kernels for math/prunedFft.ts (AssemblyScript; `pnpm wasm fft` compiles it into
// src/wasm/generated/fft.ts): the pruned radix-4/radix-2 DIT stages, the compact bit-reversed
// loads and the real-FFT post-processing, with the JS twin's floating-point operations per output
// in the same order. Each butterfly only reads and writes its own elements, so computing two
// neighbouring butterflies (t, t + 1) in the two f64x2 lanes changes no result.
//
// A plan of complex size n is one block laid out by the JS caller (offsets in doubles, see
// prunedFft.ts wasmPlan): re, im, cr, ci (n each), rev (n u32), radix-4 twiddles per quarter size h
// and sign (planar c1 s1 c2 s2 c3 s3, h each, from 6h), radix-2 twiddles per half size h and sign
// (c, s from 2h), and the real-FFT twiddles cos, sin(2πk/2n), k ≤ n.

@inline const RE: usize = 0;
@inline function IM(n: usize): usize { return n * 8; }
@inline function CR(n: usize): usize { return n * 16; }
@inline function CI(n: usize): usize { return n * 24; }
@inline function REV(n: usize): usize { return n * 32; }
/** Radix-4 table of quarter size h for sign index si (0: −1, 1: +1). */
@inline function TW4(n: usize, si: usize, h: usize): usize { return n * 40 + si * n * 24 + h * 48; }
@inline function TW2(n: usize, si: usize, h: usize): usize { return n * 88 + si * n * 16 + h * 16; }
@inline function HC(n: usize): usize { return n * 120; }
@inline function HS(n: usize): usize { return n * 128 + 8; }

/**
 * Radix-4 butterflies t ∈ [tLo, tHi) of every block of 4h (in place on re/im, byte addresses),
 * twiddles from the planar table tw; outs = 4 writes all four outputs, 3 skips t + 3h, 2 skips
 * t + 2h and t + 3h (the pruned last radix-4 stage).
 */
function radix4(re: usize, im: usize, n: usize, h: usize, tw: usize, tLo: usize, tHi: usize, sgn: f64, outs: i32): void {
  const hb = h << 3;
  const step = hb << 2;
  const end = n << 3;
  const vs = f64x2.splat(sgn);
  const vns = f64x2.splat(-sgn);
  let t = tLo;
  for (; t + 1 < tHi; t += 2) {
    const o = tw + (t << 3);
    const c1 = v128.load(o);
    const s1 = v128.load(o + hb);
    const c2 = v128.load(o + (hb * 2));
    const s2 = v128.load(o + (hb * 3));
    const c3 = v128.load(o + (hb * 4));
    const s3 = v128.load(o + (hb * 5));
    for (let i0 = t << 3; i0 < end; i0 += step) {
      const i1 = i0 + hb;
      const i2 = i1 + hb;
      const i3 = i2 + hb;
      const ar = v128.load(re + i0);
      const ai = v128.load(im + i0);
      const br = v128.load(re + i1);
      const bi = v128.load(im + i1);
      const cR = v128.load(re + i2);
      const cI = v128.load(im + i2);
      const dr = v128.load(re + i3);
      const di = v128.load(im + i3);
      const y1r = f64x2.sub(f64x2.mul(cR, c1), f64x2.mul(cI, s1));
      const y1i = f64x2.add(f64x2.mul(cR, s1), f64x2.mul(cI, c1));
      const y2r = f64x2.sub(f64x2.mul(br, c2), f64x2.mul(bi, s2));
      const y2i = f64x2.add(f64x2.mul(br, s2), f64x2.mul(bi, c2));
      const y3r = f64x2.sub(f64x2.mul(dr, c3), f64x2.mul(di, s3));
      const y3i = f64x2.add(f64x2.mul(dr, s3), f64x2.mul(di, c3));
      const s02r = f64x2.add(ar, y2r);
      const s02i = f64x2.add(ai, y2i);
      const d02r = f64x2.sub(ar, y2r);
      const d02i = f64x2.sub(ai, y2i);
      const s13r = f64x2.add(y1r, y3r);
      const s13i = f64x2.add(y1i, y3i);
      const e13r = f64x2.mul(vns, f64x2.sub(y1i, y3i));
      const e13i = f64x2.mul(vs, f64x2.sub(y1r, y3r));
      v128.store(re + i0, f64x2.add(s02r, s13r));
      v128.store(im + i0, f64x2.add(s02i, s13i));
      v128.store(re + i1, f64x2.add(d02r, e13r));
      v128.store(im + i1, f64x2.add(d02i, e13i));
      if (outs > 2) {
        v128.store(re + i2, f64x2.sub(s02r, s13r));
        v128.store(im + i2, f64x2.sub(s02i, s13i));
      }
      if (outs > 3) {
        v128.store(re + i3, f64x2.sub(d02r, e13r));
        v128.store(im + i3, f64x2.sub(d02i, e13i));
      }
    }
  }
  if (t < tHi) {
    const o = tw + (t << 3);
    const c1 = load<f64>(o);
    const s1 = load<f64>(o + hb);
    const c2 = load<f64>(o + (hb * 2));
    const s2 = load<f64>(o + (hb * 3));
    const c3 = load<f64>(o + (hb * 4));
    const s3 = load<f64>(o + (hb * 5));
    for (let i0 = t << 3; i0 < end; i0 += step) {
      const i1 = i0 + hb;
      const i2 = i1 + hb;
      const i3 = i2 + hb;
      const ar = load<f64>(re + i0);
      const ai = load<f64>(im + i0);
      const br = load<f64>(re + i1);
      const bi = load<f64>(im + i1);
      const cR = load<f64>(re + i2);
      const cI = load<f64>(im + i2);
      const dr = load<f64>(re + i3);
      const di = load<f64>(im + i3);
      const y1r = cR * c1 - cI * s1;
      const y1i = cR * s1 + cI * c1;
      const y2r = br * c2 - bi * s2;
      const y2i = br * s2 + bi * c2;
      const y3r = dr * c3 - di * s3;
      const y3i = dr * s3 + di * c3;
      const s02r = ar + y2r;
      const s02i = ai + y2i;
      const d02r = ar - y2r;
      const d02i = ai - y2i;
      const s13r = y1r + y3r;
      const s13i = y1i + y3i;
      const e13r = -sgn * (y1i - y3i);
      const e13i = sgn * (y1r - y3r);
      store<f64>(re + i0, s02r + s13r);
      store<f64>(im + i0, s02i + s13i);
      store<f64>(re + i1, d02r + e13r);
      store<f64>(im + i1, d02i + e13i);
      if (outs > 2) {
        store<f64>(re + i2, s02r - s13r);
        store<f64>(im + i2, s02i - s13i);
      }
      if (outs > 3) {
        store<f64>(re + i3, d02r - e13r);
        store<f64>(im + i3, d02i - e13i);
      }
    }
  }
}

/**
 * First radix-4 stage straight from the compact input (cr, ci hold one value per quarter-block of
 * P): the four inputs of each block are loaded once and only twiddled per t.
 */
function radix4First(re: usize, im: usize, cr: usize, ci: usize, n: usize, P: usize, tw: usize, sgn: f64): void {
  const pb = P << 3;
  const vs = f64x2.splat(sgn);
  const vns = f64x2.splat(-sgn);
  for (let b: usize = 0, q: usize = 0; b < n; b += (P * 4), q += 4) {
    const qa = q << 3;
    if (P >= 2) {
      const ar = v128.load64_splat(cr + qa);
      const ai = v128.load64_splat(ci + qa);
      const br = v128.load64_splat(cr + qa + 8);
      const bi = v128.load64_splat(ci + qa + 8);
      const cR = v128.load64_splat(cr + qa + 16);
      const cI = v128.load64_splat(ci + qa + 16);
      const dr = v128.load64_splat(cr + qa + 24);
      const di = v128.load64_splat(ci + qa + 24);
      for (let t: usize = 0; t < P; t += 2) {
        const o = tw + (t << 3);
        const c1 = v128.load(o);
        const s1 = v128.load(o + pb);
        const c2 = v128.load(o + (pb * 2));
        const s2 = v128.load(o + (pb * 3));
        const c3 = v128.load(o + (pb * 4));
        const s3 = v128.load(o + (pb * 5));
        const y1r = f64x2.sub(f64x2.mul(cR, c1), f64x2.mul(cI, s1));
        const y1i = f64x2.add(f64x2.mul(cR, s1), f64x2.mul(cI, c1));
        const y2r = f64x2.sub(f64x2.mul(br, c2), f64x2.mul(bi, s2));
        const y2i = f64x2.add(f64x2.mul(br, s2), f64x2.mul(bi, c2));
        const y3r = f64x2.sub(f64x2.mul(dr, c3), f64x2.mul(di, s3));
        const y3i = f64x2.add(f64x2.mul(dr, s3), f64x2.mul(di, c3));
        const s02r = f64x2.add(ar, y2r);
        const s02i = f64x2.add(ai, y2i);
        const d02r = f64x2.sub(ar, y2r);
        const d02i = f64x2.sub(ai, y2i);
        const s13r = f64x2.add(y1r, y3r);
        const s13i = f64x2.add(y1i, y3i);
        const e13r = f64x2.mul(vns, f64x2.sub(y1i, y3i));
        const e13i = f64x2.mul(vs, f64x2.sub(y1r, y3r));
        const i0 = (b + t) << 3;
        v128.store(re + i0, f64x2.add(s02r, s13r));
        v128.store(im + i0, f64x2.add(s02i, s13i));
        v128.store(re + i0 + (pb * 2), f64x2.sub(s02r, s13r));
        v128.store(im + i0 + (pb * 2), f64x2.sub(s02i, s13i));
        v128.store(re + i0 + pb, f64x2.add(d02r, e13r));
        v128.store(im + i0 + pb, f64x2.add(d02i, e13i));
        v128.store(re + i0 + (pb * 3), f64x2.sub(d02r, e13r));
        v128.store(im + i0 + (pb * 3), f64x2.sub(d02i, e13i));
      }
    } else {
      // P = 1: a plain radix-4 butterfly with twiddles 1 (the table holds cos 0 = 1, sin 0 = 0).
      const c1 = load<f64>(tw);
      const s1 = load<f64>(tw + 8);
      const c2 = load<f64>(tw + 16);
      const s2 = load<f64>(tw + 24);
      const c3 = load<f64>(tw + 32);
      const s3 = load<f64>(tw + 40);
      const ar = load<f64>(cr + qa);
      const ai = load<f64>(ci + qa);
      const br = load<f64>(cr + qa + 8);
      const bi = load<f64>(ci + qa + 8);
      const cR = load<f64>(cr + qa + 16);
      const cI = load<f64>(ci + qa + 16);
      const dr = load<f64>(cr + qa + 24);
      const di = load<f64>(ci + qa + 24);
      const y1r = cR * c1 - cI * s1;
      const y1i = cR * s1 + cI * c1;
      const y2r = br * c2 - bi * s2;
      const y2i = br * s2 + bi * c2;
      const y3r = dr * c3 - di * s3;
      const y3i = dr * s3 + di * c3;
      const s02r = ar + y2r;
      const s02i = ai + y2i;
      const d02r = ar - y2r;
      const d02i = ai - y2i;
      const s13r = y1r + y3r;
      const s13i = y1i + y3i;
      const e13r = -sgn * (y1i - y3i);
      const e13i = sgn * (y1r - y3r);
      const i0 = b << 3;
      store<f64>(re + i0, s02r + s13r);
      store<f64>(im + i0, s02i + s13i);
      store<f64>(re + i0 + 16, s02r - s13r);
      store<f64>(im + i0 + 16, s02i - s13i);
      store<f64>(re + i0 + 8, d02r + e13r);
      store<f64>(im + i0 + 8, d02i + e13i);
      store<f64>(re + i0 + 24, d02r - e13r);
      store<f64>(im + i0 + 24, d02i - e13i);
    }
  }
}

/** Radix-2 butterflies t ∈ [tLo, tHi) of the block at b (both outputs). */
function radix2Full(re: usize, im: usize, b: usize, h: usize, c: usize, s: usize, tLo: usize, tHi: usize): void {
  const hb = h << 3;
  let t = tLo;
  for (; t + 1 < tHi; t += 2) {
    const cv = v128.load(c + (t << 3));
    const sv = v128.load(s + (t << 3));
    const i0 = (b + t) << 3;
    const i1 = i0 + hb;
    const xr = v128.load(re + i1);
    const xi = v128.load(im + i1);
    const vr = f64x2.sub(f64x2.mul(xr, cv), f64x2.mul(xi, sv));
    const vi = f64x2.add(f64x2.mul(xr, sv), f64x2.mul(xi, cv));
    const ur = v128.load(re + i0);
    const ui = v128.load(im + i0);
    v128.store(re + i0, f64x2.add(ur, vr));
    v128.store(im + i0, f64x2.add(ui, vi));
    v128.store(re + i1, f64x2.sub(ur, vr));
    v128.store(im + i1, f64x2.sub(ui, vi));
  }
  if (t < tHi) {
    const cs = load<f64>(c + (t << 3));
    const ss = load<f64>(s + (t << 3));
    const i0 = (b + t) << 3;
    const i1 = i0 + hb;
    const xr = load<f64>(re + i1);
    const xi = load<f64>(im + i1);
    const vr = xr * cs - xi * ss;
    const vi = xr * ss + xi * cs;
    const ur = load<f64>(re + i0);
    const ui = load<f64>(im + i0);
    store<f64>(re + i0, ur + vr);
    store<f64>(im + i0, ui + vi);
    store<f64>(re + i1, ur - vr);
    store<f64>(im + i1, ui - vi);
  }
}

/** Radix-2 half-butterflies t ∈ [tLo, tHi) of the block at b (upper output only). */
function radix2Half(re: usize, im: usize, b: usize, h: usize, c: usize, s: usize, tLo: usize, tHi: usize): void {
  const hb = h << 3;
  let t = tLo;
  for (; t + 1 < tHi; t += 2) {
    const cv = v128.load(c + (t << 3));
    const sv = v128.load(s + (t << 3));
    const i0 = (b + t) << 3;
    const i1 = i0 + hb;
    const xr = v128.load(re + i1);
    const xi = v128.load(im + i1);
    v128.store(re + i0, f64x2.add(v128.load(re + i0), f64x2.sub(f64x2.mul(xr, cv), f64x2.mul(xi, sv))));
    v128.store(im + i0, f64x2.add(v128.load(im + i0), f64x2.add(f64x2.mul(xr, sv), f64x2.mul(xi, cv))));
  }
  if (t < tHi) {
    const cs = load<f64>(c + (t << 3));
    const ss = load<f64>(s + (t << 3));
    const i0 = (b + t) << 3;
    const i1 = i0 + hb;
    const xr = load<f64>(re + i1);
    const xi = load<f64>(im + i1);
    store<f64>(re + i0, load<f64>(re + i0) + (xr * cs - xi * ss));
    store<f64>(im + i0, load<f64>(im + i0) + (xr * ss + xi * cs));
  }
}

@inline function imin(a: isize, b: isize): isize { return a < b ? a : b; }
@inline function imax(a: isize, b: isize): isize { return a > b ? a : b; }

/** prunedFft.ts `stages`: DIT stages from half-size P up on the plan at pl (complex size n). */
export function stages(pl: usize, n: usize, P: usize, sign: i32, nOut: usize): void {
  const re = pl + RE;
  const im = pl + IM(n);
  const cr = pl + CR(n);
  const ci = pl + CI(n);
  const si: usize = sign > 0 ? 1 : 0;
  const sgn = <f64>sign;
  let h = P;
  if ((P * 4) <= n && nOut >= (P * 4)) {
    radix4First(re, im, cr, ci, n, P, pl + TW4(n, si, P), sgn);
    h = (P * 4);
  } else {
    for (let q: usize = 0; q < n / P; q++) {
      const vr = load<f64>(cr + (q << 3));
      const vi = load<f64>(ci + (q << 3));
      const b = (q * P) << 3;
      for (let t: usize = 0; t < P; t++) {
        store<f64>(re + b + (t << 3), vr);
        store<f64>(im + b + (t << 3), vi);
      }
    }
  }
  while ((h * 4) <= n && nOut >= (h * 4)) {
    radix4(re, im, n, h, pl + TW4(n, si, h), 0, h, sgn, 4);
    h *= 4;
  }
  if ((h * 4) <= n && nOut > (h * 2)) {
    const tw = pl + TW4(n, si, h);
    const t3 = <isize>nOut - 2 * <isize>h;
    const t4 = <isize>nOut - 3 * <isize>h;
    const hh = <isize>h;
    const a = imax(0, imin(hh, t4));
    const bnd = imax(a, imin(hh, t3));
    if (a > 0) radix4(re, im, n, h, tw, 0, <usize>a, sgn, 4);
    if (bnd > a) radix4(re, im, n, h, tw, <usize>a, <usize>bnd, sgn, 3);
    if (hh > bnd) radix4(re, im, n, h, tw, <usize>bnd, h, sgn, 2);
    h *= 4;
  }
  for (; h < n; h *= 2) {
    const size = (h * 2);
    const need = imin(<isize>size, <isize>nOut);
    const full = <usize>imax(0, imin(<isize>h, need - <isize>h));
    const top = <usize>imin(<isize>h, need);
    const c = pl + TW2(n, si, h);
    const s = c + (h << 3);
    for (let b: usize = 0; b < n; b += size) {
      radix2Full(re, im, b, h, c, s, 0, full);
      radix2Half(re, im, b, h, c, s, full, top);
    }
  }
}

/**
 * prunedFft.ts `fftPruned` after the checks: loads z (pIm = 0: real) of length len into the compact
 * bit-reversed arrays of the plan and runs the stages; outputs j < nOut in the plan's re/im.
 */
export function cfft(pl: usize, n: usize, pRe: usize, pIm: usize, len: usize, S: usize, shift: u32, sign: i32, nOut: usize): void {
  const rev = pl + REV(n);
  const cr = pl + CR(n);
  const ci = pl + CI(n);
  const lim = len < S ? len : S;
  for (let m: usize = 0; m < lim; m++) {
    const q = <usize>(load<u32>(rev + (m << 2)) >>> shift) << 3;
    store<f64>(cr + q, load<f64>(pRe + (m << 3)));
    store<f64>(ci + q, pIm ? load<f64>(pIm + (m << 3)) : 0);
  }
  for (let m = lim; m < S; m++) {
    const q = <usize>(load<u32>(rev + (m << 2)) >>> shift) << 3;
    store<f64>(cr + q, 0);
    store<f64>(ci + q, 0);
  }
  stages(pl, n, n / S, sign, nOut);
}

/**
 * prunedFft.ts `rfftPruned` after the checks, on the plan of m = N/2 (N the real length): x[0..len)
 * at pX; bins k < nOut times scale into oRe/oIm, and |X_k| into oMag when it is not 0.
 */
export function rfft(pl: usize, m: usize, pX: usize, len: usize, nOut: usize, scale: f64, oRe: usize, oIm: usize, oMag: usize): void {
  const rev = pl + REV(m);
  const cr = pl + CR(m);
  const ci = pl + CI(m);
  const half = (len + 1) >> 1;
  let S: usize = 1;
  while (S < half) S <<= 1;
  if (S > m) S = m;
  const P = m / S;
  const shift = <u32>ctz(P);
  for (let q: usize = 0; q < S; q++) {
    const pos = <usize>(load<u32>(rev + (q << 2)) >>> shift) << 3;
    store<f64>(cr + pos, (q << 1) < len ? load<f64>(pX + (q << 4)) : 0);
    store<f64>(ci + pos, (q << 1) + 1 < len ? load<f64>(pX + (q << 4) + 8) : 0);
  }
  stages(pl, m, P, -1, m);
  post(pl, m, nOut, scale, oRe, oIm, oMag);
}

/**
 * rfft of x_i = (a_i·b_i)·c_i (xftf's χ·k^w·window, the product formed while loading) for i < len.
 */
export function rfft3(pl: usize, m: usize, pA: usize, pB: usize, pC: usize, len: usize, nOut: usize, scale: f64, oRe: usize, oIm: usize, oMag: usize): void {
  const rev = pl + REV(m);
  const cr = pl + CR(m);
  const ci = pl + CI(m);
  const half = (len + 1) >> 1;
  let S: usize = 1;
  while (S < half) S <<= 1;
  if (S > m) S = m;
  const P = m / S;
  const shift = <u32>ctz(P);
  for (let q: usize = 0; q < S; q++) {
    const pos = <usize>(load<u32>(rev + (q << 2)) >>> shift) << 3;
    const e = q << 4;
    store<f64>(cr + pos, (q << 1) < len ? load<f64>(pA + e) * load<f64>(pB + e) * load<f64>(pC + e) : 0);
    store<f64>(ci + pos, (q << 1) + 1 < len ? load<f64>(pA + e + 8) * load<f64>(pB + e + 8) * load<f64>(pC + e + 8) : 0);
  }
  stages(pl, m, P, -1, m);
  post(pl, m, nOut, scale, oRe, oIm, oMag);
}

/** rfftPruned's separation of bin k (scalar; the k = 0, k = m and tail cases). */
@inline function postOne(re: usize, im: usize, tc: usize, ts: usize, m: usize, k: usize, hs: f64, oRe: usize, oIm: usize, oMag: usize): void {
  const a: usize = k === m ? 0 : k;
  const b: usize = k === 0 ? 0 : m - k;
  const Ar = load<f64>(re + (a << 3));
  const Ai = load<f64>(im + (a << 3));
  const Br = load<f64>(re + (b << 3));
  const Bi = -load<f64>(im + (b << 3));
  const Er = Ar + Br;
  const Ei = Ai + Bi;
  const Dr = Ar - Br;
  const Di = Ai - Bi;
  const c = load<f64>(tc + (k << 3));
  const s = load<f64>(ts + (k << 3));
  const xr = hs * (Er - s * Dr + c * Di);
  const xi = hs * (Ei - s * Di - c * Dr);
  store<f64>(oRe + (k << 3), xr);
  store<f64>(oIm + (k << 3), xi);
  if (oMag) store<f64>(oMag + (k << 3), Math.sqrt(xr * xr + xi * xi));
}

/** The real-FFT separation of rfftPruned for bins k < nOut (and |X_k| when oMag ≠ 0). */
function post(pl: usize, m: usize, nOut: usize, scale: f64, oRe: usize, oIm: usize, oMag: usize): void {
  const re = pl + RE;
  const im = pl + IM(m);
  const tc = pl + HC(m);
  const ts = pl + HS(m);
  const hs = 0.5 * scale;
  const vhs = f64x2.splat(hs);
  // k = 0 and k = m pair bin 0 with itself; 0 < k < m pairs bin k with bin m − k: pairs of bins
  // k, k + 1 (against m − k, m − k − 1, loaded as one pair and swapped) while k + 1 < min(nOut, m).
  if (nOut === 0) return;
  postOne(re, im, tc, ts, m, 0, hs, oRe, oIm, oMag);
  const vEnd: usize = nOut < m ? nOut : m;
  let k: usize = 1;
  for (; k + 1 < vEnd; k += 2) {
    const ko = k << 3;
    const bo = (m - k - 1) << 3;
    const Ar = v128.load(re + ko);
    const Ai = v128.load(im + ko);
    const Br = v128.shuffle<f64>(v128.load(re + bo), v128.load(re + bo), 1, 0);
    const Bi = f64x2.neg(v128.shuffle<f64>(v128.load(im + bo), v128.load(im + bo), 1, 0));
    const Er = f64x2.add(Ar, Br);
    const Ei = f64x2.add(Ai, Bi);
    const Dr = f64x2.sub(Ar, Br);
    const Di = f64x2.sub(Ai, Bi);
    const c = v128.load(tc + ko);
    const s = v128.load(ts + ko);
    const xr = f64x2.mul(vhs, f64x2.add(f64x2.sub(Er, f64x2.mul(s, Dr)), f64x2.mul(c, Di)));
    const xi = f64x2.mul(vhs, f64x2.sub(f64x2.sub(Ei, f64x2.mul(s, Di)), f64x2.mul(c, Dr)));
    v128.store(oRe + ko, xr);
    v128.store(oIm + ko, xi);
    if (oMag) v128.store(oMag + ko, f64x2.sqrt(f64x2.add(f64x2.mul(xr, xr), f64x2.mul(xi, xi))));
  }
  for (; k < nOut; k++) postOne(re, im, tc, ts, m, k, hs, oRe, oIm, oMag);
}

/**
 * xftf on AUTOBK's grid: when k[i] = kg[i] for i < len (the table at pTab holds kg, k^w and the
 * window, nGrid each), rfft3 of χ·k^w·window and returns 1; otherwise writes nothing, returns 0.
 */
export function rfftGrid(pl: usize, m: usize, pK: usize, pChi: usize, pTab: usize, nGrid: usize, len: usize, nOut: usize, scale: f64, oRe: usize, oIm: usize, oMag: usize): i32 {
  let i: usize = 0;
  for (; i + 1 < len; i += 2) if (v128.any_true(f64x2.ne(v128.load(pK + (i << 3)), v128.load(pTab + (i << 3))))) return 0;
  if (i < len && load<f64>(pK + (i << 3)) != load<f64>(pTab + (i << 3))) return 0;
  rfft3(pl, m, pChi, pTab + (nGrid << 3), pTab + (nGrid << 4), len, nOut, scale, oRe, oIm, oMag);
  return 1;
}
