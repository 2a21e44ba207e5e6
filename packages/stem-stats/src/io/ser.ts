// FEI/Thermo TIA .ser reader (little-endian; layout from the TIA series file description that
// rosettasciio and ncempy follow). Reads the first 2D element; pixel size from CalibrationDeltaX (m).
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';

export function isSer(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x97 && bytes[3] === 0x01;
}

const TYPES: Record<number, { size: number; name: string }> = {
  1: { size: 1, name: 'uint8' }, 2: { size: 2, name: 'uint16' }, 3: { size: 4, name: 'uint32' }, 4: { size: 1, name: 'int8' },
  5: { size: 2, name: 'int16' }, 6: { size: 4, name: 'int32' }, 7: { size: 4, name: 'float32' }, 8: { size: 8, name: 'float64' },
};

export function readSer(bytes: Uint8Array, file: string, opts: { maxPixels?: number } = {}): Image {
  if (!isSer(bytes)) throw new ParseError('not a TIA series file (no 0x4949 0x0197 signature)', { file, field: 'header' });
  if (bytes.length < 30) throw new ParseError('file too short for a SER header', { file, field: 'header' }, 'the file is truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(4, true);
  const wide = version >= 0x0220;
  const dataType = dv.getUint32(6, true);
  if (dataType !== 0x4122) throw new UnsupportedError(dataType === 0x4120 ? 'SER holds 1D spectra, not images' : `SER data type 0x${dataType.toString(16)}`, { file, field: 'DataTypeID' });
  const total = dv.getUint32(14, true);
  const valid = dv.getUint32(18, true);
  const offArr = wide ? Number(dv.getBigUint64(22, true)) : dv.getUint32(22, true);
  if (valid < 1) throw new ParseError('SER holds no valid element', { file, field: 'ValidNumberElements' });
  if (offArr + (wide ? 8 : 4) > bytes.length) throw new ParseError(`offset array at ${offArr} lies outside the file`, { file, field: 'OffsetArrayOffset' }, 'the file is truncated');
  const el = wide ? Number(dv.getBigUint64(offArr, true)) : dv.getUint32(offArr, true);
  if (el + 50 > bytes.length) throw new ParseError(`first element at ${el} lies outside the file`, { file, field: 'DataOffsetArray' }, 'the file is truncated');
  const deltaX = dv.getFloat64(el + 8, true);
  const deltaY = dv.getFloat64(el + 28, true);
  const t = dv.getUint16(el + 40, true);
  const w = dv.getUint32(el + 42, true);
  const h = dv.getUint32(el + 46, true);
  const ty = TYPES[t];
  if (!ty) throw new UnsupportedError(`SER pixel type ${t} (complex) is not read`, { file, field: 'DataType' });
  if (!(w > 0 && h > 0)) throw new ParseError(`image size ${w}×${h} is empty`, { file, field: 'ArraySize' });
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (w * h > maxPixels) throw new LimitError(`image of ${w}×${h} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  const start = el + 50;
  if (start + w * h * ty.size > bytes.length) throw new ParseError(`pixel data need ${w * h * ty.size} bytes at ${start}, file has ${bytes.length}`, { file, field: 'data' }, 'the file is truncated');
  const data = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const o = start + i * ty.size;
    let v: number;
    switch (t) {
      case 1: v = dv.getUint8(o); break;
      case 2: v = dv.getUint16(o, true); break;
      case 3: v = dv.getUint32(o, true); break;
      case 4: v = dv.getInt8(o); break;
      case 5: v = dv.getInt16(o, true); break;
      case 6: v = dv.getInt32(o, true); break;
      case 7: v = dv.getFloat32(o, true); break;
      default: v = dv.getFloat64(o, true);
    }
    if (!Number.isFinite(v)) throw new ParseError(`pixel ${i % w},${Math.floor(i / w)} is not finite`, { file, field: 'data' });
    data[i] = v;
  }
  const warnings: string[] = [];
  if (valid > 1) warnings.push(`series of ${valid} images (${total} allocated): the first was read`);
  const meta: Record<string, string | number | boolean> = { format: 'ser', dataType: ty.name, frames: valid };
  let pixelNm: number | null = null;
  if (deltaX > 0 && Number.isFinite(deltaX)) {
    pixelNm = deltaX * 1e9;
    meta.calibrationSource = 'SER CalibrationDeltaX (m)';
    if (deltaY > 0 && Math.abs(deltaY - deltaX) > 1e-6 * deltaX) warnings.push(`non-square pixels (x ${deltaX}, y ${deltaY} m); x used`);
  } else warnings.push('SER calibration delta is 0: uncalibrated');
  return { width: w, height: h, data, pixelNm, meta, warnings };
}
