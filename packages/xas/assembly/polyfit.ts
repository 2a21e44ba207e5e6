// WebAssembly kernel for math/polyfit.ts (AssemblyScript; `pnpm wasm polyfit`): the design matrix
// and Householder QR of a fit with at most 3 columns (preEdge's lines and quadratics), the same
// operations in the same order as polyfit.ts's JS, so the same bits. Byte addresses laid out by JS.

/**
 * Least squares for c (n ≤ 3 coefficients) in t = off + scl·x: a (column-major m×n) and b are
 * scratch, the solution goes to pC. Returns 0, or 1 when the design matrix is rank-deficient (the
 * JS caller throws its error).
 */
export function fitScaled(pX: usize, pY: usize, m: i32, n: i32, off: f64, scl: f64, pA: usize, pB: usize, pC: usize): i32 {
  const M = <usize>m * 8;
  for (let i = 0; i < m; i++) {
    const o = <usize>i * 8;
    const t = off + scl * load<f64>(pX + o);
    let p = 1.0;
    for (let j = 0; j < n; j++) {
      store<f64>(pA + <usize>j * M + o, p);
      p *= t;
    }
    store<f64>(pB + o, load<f64>(pY + o));
  }
  for (let k = 0; k < n; k++) {
    const col = pA + <usize>k * M;
    let ss = 0.0;
    for (let i = k; i < m; i++) {
      const v = load<f64>(col + <usize>i * 8);
      ss += v * v;
    }
    const norm = Math.sqrt(ss);
    if (norm == 0) return 1;
    const kk = col + <usize>k * 8;
    const alpha = load<f64>(kk) > 0 ? -norm : norm;
    store<f64>(kk, load<f64>(kk) - alpha);
    const rest = n - 1 - k;
    const c1 = col + M;
    const c2 = col + 2 * M;
    let vv = 0.0;
    let d1 = 0.0;
    let d2 = 0.0;
    let db = 0.0;
    for (let i = k; i < m; i++) {
      const o = <usize>i * 8;
      const vi = load<f64>(col + o);
      vv += vi * vi;
      if (rest >= 1) d1 += vi * load<f64>(c1 + o);
      if (rest == 2) d2 += vi * load<f64>(c2 + o);
      db += vi * load<f64>(pB + o);
    }
    if (vv > 0) {
      const f1 = (2 * d1) / vv;
      const f2 = (2 * d2) / vv;
      const fb = (2 * db) / vv;
      for (let i = k; i < m; i++) {
        const o = <usize>i * 8;
        const vi = load<f64>(col + o);
        if (rest >= 1) store<f64>(c1 + o, load<f64>(c1 + o) - f1 * vi);
        if (rest == 2) store<f64>(c2 + o, load<f64>(c2 + o) - f2 * vi);
        store<f64>(pB + o, load<f64>(pB + o) - fb * vi);
      }
    }
    store<f64>(kk, alpha);
  }
  const scale = Math.abs(load<f64>(pA));
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(pB + <usize>i * 8);
    for (let j = i + 1; j < n; j++) s -= load<f64>(pA + <usize>j * M + <usize>i * 8) * load<f64>(pC + <usize>j * 8);
    const d = load<f64>(pA + <usize>i * M + <usize>i * 8);
    if (Math.abs(d) <= 1e-13 * scale) return 1;
    store<f64>(pC + <usize>i * 8, s / d);
  }
  return 0;
}
