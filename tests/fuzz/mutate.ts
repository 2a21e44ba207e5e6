// Input generators for the fuzz targets: mutations of a valid seed file (what a half-copied file,
// a flipped bit on a USB stick, a spreadsheet round-trip or another exporter produces) and plain
// generated garbage. Pure functions of the fast-check values, so every failure is reproducible
// from the seed and path fast-check prints.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'dupLine'; at: number }
  | { kind: 'delLine'; at: number }
  | { kind: 'hugeNumber'; at: number; text: string }
  | { kind: 'overwrite32'; at: number; value: number; littleEndian: boolean }
  | { kind: 'encoding'; to: 'crlf' | 'utf8bom' | 'utf16le' | 'utf16be' | 'latin1mu' | 'fortranD' | 'decimalComma' };

const pos = fc.double({ min: 0, max: 1, noNaN: true });
/** Numbers real files contain when something upstream went wrong. */
const HUGE = ['1e309', '-1e309', '99999999999999999999999', '1.0D+03', 'NaN', 'inf', '-0', '1e-400', '4294967296', '-2147483649', '0x7fffffff', '1,5', ''];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: pos }),
  fc.record({ kind: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: pos, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('dupLine' as const), at: pos }),
  fc.record({ kind: fc.constant('delLine' as const), at: pos }),
  fc.record({ kind: fc.constant('hugeNumber' as const), at: pos, text: fc.constantFrom(...HUGE) }),
  fc.record({
    kind: fc.constant('overwrite32' as const),
    at: pos,
    value: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 65536, 0x10000000),
    littleEndian: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('encoding' as const), to: fc.constantFrom('crlf', 'utf8bom', 'utf16le', 'utf16be', 'latin1mu', 'fortranD', 'decimalComma') }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const latin1 = new TextDecoder('latin1');
const enc = new TextEncoder();

function lineBounds(b: Uint8Array, at: number): [number, number] {
  const s = b.lastIndexOf(10, at) + 1;
  let e = b.indexOf(10, at);
  if (e < 0) e = b.length - 1;
  return [s, e + 1];
}

function reencode(b: Uint8Array, to: Extract<Mutation, { kind: 'encoding' }>['to']): Uint8Array {
  // Byte-transparent round trip through latin1 keeps binary files binary.
  const t = latin1.decode(b);
  switch (to) {
    case 'crlf':
      return bytesLatin1(t.replace(/\r?\n/g, '\r\n'));
    case 'utf8bom':
      return concat(Uint8Array.of(0xef, 0xbb, 0xbf), b);
    case 'latin1mu':
      // A Latin-1 "µm" unit (0xB5) as an older Windows exporter writes it.
      return bytesLatin1(t.replace(/\n/, ' µm\n'));
    case 'fortranD':
      return bytesLatin1(t.replace(/(\d)[eE]([+-]?\d)/g, '$1D$2'));
    case 'decimalComma':
      return bytesLatin1(t.replace(/(\d)\.(\d)/g, '$1,$2').replace(/ +/g, ';'));
    case 'utf16le':
    case 'utf16be': {
      const out = new Uint8Array(2 + 2 * t.length);
      out[0] = to === 'utf16le' ? 0xff : 0xfe;
      out[1] = to === 'utf16le' ? 0xfe : 0xff;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        out[2 + 2 * i + (to === 'utf16le' ? 0 : 1)] = c & 0xff;
        out[2 + 2 * i + (to === 'utf16le' ? 1 : 0)] = c >> 8;
      }
      return out;
    }
  }
}

function bytesLatin1(t: string): Uint8Array {
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t.charCodeAt(i) & 0xff;
  return out;
}

/** Apply mutations in order to a copy of `src` (the seed is never modified). */
export function mutate(src: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = src.slice();
  for (const m of muts) {
    if (m.kind === 'encoding') {
      b = reencode(b, m.to);
      continue;
    }
    if (b.length === 0) break;
    const at = Math.min(b.length - 1, Math.floor(m.at * b.length));
    switch (m.kind) {
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'flip':
        b[at] ^= 1 << m.bit;
        break;
      case 'insert':
        b = concat(b.subarray(0, at), Uint8Array.of(m.byte), b.subarray(at));
        break;
      case 'overwrite32':
        if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, m.value >>> 0, m.littleEndian);
        break;
      case 'hugeNumber': {
        // Replace the digit run at (or after) `at` by an extreme number.
        let s = at;
        while (s < b.length && !(b[s] >= 48 && b[s] <= 57)) s++;
        if (s >= b.length) break;
        let e = s;
        while (e < b.length && ((b[e] >= 48 && b[e] <= 57) || b[e] === 46)) e++;
        b = concat(b.subarray(0, s), enc.encode(m.text), b.subarray(e));
        break;
      }
      default: {
        const [s, e] = lineBounds(b, at);
        b = m.kind === 'dupLine' ? concat(b.subarray(0, e), b.subarray(s, e), b.subarray(e)) : concat(b.subarray(0, s), b.subarray(e));
      }
    }
  }
  return b;
}

/** Garbage: random bytes, or random lines of format-flavoured tokens. */
export function garbageArb(vocabulary: readonly string[]): fc.Arbitrary<Uint8Array> {
  const tokens = fc.constantFrom(...vocabulary, ' ', '\t', ',', ';', '#', '\n', '\r\n', '-', '.', 'e', 'E', 'D', '1', '0', '9', '(', ')', '[', ']', '"', "'", '=', '<', '>', '/', '\u00b5', '\ufeff', '\u0000');
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.array(tokens, { maxLength: 400 }).map((t) => enc.encode(t.join(''))),
  );
}
