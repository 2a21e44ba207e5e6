// A minimal DM4 writer for tests (big-endian tag structure, little-endian payload), following the
// layout packages/stem-stats/src/io/dm.ts parses.
const be = (n: number, bytes: number) => {
  const b = new Uint8Array(bytes);
  const dv = new DataView(b.buffer);
  if (bytes === 1) dv.setUint8(0, n);
  else if (bytes === 2) dv.setUint16(0, n);
  else if (bytes === 4) dv.setUint32(0, n);
  else dv.setBigUint64(0, BigInt(n));
  return b;
};
export const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
};
const u64 = (n: number) => be(n, 8);
const nameBytes = (name: string) => cat(be(name.length, 2), Uint8Array.from(name, (c) => c.charCodeAt(0)));
const group = (tags: Uint8Array[]) => cat(be(0, 1), be(1, 1), u64(tags.length), ...tags);
const groupTag = (name: string, tags: Uint8Array[]) => cat(be(20, 1), nameBytes(name), u64(0), group(tags));
const dataTag = (name: string, info: number[], payload: Uint8Array) => cat(be(21, 1), nameBytes(name), u64(0), Uint8Array.from('%%%%', (c) => c.charCodeAt(0)), u64(info.length), ...info.map(u64), payload);
const le32 = (n: number, float = false) => {
  const b = new Uint8Array(4);
  if (float) new DataView(b.buffer).setFloat32(0, n, true);
  else new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const units = (u: string) => dataTag('Units', [20, 4, u.length], new Uint8Array(Uint16Array.from(u, (c) => c.charCodeAt(0)).buffer));

/**
 * A DM4 stack w × h × frames of float32. The Data array comes before DataType and Dimensions, so
 * the reader must skip over it (and, for a large file, read tags beyond 4 GiB). Returns the bytes
 * before the pixel data, the pixel byte count and the bytes after it (8 bytes of end padding
 * included); the header's declared size covers the whole.
 */
export function dm4Parts(w: number, h: number, frames: number, scaleNm: number) {
  const n = w * h * frames;
  const dataHead = cat(be(21, 1), nameBytes('Data'), u64(0), Uint8Array.from('%%%%', (c) => c.charCodeAt(0)), u64(3), u64(20), u64(6), u64(n));
  const cal = groupTag('Calibrations', [groupTag('Dimension', [0, 1, 2].map((k) => groupTag('', [dataTag('Scale', [6], le32(k < 2 ? scaleNm : 1, true)), units(k < 2 ? 'nm' : '')])))]);
  const imageDataHead = cat(be(20, 1), nameBytes('ImageData'), u64(0), be(0, 1), be(1, 1), u64(4), cal, dataHead);
  const imageDataTail = cat(dataTag('DataType', [3], le32(2)), groupTag('Dimensions', [dataTag('', [5], le32(w)), dataTag('', [5], le32(h)), dataTag('', [5], le32(frames))]));
  const entryHead = cat(be(20, 1), nameBytes(''), u64(0), be(0, 1), be(1, 1), u64(2), imageDataHead);
  const entryTail = cat(imageDataTail, dataTag('Name', [20, 4, 5], new Uint8Array(Uint16Array.from('stack', (c) => c.charCodeAt(0)).buffer)));
  const listHead = cat(be(20, 1), nameBytes('ImageList'), u64(0), be(0, 1), be(1, 1), u64(1), entryHead);
  const rootHead = cat(be(0, 1), be(1, 1), u64(1), listHead);
  const tail = cat(entryTail, new Uint8Array(8));
  const dataBytes = 4 * n;
  const total = 16 + rootHead.length + dataBytes + tail.length;
  const head = cat(be(4, 4), u64(total - 24), be(1, 4), rootHead);
  return { head, dataBytes, tail, total };
}

