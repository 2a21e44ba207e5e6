// WebAssembly kernels for exafs/autobk.ts (AssemblyScript; `pnpm wasm autobk` compiles it into
// src/wasm/generated/autobk.ts). Addresses are byte offsets into the module's memory, laid out by
// the JS caller. Each kernel performs the floating-point operations of its JS twin in autobk.ts
// in the same order (f64x2 lanes hold separate sums), so the results have the same bits.

/**
 * lowRDft of autobk.ts: x[t] = (f·w[lo + t])·v[t] for t < len (written to pX), then
 * out[2j·stride] = sc·Σ_t cos_j(lo + t)·x[t], out[(2j+1)·stride] = sc·(0 − Σ_t sin_j(lo + t)·x[t])
 * for j < irbkg, each sum in increasing t. One f64x2 accumulator per frequency holds (Re, Im):
 * the table pair (c, s) times (g, −g) gives (c·g, −(s·g)), and Im + (−(s·g)) is Im − s·g exactly.
 * Frequencies j < 4·nB read the block table (8 doubles per point and 4 frequencies, tab at
 * pTab + 64·(b·nT + n)), the rest the interleaved table cs (pCs, 2·nfft doubles) at (n·j) mod nfft.
 */
export function lowRDft(pV: usize, pW: usize, f: f64, lo: i32, len: i32, pX: usize, pTab: usize, nT: i32, nB: i32, pCs: usize, nfft: i32, irbkg: i32, sc: f64, pOut: usize, stride: i32): void {
  for (let t = 0; t < len; t++) store<f64>(pX + <usize>t * 8, f * load<f64>(pW + <usize>(lo + t) * 8) * load<f64>(pV + <usize>t * 8));
  const neg = f64x2(1.0, -1.0);
  const vsc = f64x2.splat(sc);
  const st = <usize>stride * 8;
  let j = 0;
  for (let b = 0; b < nB; b++, j += 4) {
    let p = pTab + (<usize>b * <usize>nT + <usize>lo) * 64;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (let t = 0; t < len; t++, p += 64) {
      const g = f64x2.mul(f64x2.splat(load<f64>(pX + <usize>t * 8)), neg);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(p), g));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(p, 16), g));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(p, 32), g));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(p, 48), g));
    }
    a0 = f64x2.mul(vsc, a0);
    a1 = f64x2.mul(vsc, a1);
    a2 = f64x2.mul(vsc, a2);
    a3 = f64x2.mul(vsc, a3);
    const o = pOut + <usize>(2 * j) * st;
    store<f64>(o, f64x2.extract_lane(a0, 0));
    store<f64>(o + st, f64x2.extract_lane(a0, 1));
    store<f64>(o + 2 * st, f64x2.extract_lane(a1, 0));
    store<f64>(o + 3 * st, f64x2.extract_lane(a1, 1));
    store<f64>(o + 4 * st, f64x2.extract_lane(a2, 0));
    store<f64>(o + 5 * st, f64x2.extract_lane(a2, 1));
    store<f64>(o + 6 * st, f64x2.extract_lane(a3, 0));
    store<f64>(o + 7 * st, f64x2.extract_lane(a3, 1));
  }
  const mask = 2 * nfft - 1;
  for (; j < irbkg; j++) {
    const d = 2 * j;
    let m = (lo * d) & mask;
    let a = f64x2.splat(0);
    for (let t = 0; t < len; t++) {
      const g = f64x2.mul(f64x2.splat(load<f64>(pX + <usize>t * 8)), neg);
      a = f64x2.add(a, f64x2.mul(v128.load(pCs + <usize>m * 8), g));
      m = (m + d) & mask;
    }
    a = f64x2.mul(vsc, a);
    const o = pOut + <usize>(2 * j) * st;
    store<f64>(o, f64x2.extract_lane(a, 0));
    store<f64>(o + st, f64x2.extract_lane(a, 1));
  }
}
