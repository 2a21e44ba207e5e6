// TIFF reader for HAADF images. utif2 does the container and decompression: of the npm decoders
// it is the one that handles every flavour in the fixtures (the `tiff` package refuses signed
// int32, geotiff mangles Latin-1 private tags). Sample interpretation and calibration are ours.
import UTIF from 'utif2';
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';
import { latin1, unitToNm } from './units';

export interface TiffReadOptions {
  maxPixels?: number;
}

type Ifd = Record<string, unknown> & { data?: Uint8Array; width?: number; height?: number; isLE?: boolean };

function num(ifd: Ifd, tag: number, i = 0): number | undefined {
  const v = ifd[`t${tag}`];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    const x = v[i];
    if (Array.isArray(x)) return x[1] === 0 ? undefined : x[0] / x[1]; // RATIONAL as [num, den]
    return typeof x === 'number' ? x : undefined;
  }
  if (ArrayBuffer.isView(v)) return (v as unknown as ArrayLike<number>)[i];
  return undefined;
}

function text(ifd: Ifd, tag: number): string | undefined {
  const v = ifd[`t${tag}`];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.every((s) => typeof s === 'string') ? v.join('') : latin1(v as number[]);
  if (ArrayBuffer.isView(v)) return latin1(v as unknown as Uint8Array);
  if (typeof v === 'object') return latin1(Object.values(v as Record<string, number>));
  return typeof v === 'string' ? v : undefined;
}

export function isTiff(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42))
  );
}

/** Read the first image of a TIFF file with its pixel calibration. */
export function readTiff(input: Uint8Array, file: string, opts: TiffReadOptions = {}): Image {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!isTiff(input)) throw new ParseError('not a TIFF file (no II*/MM* signature)', { file, field: 'header' });
  checkIfdBounds(input, file);
  // utif2 wants an ArrayBuffer of exactly the file (it only reads it; copy only when we must).
  const whole = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength && input.buffer instanceof ArrayBuffer;
  const buf = whole ? (input.buffer as ArrayBuffer) : (input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer);
  let ifds: Ifd[];
  try {
    ifds = UTIF.decode(buf) as unknown as Ifd[];
  } catch (e) {
    throw new ParseError(`corrupt TIFF directory: ${(e as Error).message}`, { file, field: 'IFD' });
  }
  if (!ifds.length) throw new ParseError('TIFF holds no image directory', { file, field: 'IFD' });
  const ifd = ifds[0];
  const warnings: string[] = [];
  if (ifds.length > 1) warnings.push(`TIFF holds ${ifds.length} images; the first was read`);
  const width = num(ifd, 256) ?? 0;
  const height = num(ifd, 257) ?? 0;
  if (!(width > 0 && height > 0)) throw new ParseError(`image size ${width}×${height} is empty`, { file, field: 'ImageWidth/ImageLength' });
  if (width * height > maxPixels) {
    throw new LimitError(`image of ${width}×${height} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  }
  const bps = num(ifd, 258) ?? 1;
  const spp = num(ifd, 277) ?? 1;
  const fmt = num(ifd, 339) ?? 1; // SampleFormat: 1 unsigned, 2 signed, 3 IEEE float
  const photometric = num(ifd, 262) ?? 1;
  const compression = num(ifd, 259) ?? 1;
  if (spp !== 1) throw new UnsupportedError(`${spp} samples per pixel: HAADF images are single-channel`, { file, field: 'SamplesPerPixel' });
  const kind = fmt === 3 ? 'float' : fmt === 2 ? 'int' : fmt === 1 ? 'uint' : undefined;
  const okDepth =
    (kind === 'uint' && (bps === 8 || bps === 16 || bps === 32)) ||
    (kind === 'int' && (bps === 8 || bps === 16 || bps === 32)) ||
    (kind === 'float' && (bps === 32 || bps === 64));
  if (!kind || !okDepth) {
    throw new UnsupportedError(`pixel type ${bps}-bit ${kind ?? `SampleFormat ${fmt}`} is not read`, { file, field: 'BitsPerSample' }, '8/16/32-bit integers and 32/64-bit floats are');
  }
  // Uncompressed strips must lie inside the file, else the decoder would silently read zeros.
  const offsets = (ifd.t273 ?? ifd.t324) as number[] | undefined;
  const counts = (ifd.t279 ?? ifd.t325) as number[] | undefined;
  if (!offsets || !counts) throw new ParseError('no strip/tile offsets', { file, field: 'StripOffsets' });
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i] + (counts[i] ?? 0) > input.length) {
      throw new ParseError(`pixel data run past the end of the file (strip ${i} ends at byte ${offsets[i] + counts[i]}, file has ${input.length})`, { file, field: 'StripByteCounts' }, 'the file is truncated');
    }
  }
  const need = (width * height * bps) / 8;
  if (compression === 1) {
    let total = 0;
    for (const c of counts) total += c;
    if (total < need) throw new ParseError(`pixel data hold ${total} bytes, ${need} needed`, { file, field: 'StripByteCounts' }, 'the file is truncated');
  }
  // Uncompressed little-endian (or 8-bit) strips stored back to back: view the file's bytes directly
  // (utif2 would copy them byte by byte, a third of the read time of a 2048² image).
  let contiguous = compression === 1 && ifd.t322 === undefined && (ifd.t273 !== undefined) && (input[0] === 0x49 || bps === 8);
  for (let i = 1; contiguous && i < offsets.length; i++) contiguous = offsets[i] === offsets[i - 1] + counts[i - 1];
  if (contiguous && offsets[0] + need <= input.length) ifd.data = input.subarray(offsets[0], offsets[0] + need);
  else {
    try {
      UTIF.decodeImage(buf, ifd as never);
    } catch (e) {
      throw new ParseError(`cannot decode pixel data: ${(e as Error).message}`, { file, field: 'pixel data' });
    }
  }
  const raw = ifd.data;
  if (!raw || raw.length < need) throw new ParseError(`decoded pixel data are short (${raw?.length ?? 0} of ${need} bytes)`, { file, field: 'pixel data' });
  const data = samples(raw, width * height, bps, kind, ifd.isLE !== false);
  if (photometric === 3) applyPalette(ifd, data, file, warnings);
  else if (photometric === 0) {
    // WhiteIsZero: invert so that brighter = more scattering, as in every HAADF convention.
    const max = bps <= 16 && kind === 'uint' ? 2 ** bps - 1 : Math.max(...sampleRange(data));
    for (let i = 0; i < data.length; i++) data[i] = max - data[i];
    warnings.push('WhiteIsZero image inverted');
  }
  // Integers are always finite; only float samples need the check.
  if (kind === 'float') for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ParseError(`pixel ${i % width},${Math.floor(i / width)} is not finite (${data[i]})`, { file, field: 'pixel data' });
  }
  const meta: Record<string, string | number | boolean> = { format: 'tiff', bitsPerSample: bps, sampleFormat: kind };
  const pixelNm = calibration(ifd, meta, warnings);
  return { width, height, data, pixelNm, meta, warnings };
}

function sampleRange(d: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < lo) lo = d[i];
    if (d[i] > hi) hi = d[i];
  }
  return [lo, hi];
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function samples(raw: Uint8Array, n: number, bps: number, kind: string, le: boolean): Float32Array {
  const out = new Float32Array(n);
  // Fast path: file byte order = host order, so a typed-array view converts without DataView calls.
  if (le === HOST_LE || bps === 8) {
    const bytes = raw.byteOffset % (bps / 8) === 0 ? raw : raw.slice(0, n * (bps / 8));
    const Ctor =
      kind === 'uint' ? (bps === 8 ? Uint8Array : bps === 16 ? Uint16Array : Uint32Array)
      : kind === 'int' ? (bps === 8 ? Int8Array : bps === 16 ? Int16Array : Int32Array)
      : bps === 32 ? Float32Array : Float64Array;
    out.set(new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, n));
    return out;
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const step = bps / 8;
  for (let i = 0, o = 0; i < n; i++, o += step) {
    switch (bps * 10 + (kind === 'uint' ? 0 : kind === 'int' ? 1 : 2)) {
      case 80: out[i] = raw[o]; break;
      case 81: out[i] = dv.getInt8(o); break;
      case 160: out[i] = dv.getUint16(o, le); break;
      case 161: out[i] = dv.getInt16(o, le); break;
      case 320: out[i] = dv.getUint32(o, le); break;
      case 321: out[i] = dv.getInt32(o, le); break;
      case 322: out[i] = dv.getFloat32(o, le); break;
      case 642: out[i] = dv.getFloat64(o, le); break;
    }
  }
  return out;
}

/** Palette images (DM exports of 8-bit displays): map indices through the colour map's grey level. */
function applyPalette(ifd: Ifd, data: Float32Array, file: string, warnings: string[]): void {
  const cmap = ifd.t320 as number[] | undefined;
  if (!cmap || cmap.length % 3 !== 0) throw new ParseError('palette image without a colour map', { file, field: 'ColorMap' });
  const n = cmap.length / 3;
  const grey = new Float32Array(n);
  let colour = false;
  for (let i = 0; i < n; i++) {
    const r = cmap[i];
    const g = cmap[n + i];
    const b = cmap[2 * n + i];
    if (r !== g || g !== b) colour = true;
    grey[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 257;
  }
  for (let i = 0; i < data.length; i++) {
    const k = data[i];
    if (k >= n) throw new ParseError(`palette index ${k} outside the ${n}-entry colour map`, { file, field: 'ColorMap' });
    data[i] = grey[k];
  }
  warnings.push(colour ? 'colour palette converted to luminance: intensities are display values, not counts' : 'grey palette image: intensities are display values (0–255), not detector counts');
}

/** Pixel size in nm from DigitalMicrograph, FEI/Thermo or ImageJ tags, in that order of trust. */
function calibration(ifd: Ifd, meta: Record<string, string | number | boolean>, warnings: string[]): number | null {
  // DigitalMicrograph export: 65009/65010 scale, 65003/65004 unit (Latin-1).
  const dmScale = num(ifd, 65009);
  if (dmScale !== undefined) {
    const unit = text(ifd, 65003) ?? text(ifd, 65012) ?? '';
    const f = unitToNm(unit);
    const sy = num(ifd, 65010);
    if (f !== undefined && dmScale > 0 && Number.isFinite(dmScale)) {
      meta.calibrationSource = 'DigitalMicrograph tags 65009/65003';
      meta.calibrationUnit = unit;
      if (sy !== undefined && Math.abs(sy - dmScale) > 1e-6 * dmScale) warnings.push(`non-square pixels (x ${dmScale}, y ${sy} ${unit}); x scale used`);
      return dmScale * f;
    }
    warnings.push(`DigitalMicrograph calibration ${dmScale} '${unit}' is not a length: treated as uncalibrated`);
  }
  // FEI/Thermo SEM/FIB: INI text in 34680/34682, [Scan] PixelWidth in metres.
  for (const tag of [34682, 34680]) {
    const ini = text(ifd, tag);
    if (!ini) continue;
    const m = /\[Scan\][^[]*?PixelWidth=([0-9.eE+-]+)/.exec(ini);
    const px = m ? Number(m[1]) : NaN;
    if (px > 0 && Number.isFinite(px)) {
      meta.calibrationSource = `FEI tag ${tag} [Scan] PixelWidth`;
      return px * 1e9;
    }
    warnings.push(`FEI tag ${tag} has no [Scan] PixelWidth (navcam image?): uncalibrated`);
  }
  // FEI/Thermo TEM (TIA/Velox export): XML with PixelSize width in metres.
  const xml = text(ifd, 34683);
  if (xml) {
    const m = /<PixelSize>[\s\S]*?<(?:Width|width)>\s*([0-9.eE+-]+)\s*</.exec(xml) ?? /PixelSize[^0-9]*?([0-9.]+[eE][+-]?[0-9]+)/.exec(xml);
    const px = m ? Number(m[1]) : NaN;
    if (px > 0 && Number.isFinite(px)) {
      meta.calibrationSource = 'FEI tag 34683 PixelSize';
      return px * 1e9;
    }
    warnings.push('FEI tag 34683 present but no PixelSize found: uncalibrated');
  }
  // ImageJ: "unit=" in the description, XResolution = pixels per unit.
  const desc = text(ifd, 270);
  if (desc && desc.startsWith('ImageJ=')) {
    const um = /(?:^|\n)unit=([^\n]*)/.exec(desc);
    const unit = um ? um[1].replace(/\\u00B5/gi, 'µ').trim() : '';
    const res = num(ifd, 282);
    const f = unitToNm(unit);
    if (f !== undefined && res !== undefined && res > 0 && Number.isFinite(res)) {
      meta.calibrationSource = 'ImageJ unit + XResolution';
      meta.calibrationUnit = unit;
      return f / res;
    }
    if (!um) warnings.push('ImageJ TIFF without a length unit: uncalibrated');
  }
  return null;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8 };

/**
 * Every value of the first IFD must lie inside the file: utif2 reads past the end silently
 * (undefined → zeros), so a truncated tag or IFD would otherwise pass as data.
 */
function checkIfdBounds(b: Uint8Array, file: string): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = b[0] === 0x49;
  if (b.length < 8) throw new ParseError('file too short for a TIFF header', { file, field: 'header' }, 'the file is truncated');
  const big = dv.getUint16(2, le) === 43;
  if (big) return; // BigTIFF: left to the decoder
  const off = dv.getUint32(4, le);
  if (off + 2 > b.length) throw new ParseError(`first IFD at byte ${off} is outside the ${b.length}-byte file`, { file, field: 'IFD' }, 'the file is truncated or corrupt');
  const n = dv.getUint16(off, le);
  if (off + 2 + 12 * n + 4 > b.length) throw new ParseError(`IFD of ${n} entries runs past the end of the file`, { file, field: 'IFD' }, 'the file is truncated or corrupt');
  for (let i = 0; i < n; i++) {
    const e = off + 2 + 12 * i;
    const tag = dv.getUint16(e, le);
    const size = (TYPE_SIZE[dv.getUint16(e + 2, le)] ?? 1) * dv.getUint32(e + 4, le);
    if (size > 4 && dv.getUint32(e + 8, le) + size > b.length) {
      throw new ParseError(`tag ${tag} value (${size} bytes at ${dv.getUint32(e + 8, le)}) runs past the end of the file`, { file, field: `tag ${tag}` }, 'the file is truncated');
    }
  }
}
