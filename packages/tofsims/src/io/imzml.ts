// imzML (mzML metadata in .imzML + binary .ibd): continuous mode (one shared m/z array) and
// processed mode (an m/z array per pixel), 32/64-bit floats or integers, optional zlib. The
// caller passes the .ibd BYTES (the package never touches the disk); every offset is checked
// against them before a byte is read, and the UUID in the .ibd header against the metadata.
import { unzlibSync } from 'fflate';
import { z } from 'zod';
import { LimitError, parseOptions, ParseError, UnsupportedError, ValidationError } from '@siteproof/core';
import { readImzMLStreaming, type ImzMLHeader } from './imzmlStream';
import { lowerBound } from '../spectrum';
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

/** Check the .ibd against the metadata: size, UUID, and every array's byte range. */
export function checkIbd(meta: ImzML, ibd: Uint8Array | undefined, ibdName = '<ibd>'): void {
  if (!ibd) throw new ValidationError(`the .ibd file for ${meta.file} is required`, { file: ibdName }, 'pass the .ibd next to the .imzML');
  if (ibd.byteLength < 16) throw new ParseError(`.ibd is ${ibd.byteLength} bytes: shorter than its 16-byte UUID header`, { file: ibdName });
  if (meta.uuid) {
    let hex = '';
    for (let i = 0; i < 16; i++) hex += ibd[i].toString(16).padStart(2, '0');
    if (hex !== meta.uuid) throw new ParseError(`UUID mismatch: .ibd has ${hex}, .imzML says ${meta.uuid}`, { file: ibdName });
  }
  meta.pixels.forEach((p, i) => {
    for (const [what, r] of [['m/z', p.mz], ['intensity', p.intensity]] as const) {
      const end = r.offset + r.encodedLength;
      if (r.offset < 16 || end > ibd.byteLength) {
        throw new ParseError(`spectrum ${i + 1} (x ${p.x}, y ${p.y}): ${what} array bytes ${r.offset}–${end} lie outside the .ibd (${ibd.byteLength} bytes)`, { file: ibdName });
      }
      if (!r.zlib && r.encodedLength !== r.length * BYTES[r.type]) {
        throw new ParseError(`spectrum ${i + 1}: ${what} encoded length ${r.encodedLength} ≠ ${r.length} × ${BYTES[r.type]} bytes`, { file: ibdName });
      }
    }
  });
}

function readArray(ibd: Uint8Array, r: ArrayRef, file: string): Float64Array {
  let bytes = ibd.subarray(r.offset, r.offset + r.encodedLength);
  if (r.zlib) {
    try {
      bytes = unzlibSync(bytes);
    } catch (e) {
      throw new ParseError(`zlib data at byte ${r.offset} is corrupt: ${(e as Error).message}`, { file });
    }
  }
  if (bytes.byteLength < r.length * BYTES[r.type]) throw new ParseError(`array at byte ${r.offset} holds ${bytes.byteLength} bytes, ${r.length * BYTES[r.type]} expected`, { file });
  // Copy to an aligned buffer for DataView-free speed is not needed: DataView handles any offset.
  return decodeNumbers(bytes, r.type, r.length);
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

/** Sum of intensities with m/z in [mzLow, mzHigh] for every pixel. */
export function ionImage(meta: ImzML, ibd: Uint8Array, mzLow: number, mzHigh: number, ibdName = '<ibd>'): IonImage {
  if (!(mzHigh > mzLow)) throw new ValidationError(`empty m/z window ${mzLow}–${mzHigh}`, { field: 'mz' });
  checkIbd(meta, ibd, ibdName);
  const { width, height } = meta;
  const values = new Float64Array(width * height);
  const acquired = new Uint8Array(width * height);
  let sharedMz: Float64Array | undefined;
  for (const p of meta.pixels) {
    const mz = meta.mode === 'continuous' ? (sharedMz ??= readArray(ibd, p.mz, ibdName)) : readArray(ibd, p.mz, ibdName);
    const it = readArray(ibd, p.intensity, ibdName);
    const a = lowerBound(mz, mzLow);
    let s = 0;
    for (let i = a; i < mz.length && mz[i] <= mzHigh; i++) s += it[i];
    const k = (p.y - 1) * width + (p.x - 1);
    values[k] += s;
    acquired[k] = 1;
  }
  return { width, height, values, acquired, mzLow, mzHigh };
}
