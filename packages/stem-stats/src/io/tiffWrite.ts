// Minimal uncompressed TIFF writer (one strip, little-endian) with ImageJ calibration, used to
// export processed images and to build exact fixtures (bad files, odd pixel types) in tests.

export type TiffPixelType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export interface TiffWriteOptions {
  type?: TiffPixelType;
  /** Written as ImageJ `unit=nm` + XResolution (pixels per nm). */
  pixelNm?: number | null;
  /** Extra tags: ASCII strings or arrays of numbers (written as LONG/DOUBLE). */
  extraTags?: Record<number, string | number[] | { double: number[] }>;
}

const INFO: Record<TiffPixelType, { bps: number; fmt: number }> = {
  uint8: { bps: 8, fmt: 1 }, int8: { bps: 8, fmt: 2 }, uint16: { bps: 16, fmt: 1 }, int16: { bps: 16, fmt: 2 },
  uint32: { bps: 32, fmt: 1 }, int32: { bps: 32, fmt: 2 }, float32: { bps: 32, fmt: 3 }, float64: { bps: 64, fmt: 3 },
};

export function writeTiff(data: ArrayLike<number>, width: number, height: number, opts: TiffWriteOptions = {}): Uint8Array {
  const type = opts.type ?? 'float32';
  const { bps, fmt } = INFO[type];
  const n = width * height;
  const pixBytes = (n * bps) / 8;
  type Entry = { tag: number; type: number; count: number; bytes: Uint8Array };
  const entries: Entry[] = [];
  const le = (nbytes: number, fill: (dv: DataView) => void) => {
    const b = new Uint8Array(nbytes);
    fill(new DataView(b.buffer));
    return b;
  };
  const short = (tag: number, v: number) => entries.push({ tag, type: 3, count: 1, bytes: le(2, (d) => d.setUint16(0, v, true)) });
  const long = (tag: number, vs: number[]) => entries.push({ tag, type: 4, count: vs.length, bytes: le(4 * vs.length, (d) => vs.forEach((v, i) => d.setUint32(4 * i, v, true))) });
  const ascii = (tag: number, s: string) => {
    const b = new Uint8Array(s.length + 1);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    entries.push({ tag, type: 2, count: b.length, bytes: b });
  };
  const rational = (tag: number, num: number, den: number) => entries.push({ tag, type: 5, count: 1, bytes: le(8, (d) => (d.setUint32(0, num, true), d.setUint32(4, den, true))) });
  const double = (tag: number, vs: number[]) => entries.push({ tag, type: 12, count: vs.length, bytes: le(8 * vs.length, (d) => vs.forEach((v, i) => d.setFloat64(8 * i, v, true))) });
  long(256, [width]);
  long(257, [height]);
  short(258, bps);
  short(259, 1);
  short(262, 1);
  long(273, [0]); // patched below
  short(277, 1);
  long(278, [height]);
  long(279, [pixBytes]);
  short(339, fmt);
  if (opts.pixelNm) {
    ascii(270, 'ImageJ=1.53\nunit=nm\n');
    rational(282, Math.round(1e6 / opts.pixelNm), 1e6);
    rational(283, Math.round(1e6 / opts.pixelNm), 1e6);
  }
  for (const [k, v] of Object.entries(opts.extraTags ?? {})) {
    if (typeof v === 'string') ascii(Number(k), v);
    else if (Array.isArray(v)) long(Number(k), v);
    else double(Number(k), v.double);
  }
  entries.sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + entries.length * 12 + 4;
  let extra = 0;
  for (const e of entries) if (e.bytes.length > 4) extra += e.bytes.length + (e.bytes.length % 2);
  const ifdOff = 8;
  let dataOff = ifdOff + ifdSize;
  const pixOff = dataOff + extra;
  const out = new Uint8Array(pixOff + pixBytes);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifdOff, true);
  dv.setUint16(ifdOff, entries.length, true);
  entries.forEach((e, i) => {
    const p = ifdOff + 2 + i * 12;
    if (e.tag === 273) e.bytes = le(4, (d) => d.setUint32(0, pixOff, true));
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, e.count, true);
    if (e.bytes.length <= 4) out.set(e.bytes, p + 8);
    else {
      dv.setUint32(p + 8, dataOff, true);
      out.set(e.bytes, dataOff);
      dataOff += e.bytes.length + (e.bytes.length % 2);
    }
  });
  dv.setUint32(ifdOff + 2 + entries.length * 12, 0, true);
  for (let i = 0; i < n; i++) {
    const o = pixOff + (i * bps) / 8;
    const v = data[i];
    switch (type) {
      case 'uint8': dv.setUint8(o, v); break;
      case 'int8': dv.setInt8(o, v); break;
      case 'uint16': dv.setUint16(o, v, true); break;
      case 'int16': dv.setInt16(o, v, true); break;
      case 'uint32': dv.setUint32(o, v, true); break;
      case 'int32': dv.setInt32(o, v, true); break;
      case 'float32': dv.setFloat32(o, v, true); break;
      case 'float64': dv.setFloat64(o, v, true); break;
    }
  }
  return out;
}
