// Loading the WebAssembly kernels (assembly/*.ts, compiled by `pnpm wasm` into generated/*.ts) and
// managing their memory from JS. Why WebAssembly: on the dense inner loops of the EXAFS pipeline
// (matrix–vector products, short DFTs) V8's typed-array code runs at ~0.3 multiply-adds per ns on
// the reference machine, the same loop in WebAssembly with two f64 lanes at ~1.5–2.5: numpy's
// speed, without leaving the isomorphic, build-step-free packages.
//
// Every kernel has a plain-JS twin that performs the same floating-point operations in the same
// order, so results are bit-identical with or without WebAssembly (tests compare the two paths);
// the JS path runs when WebAssembly or its SIMD is unavailable, when the synchronous compile is
// refused (browsers' main thread limits it to small modules), or when disabled with
// setWasmEnabled(false) or SITEPROOF_WASM=0.

/** Bump-and-free-list allocator over a module's linear memory (JS decides the whole layout). */
export class WasmHeap {
  private f64View: Float64Array;
  /** Free blocks [ptr, size] sorted by address, coalesced. */
  private free: number[][] = [];
  private top: number;
  private readonly sizes = new Map<number, number>();

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = base;
    this.f64View = new Float64Array(memory.buffer);
  }

  /** A Float64Array over the whole memory (renewed when the memory grows). */
  get f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }

  /** A block of n doubles, 16-byte aligned; returns its byte address. */
  alloc(n: number): number {
    const size = Math.max(16, (8 * n + 15) & ~15);
    for (let i = 0; i < this.free.length; i++) {
      const [p, s] = this.free[i];
      if (s < size) continue;
      if (s === size) this.free.splice(i, 1);
      else this.free[i] = [p + size, s - size];
      this.sizes.set(p, size);
      return p;
    }
    const p = this.top;
    const end = p + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = end;
    this.sizes.set(p, size);
    return p;
  }

  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < ptr) i++;
    this.free.splice(i, 0, [ptr, size]);
    // coalesce with the neighbours
    if (i + 1 < this.free.length && this.free[i][0] + this.free[i][1] === this.free[i + 1][0]) {
      this.free[i][1] += this.free[i + 1][1];
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === this.free[i][0]) {
      this.free[i - 1][1] += this.free[i][1];
      this.free.splice(i, 1);
    }
    // give the last block back to the bump pointer
    const last = this.free[this.free.length - 1];
    if (last && last[0] + last[1] === this.top) {
      this.top = last[0];
      this.free.pop();
    }
  }

  /** Bytes in use (blocks handed out and not released). */
  get used(): number {
    let s = 0;
    for (const v of this.sizes.values()) s += v;
    return s;
  }

  /** Copy the first n values of a into scratch slot `slot`; returns its byte address. */
  put(slot: number, a: ArrayLike<number>, n = a.length): number {
    const p = this.scratch(slot, n);
    const mem = this.f64;
    const o = p / 8;
    if (a instanceof Float64Array) mem.set(n === a.length ? a : a.subarray(0, n), o);
    else for (let i = 0; i < n; i++) mem[o + i] = a[i];
    return p;
  }

  private scratchPtr: number[] = [];
  private scratchLen: number[] = [];
  /** A per-slot scratch block of at least n doubles, kept between calls (contents undefined). */
  scratch(slot: number, n: number): number {
    if ((this.scratchLen[slot] ?? -1) < n) {
      if (this.scratchPtr[slot] !== undefined) this.release(this.scratchPtr[slot]);
      const len = Math.max(n, 2 * (this.scratchLen[slot] ?? 0));
      this.scratchPtr[slot] = this.alloc(len);
      this.scratchLen[slot] = len;
    }
    return this.scratchPtr[slot];
  }
}

export interface WasmKernels<E> {
  exports: E;
  heap: WasmHeap;
}

let enabled = !(typeof process !== 'undefined' && process.env?.SITEPROOF_WASM === '0');

/** Turn the WebAssembly kernels on or off (off: the plain-JS twins, same numbers). Returns the previous setting. */
export function setWasmEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

export function wasmEnabled(): boolean {
  return enabled;
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A lazily instantiated kernel module: get() returns it, or null when WebAssembly (with SIMD) is
 * unavailable or disabled. The heap starts above the first 64 KiB page (the module's own static
 * data and stack, unused by the kernels, stay below).
 */
export function lazyKernels<E>(base64: string): { get(): WasmKernels<E> | null } {
  let state: WasmKernels<E> | null | undefined;
  return {
    get() {
      if (!enabled) return null;
      if (state !== undefined) return state;
      state = null;
      try {
        if (typeof WebAssembly === 'undefined') return null;
        const bytes = decodeBase64(base64);
        if (!WebAssembly.validate(bytes)) return null; // no SIMD in this engine
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => { throw new Error('wasm abort'); } } });
        const memory = instance.exports.memory as WebAssembly.Memory;
        state = { exports: instance.exports as unknown as E, heap: new WasmHeap(memory, 65536) };
      } catch {
        state = null; // e.g. synchronous compile refused on a browser's main thread
      }
      return state;
    },
  };
}
