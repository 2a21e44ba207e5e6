// Random access to a large binary file (an imzML .ibd can be many GB) without holding it in
// memory: the reader asks for the byte ranges it needs. The CLI implements this with a Node file
// handle (apps/cli/src/io.ts openByteSource), the browser with Blob.slice; in-memory bytes work
// too. Kept to two members so any storage (HTTP range requests, OPFS) can provide one.
import { ParseError } from '@siteproof/core';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** `length` bytes from `offset`; fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory (small files, tests). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length)),
  };
}

/** A ByteSource over a browser File/Blob: only the requested slice is ever loaded. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer()),
  };
}

/** Read exactly `length` bytes or throw a ParseError naming the range (file cut short). */
export async function readExactly(src: ByteSource, offset: number, length: number, file: string): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
    throw new ParseError(`bytes ${offset}–${offset + length} lie outside the file (${src.size} bytes)`, { file });
  }
  const b = await src.read(offset, length);
  if (b.byteLength !== length) throw new ParseError(`read ${b.byteLength} of ${length} bytes at byte ${offset}: the file is shorter than it claims`, { file });
  return b;
}
