// WebAssembly SIMD kernels for the image filters (4 float32 lanes per instruction, no bounds
// checks): on a 2048² image a 7-tap Gaussian pass is ~4× faster than the best plain-JS loop. No npm
// package offers isomorphic SIMD image filters, and shipping a compiled binary would need a build
// step, so the module (a few hundred bytes) is assembled here from its instructions: the source is
// the code below. Engines without WebAssembly SIMD get `null` and the callers use their plain-JS
// loops, which compute the same sums (up to float32 rounding).

/** Byte writer for the module. */
class Bytes {
  b: number[] = [];
  u(...x: number[]): this {
    this.b.push(...x);
    return this;
  }
  /** Unsigned LEB128. */
  leb(v: number): this {
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      if (v) byte |= 0x80;
      this.b.push(byte);
    } while (v);
    return this;
  }
  /** Signed LEB128 (small constants only). */
  sleb(v: number): this {
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) {
        this.b.push(byte);
        return this;
      }
      this.b.push(byte | 0x80);
    }
  }
  vec(items: number[][]): this {
    this.leb(items.length);
    for (const it of items) this.b.push(...it);
    return this;
  }
  section(id: number, body: number[]): this {
    return this.u(id).leb(body.length).u(...body);
  }
}

// Opcodes (WebAssembly core 2.0 and fixed-width SIMD).
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br_if: 0x0d, end: 0x0b,
  get: 0x20, set: 0x21, tee: 0x22,
  i32const: 0x41, i32add: 0x6a, i32sub: 0x6b, i32mul: 0x6c, i32shl: 0x74, i32ltu: 0x49, i32gts: 0x4a, i32les: 0x4c, i32geu: 0x4f,
};
const simd = (code: number, ...rest: number[]) => new Bytes().u(0xfd).leb(code).u(...rest).b;
const v128load = (offset = 0) => simd(0x00, 0, ...new Bytes().leb(offset).b);
const v128store = () => simd(0x0b, 0, 0);
const f32x4add = () => simd(0xe4);
const f32x4sub = () => simd(0xe5);
const f32x4mul = () => simd(0xe6);
const f32x4gt = () => simd(0x44);
const bitselect = () => simd(0x52);

/**
 * fir(src, dst, n, stride, r, k): for the n floats (n a multiple of 4) at byte address src,
 * dst[i] = k[0]·src[i] + Σ_{j=1..r} k[j]·(src[i − j·stride] + src[i + j·stride]), stride in bytes,
 * k at byte address k with each tap replicated over 4 lanes (16 bytes per tap).
 */
function firBody(): number[] {
  // params: 0 src, 1 dst, 2 n, 3 stride, 4 r, 5 k; locals: 6 i, 7 end, 8 j, 9 off, 10 p (i32), 11 acc (v128)
  const [SRC, DST, N, STRIDE, R, K, I, END, J, OFF, P, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new Bytes();
  c.u(op.get, N, op.i32const, 2, op.i32shl, op.set, END);
  c.u(op.block, 0x40);
  c.u(op.get, I, op.get, END, op.i32geu, op.br_if, 0);
  c.u(op.loop, 0x40);
  // acc = k0 · src[i]
  c.u(op.get, K).u(...v128load());
  c.u(op.get, SRC, op.get, I, op.i32add, op.tee, P).u(...v128load());
  c.u(...f32x4mul(), op.set, ACC);
  // for j = 1..r: acc += k_j · (src[p − off] + src[p + off])
  c.u(op.i32const, 1, op.set, J, op.get, STRIDE, op.set, OFF);
  c.u(op.block, 0x40);
  c.u(op.get, J, op.get, R, op.i32gts, op.br_if, 0);
  c.u(op.loop, 0x40);
  c.u(op.get, K, op.get, J, op.i32const, 4, op.i32shl, op.i32add).u(...v128load());
  c.u(op.get, P, op.get, OFF, op.i32sub).u(...v128load());
  c.u(op.get, P, op.get, OFF, op.i32add).u(...v128load());
  c.u(...f32x4add(), ...f32x4mul(), op.get, ACC, ...f32x4add(), op.set, ACC);
  c.u(op.get, OFF, op.get, STRIDE, op.i32add, op.set, OFF);
  c.u(op.get, J, op.i32const, 1, op.i32add, op.tee, J, op.get, R, op.i32les, op.br_if, 0);
  c.u(op.end, op.end);
  // dst[i] = acc; i += 16 bytes
  c.u(op.get, DST, op.get, I, op.i32add, op.get, ACC).u(...v128store());
  c.u(op.get, I, op.i32const, 16, op.i32add, op.tee, I, op.get, END, op.i32ltu, op.br_if, 0);
  c.u(op.end, op.end);
  return fnBody([[5, I32], [1, V128]], c.b);
}

/** Wrap a function body (locals + code, without the final `end`) with its size. */
function fnBody(locals: number[][], code: number[]): number[] {
  const body = [...new Bytes().vec(locals).b, ...code, op.end];
  return [...new Bytes().leb(body.length).b, ...body];
}

/**
 * A loop over i = 0, 16, 32, … < 4n bytes (n a multiple of 4) running `step`; local I is the byte
 * offset, N the parameter holding n, END a scratch local.
 */
function vectorLoop(N: number, I: number, END: number, step: number[]): number[] {
  const c = new Bytes();
  c.u(op.get, N, op.i32const, 2, op.i32shl, op.set, END);
  c.u(op.block, 0x40, op.get, I, op.get, END, op.i32geu, op.br_if, 0, op.loop, 0x40);
  c.u(...step);
  c.u(op.get, I, op.i32const, 16, op.i32add, op.tee, I, op.get, END, op.i32ltu, op.br_if, 0);
  c.u(op.end, op.end);
  return c.b;
}

/** vadd(acc, src, n): acc[i] += src[i] (block sums of the background). */
function vaddBody(): number[] {
  const [ACC, SRC, N, I, END] = [0, 1, 2, 3, 4];
  const step = new Bytes()
    .u(op.get, ACC, op.get, I, op.i32add)
    .u(op.get, ACC, op.get, I, op.i32add).u(...v128load())
    .u(op.get, SRC, op.get, I, op.i32add).u(...v128load())
    .u(...f32x4add()).u(...v128store()).b;
  return fnBody([[2, I32]], vectorLoop(N, I, END, step));
}

/** lerpsub(src, dst, a, b, n, t): dst[i] = src[i] − (a[i] + (b[i] − a[i])·t) (background removal). */
function lerpsubBody(): number[] {
  const [SRC, DST, A, B, N, T, I, END, TV] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const step = new Bytes()
    .u(op.get, DST, op.get, I, op.i32add)
    .u(op.get, SRC, op.get, I, op.i32add).u(...v128load())
    .u(op.get, A, op.get, I, op.i32add).u(...v128load())
    .u(op.get, B, op.get, I, op.i32add).u(...v128load())
    .u(op.get, A, op.get, I, op.i32add).u(...v128load())
    .u(...f32x4sub(), op.get, TV, ...f32x4mul(), ...f32x4add(), ...f32x4sub()).u(...v128store()).b;
  const code = [op.get, T, ...simd(0x13), op.set, TV, ...vectorLoop(N, I, END, step)];
  return fnBody([[2, I32], [1, V128]], code);
}

/**
 * logmax(g, z, sc, n, rowBytes, s2, med, inv, s): for the n pixels (a multiple of 4) from byte
 * address g, lap = s2·(g[−1] + g[+1] + g[−row] + g[+row] − 4g) and v = (lap − med)·inv; where
 * v > z: z = v and sc = s (the LoG significance map's per-scale update; z, sc at their own addresses).
 */
function logmaxBody(): number[] {
  const [G, Z, SC, N, WB, S2, MED, INV, S, I, END, P, VS2, VMED, VINV, VS, C, V, M] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const splat = (from: number, to: number) => [op.get, from, ...simd(0x13), op.set, to];
  const step = new Bytes()
    .u(op.get, G, op.get, I, op.i32add, op.set, P)
    .u(op.get, P).u(...v128load(), op.set, C)
    .u(op.get, P, op.i32const, 4, op.i32sub).u(...v128load())
    .u(op.get, P).u(...v128load(4), ...f32x4add())
    .u(op.get, P, op.get, WB, op.i32sub).u(...v128load(), ...f32x4add())
    .u(op.get, P, op.get, WB, op.i32add).u(...v128load(), ...f32x4add())
    .u(op.get, C, op.get, C, ...f32x4add(), op.tee, C, op.get, C, ...f32x4add(), ...f32x4sub())
    .u(op.get, VS2, ...f32x4mul(), op.get, VMED, ...f32x4sub(), op.get, VINV, ...f32x4mul(), op.set, V)
    .u(op.get, V, op.get, Z, op.get, I, op.i32add).u(...v128load(), ...f32x4gt(), op.set, M)
    .u(op.get, Z, op.get, I, op.i32add, op.get, V, op.get, Z, op.get, I, op.i32add).u(...v128load(), op.get, M, ...bitselect()).u(...v128store())
    .u(op.get, SC, op.get, I, op.i32add, op.get, VS, op.get, SC, op.get, I, op.i32add).u(...v128load(), op.get, M, ...bitselect()).u(...v128store()).b;
  const code = [...splat(S2, VS2), ...splat(MED, VMED), ...splat(INV, VINV), ...splat(S, VS), ...vectorLoop(N, I, END, step)];
  return fnBody([[3, I32], [7, V128]], code);
}

/**
 * above(src, n, t, out) → count: byte offsets (from src) of the 4-pixel groups among the n pixels
 * (a multiple of 4) where any pixel is > t, written as i32 at out; NaN is never above. Local-maxima
 * search: only these few groups get the 3×3 test.
 */
function aboveBody(): number[] {
  const [SRC, N, T, OUT, I, END, CNT, VT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const step = new Bytes()
    .u(op.get, SRC, op.get, I, op.i32add).u(...v128load(), op.get, VT, ...f32x4gt(), ...simd(0x53))
    .u(0x04, 0x40) // if
    .u(op.get, OUT, op.get, CNT, op.i32const, 2, op.i32shl, op.i32add, op.get, I, 0x36, 2, 0) // i32.store
    .u(op.get, CNT, op.i32const, 1, op.i32add, op.set, CNT)
    .u(op.end).b;
  const code = [op.get, T, ...simd(0x13), op.set, VT, ...vectorLoop(N, I, END, step), op.get, CNT];
  return fnBody([[3, I32], [1, V128]], code);
}

/** Largest radius with a fully unrolled filter (the detection smoothing, LoG steps, small blurs). */
export const UNROLLED_MAX_R = 8;

/**
 * fir with the radius fixed at r and the taps written out: the kernel sits in registers and the
 * tap offsets in locals, so the loop has no inner loop and no kernel loads (same arguments as fir;
 * its r argument is ignored).
 */
function firUnrolledBody(r: number): number[] {
  const [SRC, DST, N, STRIDE, , K, I, END, P] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const O = (j: number) => 8 + j; // i32 locals O1..Or: j·stride
  const KV = (j: number) => 9 + r + j; // v128 locals K0..Kr
  const ACC = 9 + r + r + 1;
  const c = new Bytes();
  for (let j = 0; j <= r; j++) c.u(op.get, K).u(...v128load(16 * j), op.set, KV(j));
  for (let j = 1; j <= r; j++) c.u(op.get, STRIDE, op.i32const).sleb(j).u(op.i32mul, op.set, O(j));
  const step = new Bytes()
    .u(op.get, SRC, op.get, I, op.i32add, op.tee, P).u(...v128load(), op.get, KV(0), ...f32x4mul(), op.set, ACC);
  for (let j = 1; j <= r; j++) {
    step.u(op.get, P, op.get, O(j), op.i32sub).u(...v128load());
    step.u(op.get, P, op.get, O(j), op.i32add).u(...v128load());
    step.u(...f32x4add(), op.get, KV(j), ...f32x4mul(), op.get, ACC, ...f32x4add(), op.set, ACC);
  }
  step.u(op.get, DST, op.get, I, op.i32add, op.get, ACC).u(...v128store());
  c.u(...vectorLoop(N, I, END, step.b));
  return fnBody([[3 + r, I32], [r + 2, V128]], c.b);
}

/**
 * boot(sizes, m, reps, seed, outSite, outAtoms): the site bootstrap of pairStatistics (scalar, not
 * SIMD: wasm's native int32 arithmetic makes the mulberry32 draws ~2× cheaper than in JS). For each
 * of `reps` replicates, m draws idx = floor(u/2^32·m) of the generator of `seed`, counting sites of
 * size 2 (p) and atoms (a); writes p/m and (a > 0 ? 2p/a : 0) as f64. Same numbers as the JS loop.
 */
function bootBody(): number[] {
  const [SIZES, M, REPS, SEED, OS, OA, B, I, ST, T, P, A, SZ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const FM = 13; // f64 local: m
  const xor = 0x73, shru = 0x76, or = 0x72, mul = 0x6c, i32load = 0x28, i32eq = 0x46;
  const f64 = { convU: 0xb8, convS: 0xb7, mul: 0xa2, div: 0xa3, trunc: 0xab, store: 0x39, const: 0x44 };
  const f64const = (v: number) => [f64.const, ...new Uint8Array(new Float64Array([v]).buffer)];
  const c = new Bytes();
  c.u(op.get, M, f64.convS, op.set, FM, op.get, SEED, op.set, ST);
  c.u(op.block, 0x40, op.get, REPS, op.i32const, 0, 0x4c /* i32.le_s */, op.br_if, 0, op.loop, 0x40);
  c.u(op.i32const, 0, op.set, P, op.i32const, 0, op.set, A, op.i32const, 0, op.set, I);
  c.u(op.loop, 0x40);
  // state += 0x6d2b79f5; t = state
  c.u(op.get, ST, op.i32const).sleb(0x6d2b79f5 | 0).u(op.i32add, op.tee, ST, op.set, T);
  // t = imul(t ^ t>>>15, t | 1)
  c.u(op.get, T, op.get, T, op.i32const, 15, shru, xor, op.get, T, op.i32const, 1, or, mul, op.set, T);
  // t ^= t + imul(t ^ t>>>7, t | 61)
  c.u(op.get, T, op.get, T, op.get, T, op.get, T, op.i32const, 7, shru, xor, op.get, T, op.i32const, 61, or, mul, op.i32add, xor, op.set, T);
  // idx = trunc(f64(u ^ u>>>14 as unsigned) / 2^32 · m); sz = sizes[idx]
  c.u(op.get, SIZES, op.get, T, op.get, T, op.i32const, 14, shru, xor, f64.convU, ...f64const(4294967296), f64.div, op.get, FM, f64.mul, f64.trunc);
  c.u(op.i32const, 2, op.i32shl, op.i32add, i32load, 2, 0, op.tee, SZ);
  c.u(op.get, A, op.i32add, op.set, A, op.get, P, op.get, SZ, op.i32const, 2, i32eq, op.i32add, op.set, P);
  c.u(op.get, I, op.i32const, 1, op.i32add, op.tee, I, op.get, M, 0x48 /* i32.lt_s */, op.br_if, 0, op.end);
  // outSite[b] = p/m; outAtoms[b] = a ? 2p/a : 0
  c.u(op.get, OS, op.get, B, op.i32const, 3, op.i32shl, op.i32add, op.get, P, f64.convS, op.get, FM, f64.div, f64.store, 3, 0);
  c.u(op.get, OA, op.get, B, op.i32const, 3, op.i32shl, op.i32add);
  c.u(op.get, P, op.i32const, 1, op.i32shl, f64.convS, op.get, A, f64.convS, f64.div, ...f64const(0), op.get, A, 0x1b /* select */, f64.store, 3, 0);
  c.u(op.get, B, op.i32const, 1, op.i32add, op.tee, B, op.get, REPS, 0x48, op.br_if, 0, op.end, op.end);
  return fnBody([[7, I32], [1, 0x7c]], c.b);
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const m = new Bytes().u(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  m.section(
    1,
    new Bytes().vec([
      [0x60, 6, I32, I32, I32, I32, I32, I32, 0], // fir
      [0x60, 3, I32, I32, I32, 0], // vadd
      [0x60, 6, I32, I32, I32, I32, I32, F32, 0], // lerpsub
      [0x60, 9, I32, I32, I32, I32, I32, F32, F32, F32, F32, 0], // logmax
      [0x60, 4, I32, I32, F32, I32, 1, I32], // above
      [0x60, 6, I32, I32, I32, I32, I32, I32, 0], // boot
    ]).b,
  );
  const rs = Array.from({ length: UNROLLED_MAX_R }, (_, i) => i + 1);
  m.section(3, new Bytes().vec([[0], [1], [2], [3], [4], ...rs.map(() => [0]), [5]]).b);
  m.section(5, new Bytes().vec([[0x00, 1]]).b); // memory, min 1 page, grown from JS
  const name = (s: string) => [...new Bytes().leb(s.length).b, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  m.section(7, new Bytes().vec([[...name('fir'), 0x00, 0], [...name('vadd'), 0x00, 1], [...name('lerpsub'), 0x00, 2], [...name('logmax'), 0x00, 3], [...name('above'), 0x00, 4], ...rs.map((r) => [...name(`fir${r}`), 0x00, 4 + r]), [...name('boot'), 0x00, 5 + UNROLLED_MAX_R], [...name('mem'), 0x02, 0]]).b);
  m.section(10, new Bytes().vec([firBody(), vaddBody(), lerpsubBody(), logmaxBody(), aboveBody(), ...rs.map(firUnrolledBody), bootBody()]).b);
  return new Uint8Array(m.b);
}

export interface SimdKernels {
  memory: WebAssembly.Memory;
  fir: (src: number, dst: number, n: number, stride: number, r: number, k: number) => void;
  /** firByRadius[r]: fir unrolled for radius r (1 … UNROLLED_MAX_R), same arguments. */
  firByRadius: SimdKernels['fir'][];
  vadd: (acc: number, src: number, n: number) => void;
  lerpsub: (src: number, dst: number, a: number, b: number, n: number, t: number) => void;
  logmax: (g: number, z: number, sc: number, n: number, rowBytes: number, s2: number, med: number, inv: number, s: number) => void;
  above: (src: number, n: number, t: number, out: number) => number;
  boot: (sizes: number, m: number, reps: number, seed: number, outSite: number, outAtoms: number) => void;
  /** Grow the memory to at least `bytes`; false when the engine refuses. */
  reserve: (bytes: number) => boolean;
}

let cached: SimdKernels | null | undefined;
let enabled = true;

/**
 * Drop the module and its memory. The memory grows to the largest image's need (≈ 8 floats per
 * pixel for the LoG map, 128 MB at 2048²) and is kept for the next image; a long-lived page that
 * is done with images can give it back with this (the next call builds a fresh module).
 */
export function releaseSimdMemory(): void {
  cached = undefined;
}

/** Switch the SIMD kernels off (true: back on), so tests and benchmarks can run the JS loops. */
export function useSimd(on: boolean): void {
  enabled = on;
}

/** The SIMD kernels, or null where WebAssembly SIMD is unavailable (then use the JS loops). */
export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const g = globalThis as { WebAssembly?: typeof WebAssembly };
    if (!g.WebAssembly) return null;
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const memory = inst.exports.mem as WebAssembly.Memory;
    const fir = inst.exports.fir as SimdKernels['fir'];
    const reserve = (bytes: number) => {
      const have = memory.buffer.byteLength;
      if (bytes <= have) return true;
      if (bytes > 2 ** 31) return false; // the kernels take i32 byte addresses
      try {
        memory.grow(Math.ceil((bytes - have) / 65536));
        return true;
      } catch {
        return false;
      }
    };
    const firByRadius = Array.from({ length: UNROLLED_MAX_R + 1 }, (_, r) => (r ? (inst.exports[`fir${r}`] as SimdKernels['fir']) : fir));
    cached = { memory, fir, firByRadius, reserve, vadd: inst.exports.vadd as SimdKernels['vadd'], lerpsub: inst.exports.lerpsub as SimdKernels['lerpsub'], logmax: inst.exports.logmax as SimdKernels['logmax'], above: inst.exports.above as SimdKernels['above'], boot: inst.exports.boot as SimdKernels['boot'] };
  } catch {
    cached = null;
  }
  return cached;
}
