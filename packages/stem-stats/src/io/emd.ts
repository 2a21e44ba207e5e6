// EMD readers (HDF5) through h5wasm, the WASM build of the HDF5 library (runs in Node and the
// browser; no pure-JS HDF5 reader handles chunked/compressed data reliably). Two flavours:
// Thermo Velox (/Data/Image/<uuid>/{Data,Metadata}, JSON metadata per frame) and Berkeley/NCEM
// EMD v0.2 (a group with emd_group_type = 1 holding data + dim1..dimN).
import type H5 from 'h5wasm';
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';
import { unitToNm } from './units';

export function isHdf5(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

let counter = 0;

type H5Module = typeof H5;
type H5Group = InstanceType<H5Module['Group']>;
type H5Dataset = InstanceType<H5Module['Dataset']>;
// Loaded on first use: the WASM module is large and only EMD files need it.
let h5wasm: H5Module;

function attr(o: { attrs: Record<string, { value: unknown }> }, name: string): unknown {
  return o.attrs[name]?.value;
}

function toFloat32(v: unknown, n: number, file: string, stride = 1, offset = 0): Float32Array {
  if (!v || typeof v !== 'object' || !('length' in (v as object))) throw new UnsupportedError('dataset values are not numeric', { file, field: 'data' });
  const a = v as ArrayLike<number | bigint>;
  if (a.length < n * stride) throw new ParseError(`dataset holds ${a.length} values, ${n * stride} expected`, { file, field: 'data' });
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = Number(a[i * stride + offset]);
    if (!Number.isFinite(x)) throw new ParseError(`pixel ${i} is not finite`, { file, field: 'data' });
    out[i] = x;
  }
  return out;
}

function readVelox(h: H5Group, file: string, maxPixels: number): Image | undefined {
  const images = h.get('Data/Image');
  if (!images || !(images instanceof h5wasm.Group)) return undefined;
  const warnings: string[] = [];
  const cands: { data: H5Dataset; meta: Record<string, any>; name: string }[] = [];
  for (const k of images.keys()) {
    const g = images.get(k);
    if (!(g instanceof h5wasm.Group)) continue;
    const data = g.get('Data');
    const md = g.get('Metadata');
    if (!(data instanceof h5wasm.Dataset)) continue;
    let meta: Record<string, any> = {};
    if (md instanceof h5wasm.Dataset && md.shape && md.shape.length === 2) {
      // Column 0 (frame 0) of the uint8 (len × frames) array is a NUL-padded JSON document.
      const [len, frames] = md.shape;
      const raw = md.value as ArrayLike<number>;
      let s = '';
      for (let i = 0; i < len; i++) {
        const c = raw[i * frames];
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      try {
        meta = JSON.parse(decodeURIComponent(escape(s)));
      } catch {
        warnings.push(`metadata of ${k} is not valid JSON`);
      }
    }
    const det = meta?.BinaryResult?.Detector ?? '';
    cands.push({ data, meta, name: String(det) });
  }
  if (!cands.length) return undefined;
  const pick = cands.find((c) => /HAADF/i.test(c.name)) ?? cands[0];
  if (cands.length > 1) warnings.push(`${cands.length} images (${cands.map((c) => c.name || '?').join(', ')}); read ${pick.name || 'the first'}`);
  const shape = pick.data.shape ?? [];
  if (shape.length < 2) throw new UnsupportedError(`Velox dataset of shape ${shape.join('×')} is not an image`, { file, field: 'Data' });
  const [hgt, wid, frames = 1] = shape;
  if (!(wid > 0 && hgt > 0)) throw new ParseError(`image size ${wid}×${hgt} is empty`, { file, field: 'Data' });
  if (wid * hgt > maxPixels) throw new LimitError(`image of ${wid}×${hgt} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  if (/f2|float16/i.test(String(pick.data.dtype))) throw new UnsupportedError('float16 data are not read', { file, field: 'Data' });
  const data = toFloat32(pick.data.value, wid * hgt, file, frames, 0);
  if (frames > 1) warnings.push(`${frames} frames: the first was read`);
  const ps = pick.meta?.BinaryResult?.PixelSize?.width;
  const unit = String(pick.meta?.BinaryResult?.PixelUnitX ?? 'm');
  const f = unitToNm(unit);
  const meta: Record<string, string | number | boolean> = { format: 'velox-emd' };
  if (pick.name) meta.detector = pick.name;
  const kv = Number(pick.meta?.Optics?.AccelerationVoltage);
  if (kv > 0) meta.voltageV = kv;
  let pixelNm: number | null = null;
  if (Number(ps) > 0 && f !== undefined) {
    pixelNm = Number(ps) * f;
    meta.calibrationSource = 'Velox BinaryResult.PixelSize.width';
  } else warnings.push('no PixelSize in the Velox metadata: uncalibrated');
  return { width: wid, height: hgt, data, pixelNm, meta, warnings };
}

function findNcem(g: H5Group, depth: number): H5Group | undefined {
  if (depth > 8) return undefined;
  for (const k of g.keys()) {
    const o = g.get(k);
    if (!(o instanceof h5wasm.Group)) continue;
    if (Number(attr(o as never, 'emd_group_type')) === 1) return o;
    const r = findNcem(o, depth + 1);
    if (r) return r;
  }
  return undefined;
}

function readNcem(h: H5Group, file: string, maxPixels: number): Image | undefined {
  const g = findNcem(h, 0);
  if (!g) return undefined;
  const ds = g.get('data');
  if (!(ds instanceof h5wasm.Dataset)) throw new ParseError('EMD group without a data set', { file, field: 'data' });
  const shape = ds.shape ?? [];
  if (shape.length < 2) throw new UnsupportedError(`EMD data of shape ${shape.join('×')} is not an image`, { file, field: 'data' });
  const warnings: string[] = [];
  // C order: data[dim1][dim2][…]; dim1 = rows (y), dim2 = columns (x). Extra dims: first slice.
  const [hgt, wid] = shape;
  const rest = shape.slice(2).reduce((a, b) => a * b, 1);
  if (rest > 1) warnings.push(`${shape.join('×')} data: the first slice was read`);
  if (!(wid > 0 && hgt > 0)) throw new ParseError(`image size ${wid}×${hgt} is empty`, { file, field: 'data' });
  if (wid * hgt > maxPixels) throw new LimitError(`image of ${wid}×${hgt} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  if (/f2|float16/i.test(String(ds.dtype))) throw new UnsupportedError('float16 data are not read', { file, field: 'data' });
  const data = toFloat32(ds.value, wid * hgt, file, rest, 0);
  const meta: Record<string, string | number | boolean> = { format: 'ncem-emd' };
  let pixelNm: number | null = null;
  const dim2 = g.get('dim2');
  if (dim2 instanceof h5wasm.Dataset) {
    const v = dim2.value as ArrayLike<number>;
    const units = String(attr(dim2 as never, 'units') ?? '').replace(/_/g, '');
    const f = unitToNm(units);
    const step = v.length >= 2 ? Number(v[1]) - Number(v[0]) : NaN;
    if (f !== undefined && step > 0) {
      pixelNm = step * f;
      meta.calibrationSource = 'EMD dim2 step';
    } else warnings.push(`EMD dim2 unit '${units}' is not a length: uncalibrated`);
  }
  return { width: wid, height: hgt, data, pixelNm, meta, warnings };
}

/** Read a Velox or NCEM EMD (HDF5) image. Async because the HDF5 library is WebAssembly. */
export async function readEmd(bytes: Uint8Array, file: string, opts: { maxPixels?: number } = {}): Promise<Image> {
  if (!isHdf5(bytes)) throw new ParseError('not an HDF5 file (no \\x89HDF signature)', { file, field: 'header' });
  h5wasm ??= (await import('h5wasm')).default;
  const { FS } = await h5wasm.ready;
  const name = `/siteproof-${Date.now()}-${counter++}.h5`;
  FS.writeFile(name, bytes);
  let h: InstanceType<H5Module['File']> | undefined;
  try {
    try {
      h = new h5wasm.File(name, 'r');
    } catch (e) {
      throw new ParseError(`HDF5 library cannot open it: ${(e as Error).message}`, { file, field: 'HDF5' }, 'the file may be truncated');
    }
    if (!h.file_id || Number(h.file_id) < 0) throw new ParseError('HDF5 library cannot open it', { file, field: 'HDF5' }, 'the file may be truncated');
    const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
    let img: Image | undefined;
    try {
      img = readVelox(h, file, maxPixels) ?? readNcem(h, file, maxPixels);
    } catch (e) {
      if (e instanceof Error && 'kind' in e) throw e;
      throw new ParseError(`HDF5 read failed: ${(e as Error).message}`, { file, field: 'HDF5' });
    }
    if (!img) throw new UnsupportedError('HDF5 file is neither Velox EMD nor NCEM EMD', { file }, 'HyperSpy .hspy files are not read yet');
    return img;
  } finally {
    try {
      h?.close();
    } catch {
      /* already closed */
    }
    try {
      FS.unlink(name);
    } catch {
      /* not created */
    }
  }
}
