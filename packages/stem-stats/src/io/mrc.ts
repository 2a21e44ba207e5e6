// MRC / MRC2014 reader (1024-byte header; CCP-EM specification). Pixel size = cella.x / mx (Å).
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { DEFAULT_MAX_PIXELS, type Image } from '../image';

export function isMrc(bytes: Uint8Array, file: string): boolean {
  if (/\.(mrc|mrcs|map|rec|st)$/i.test(file)) return true;
  // 'MAP ' at byte 208 (MRC2000+).
  return bytes.length >= 212 && bytes[208] === 0x4d && bytes[209] === 0x41 && bytes[210] === 0x50 && bytes[211] === 0x20;
}

const MODES: Record<number, { size: number; name: string }> = {
  0: { size: 1, name: 'int8' }, 1: { size: 2, name: 'int16' }, 2: { size: 4, name: 'float32' }, 6: { size: 2, name: 'uint16' }, 12: { size: 2, name: 'float16' },
};

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export function readMrc(bytes: Uint8Array, file: string, opts: { maxPixels?: number } = {}): Image {
  if (bytes.length < 1024) throw new ParseError(`file has ${bytes.length} bytes, an MRC header alone is 1024`, { file, field: 'header' }, 'the file is truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Machine stamp at byte 212: 0x44 0x41 = little-endian, 0x11 0x11 = big-endian; default little.
  const le = !(bytes[212] === 0x11 && bytes[213] === 0x11);
  const nx = dv.getInt32(0, le);
  const ny = dv.getInt32(4, le);
  const nz = dv.getInt32(8, le);
  const mode = dv.getInt32(12, le);
  const mx = dv.getInt32(28, le);
  const cellA = dv.getFloat32(40, le);
  const nsymbt = dv.getInt32(92, le);
  if (!(nx > 0 && ny > 0)) throw new ParseError(`image size ${nx}×${ny} is empty or invalid`, { file, field: 'nx/ny' });
  if (nz < 1) throw new ParseError(`nz = ${nz}`, { file, field: 'nz' });
  const m = MODES[mode];
  if (!m) throw new UnsupportedError(`MRC mode ${mode} (complex or packed) is not read`, { file, field: 'mode' }, 'modes 0, 1, 2, 6 and 12 are');
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (nx * ny > maxPixels) throw new LimitError(`image of ${nx}×${ny} pixels exceeds the ${maxPixels}-pixel limit`, { file }, 'raise options.maxPixels');
  if (nsymbt < 0) throw new ParseError(`negative extended header length ${nsymbt}`, { file, field: 'nsymbt' });
  const start = 1024 + nsymbt;
  const need = nx * ny * m.size;
  if (start + need > bytes.length) throw new ParseError(`pixel data need ${need} bytes at ${start}, file has ${bytes.length}`, { file, field: 'data' }, 'the file is truncated');
  const data = new Float32Array(nx * ny);
  for (let i = 0; i < nx * ny; i++) {
    const o = start + i * m.size;
    const v = mode === 0 ? dv.getInt8(o) : mode === 1 ? dv.getInt16(o, le) : mode === 2 ? dv.getFloat32(o, le) : mode === 6 ? dv.getUint16(o, le) : half(dv.getUint16(o, le));
    if (!Number.isFinite(v)) throw new ParseError(`pixel ${i % nx},${Math.floor(i / nx)} is not finite`, { file, field: 'data' });
    data[i] = v;
  }
  const warnings: string[] = [];
  if (nz > 1) warnings.push(`${nz} sections: the first was read`);
  let pixelNm: number | null = null;
  const meta: Record<string, string | number | boolean> = { format: 'mrc', mode: m.name };
  if (mx > 0 && cellA > 0 && Number.isFinite(cellA)) {
    pixelNm = cellA / mx / 10;
    meta.calibrationSource = 'MRC cella.x / mx (Å)';
  } else warnings.push('MRC cell size is 0: uncalibrated');
  return { width: nx, height: ny, data, pixelNm, meta, warnings };
}
