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

/**
 * AutobkProblem.computeOutFresh: out[r] = o0[r] + Σ_q A[r, q]·c[q] (the sum in q order; A read
 * transposed, AT = Aᵀ at pAT, so two rows share a vector) and the clamp scale 0.1 + 10·Σ out²/nout
 * (the squares added in row order).
 */
export function outFresh(pAT: usize, pO0: usize, pC: usize, pOut: usize, nout: i32, nspl: i32): f64 {
  const rowB = <usize>nout * 8;
  let ss = 0.0;
  let r = 0;
  for (; r + 3 < nout; r += 4) {
    const o = <usize>r * 8;
    let a = v128.load(pO0 + o);
    let b = v128.load(pO0 + o, 16);
    let p = pAT + o;
    for (let q = 0; q < nspl; q++, p += rowB) {
      const cq = f64x2.splat(load<f64>(pC + <usize>q * 8));
      a = f64x2.add(a, f64x2.mul(v128.load(p), cq));
      b = f64x2.add(b, f64x2.mul(v128.load(p, 16), cq));
    }
    v128.store(pOut + o, a);
    v128.store(pOut + o, b, 16);
    const v0 = f64x2.extract_lane(a, 0);
    const v1 = f64x2.extract_lane(a, 1);
    const v2 = f64x2.extract_lane(b, 0);
    const v3 = f64x2.extract_lane(b, 1);
    ss += v0 * v0;
    ss += v1 * v1;
    ss += v2 * v2;
    ss += v3 * v3;
  }
  for (; r < nout; r++) {
    let v = load<f64>(pO0 + <usize>r * 8);
    for (let q = 0; q < nspl; q++) v += load<f64>(pAT + <usize>q * rowB + <usize>r * 8) * load<f64>(pC + <usize>q * 8);
    store<f64>(pOut + <usize>r * 8, v);
    ss += v * v;
  }
  return 0.1 + (10 * ss) / <f64>nout;
}

/**
 * AutobkProblem's Jacobian and the normal equations of leastSquares.ts's normalMatrix in one call,
 * at the coefficients c (pC) whose low-R residual `out` and clamp scale are given:
 * gs[q] = Σ_r (20/nout·out[r])·A[r, q] (∂scale/∂c), the clamp rows Jc (nc × nspl) of the Jacobian,
 * Jtr[q] = Σ_i J[i, q]·r[i] over all rows in order (A's rows with out, then the clamp rows with
 * their residuals) and JtJ = AtA (upper triangle, the constant rows' share) + the clamp rows'
 * products in row order, mirrored into the lower triangle. Lanes hold separate columns.
 */
export function normalEq(pA: usize, pOut: usize, nout: i32, nspl: i32, pC: usize, scale: f64, pGc: usize, pChiC: usize, pClampW: usize, nc: i32, pAtA: usize, pGs: usize, pJc: usize, pJtr: usize, pJtJ: usize): void {
  const n = nspl;
  const rowB = <usize>n * 8;
  const c20 = 20 / <f64>nout;
  let q = 0;
  for (; q + 3 < n; q += 4) {
    let g0 = f64x2.splat(0);
    let g1 = f64x2.splat(0);
    let t0 = f64x2.splat(0);
    let t1 = f64x2.splat(0);
    let p = pA + <usize>q * 8;
    for (let r = 0; r < nout; r++, p += rowB) {
      const o = load<f64>(pOut + <usize>r * 8);
      const f = f64x2.splat(c20 * o);
      const ov = f64x2.splat(o);
      const a0 = v128.load(p);
      const a1 = v128.load(p, 16);
      g0 = f64x2.add(g0, f64x2.mul(f, a0));
      g1 = f64x2.add(g1, f64x2.mul(f, a1));
      t0 = f64x2.add(t0, f64x2.mul(a0, ov));
      t1 = f64x2.add(t1, f64x2.mul(a1, ov));
    }
    v128.store(pGs + <usize>q * 8, g0);
    v128.store(pGs + <usize>q * 8, g1, 16);
    v128.store(pJtr + <usize>q * 8, t0);
    v128.store(pJtr + <usize>q * 8, t1, 16);
  }
  for (; q < n; q++) {
    let g = 0.0;
    let t = 0.0;
    for (let r = 0; r < nout; r++) {
      const o = load<f64>(pOut + <usize>r * 8);
      const a = load<f64>(pA + <usize>r * rowB + <usize>q * 8);
      g += c20 * o * a;
      t += a * o;
    }
    store<f64>(pGs + <usize>q * 8, g);
    store<f64>(pJtr + <usize>q * 8, t);
  }
  // clamp rows: χ at the clamp point, its Jacobian row, its residual, and their share of Jᵀr
  for (let e = 0; e < nc; e++) {
    const ge = pGc + <usize>e * rowB;
    const je = pJc + <usize>e * rowB;
    let chiv = load<f64>(pChiC + <usize>e * 8);
    for (let k = 0; k < n; k++) chiv -= load<f64>(ge + <usize>k * 8) * load<f64>(pC + <usize>k * 8);
    const w = load<f64>(pClampW + <usize>e * 8);
    const re = w * scale * chiv;
    for (let k = 0; k < n; k++) {
      const jv = w * (scale * -load<f64>(ge + <usize>k * 8) + chiv * load<f64>(pGs + <usize>k * 8));
      store<f64>(je + <usize>k * 8, jv);
      store<f64>(pJtr + <usize>k * 8, load<f64>(pJtr + <usize>k * 8) + jv * re);
    }
  }
  // JᵀJ: upper triangle from AtA plus the clamp rows (two columns per vector), then mirrored
  for (let a = 0; a < n; a++) {
    const ra = <usize>a * rowB;
    let c = a;
    for (; c + 1 < n; c += 2) {
      let s = v128.load(pAtA + ra + <usize>c * 8);
      for (let e = 0; e < nc; e++) {
        const je = pJc + <usize>e * rowB;
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(je + <usize>a * 8)), v128.load(je + <usize>c * 8)));
      }
      v128.store(pJtJ + ra + <usize>c * 8, s);
    }
    for (; c < n; c++) {
      let s = load<f64>(pAtA + ra + <usize>c * 8);
      for (let e = 0; e < nc; e++) {
        const je = pJc + <usize>e * rowB;
        s += load<f64>(je + <usize>a * 8) * load<f64>(je + <usize>c * 8);
      }
      store<f64>(pJtJ + ra + <usize>c * 8, s);
    }
  }
  for (let a = 1; a < n; a++) for (let c = 0; c < a; c++) store<f64>(pJtJ + <usize>a * rowB + <usize>c * 8, load<f64>(pJtJ + <usize>c * rowB + <usize>a * 8));
}

/**
 * evalChi0 of autobk.ts: the banded solve of math/spline.ts's CubicInterpolator.solve in place on
 * y (pY, m values; LU band m × 7 at pLU, column offset c − i + 3, unit lower diagonal implied),
 * then chi[i] = Σ_p b[4i + p]·z[span[i] − 3 + p] (four terms left to right) for i < nk.
 */
export function chi0(pY: usize, m: i32, pLU: usize, pSpan: usize, pB: usize, nk: i32, pOut: usize): void {
  const m3 = m < 3 ? m : 3;
  for (let i = 0; i < m3; i++) {
    let s = load<f64>(pY + <usize>i * 8);
    for (let c = 0; c < i; c++) s -= load<f64>(pLU + <usize>(i * 7 + c - i + 3) * 8) * load<f64>(pY + <usize>c * 8);
    store<f64>(pY + <usize>i * 8, s);
  }
  for (let i = 3; i < m; i++) {
    const o = pLU + <usize>i * 56;
    const z = pY + <usize>i * 8;
    store<f64>(z, load<f64>(z) - load<f64>(o) * load<f64>(z - 24) - load<f64>(o, 8) * load<f64>(z - 16) - load<f64>(o, 16) * load<f64>(z - 8));
  }
  const lo = m - 3 > 0 ? m - 3 : 0;
  for (let i = m - 1; i >= lo; i--) {
    let s = load<f64>(pY + <usize>i * 8);
    for (let c = i + 1; c < m; c++) s -= load<f64>(pLU + <usize>(i * 7 + c - i + 3) * 8) * load<f64>(pY + <usize>c * 8);
    store<f64>(pY + <usize>i * 8, s / load<f64>(pLU + <usize>(i * 7 + 3) * 8));
  }
  for (let i = m - 4; i >= 0; i--) {
    const o = pLU + <usize>i * 56;
    const z = pY + <usize>i * 8;
    store<f64>(z, (load<f64>(z) - load<f64>(o, 32) * load<f64>(z, 8) - load<f64>(o, 40) * load<f64>(z, 16) - load<f64>(o, 48) * load<f64>(z, 24)) / load<f64>(o, 24));
  }
  for (let i = 0; i < nk; i++) {
    const z = pY + <usize>(load<i32>(pSpan + <usize>i * 4) - 3) * 8;
    const b = pB + <usize>i * 32;
    store<f64>(pOut + <usize>i * 8, load<f64>(b) * load<f64>(z) + load<f64>(b, 8) * load<f64>(z, 8) + load<f64>(b, 16) * load<f64>(z, 16) + load<f64>(b, 24) * load<f64>(z, 24));
  }
}

/**
 * autobkParsed's final curves for the fitted (lane 0) and the initial (lane 1) coefficients at
 * once: cv holds the pairs (best[q], init[q]). On the input energies, μ0 = Σ_p b_p·c[j + p] inside
 * the fit range [i0, i0 + nraw) (basis table bk*), μ outside; chie = (μ − μ0)/es. On k (basis
 * table g*), χ = (χ0 − b0·c[j] − b1·c[j+1] − b2·c[j+2] − b3·c[j+3])/es. Returns Σ (v − v) over μ0
 * and χ of the fitted coefficients: 0 when all are finite, NaN otherwise.
 */
export function outputs(pMu: usize, N: i32, i0: i32, nraw: i32, pBkSpan: usize, pBkB: usize, pCV: usize, pChi0: usize, nk: i32, pGSpan: usize, pGB: usize, es: f64, pBkg: usize, pInitBkg: usize, pChie: usize, pChi: usize, pInitChi: usize): f64 {
  let z = 0.0;
  const i1 = i0 + nraw;
  for (let i = 0; i < N; i++) {
    const mu = load<f64>(pMu + <usize>i * 8);
    let v = mu;
    let vi = mu;
    if (i >= i0 && i < i1) {
      const t = i - i0;
      const c = pCV + <usize>(load<i32>(pBkSpan + <usize>t * 4) - 3) * 16;
      const b = pBkB + <usize>t * 32;
      let s = f64x2.mul(f64x2.splat(load<f64>(b)), v128.load(c));
      s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(b, 8)), v128.load(c, 16)));
      s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(b, 16)), v128.load(c, 32)));
      s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(b, 24)), v128.load(c, 48)));
      v = f64x2.extract_lane(s, 0);
      vi = f64x2.extract_lane(s, 1);
    }
    store<f64>(pBkg + <usize>i * 8, v);
    store<f64>(pInitBkg + <usize>i * 8, vi);
    z += v - v;
    store<f64>(pChie + <usize>i * 8, (mu - v) / es);
  }
  const ves = f64x2.splat(es);
  for (let i = 0; i < nk; i++) {
    const c = pCV + <usize>(load<i32>(pGSpan + <usize>i * 4) - 3) * 16;
    const b = pGB + <usize>i * 32;
    let s = f64x2.splat(load<f64>(pChi0 + <usize>i * 8));
    s = f64x2.sub(s, f64x2.mul(f64x2.splat(load<f64>(b)), v128.load(c)));
    s = f64x2.sub(s, f64x2.mul(f64x2.splat(load<f64>(b, 8)), v128.load(c, 16)));
    s = f64x2.sub(s, f64x2.mul(f64x2.splat(load<f64>(b, 16)), v128.load(c, 32)));
    s = f64x2.sub(s, f64x2.mul(f64x2.splat(load<f64>(b, 24)), v128.load(c, 48)));
    s = f64x2.div(s, ves);
    const v = f64x2.extract_lane(s, 0);
    store<f64>(pChi + <usize>i * 8, v);
    store<f64>(pInitChi + <usize>i * 8, f64x2.extract_lane(s, 1));
    z += v - v;
  }
  return z;
}

/**
 * leastSquares.ts partialNormalMatrix: AtA[a, c] = Σ_i A[i, a]·A[i, c] over the rows in order, for
 * c ≥ a (two columns per vector); the lower triangle is set to 0 as in the JS (fresh) array.
 * Also writes AT = Aᵀ (n × rows) for outFresh.
 */
export function normalRows(pA: usize, rows: i32, n: i32, pAtA: usize, pAT: usize): void {
  const rowB = <usize>n * 8;
  for (let a = 0; a < n; a++) {
    const ra = pAtA + <usize>a * rowB;
    for (let c = 0; c < a; c++) store<f64>(ra + <usize>c * 8, 0.0);
    let c = a;
    for (; c + 3 < n; c += 4) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let p = pA;
      for (let i = 0; i < rows; i++, p += rowB) {
        const ja = f64x2.splat(load<f64>(p + <usize>a * 8));
        s0 = f64x2.add(s0, f64x2.mul(ja, v128.load(p + <usize>c * 8)));
        s1 = f64x2.add(s1, f64x2.mul(ja, v128.load(p + <usize>c * 8, 16)));
      }
      v128.store(ra + <usize>c * 8, s0);
      v128.store(ra + <usize>c * 8, s1, 16);
    }
    for (; c < n; c++) {
      let s = 0.0;
      let p = pA;
      for (let i = 0; i < rows; i++, p += rowB) s += load<f64>(p + <usize>a * 8) * load<f64>(p + <usize>c * 8);
      store<f64>(ra + <usize>c * 8, s);
    }
  }
  for (let q = 0; q < n; q++) for (let r = 0; r < rows; r++) store<f64>(pAT + (<usize>q * <usize>rows + <usize>r) * 8, load<f64>(pA + <usize>r * rowB + <usize>q * 8));
}

/**
 * basisTable of math/spline.ts for n abscissae x (pX) and nt knots t (pT): the spans (i32, written
 * to pSpan), then basisFunctions (unrolled Cox–de Boor, cubic) into out[4i + q] at pB. Two points per f64x2 (one per lane, each
 * with its own span), the same operations in the same order as the JS function — why: the six
 * divisions per point dominate, and f64x2.div does two at the cost of about one.
 */
export function basisValues(pT: usize, nt: i32, pX: usize, pSpan: usize, n: i32, pB: usize): void {
  // spans as math/spline.ts's basisTable finds them: findSpan (bisection, clamped to [3, nt − 5])
  // for the first point and after any decrease, else a forward walk from the previous span
  const hi0 = nt - 5;
  let l = 3;
  for (let i = 0; i < n; i++) {
    const x = load<f64>(pX + <usize>i * 8);
    if (i > 0 && x >= load<f64>(pX + <usize>(i - 1) * 8)) {
      while (l < hi0 && load<f64>(pT + <usize>(l + 1) * 8) <= x) l++;
    } else if (x < load<f64>(pT + 32)) l = 3;
    else if (x >= load<f64>(pT + <usize>hi0 * 8)) l = hi0;
    else {
      let lo = 3;
      let hi = hi0;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (load<f64>(pT + <usize>mid * 8) <= x) lo = mid;
        else hi = mid;
      }
      l = lo;
    }
    store<i32>(pSpan + <usize>i * 4, l);
  }
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  for (let i = 0; i < n; i += 2) {
    const l0 = <usize>load<i32>(pSpan + <usize>i * 4);
    const two = i + 1 < n;
    const l1 = two ? <usize>load<i32>(pSpan + <usize>(i + 1) * 4) : l0;
    const x0 = load<f64>(pX + <usize>i * 8);
    const x = f64x2.replace_lane(f64x2.splat(x0), 1, two ? load<f64>(pX + <usize>(i + 1) * 8) : x0);
    const p0 = pT + l0 * 8;
    const p1 = pT + l1 * 8;
    const tm2 = f64x2.replace_lane(f64x2.splat(load<f64>(p0 - 16)), 1, load<f64>(p1 - 16));
    const tm1 = f64x2.replace_lane(f64x2.splat(load<f64>(p0 - 8)), 1, load<f64>(p1 - 8));
    const t0 = f64x2.replace_lane(f64x2.splat(load<f64>(p0)), 1, load<f64>(p1));
    const t1 = f64x2.replace_lane(f64x2.splat(load<f64>(p0 + 8)), 1, load<f64>(p1 + 8));
    const t2 = f64x2.replace_lane(f64x2.splat(load<f64>(p0 + 16)), 1, load<f64>(p1 + 16));
    const t3 = f64x2.replace_lane(f64x2.splat(load<f64>(p0 + 24)), 1, load<f64>(p1 + 24));
    const dr1 = f64x2.sub(t1, x);
    const dr2 = f64x2.sub(t2, x);
    const dr3 = f64x2.sub(t3, x);
    const dl1 = f64x2.sub(x, t0);
    const dl2 = f64x2.sub(x, tm1);
    const dl3 = f64x2.sub(x, tm2);
    // degree 1
    let temp = f64x2.div(one, f64x2.add(dr1, dl1));
    const a0 = f64x2.add(zero, f64x2.mul(dr1, temp));
    const a1 = f64x2.mul(dl1, temp);
    // degree 2
    temp = f64x2.div(a0, f64x2.add(dr1, dl2));
    const b0 = f64x2.mul(dr1, temp);
    let saved = f64x2.mul(dl2, temp);
    temp = f64x2.div(a1, f64x2.add(dr2, dl1));
    const b1 = f64x2.add(saved, f64x2.mul(dr2, temp));
    const b2 = f64x2.mul(dl1, temp);
    // degree 3
    temp = f64x2.div(b0, f64x2.add(dr1, dl3));
    const o0 = f64x2.mul(dr1, temp);
    saved = f64x2.mul(dl3, temp);
    temp = f64x2.div(b1, f64x2.add(dr2, dl2));
    const o1 = f64x2.add(saved, f64x2.mul(dr2, temp));
    saved = f64x2.mul(dl2, temp);
    temp = f64x2.div(b2, f64x2.add(dr3, dl1));
    const o2 = f64x2.add(saved, f64x2.mul(dr3, temp));
    const o3 = f64x2.mul(dl1, temp);
    const q = pB + <usize>i * 32;
    store<f64>(q, f64x2.extract_lane(o0, 0));
    store<f64>(q, f64x2.extract_lane(o1, 0), 8);
    store<f64>(q, f64x2.extract_lane(o2, 0), 16);
    store<f64>(q, f64x2.extract_lane(o3, 0), 24);
    if (two) {
      store<f64>(q, f64x2.extract_lane(o0, 1), 32);
      store<f64>(q, f64x2.extract_lane(o1, 1), 40);
      store<f64>(q, f64x2.extract_lane(o2, 1), 48);
      store<f64>(q, f64x2.extract_lane(o3, 1), 56);
    }
  }
}
