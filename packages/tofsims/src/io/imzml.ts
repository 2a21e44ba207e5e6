// imzML (mzML metadata in .imzML + binary .ibd): continuous mode (one shared m/z array) and
// processed mode (an m/z array per pixel), 32/64-bit floats or integers, optional zlib. The
// caller passes the .ibd BYTES (the package never touches the disk); every offset is checked
// against them before a byte is read, and the UUID in the .ibd header against the metadata.
import { unzlibSync } from 'fflate';
import { z } from 'zod';
import { LimitError, parseOptions, ParseError, UnsupportedError, ValidationError } from '@siteproof/core';
import { readImzMLStreaming, type ImzMLHeader } from './imzmlStream';
import { lowerBound } from '../spectrum';
import { readExactly, type ByteSource } from './byteSource';
import { binaryType, BYTES, child, children, cvParams, cvValue, decodeNumbers, hasCv, paramGroups, parseXml, xmlText, type BinaryType, type CvParam } from './xml';

export const ImzMLOptions = z.object({
  /** Largest metadata parsed as one XML document (string + object tree). */
  maxXmlBytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** Byte inputs larger than this are read spectrum by spectrum (readImzMLStreaming). */
  streamAboveBytes: z.number().int().nonnegative().default(32 * 1024 * 1024),
  /** Refuse even the streamed path above this size. */
  maxStreamBytes: z.number().int().positive().default(2 ** 32),
});
export type ImzMLOptions = z.input<typeof ImzMLOptions>;

export * from './byteSource';

/** Limits for reading spectra out of the .ibd (whose size is unbounded: 2 GB files are common). */
export const IbdOptions = z.object({
  /** Largest single array held in memory (decoded as float64, or inflated when zlib-compressed). */
  maxArrayBytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** Largest ion image (width × height pixels) allocated. */
  maxImagePixels: z.number().int().positive().default(64 * 1024 * 1024),
});
export type IbdOptions = z.input<typeof IbdOptions>;

export interface ArrayRef {
  offset: number;
  length: number;
  encodedLength: number;
  type: BinaryType;
  zlib: boolean;
}

export interface ImzMLPixel {
  x: number;
  y: number;
  mz: ArrayRef;
  intensity: ArrayRef;
  /** Total ion current stored in the metadata (MS:1000285), when present. */
  tic?: number;
}

export interface ImzML {
  file: string;
  mode: 'continuous' | 'processed';
  /** UUID from the metadata, 32 lowercase hex digits. */
  uuid?: string;
  width: number;
  height: number;
  pixels: ImzMLPixel[];
  polarity?: 'positive' | 'negative';
  /** Whether the metadata says secondary ionization (SIMS). */
  sims: boolean;
}

function num(v: string | undefined, what: string, file: string): number {
  const x = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(x)) throw new ParseError(`missing or bad ${what} ('${v ?? ''}')`, { file, field: what });
  return x;
}

function maxOf(values: number[]): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

function headerFrom(root: XmlNodeLike, file: string): ImzMLHeader {
  const groups = paramGroups(root);
  const content = cvParams(child(child(root, 'fileDescription'), 'fileContent'), groups);
  const mode = hasCv(content, 'IMS:1000030') ? 'continuous' : hasCv(content, 'IMS:1000031') ? 'processed' : undefined;
  if (!mode) throw new ParseError('neither continuous (IMS:1000030) nor processed (IMS:1000031) mode is declared', { file });
  const uuidRaw = cvValue(content, 'IMS:1000080');
  const uuid = uuidRaw ? uuidRaw.replace(/[{}-]/g, '').toLowerCase() : undefined;
  if (uuid !== undefined && !/^[0-9a-f]{32}$/.test(uuid)) throw new ParseError(`bad UUID '${uuidRaw}'`, { file, field: 'IMS:1000080' });
  const scanSettings = cvParams(child(child(root, 'scanSettingsList'), 'scanSettings'), groups);
  const maxX = Number(cvValue(scanSettings, 'IMS:1000042'));
  const maxY = Number(cvValue(scanSettings, 'IMS:1000043'));
  return {
    mode,
    uuid,
    groups,
    polarity: hasCv(content, 'MS:1000130') ? 'positive' : hasCv(content, 'MS:1000129') ? 'negative' : undefined,
    // SIMS instruments declare "secondary ionization" (IONTOF's exporter does) in the source.
    sims: /secondary ioni[sz]ation/i.test(JSON.stringify(child(root, 'instrumentConfigurationList') ?? {})),
    maxX: Number.isFinite(maxX) ? maxX : undefined,
    maxY: Number.isFinite(maxY) ? maxY : undefined,
  };
}

type XmlNodeLike = Record<string, unknown>;

function rootOf(doc: Record<string, unknown>, file: string): XmlNodeLike {
  const root = child(doc, 'mzML') ?? child(child(doc, 'indexedmzML'), 'mzML');
  if (!root) throw new ParseError('no <mzML> root element', { file });
  return root;
}

/**
 * Parse the .imzML metadata. Byte inputs above `streamAboveBytes` are read spectrum by
 * spectrum without one string of the whole file; smaller ones as one XML document.
 */
export function readImzML(input: Uint8Array | string, file = '<imzML>', options?: ImzMLOptions): ImzML {
  const o = parseOptions(ImzMLOptions, options, 'options');
  if (typeof input !== 'string' && input.byteLength > o.streamAboveBytes) {
    if (input.byteLength > o.maxStreamBytes) throw new LimitError(`imzML is ${input.byteLength} bytes, above the ${o.maxStreamBytes}-byte limit`, { file }, 'raise maxStreamBytes');
    // The header is small: the same DTD/entity refusal applies to it.
    return readImzMLStreaming(input, file, (xml) => headerFrom(rootOf(parseXml(xml, file), file), file));
  }
  const doc = parseXml(xmlText(input, file, o.maxXmlBytes), file);
  const root = rootOf(doc, file);
  const h = headerFrom(root, file);
  const { groups, mode, uuid } = h;
  const spectra = children(child(child(root, 'run'), 'spectrumList'), 'spectrum');
  if (spectra.length === 0) throw new ParseError('no spectra in the spectrumList', { file });
  const pixels: ImzMLPixel[] = [];
  let polarity = h.polarity;
  spectra.forEach((sp, i) => {
    const sparams = cvParams(sp, groups);
    const scan = children(child(sp, 'scanList'), 'scan')[0];
    const scanParams = [...cvParams(scan, groups), ...sparams];
    const where = `spectrum ${i + 1}`;
    const x = num(cvValue(scanParams, 'IMS:1000050'), `${where} position x (IMS:1000050)`, file);
    const y = num(cvValue(scanParams, 'IMS:1000051'), `${where} position y (IMS:1000051)`, file);
    if (!polarity) polarity = hasCv(sparams, 'MS:1000130') ? 'positive' : hasCv(sparams, 'MS:1000129') ? 'negative' : undefined;
    let mz: ArrayRef | undefined;
    let intensity: ArrayRef | undefined;
    for (const bda of children(child(sp, 'binaryDataArrayList'), 'binaryDataArray')) {
      const p: CvParam[] = cvParams(bda, groups);
      const type = binaryType(p);
      if (!type) throw new UnsupportedError(`${where}: binary data type not declared or not supported`, { file });
      if (hasCv(p, 'MS:1002312') || hasCv(p, 'MS:1002313') || hasCv(p, 'MS:1002314')) throw new UnsupportedError(`${where}: MS-Numpress compression is not supported`, { file });
      const ref: ArrayRef = {
        offset: num(cvValue(p, 'IMS:1000102'), `${where} external offset (IMS:1000102)`, file),
        length: num(cvValue(p, 'IMS:1000103'), `${where} external array length (IMS:1000103)`, file),
        encodedLength: num(cvValue(p, 'IMS:1000104'), `${where} external encoded length (IMS:1000104)`, file),
        type,
        zlib: hasCv(p, 'MS:1000574'),
      };
      if (hasCv(p, 'MS:1000514')) mz = ref;
      else if (hasCv(p, 'MS:1000515')) intensity = ref;
    }
    if (!mz || !intensity) throw new ParseError(`${where} lacks an m/z or intensity array`, { file });
    const ticText = cvValue(sparams, 'MS:1000285');
    const tic = ticText !== undefined && ticText !== '' && Number.isFinite(Number(ticText)) ? Number(ticText) : undefined;
    pixels.push({ x, y, mz, intensity, tic });
  });
  const width = Math.max(h.maxX ?? 0, maxOf(pixels.map((p) => p.x)));
  const height = Math.max(h.maxY ?? 0, maxOf(pixels.map((p) => p.y)));
  return { file, mode, uuid, width, height, pixels, polarity, sims: h.sims };
}

function uuidHex(head: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += head[i].toString(16).padStart(2, '0');
  return hex;
}

/** Size, UUID and byte-range checks shared by the in-memory and the streamed .ibd paths. */
function checkIbdLayout(meta: ImzML, size: number, head: Uint8Array | undefined, ibdName: string): void {
  if (size < 16 || !head) throw new ParseError(`.ibd is ${size} bytes: shorter than its 16-byte UUID header`, { file: ibdName });
  if (meta.uuid) {
    const hex = uuidHex(head);
    if (hex !== meta.uuid) throw new ParseError(`UUID mismatch: .ibd has ${hex}, .imzML says ${meta.uuid}`, { file: ibdName });
  }
  meta.pixels.forEach((p, i) => {
    for (const [what, r] of [['m/z', p.mz], ['intensity', p.intensity]] as const) {
      const end = r.offset + r.encodedLength;
      const whole = Number.isSafeInteger(r.offset) && Number.isSafeInteger(r.length) && Number.isSafeInteger(r.encodedLength) && r.length >= 0 && r.encodedLength >= 0;
      if (!whole || r.offset < 16 || end > size) {
        throw new ParseError(`spectrum ${i + 1} (x ${p.x}, y ${p.y}): ${what} array bytes ${r.offset}–${end} (${r.length} values) lie outside the .ibd (${size} bytes)`, { file: ibdName });
      }
      if (!r.zlib && r.encodedLength !== r.length * BYTES[r.type]) {
        throw new ParseError(`spectrum ${i + 1}: ${what} encoded length ${r.encodedLength} ≠ ${r.length} × ${BYTES[r.type]} bytes`, { file: ibdName });
      }
    }
  });
}

/** Check the .ibd against the metadata: size, UUID, and every array's byte range. */
export function checkIbd(meta: ImzML, ibd: Uint8Array | undefined, ibdName = '<ibd>'): void {
  if (!ibd) throw new ValidationError(`the .ibd file for ${meta.file} is required`, { file: ibdName }, 'pass the .ibd next to the .imzML');
  checkIbdLayout(meta, ibd.byteLength, ibd.byteLength >= 16 ? ibd.subarray(0, 16) : undefined, ibdName);
}

/** Like checkIbd for a .ibd behind a ByteSource (only its 16-byte header is read). */
export async function checkIbdSource(meta: ImzML, ibd: ByteSource, ibdName = '<ibd>'): Promise<void> {
  checkIbdLayout(meta, ibd.size, ibd.size >= 16 ? await readExactly(ibd, 0, 16, ibdName) : undefined, ibdName);
}

function decodeArray(stored: Uint8Array, r: ArrayRef, file: string, maxArrayBytes: number): Float64Array {
  const need = r.length * BYTES[r.type];
  // Checked before allocating: the decoded array (8 bytes per value) and the inflated bytes.
  if (Math.max(need, r.length * 8) > maxArrayBytes) {
    throw new LimitError(`array at byte ${r.offset} has ${r.length} values (${Math.max(need, r.length * 8)} bytes in memory), above the ${maxArrayBytes}-byte limit`, { file }, 'raise maxArrayBytes');
  }
  let bytes = stored;
  if (r.zlib) {
    try {
      // A fixed output buffer: a zlib bomb cannot inflate past the declared array size.
      bytes = unzlibSync(stored, { out: new Uint8Array(need) });
    } catch (e) {
      throw new ParseError(`zlib data at byte ${r.offset} is corrupt: ${(e as Error).message}`, { file });
    }
  }
  if (bytes.byteLength < need) throw new ParseError(`array at byte ${r.offset} holds ${bytes.byteLength} bytes, ${need} expected`, { file });
  return decodeNumbers(bytes, r.type, r.length);
}

const DEFAULT_MAX_ARRAY_BYTES = 256 * 1024 * 1024;

function readArray(ibd: Uint8Array, r: ArrayRef, file: string, maxArrayBytes = DEFAULT_MAX_ARRAY_BYTES): Float64Array {
  if (!(r.offset >= 16 && r.encodedLength >= 0 && r.offset + r.encodedLength <= ibd.byteLength)) {
    throw new ParseError(`array bytes ${r.offset}–${r.offset + r.encodedLength} lie outside the .ibd (${ibd.byteLength} bytes)`, { file });
  }
  return decodeArray(ibd.subarray(r.offset, r.offset + r.encodedLength), r, file, maxArrayBytes);
}

async function readArrayFrom(ibd: ByteSource, r: ArrayRef, file: string, maxArrayBytes: number): Promise<Float64Array> {
  if (r.encodedLength > maxArrayBytes) throw new LimitError(`array at byte ${r.offset} is ${r.encodedLength} bytes in the .ibd, above the ${maxArrayBytes}-byte limit`, { file }, 'raise maxArrayBytes');
  return decodeArray(await readExactly(ibd, r.offset, r.encodedLength, file), r, file, maxArrayBytes);
}

/** m/z and intensity of one pixel's spectrum. */
export function readImzMLSpectrum(meta: ImzML, ibd: Uint8Array, index: number, ibdName = '<ibd>'): { mz: Float64Array; intensity: Float64Array; x: number; y: number } {
  const p = meta.pixels[index];
  if (!p) throw new ValidationError(`no spectrum ${index} (file has ${meta.pixels.length})`, { field: 'index' });
  return { mz: readArray(ibd, p.mz, ibdName), intensity: readArray(ibd, p.intensity, ibdName), x: p.x, y: p.y };
}

export interface IonImage {
  width: number;
  height: number;
  /** Row-major, index (y − 1)·width + (x − 1); pixels not acquired are 0 and false in `acquired`. */
  values: Float64Array;
  acquired: Uint8Array;
  mzLow: number;
  mzHigh: number;
}

function imageGrid(meta: ImzML, maxImagePixels: number): { width: number; height: number } {
  const { width, height } = meta;
  const file = meta.file;
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0)) throw new ParseError(`image size ${width} × ${height} is not a positive whole number of pixels`, { file });
  if (width * height > maxImagePixels) throw new LimitError(`image of ${width} × ${height} pixels is above the ${maxImagePixels}-pixel limit`, { file }, 'raise maxImagePixels');
  for (const [i, p] of meta.pixels.entries()) {
    if (!(Number.isInteger(p.x) && Number.isInteger(p.y) && p.x >= 1 && p.y >= 1 && p.x <= width && p.y <= height)) {
      throw new ParseError(`spectrum ${i + 1}: position (${p.x}, ${p.y}) is outside the ${width} × ${height} image`, { file });
    }
  }
  return { width, height };
}

function windowSum(mz: Float64Array, it: Float64Array, mzLow: number, mzHigh: number): number {
  let s = 0;
  for (let i = lowerBound(mz, mzLow); i < mz.length && i < it.length && mz[i] <= mzHigh; i++) s += it[i];
  return s;
}

/** Sum of intensities with m/z in [mzLow, mzHigh] for every pixel. */
export function ionImage(meta: ImzML, ibd: Uint8Array, mzLow: number, mzHigh: number, ibdName = '<ibd>', options?: IbdOptions): IonImage {
  const o = parseOptions(IbdOptions, options, 'options');
  if (!(mzHigh > mzLow)) throw new ValidationError(`empty m/z window ${mzLow}–${mzHigh}`, { field: 'mz' });
  checkIbd(meta, ibd, ibdName);
  const { width, height } = imageGrid(meta, o.maxImagePixels);
  const values = new Float64Array(width * height);
  const acquired = new Uint8Array(width * height);
  let sharedMz: Float64Array | undefined;
  for (const p of meta.pixels) {
    const mz = meta.mode === 'continuous' ? (sharedMz ??= readArray(ibd, p.mz, ibdName, o.maxArrayBytes)) : readArray(ibd, p.mz, ibdName, o.maxArrayBytes);
    const it = readArray(ibd, p.intensity, ibdName, o.maxArrayBytes);
    const k = (p.y - 1) * width + (p.x - 1);
    values[k] += windowSum(mz, it, mzLow, mzHigh);
    acquired[k] = 1;
  }
  return { width, height, values, acquired, mzLow, mzHigh };
}

/** readImzMLSpectrum for a .ibd behind a ByteSource: only this pixel's arrays are read. */
export async function readImzMLSpectrumFrom(
  meta: ImzML,
  ibd: ByteSource,
  index: number,
  ibdName = '<ibd>',
  options?: IbdOptions,
): Promise<{ mz: Float64Array; intensity: Float64Array; x: number; y: number }> {
  const o = parseOptions(IbdOptions, options, 'options');
  const p = meta.pixels[index];
  if (!p) throw new ValidationError(`no spectrum ${index} (file has ${meta.pixels.length})`, { field: 'index' });
  return { mz: await readArrayFrom(ibd, p.mz, ibdName, o.maxArrayBytes), intensity: await readArrayFrom(ibd, p.intensity, ibdName, o.maxArrayBytes), x: p.x, y: p.y };
}

/**
 * ionImage for a .ibd behind a ByteSource (a multi-GB file on disk, a browser File): pixels are
 * read one at a time, so memory holds the image plus one spectrum (and the shared m/z axis in
 * continuous mode), never the file.
 */
export async function ionImageFrom(meta: ImzML, ibd: ByteSource, mzLow: number, mzHigh: number, ibdName = '<ibd>', options?: IbdOptions): Promise<IonImage> {
  const o = parseOptions(IbdOptions, options, 'options');
  if (!(mzHigh > mzLow)) throw new ValidationError(`empty m/z window ${mzLow}–${mzHigh}`, { field: 'mz' });
  await checkIbdSource(meta, ibd, ibdName);
  const { width, height } = imageGrid(meta, o.maxImagePixels);
  const values = new Float64Array(width * height);
  const acquired = new Uint8Array(width * height);
  let sharedMz: Float64Array | undefined;
  for (const p of meta.pixels) {
    const mz = meta.mode === 'continuous' ? (sharedMz ??= await readArrayFrom(ibd, p.mz, ibdName, o.maxArrayBytes)) : await readArrayFrom(ibd, p.mz, ibdName, o.maxArrayBytes);
    const it = await readArrayFrom(ibd, p.intensity, ibdName, o.maxArrayBytes);
    const k = (p.y - 1) * width + (p.x - 1);
    values[k] += windowSum(mz, it, mzLow, mzHigh);
    acquired[k] = 1;
  }
  return { width, height, values, acquired, mzLow, mzHigh };
}
