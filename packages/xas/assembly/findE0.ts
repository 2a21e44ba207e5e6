// WebAssembly kernel for normalize/findE0.ts (AssemblyScript; `pnpm wasm findE0`): the first pass
// of Larch's _finde0 on a plain grid (the raw derivative over the whole scan and the high-point
// search), the same operations in the same order as findE0.ts's passOn/passCore, so the same index.

/**
 * E0 index of the first pass: dμ/dE (numpy.gradient ratio over the n in-order points at pE, pMu)
 * into pD, non-finite values set to −1, scaled to [0, 1] by min and range over [nmin, n − nmin),
 * then the largest value with both neighbours above the high threshold (Larch's rules).
 */
export function pass1(pE: usize, pMu: usize, n: i32, pD: usize): i32 {
  // gradient; inside (Δμ/2)/(ΔE/2) is written Δμ/ΔE as in findE0.ts (same rounded quotient)
  store<f64>(pD, (load<f64>(pMu + 8) - load<f64>(pMu)) / (load<f64>(pE + 8) - load<f64>(pE)));
  for (let i = 1; i < n - 1; i++) {
    const o = <usize>i * 8;
    store<f64>(pD + o, (load<f64>(pMu + o + 8) - load<f64>(pMu + o - 8)) / (load<f64>(pE + o + 8) - load<f64>(pE + o - 8)));
  }
  const l = <usize>(n - 1) * 8;
  store<f64>(pD + l, (load<f64>(pMu + l) - load<f64>(pMu + l - 8)) / (load<f64>(pE + l) - load<f64>(pE + l - 8)));

  const nmin = max(3, <i32>(<f64>n * 0.02));
  let lo = Infinity;
  let hi = -Infinity;
  const i1 = n - nmin;
  for (let i = 0; i < n; i++) {
    const p = pD + <usize>i * 8;
    let v = load<f64>(p);
    if (!isFinite(v)) {
      v = -1;
      store<f64>(p, v);
    }
    if (i >= nmin && i < i1) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi >= lo)) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = load<f64>(pD + <usize>i * 8);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const ptp = max(1e-10, hi - lo);
  let dhigh = n > 20 ? 0.6 : 0.3;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = pD + <usize>i * 8;
    const v = (load<f64>(p) - lo) / ptp;
    store<f64>(p, v);
    if (v > dhigh) count++;
  }
  if (count < 3) {
    for (let k = 0; k < 2; k++) {
      if (count > 3) break;
      dhigh *= 0.5;
      count = 0;
      for (let i = 0; i < n; i++) if (load<f64>(pD + <usize>i * 8) > dhigh) count++;
    }
  }
  const all = count < 3;
  let imax = 0;
  let dmax = 0.0;
  const lastI = min(n - 1, n - nmin);
  for (let i = nmin; i <= lastI; i++) {
    const p = pD + <usize>i * 8;
    const d = load<f64>(p);
    if (!(d > dmax)) continue;
    if (!all && !(d > dhigh && load<f64>(p + 8) > dhigh && load<f64>(p - 8) > dhigh)) continue;
    imax = i;
    dmax = d;
  }
  return imax;
}

/**
 * Larch find_energy_step on n increasing energies at pE (energyGrid.ts findEnergyStep with
 * fracIgnore 0.01, nave 10, the same selection and summation order): the mean of the 10 smallest
 * steps after skipping the nskip smallest, nskip = trunc(0.01·n) points dropped at both ends;
 * NaN when nskip is 0 or too few steps remain. pBest: scratch for nskip + 10 doubles.
 */
export function energyStep(pE: usize, n: i32, pBest: usize): f64 {
  const nskip = <i32>(0.01 * <f64>n);
  if (nskip == 0) return NaN;
  const nOrd = max(0, n - 1);
  const k1 = max(nskip, nOrd - nskip);
  const keep = nskip + 10;
  let count = 0;
  for (let i = nskip + 1; i < k1; i++) {
    const d = load<f64>(pE + <usize>i * 8) - load<f64>(pE + <usize>(i - 1) * 8);
    if (count == keep && !(d < load<f64>(pBest + <usize>(keep - 1) * 8))) continue;
    let j = count < keep ? count++ : keep - 1;
    while (j > 0 && load<f64>(pBest + <usize>(j - 1) * 8) > d) {
      store<f64>(pBest + <usize>j * 8, load<f64>(pBest + <usize>(j - 1) * 8));
      j--;
    }
    store<f64>(pBest + <usize>j * 8, d);
  }
  if (count <= nskip) return NaN;
  let s = 0.0;
  for (let i = nskip; i < count; i++) s += load<f64>(pBest + <usize>i * 8);
  return s / <f64>(count - nskip);
}
