// SVG overlay of detections on the image. The image is embedded as an 8-bit greyscale PNG written
// here with stored (uncompressed) deflate blocks: it keeps the package free of a zlib dependency
// and isomorphic; overlays are for looking at, so size matters less than portability.
import type { Image } from './image';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** 8-bit greyscale PNG (stored deflate) of `pix` (w×h bytes). */
export function encodeGreyPng(pix: Uint8Array, w: number, h: number): Uint8Array {
  const raw = new Uint8Array((w + 1) * h);
  for (let y = 0; y < h; y++) raw.set(pix.subarray(y * w, y * w + w), y * (w + 1) + 1);
  const nBlocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlen = 2 + raw.length + nBlocks * 5 + 4;
  const z = new Uint8Array(zlen);
  z[0] = 0x78;
  z[1] = 0x01;
  let o = 2;
  for (let b = 0; b < nBlocks; b++) {
    const s = b * 65535;
    const len = Math.min(65535, raw.length - s);
    z[o++] = b === nBlocks - 1 ? 1 : 0;
    z[o++] = len & 0xff;
    z[o++] = len >>> 8;
    z[o++] = ~len & 0xff;
    z[o++] = (~len >>> 8) & 0xff;
    z.set(raw.subarray(s, s + len), o);
    o += len;
  }
  let a = 1, bsum = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    bsum = (bsum + a) % 65521;
  }
  const adler = ((bsum << 16) | a) >>> 0;
  z[o++] = adler >>> 24;
  z[o++] = (adler >>> 16) & 0xff;
  z[o++] = (adler >>> 8) & 0xff;
  z[o++] = adler & 0xff;
  const chunks: [string, Uint8Array][] = [];
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, w);
  dv.setUint32(4, h);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  chunks.push(['IHDR', ihdr], ['IDAT', z], ['IEND', new Uint8Array(0)]);
  const total = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  let p = 8;
  const odv = new DataView(out.buffer);
  for (const [type, d] of chunks) {
    odv.setUint32(p, d.length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    out.set(d, p + 8);
    odv.setUint32(p + 8 + d.length, crc32(out, p + 4, p + 8 + d.length));
    p += 12 + d.length;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += A[(n >>> 18) & 63] + A[(n >>> 12) & 63];
    s += i + 1 < bytes.length ? A[(n >>> 6) & 63] : '=';
    s += i + 2 < bytes.length ? A[n & 63] : '=';
  }
  return s;
}

/** Display image: 0.5–99.5 % percentile stretch, downsampled by an integer factor to ≤ maxSide. */
export function displayPng(img: Image, maxSide = 1024): { png: Uint8Array; scale: number; w: number; h: number } {
  const f = Math.max(1, Math.ceil(Math.max(img.width, img.height) / maxSide));
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  const step = Math.max(1, Math.floor(img.data.length / 100000));
  const sample: number[] = [];
  for (let i = 0; i < img.data.length; i += step) sample.push(img.data[i]);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.005 * (sample.length - 1))] ?? 0;
  const hi = sample[Math.floor(0.995 * (sample.length - 1))] ?? 1;
  const span = hi > lo ? hi - lo : 1;
  const pix = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let b = 0; b < f; b++) for (let a = 0; a < f; a++) s += img.data[(y * f + b) * img.width + x * f + a];
      const v = ((s / (f * f) - lo) / span) * 255;
      pix[y * w + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { png: encodeGreyPng(pix, w, h), scale: f, w, h };
}

export interface OverlayMarker {
  x: number;
  y: number;
  /** 'single' | 'pair' | 'multimer' | 'atom' — chooses the colour. */
  kind: string;
}

const COLOURS: Record<string, string> = { single: '#00d0ff', pair: '#ff4040', multimer: '#ffd000', atom: '#40ff40' };

/** SVG with the image and one circle per atom (pixel coordinates; pixel centres at integers). */
export function overlaySvg(img: Image, markers: OverlayMarker[], radiusPx: number, title = ''): string {
  const d = displayPng(img);
  const f = d.scale;
  const r = Math.max(radiusPx / f, 1.5);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${d.w}" height="${d.h}" viewBox="0 0 ${d.w} ${d.h}">`,
    title ? `<title>${title.replace(/[<&>]/g, '')}</title>` : '',
    `<image width="${d.w}" height="${d.h}" xlink:href="data:image/png;base64,${base64(d.png)}"/>`,
    `<g fill="none" stroke-width="${Math.max(0.6, r / 5).toFixed(2)}">`,
  ];
  for (const m of markers) {
    const cx = (m.x + 0.5) / f;
    const cy = (m.y + 0.5) / f;
    parts.push(`<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r.toFixed(2)}" stroke="${COLOURS[m.kind] ?? '#ffffff'}"/>`);
  }
  parts.push('</g>', '</svg>');
  return parts.join('\n');
}
