// Bytes → text at the edge of the XAS readers: gzip (with a size cap), BOMs, UTF-16,
// UTF-8 with a Latin-1 fallback, and line endings normalized to '\n' (as Larch's
// read_textfile does). Nothing here touches the file system.
import { Gunzip } from 'fflate';
import { LimitError, ParseError } from '@siteproof/core';

/** Default cap on decompressed size: Larch refuses files above 256 MB (MAX_FILESIZE). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export interface DecodeOptions {
  /** Largest accepted (decompressed) size in bytes. */
  maxBytes?: number;
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Gunzip with a streaming size check, so a small "zip bomb" cannot allocate gigabytes.
 * fflate is used rather than DecompressionStream because it is synchronous in both Node and browsers.
 */
export function gunzipCapped(bytes: Uint8Array, file: string, maxBytes = DEFAULT_MAX_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const gz = new Gunzip((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new LimitError(`decompressed size exceeds ${maxBytes} bytes`, { file }, 'raise options.maxBytes if the file is genuine');
    }
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    gz.push(bytes, true);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new ParseError(`corrupt or truncated gzip data (${(e as Error).message})`, { file, line: 1 });
  }
  if (!ended) throw new ParseError('truncated gzip data: the compressed stream ends early', { file, line: 1 });
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  // fflate's streaming inflater returns what it has when the stream is cut short, so check the
  // gzip trailer (CRC-32 and length mod 2^32 of the data) ourselves.
  const n = bytes.length;
  const tail = n >= 18 ? new DataView(bytes.buffer, bytes.byteOffset + n - 8, 8) : undefined;
  if (!tail || tail.getUint32(0, true) !== crc32(out) || tail.getUint32(4, true) !== total % 0x100000000) {
    throw new ParseError('truncated gzip data: the size/CRC check at the end of the file does not match', { file, line: 1 }, 'the file was probably cut short while copying');
  }
  return out;
}

let CRC_TABLE: Uint32Array | undefined;
function crc32(b: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[i] = c >>> 0;
    }
  }
  const t = CRC_TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decodeUtf16(b: Uint8Array, little: boolean): string {
  const n = (b.length - 2) >> 1;
  let s = '';
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const lo = b[2 + 2 * i];
    const hi = b[3 + 2 * i];
    s += String.fromCharCode(little ? lo | (hi << 8) : (lo << 8) | hi);
    if (s.length > 8192) {
      parts.push(s);
      s = '';
    }
  }
  parts.push(s);
  return parts.join('');
}

/** Decode bytes: UTF-8 (BOM optional), UTF-16 with BOM, else Latin-1 (old beamline files). */
export function decodeBytes(b: Uint8Array): string {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(b.subarray(3));
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return decodeUtf16(b, true);
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return decodeUtf16(b, false);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('latin1').decode(b);
  }
}

/**
 * Input (bytes or string) → text with '\n' line ends. Gzip is detected by its magic number.
 * Strings are taken as already decoded (a leading BOM is dropped).
 */
export function toText(input: Uint8Array | string, file: string, opts: DecodeOptions = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  if (typeof input === 'string') {
    if (input.length > maxBytes) throw new LimitError(`input exceeds ${maxBytes} characters`, { file });
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    let b = input;
    if (isGzip(b)) b = gunzipCapped(b, file, maxBytes);
    else if (b.length > maxBytes) throw new LimitError(`file exceeds ${maxBytes} bytes`, { file });
    text = decodeBytes(b);
  }
  return text.indexOf('\r') >= 0 ? text.replace(/\r\n?/g, '\n') : text;
}
