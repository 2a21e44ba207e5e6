// WebAssembly kernels for math/smooth.ts (AssemblyScript; `pnpm wasm` compiles it into
// src/wasm/generated/smooth.ts). Addresses are byte offsets into the module's memory, laid out by
// the JS caller.

/**
 * out[i] = Σ_j M[i·n + j]·y[j] for i < rows, with the four partial sums of smooth.ts's rowDot
 * (s0: j ≡ 0 mod 4, s1: ≡ 1, s2: ≡ 2, s3: ≡ 3, the tail into s0) held in two f64x2 lanes each and
 * combined as (s0 + s1) + (s2 + s3): the same operations in the same order, so the same bits.
 */
export function matvec(pM: usize, pY: usize, pO: usize, n: i32, rows: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < rows; i++) {
    const row = pM + <usize>i * <usize>n * 8;
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    let j = 0;
    for (; j < n4; j += 4) {
      const o = <usize>j * 8;
      a = f64x2.add(a, f64x2.mul(v128.load(row + o), v128.load(pY + o)));
      b = f64x2.add(b, f64x2.mul(v128.load(row + o + 16), v128.load(pY + o + 16)));
    }
    let s0 = f64x2.extract_lane(a, 0);
    for (; j < n; j++) s0 += load<f64>(row + <usize>j * 8) * load<f64>(pY + <usize>j * 8);
    store<f64>(pO + <usize>i * 8, s0 + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1)));
  }
}
