// Gatan DigitalMicrograph DM3/DM4 reader. No npm package reads these, so the tag tree is parsed
// here, following the public format notes (Boothroyd's dmformat; the layout rosettasciio reads):
// big-endian header and tag structure, payload in the byte order the header declares. Every size
// and count is checked against the bytes left before anything is allocated, and nesting is limited.
import { z } from 'zod';
import { LimitError, ParseError, UnsupportedError, ValidationError, parseOptions } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';
import { unitToNm } from './units';

export interface DmReadOptions {
  maxPixels?: number;
  /** Deepest tag-group nesting accepted (real files use < 15). */
  maxDepth?: number;
  /** Streaming path: most bytes of tag tree (not pixel data) fetched, default 64 MiB. */
  maxTagBytes?: number;
}

/**
 * Random access to a file's bytes (the CLI's openByteSource, a browser Blob, bytes in memory).
 * The same structural interface as @siteproof/tofsims' ByteSource, declared here so stem-stats
 * does not depend on tofsims.
 */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

const DEFAULT_MAX_TAG_BYTES = 64 * 1024 * 1024;

/** A parsed tag value: numbers, strings, arrays of numbers (as lazy views for big ones), groups. */
export type DmValue = number | string | boolean | DmArray | DmGroup | DmValue[];
export interface DmArray {
  kind: 'array';
  type: number;
  length: number;
  /** Byte offset of the first element in the file. */
  offset: number;
}
export interface DmGroup {
  kind: 'group';
  /** Entries in file order; unnamed entries (lists) have name ''. */
  entries: { name: string; value: DmValue }[];
}

const SIZE: Record<number, number> = { 2: 2, 3: 4, 4: 2, 5: 4, 6: 4, 7: 8, 8: 1, 9: 1, 10: 1, 11: 8, 12: 8 };

export function isDm(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0, false);
  return v === 3 || v === 4;
}

/** Bytes behind the parser: a whole file in memory, or pages fetched from a ByteSource. */
interface Pages {
  readonly size: number;
  /** A view of [p, p+n); throws Miss when a page is not loaded yet. */
  view(p: number, n: number): DataView;
}

/** Thrown by a paged view for bytes not loaded yet: the async driver loads them and re-parses. */
class Miss {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {}
}

function memoryPages(bytes: Uint8Array): Pages {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { size: bytes.byteLength, view: (p, n) => (p === 0 && n === bytes.byteLength ? dv : new DataView(bytes.buffer, bytes.byteOffset + p, n)) };
}

const PAGE = 1 << 16;

/** Pages of a ByteSource loaded on demand (only the tag tree is touched, never the pixel data). */
class SourcePages implements Pages {
  readonly pages = new Map<number, Uint8Array>();
  constructor(readonly size: number) {}
  view(p: number, n: number): DataView {
    const first = Math.floor(p / PAGE);
    const last = Math.floor((p + n - 1) / PAGE);
    if (n === 0) return new DataView(new ArrayBuffer(0));
    for (let k = first; k <= last; k++) if (!this.pages.has(k)) throw new Miss(k * PAGE, (last - k + 1) * PAGE);
    if (first === last) {
      const b = this.pages.get(first)!;
      return new DataView(b.buffer, b.byteOffset + (p - first * PAGE), n);
    }
    const out = new Uint8Array(n);
    for (let k = first; k <= last; k++) {
      const b = this.pages.get(k)!;
      const from = Math.max(p, k * PAGE);
      const to = Math.min(p + n, k * PAGE + b.byteLength);
      out.set(b.subarray(from - k * PAGE, to - k * PAGE), from - p);
    }
    return new DataView(out.buffer);
  }
}

class Reader {
  pos = 0;
  constructor(
    readonly pages: Pages,
    readonly file: string,
    readonly v4: boolean,
    public le: boolean,
  ) {}
  get size(): number {
    return this.pages.size;
  }
  at(p: number, n: number): DataView {
    return this.pages.view(p, n);
  }
  need(n: number, what: string): void {
    if (!(n >= 0) || this.pos + n > this.size) {
      throw new ParseError(`${what} needs ${n} bytes at offset ${this.pos}, file has ${this.size - this.pos} left`, { file: this.file, field: what }, 'the file is truncated or corrupt');
    }
  }
  u8(): number { this.need(1, 'tag byte'); return this.at(this.pos++, 1).getUint8(0); }
  u16be(): number { this.need(2, 'u16'); const v = this.at(this.pos, 2).getUint16(0, false); this.pos += 2; return v; }
  u32be(): number { this.need(4, 'u32'); const v = this.at(this.pos, 4).getUint32(0, false); this.pos += 4; return v; }
  /** u32 in DM3, u64 in DM4 (big-endian); refused above 2^53. */
  len(): number {
    if (!this.v4) return this.u32be();
    this.need(8, 'u64');
    const d = this.at(this.pos, 8);
    const hi = d.getUint32(0, false);
    const lo = d.getUint32(4, false);
    this.pos += 8;
    if (hi >= 1 << 21) throw new ParseError(`64-bit length ${hi}·2^32 is implausible`, { file: this.file, field: 'length' });
    return hi * 4294967296 + lo;
  }
  scalar(type: number): number | boolean {
    const n = SIZE[type];
    if (!n) throw new UnsupportedError(`DM data type ${type} is not a scalar`, { file: this.file, field: 'tag type' });
    this.need(n, 'tag value');
    const d = this.at(this.pos, n);
    this.pos += n;
    const le = this.le;
    switch (type) {
      case 2: return d.getInt16(0, le);
      case 3: return d.getInt32(0, le);
      case 4: return d.getUint16(0, le);
      case 5: return d.getUint32(0, le);
      case 6: return d.getFloat32(0, le);
      case 7: return d.getFloat64(0, le);
      case 8: return d.getUint8(0) !== 0;
      case 9: return d.getInt8(0);
      case 10: return d.getUint8(0);
      case 11: return Number(d.getBigInt64(0, le));
      default: return Number(d.getBigUint64(0, le));
    }
  }
}

function readGroup(r: Reader, depth: number, maxDepth: number): DmGroup {
  if (depth > maxDepth) throw new LimitError(`tag groups nested deeper than ${maxDepth}`, { file: r.file }, 'raise options.maxDepth');
  r.u8(); // is_sorted
  r.u8(); // is_open
  const n = r.len();
  // Each tag takes at least 3 bytes: a count beyond that is corruption, not a reason to loop.
  if (n * 3 > r.size - r.pos) throw new ParseError(`tag group claims ${n} tags, more than the file can hold`, { file: r.file, field: 'ntags' });
  const entries: DmGroup['entries'] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if (kind === 0) break; // end-of-group marker written by some versions
    const nameLen = r.u16be();
    r.need(nameLen, 'tag name');
    let name = '';
    const nd = r.at(r.pos, nameLen);
    for (let k = 0; k < nameLen; k++) name += String.fromCharCode(nd.getUint8(k));
    r.pos += nameLen;
    if (r.v4) r.len(); // DM4: total size of this tag
    if (kind === 20) entries.push({ name, value: readGroup(r, depth + 1, maxDepth) });
    else if (kind === 21) entries.push({ name, value: readData(r, name) });
    else throw new ParseError(`unknown tag kind ${kind} at offset ${r.pos - 1}`, { file: r.file, field: name || 'tag' });
  }
  return { kind: 'group', entries };
}

function readData(r: Reader, name: string): DmValue {
  r.need(4, '%%%% delimiter');
  if (r.at(r.pos, 4).getUint32(0, false) !== 0x25252525) {
    throw new ParseError(`missing %%%% delimiter at offset ${r.pos}`, { file: r.file, field: name });
  }
  r.pos += 4;
  const ninfo = r.len();
  if (ninfo < 1 || ninfo > 4096) throw new ParseError(`type descriptor of ${ninfo} entries`, { file: r.file, field: name });
  const info: number[] = [];
  for (let i = 0; i < ninfo; i++) info.push(r.len());
  return readTyped(r, info, 0, name).value;
}

/** Read a value whose type descriptor starts at info[k]; returns the value and the next index. */
function readTyped(r: Reader, info: number[], k: number, name: string): { value: DmValue; next: number } {
  const t = info[k];
  if (SIZE[t]) return { value: r.scalar(t), next: k + 1 };
  if (t === 18) {
    const n = info[k + 1];
    r.need(n * 2, 'string');
    let s = '';
    const sd = r.at(r.pos, 2 * n);
    for (let i = 0; i < n; i++) s += String.fromCharCode(sd.getUint16(2 * i, r.le));
    r.pos += 2 * n;
    return { value: s, next: k + 2 };
  }
  if (t === 15) {
    const nf = info[k + 2];
    const types: number[][] = [];
    let j = k + 3;
    for (let f = 0; f < nf; f++) {
      types.push([info[j + 1]]);
      j += 2;
    }
    const vals: DmValue[] = types.map((ty) => readTyped(r, ty, 0, name).value);
    return { value: vals, next: j };
  }
  if (t === 20) {
    const et = info[k + 1];
    if (SIZE[et]) {
      const len = info[k + 2];
      const bytes = len * SIZE[et];
      r.need(bytes, `array '${name}'`);
      const arr: DmArray = { kind: 'array', type: et, length: len, offset: r.pos };
      r.pos += bytes;
      // Short u16 arrays other than pixel data are UTF-16 strings (units, names): decode them now.
      if (et === 4 && len <= 256 && name !== 'Data') {
        let s = '';
        const sd = r.at(arr.offset, 2 * len);
        for (let i = 0; i < len; i++) s += String.fromCharCode(sd.getUint16(2 * i, r.le));
        return { value: s, next: k + 3 };
      }
      return { value: arr, next: k + 3 };
    }
    if (et === 15) {
      // Array of structs: [20, 15, nameLen, nFields, (nameLen, type)…, length]
      const nf = info[k + 3];
      const fieldTypes: number[] = [];
      for (let f = 0; f < nf; f++) fieldTypes.push(info[k + 5 + 2 * f]);
      const len = info[k + 4 + 2 * nf];
      const rowBytes = fieldTypes.reduce((s, ft) => s + (SIZE[ft] ?? Infinity), 0);
      if (!Number.isFinite(rowBytes)) throw new UnsupportedError('array of structs with non-scalar fields', { file: r.file, field: name });
      r.need(len * rowBytes, `struct array '${name}'`);
      if (len > 100000) {
        r.pos += len * rowBytes; // not needed for images (e.g. complex data); skip
        return { value: [], next: k + 5 + 2 * nf };
      }
      const rows: DmValue[] = [];
      for (let i = 0; i < len; i++) rows.push(fieldTypes.map((ft) => r.scalar(ft)) as DmValue[]);
      return { value: rows, next: k + 5 + 2 * nf };
    }
    throw new UnsupportedError(`array of type ${et}`, { file: r.file, field: name });
  }
  throw new UnsupportedError(`DM data type ${t}`, { file: r.file, field: name });
}

type DmTags = { version: number; littleEndian: boolean; root: DmGroup };

function parseTags(pages: Pages, file: string, opts: DmReadOptions): DmTags {
  if (pages.size < 16) throw new ParseError('file too short for a DM header', { file, field: 'header' });
  const version = pages.view(0, 4).getInt32(0, false);
  if (version !== 3 && version !== 4) throw new ParseError(`DM version ${version} (expected 3 or 4)`, { file, field: 'version' });
  const r = new Reader(pages, file, version === 4, true);
  r.pos = 4;
  // Declared size: the tag tree length, 20 (DM3) or 24 (DM4) bytes less than the file. A shorter
  // file is truncated even when the cut falls in the trailing padding.
  const declared = r.len();
  const expected = declared + (version === 3 ? 20 : 24);
  if (pages.size < expected) {
    throw new ParseError(`file has ${pages.size} bytes, its header declares ${expected}`, { file, field: 'header' }, 'the file is truncated');
  }
  const order = r.u32be();
  r.le = order === 1;
  const root = readGroup(r, 0, opts.maxDepth ?? 64);
  return { version, littleEndian: r.le, root };
}

/** Parse the whole tag tree of a DM3/DM4 file. */
export function readDmTags(bytes: Uint8Array, file: string, opts: DmReadOptions = {}): DmTags {
  return parseTags(memoryPages(bytes), file, opts);
}

/**
 * The tag tree of a DM3/DM4 file behind a ByteSource, read in 64 KiB pages: large arrays (the
 * pixel data) are skipped over, never read. The parser is synchronous; when it reaches a page not
 * loaded yet it stops, the page is fetched, and it starts again (tag trees are small, so the
 * repeats cost little and one parser serves both paths).
 */
export async function readDmTagsFrom(source: ByteSource, file: string, opts: DmReadOptions = {}): Promise<DmTags> {
  const pages = new SourcePages(source.size);
  for (;;) {
    try {
      return parseTags(pages, file, opts);
    } catch (e) {
      if (!(e instanceof Miss)) throw e;
      // Fetch the missing run plus read-ahead (the tree is mostly contiguous).
      const ahead = Math.max(e.length, 4 * PAGE);
      for (let o = e.offset; o < Math.min(source.size, e.offset + ahead); o += PAGE) {
        const k = o / PAGE;
        if (pages.pages.has(k)) continue;
        const want = Math.min(PAGE, source.size - o);
        const b = await source.read(o, want);
        if (b.byteLength !== want) throw new ParseError(`read ${b.byteLength} of ${want} bytes at offset ${o}: the file is shorter than it claims`, { file });
        pages.pages.set(k, b);
        if (pages.pages.size * PAGE > (opts.maxTagBytes ?? DEFAULT_MAX_TAG_BYTES)) {
          throw new LimitError(`the tag tree spans more than ${opts.maxTagBytes ?? DEFAULT_MAX_TAG_BYTES} bytes`, { file }, 'raise options.maxTagBytes');
        }
      }
    }
  }
}

/** Entry of a group by name ('' for the k-th unnamed via index). */
export function dmGet(g: DmValue | undefined, ...path: (string | number)[]): DmValue | undefined {
  let cur: DmValue | undefined = g;
  for (const p of path) {
    if (!cur || typeof cur !== 'object' || !('kind' in cur) || cur.kind !== 'group') return undefined;
    const entries: DmGroup['entries'] = cur.entries;
    cur = typeof p === 'number' ? entries[p]?.value : entries.find((e) => e.name === p)?.value;
  }
  return cur;
}

const DATA_TYPES: Record<number, { elem: number; name: string }> = {
  1: { elem: 2, name: 'int16' }, 2: { elem: 6, name: 'float32' }, 6: { elem: 10, name: 'uint8' }, 7: { elem: 3, name: 'int32' },
  9: { elem: 9, name: 'int8' }, 10: { elem: 4, name: 'uint16' }, 11: { elem: 5, name: 'uint32' }, 12: { elem: 7, name: 'float64' },
};

/** Where and how the main image's pixels are stored, with its calibration (no pixels read). */
export interface DmInfo {
  version: number;
  littleEndian: boolean;
  width: number;
  height: number;
  /** Product of the dimensions beyond the first two (1 for a single image). */
  frames: number;
  dimensions: number[];
  dataType: string;
  /** Byte offset of pixel (0,0) of frame 0, and bytes per frame. */
  dataOffset: number;
  frameBytes: number;
  pixelNm: number | null;
  meta: Record<string, string | number | boolean>;
  warnings: string[];
}

function imageInfo(tags: DmTags, file: string, opts: DmReadOptions): DmInfo & { elem: number } {
  const { version, littleEndian, root } = tags;
  const list = dmGet(root, 'ImageList');
  if (!list || typeof list !== 'object' || !('kind' in list) || list.kind !== 'group' || !list.entries.length) {
    throw new ParseError('no ImageList', { file, field: 'ImageList' });
  }
  // The thumbnail (RGB, usually the first image) is listed in Thumbnails[].ImageIndex; skip it and
  // any non-grey image, then take the largest remaining.
  const thumbs = new Set<number>();
  const th = dmGet(root, 'Thumbnails');
  if (th && typeof th === 'object' && 'kind' in th && th.kind === 'group') for (const e of th.entries) {
    const ix = Number(dmGet(e.value, 'ImageIndex'));
    if (Number.isInteger(ix)) thumbs.add(ix);
  }
  let best: { group: DmValue; n: number; index: number } | undefined;
  let skippedType: number | undefined;
  list.entries.forEach((e, index) => {
    const dims = dmGet(e.value, 'ImageData', 'Dimensions');
    if (!dims || typeof dims !== 'object' || !('kind' in dims) || dims.kind !== 'group') return;
    const dt = Number(dmGet(e.value, 'ImageData', 'DataType'));
    if (!DATA_TYPES[dt]) {
      skippedType = dt;
      return;
    }
    if (thumbs.has(index) && list.entries.length > 1) return;
    const n = dims.entries.map((x) => Number(x.value)).reduce((a, b) => a * b, 1);
    if (!best || n > best.n) best = { group: e.value, n, index };
  });
  if (!best) {
    if (skippedType !== undefined) throw new UnsupportedError(`DM DataType ${skippedType} (complex/RGB/packed) is not read`, { file, field: 'ImageData.DataType' });
    throw new ParseError('no image with Dimensions in ImageList', { file, field: 'ImageList.ImageData.Dimensions' });
  }
  const dimsG = dmGet(best.group, 'ImageData', 'Dimensions') as DmGroup;
  const dims = dimsG.entries.map((x) => Number(x.value));
  const warnings: string[] = [];
  if (dims.length < 2) throw new UnsupportedError(`${dims.length}-D data (a spectrum?), not an image`, { file, field: 'ImageData.Dimensions' });
  const [width, height] = dims;
  if (!(width > 0 && height > 0)) throw new ParseError(`image size ${width}×${height} is empty`, { file, field: 'ImageData.Dimensions' });
  const frames = dims.slice(2).reduce((a, b) => a * b, 1);
  if (!(Number.isSafeInteger(frames) && frames >= 1)) throw new ParseError(`dimensions ${dims.join('×')} give no frames`, { file, field: 'ImageData.Dimensions' });
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > maxPixels) throw new LimitError(`image of ${width}×${height} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  const dt = Number(dmGet(best.group, 'ImageData', 'DataType'));
  const ty = DATA_TYPES[dt];
  if (!ty) throw new UnsupportedError(`DM DataType ${dt} (complex/RGB/packed) is not read`, { file, field: 'ImageData.DataType' });
  const arr = dmGet(best.group, 'ImageData', 'Data');
  if (!arr || typeof arr !== 'object' || !('kind' in arr) || arr.kind !== 'array') throw new ParseError('ImageData.Data is not an array', { file, field: 'ImageData.Data' });
  if (arr.type !== ty.elem && !(dt === 6 && arr.type === 10)) {
    // Some writers store the payload as a byte array; accept when the byte count matches.
    if (!(arr.type === 10 && arr.length === width * height * frames * SIZE[ty.elem]) && !(arr.type === 10 && arr.length === width * height * SIZE[ty.elem])) {
      throw new ParseError(`Data array element type ${arr.type} does not match DataType ${dt}`, { file, field: 'ImageData.Data' });
    }
  }
  const frameBytes = width * height * SIZE[ty.elem];
  if (arr.length * SIZE[arr.type] < frameBytes) throw new ParseError(`Data holds ${arr.length * SIZE[arr.type]} bytes, ${frameBytes} needed`, { file, field: 'ImageData.Data' });
  const meta: Record<string, string | number | boolean> = { format: `dm${version}`, dataType: ty.name };
  let pixelNm: number | null = null;
  const cal = dmGet(best.group, 'ImageData', 'Calibrations', 'Dimension');
  const cx = dmGet(cal, 0);
  const cy = dmGet(cal, 1);
  const scale = Number(dmGet(cx, 'Scale'));
  const units = dmGet(cx, 'Units');
  const unit = typeof units === 'string' ? units : '';
  const f = unitToNm(unit);
  if (f !== undefined && scale > 0 && Number.isFinite(scale)) {
    pixelNm = scale * f;
    meta.calibrationSource = 'DM ImageData.Calibrations.Dimension[0].Scale';
    meta.calibrationUnit = unit;
    const sy = Number(dmGet(cy, 'Scale'));
    if (sy > 0 && Math.abs(sy - scale) > 1e-4 * scale) warnings.push(`non-square pixels (x ${scale}, y ${sy} ${unit}); x scale used`);
  } else warnings.push(`DM calibration ${Number.isFinite(scale) ? scale : '?'} '${unit}' is not a length: uncalibrated`);
  const name = dmGet(root, 'ImageList', best.index, 'Name');
  if (typeof name === 'string') meta.name = name;
  const volt = Number(dmGet(best.group, 'ImageTags', 'Microscope Info', 'Voltage'));
  if (volt > 0) meta.voltageV = volt;
  // Frames actually stored (a cut-short stack keeps the frames it holds addressable).
  const stored = Math.min(frames, Math.floor((arr.length * SIZE[arr.type]) / frameBytes));
  return { version, littleEndian, width, height, frames: stored, dimensions: dims, dataType: ty.name, dataOffset: arr.offset, frameBytes, pixelNm, meta, warnings, elem: ty.elem };
}

/** Decode one frame's raw bytes into `out` (added when `add`), refusing non-finite pixels. */
function decodeFrame(dv: DataView, elem: number, le: boolean, out: Float32Array, width: number, file: string, add: boolean): void {
  const n = out.length;
  const s = SIZE[elem];
  for (let i = 0; i < n; i++) {
    const o = i * s;
    let v: number;
    switch (elem) {
      case 2: v = dv.getInt16(o, le); break;
      case 3: v = dv.getInt32(o, le); break;
      case 4: v = dv.getUint16(o, le); break;
      case 5: v = dv.getUint32(o, le); break;
      case 6: v = dv.getFloat32(o, le); break;
      case 7: v = dv.getFloat64(o, le); break;
      case 9: v = dv.getInt8(o); break;
      default: v = dv.getUint8(o); break;
    }
    if (!Number.isFinite(v)) throw new ParseError(`pixel ${i % width},${Math.floor(i / width)} is not finite`, { file, field: 'ImageData.Data' });
    out[i] = add ? out[i] + v : v;
  }
}

function publicInfo(info: DmInfo & { elem: number }): DmInfo {
  const { elem: _elem, ...rest } = info;
  return rest;
}

/** Read the main image of a DM3/DM4 file with its pixel size (ImageData.Calibrations). */
export function readDm(bytes: Uint8Array, file: string, opts: DmReadOptions = {}): Image {
  const info = imageInfo(readDmTags(bytes, file, opts), file, opts);
  const { width, height, littleEndian, dimensions } = info;
  const warnings = [...info.warnings];
  if (dimensions.length > 2 && dimensions.slice(2).some((d) => d > 1)) warnings.unshift(`${dimensions.length}-D data ${dimensions.join('×')}: the first frame is read`);
  const data = new Float32Array(width * height);
  decodeFrame(new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.frameBytes), info.elem, littleEndian, data, width, file, false);
  return { width, height, data, pixelNm: info.pixelNm, meta: info.meta, warnings };
}

export const DmFrameOptions = z.object({
  /** First frame (0-based) of a multi-frame (≥ 3-D) dataset. */
  frame: z.number().int().min(0).default(0),
  /** Frames summed from `frame` on, read one at a time (1 = just that frame). */
  frameCount: z.number().int().min(1).default(1),
  /** Largest frame, in bytes of stored pixels, read in one piece. */
  maxImageBytes: z.number().int().positive().default(1024 * 1024 * 1024),
  maxPixels: z.number().int().positive().optional(),
  maxDepth: z.number().int().positive().optional(),
  maxTagBytes: z.number().int().positive().optional(),
});
export type DmFrameOptions = z.input<typeof DmFrameOptions>;

/** Dimensions, frames, data type and calibration of a DM3/DM4 file behind a ByteSource (tags only). */
export async function dmInfoFrom(source: ByteSource, file: string, opts: DmReadOptions = {}): Promise<DmInfo> {
  return publicInfo(imageInfo(await readDmTagsFrom(source, file, opts), file, opts));
}

/**
 * readDm for a file behind a ByteSource, in bounded memory: the tag tree is read in small pages,
 * then only the chosen frame (or frames, summed one at a time) is read. A 4096² × 100 stack costs
 * one 4096² frame, not the file.
 */
export async function readDmFrom(source: ByteSource, file: string, options?: DmFrameOptions): Promise<Image> {
  const o = parseOptions(DmFrameOptions, options, 'options');
  const info = imageInfo(await readDmTagsFrom(source, file, o), file, o);
  const { width, height, littleEndian, frames } = info;
  if (o.frame + o.frameCount > frames) {
    throw new ValidationError(`frames ${o.frame}–${o.frame + o.frameCount - 1} asked, the file has ${frames} (0–${frames - 1})`, { field: 'frame' });
  }
  if (info.frameBytes > o.maxImageBytes) {
    throw new LimitError(`a frame of ${width}×${height} ${info.dataType} is ${info.frameBytes} bytes, above maxImageBytes = ${o.maxImageBytes}`, { file }, 'raise options.maxImageBytes (--max-image-bytes)');
  }
  const data = new Float32Array(width * height);
  for (let k = 0; k < o.frameCount; k++) {
    const off = info.dataOffset + (o.frame + k) * info.frameBytes;
    if (off + info.frameBytes > source.size) throw new ParseError(`frame ${o.frame + k} lies beyond the end of the file`, { file, field: 'ImageData.Data' }, 'the file is truncated');
    const b = await source.read(off, info.frameBytes);
    if (b.byteLength !== info.frameBytes) throw new ParseError(`read ${b.byteLength} of ${info.frameBytes} bytes of frame ${o.frame + k}: the file is shorter than it claims`, { file, field: 'ImageData.Data' });
    decodeFrame(new DataView(b.buffer, b.byteOffset, b.byteLength), info.elem, littleEndian, data, width, file, k > 0);
  }
  const warnings = [...info.warnings];
  if (frames > 1) warnings.unshift(o.frameCount > 1 ? `${info.dimensions.join('×')} data: frames ${o.frame}–${o.frame + o.frameCount - 1} summed` : `${info.dimensions.join('×')} data: frame ${o.frame} of ${frames} read`);
  const meta = { ...info.meta, ...(frames > 1 ? { frames, frame: o.frame, frameCount: o.frameCount } : {}) };
  return { width, height, data, pixelNm: info.pixelNm, meta, warnings };
}
