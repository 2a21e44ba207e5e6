// Gatan DigitalMicrograph DM3/DM4 reader. No npm package reads these, so the tag tree is parsed
// here, following the public format notes (Boothroyd's dmformat; the layout rosettasciio reads):
// big-endian header and tag structure, payload in the byte order the header declares. Every size
// and count is checked against the bytes left before anything is allocated, and nesting is limited.
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';
import { unitToNm } from './units';

export interface DmReadOptions {
  maxPixels?: number;
  /** Deepest tag-group nesting accepted (real files use < 15). */
  maxDepth?: number;
}

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

class Reader {
  pos = 0;
  readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    readonly v4: boolean,
    public le: boolean,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (!(n >= 0) || this.pos + n > this.bytes.length) {
      throw new ParseError(`${what} needs ${n} bytes at offset ${this.pos}, file has ${this.bytes.length - this.pos} left`, { file: this.file, field: what }, 'the file is truncated or corrupt');
    }
  }
  u8(): number { this.need(1, 'tag byte'); return this.bytes[this.pos++]; }
  u16be(): number { this.need(2, 'u16'); const v = this.dv.getUint16(this.pos, false); this.pos += 2; return v; }
  u32be(): number { this.need(4, 'u32'); const v = this.dv.getUint32(this.pos, false); this.pos += 4; return v; }
  /** u32 in DM3, u64 in DM4 (big-endian); refused above 2^53. */
  len(): number {
    if (!this.v4) return this.u32be();
    this.need(8, 'u64');
    const hi = this.dv.getUint32(this.pos, false);
    const lo = this.dv.getUint32(this.pos + 4, false);
    this.pos += 8;
    if (hi >= 1 << 21) throw new ParseError(`64-bit length ${hi}·2^32 is implausible`, { file: this.file, field: 'length' });
    return hi * 4294967296 + lo;
  }
  scalar(type: number): number | boolean {
    const n = SIZE[type];
    if (!n) throw new UnsupportedError(`DM data type ${type} is not a scalar`, { file: this.file, field: 'tag type' });
    this.need(n, 'tag value');
    const p = this.pos;
    this.pos += n;
    const le = this.le;
    switch (type) {
      case 2: return this.dv.getInt16(p, le);
      case 3: return this.dv.getInt32(p, le);
      case 4: return this.dv.getUint16(p, le);
      case 5: return this.dv.getUint32(p, le);
      case 6: return this.dv.getFloat32(p, le);
      case 7: return this.dv.getFloat64(p, le);
      case 8: return this.bytes[p] !== 0;
      case 9: return this.dv.getInt8(p);
      case 10: return this.bytes[p];
      case 11: return Number(this.dv.getBigInt64(p, le));
      default: return Number(this.dv.getBigUint64(p, le));
    }
  }
}

function readGroup(r: Reader, depth: number, maxDepth: number): DmGroup {
  if (depth > maxDepth) throw new LimitError(`tag groups nested deeper than ${maxDepth}`, { file: r.file }, 'raise options.maxDepth');
  r.u8(); // is_sorted
  r.u8(); // is_open
  const n = r.len();
  // Each tag takes at least 3 bytes: a count beyond that is corruption, not a reason to loop.
  if (n * 3 > r.bytes.length - r.pos) throw new ParseError(`tag group claims ${n} tags, more than the file can hold`, { file: r.file, field: 'ntags' });
  const entries: DmGroup['entries'] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if (kind === 0) break; // end-of-group marker written by some versions
    const nameLen = r.u16be();
    r.need(nameLen, 'tag name');
    let name = '';
    for (let k = 0; k < nameLen; k++) name += String.fromCharCode(r.bytes[r.pos + k]);
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
  if (r.bytes[r.pos] !== 0x25 || r.bytes[r.pos + 1] !== 0x25 || r.bytes[r.pos + 2] !== 0x25 || r.bytes[r.pos + 3] !== 0x25) {
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
    for (let i = 0; i < n; i++) s += String.fromCharCode(r.dv.getUint16(r.pos + 2 * i, r.le));
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
        for (let i = 0; i < len; i++) s += String.fromCharCode(r.dv.getUint16(arr.offset + 2 * i, r.le));
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

/** Parse the whole tag tree of a DM3/DM4 file. */
export function readDmTags(bytes: Uint8Array, file: string, opts: DmReadOptions = {}): { version: number; littleEndian: boolean; root: DmGroup } {
  if (bytes.length < 16) throw new ParseError('file too short for a DM header', { file, field: 'header' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getInt32(0, false);
  if (version !== 3 && version !== 4) throw new ParseError(`DM version ${version} (expected 3 or 4)`, { file, field: 'version' });
  const r = new Reader(bytes, file, version === 4, true);
  r.pos = 4;
  // Declared size: the tag tree length, 20 (DM3) or 24 (DM4) bytes less than the file. A shorter
  // file is truncated even when the cut falls in the trailing padding.
  const declared = r.len();
  const expected = declared + (version === 3 ? 20 : 24);
  if (bytes.length < expected) {
    throw new ParseError(`file has ${bytes.length} bytes, its header declares ${expected}`, { file, field: 'header' }, 'the file is truncated');
  }
  const order = r.u32be();
  r.le = order === 1;
  const root = readGroup(r, 0, opts.maxDepth ?? 64);
  return { version, littleEndian: r.le, root };
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

/** Read the main image of a DM3/DM4 file with its pixel size (ImageData.Calibrations). */
export function readDm(bytes: Uint8Array, file: string, opts: DmReadOptions = {}): Image {
  const { version, littleEndian, root } = readDmTags(bytes, file, opts);
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
  if (dims.length > 2) {
    if (dims.slice(2).some((d) => d > 1)) warnings.push(`${dims.length}-D data ${dims.join('×')}: the first frame is read`);
  }
  if (!(width > 0 && height > 0)) throw new ParseError(`image size ${width}×${height} is empty`, { file, field: 'ImageData.Dimensions' });
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > maxPixels) throw new LimitError(`image of ${width}×${height} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  const dt = Number(dmGet(best.group, 'ImageData', 'DataType'));
  const ty = DATA_TYPES[dt];
  if (!ty) throw new UnsupportedError(`DM DataType ${dt} (complex/RGB/packed) is not read`, { file, field: 'ImageData.DataType' });
  const arr = dmGet(best.group, 'ImageData', 'Data');
  if (!arr || typeof arr !== 'object' || !('kind' in arr) || arr.kind !== 'array') throw new ParseError('ImageData.Data is not an array', { file, field: 'ImageData.Data' });
  if (arr.type !== ty.elem && !(dt === 6 && arr.type === 10)) {
    // Some writers store the payload as a byte array; accept when the byte count matches.
    if (!(arr.type === 10 && arr.length === width * height * SIZE[ty.elem])) {
      throw new ParseError(`Data array element type ${arr.type} does not match DataType ${dt}`, { file, field: 'ImageData.Data' });
    }
  }
  const need = width * height * SIZE[ty.elem];
  if (arr.length * SIZE[arr.type] < need) throw new ParseError(`Data holds ${arr.length * SIZE[arr.type]} bytes, ${need} needed`, { file, field: 'ImageData.Data' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset + arr.offset, need);
  const n = width * height;
  const data = new Float32Array(n);
  const s = SIZE[ty.elem];
  for (let i = 0; i < n; i++) {
    const o = i * s;
    switch (ty.elem) {
      case 2: data[i] = dv.getInt16(o, littleEndian); break;
      case 3: data[i] = dv.getInt32(o, littleEndian); break;
      case 4: data[i] = dv.getUint16(o, littleEndian); break;
      case 5: data[i] = dv.getUint32(o, littleEndian); break;
      case 6: data[i] = dv.getFloat32(o, littleEndian); break;
      case 7: data[i] = dv.getFloat64(o, littleEndian); break;
      case 9: data[i] = dv.getInt8(o); break;
      case 10: data[i] = dv.getUint8(o); break;
    }
    if (!Number.isFinite(data[i])) throw new ParseError(`pixel ${i % width},${Math.floor(i / width)} is not finite`, { file, field: 'ImageData.Data' });
  }
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
  return { width, height, data, pixelNm, meta, warnings };
}
