// WebAssembly kernels for normalize/preEdge.ts (AssemblyScript; `pnpm wasm preEdge`): the passes
// over the whole spectrum, the same operations in the same order as preEdge.ts's JS (same bits).

/**
 * One pass over energy (pE) and μ (pMu): bit 1 set if a value is not finite, bit 2 if a step is
 * not above lim (the grid is not "plain": unsorted, or duplicates remove_dups would move).
 */
export function scan(pE: usize, pMu: usize, n: i32, lim: f64): i32 {
  let z = 0.0;
  let plain = true;
  let prev = load<f64>(pE);
  z += prev - prev;
  z += load<f64>(pMu) - load<f64>(pMu);
  for (let i = 1; i < n; i++) {
    const o = <usize>i * 8;
    const e = load<f64>(pE + o);
    const m = load<f64>(pMu + o);
    z += (e - e) + (m - m);
    if (!(e - prev > lim)) plain = false;
    prev = e;
  }
  return (z == 0 ? 0 : 1) | (plain ? 0 : 2);
}

/**
 * The pre-edge line a + b·E into pPre and pre-edge + post-edge polynomial (Horner from c2, c1, c0
 * with degree `last` ≤ 2) into pPost; at pRes: [0] Σ (v − v) + (pe − pe) (0 if all finite), [1] the
 * largest |μ − μ[0]|.
 */
export function curves(pE: usize, pMu: usize, n: i32, a: f64, b: f64, c0: f64, c1: f64, c2: f64, last: i32, pPre: usize, pPost: usize, pRes: usize): void {
  let z = 0.0;
  let muRange = 0.0;
  const m0 = load<f64>(pMu);
  for (let i = 0; i < n; i++) {
    const o = <usize>i * 8;
    const x = load<f64>(pE + o);
    const pe = a + x * b;
    store<f64>(pPre + o, pe);
    let p = 0.0;
    if (last == 2) p = p * x + c2;
    if (last >= 1) p = p * x + c1;
    p = p * x + c0;
    const v = pe + p;
    store<f64>(pPost + o, v);
    z += v - v + (pe - pe);
    const dm = Math.abs(load<f64>(pMu + o) - m0);
    if (dm > muRange) muRange = dm;
  }
  store<f64>(pRes, z);
  store<f64>(pRes + 8, muRange);
}

/** (μ − pre-edge)/step into pNorm; returns Σ (v − v) (0 if all finite). */
export function normalize(pMu: usize, pPre: usize, n: i32, step: f64, pNorm: usize): f64 {
  let z = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i * 8;
    const v = (load<f64>(pMu + o) - load<f64>(pPre + o)) / step;
    store<f64>(pNorm + o, v);
    z += v - v;
  }
  return z;
}
