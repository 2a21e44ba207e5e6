// imzML metadata read in pieces, for files too large to become one string / one object tree
// (a 512×512 image has 262,144 <spectrum> elements). The header (everything before <run>) is
// parsed as XML; each <spectrum>…</spectrum> is then decoded and scanned on its own with a
// small attribute extractor, so memory stays proportional to the pixel table.
import { ParseError } from '@siteproof/core';
import { binaryType, hasCv, cvValue, type CvParam } from './xml';
import type { ArrayRef, ImzML, ImzMLPixel } from './imzml';

const enc = new TextEncoder();

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const n0 = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = hay.indexOf(n0, from); i !== -1 && i <= last; i = hay.indexOf(n0, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

const latin1 = new TextDecoder('latin1');
const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(ATTR)) out[m[1]] = m[2];
  return out;
}

/** cvParams and group refs of an XML fragment, in document order. */
function fragmentParams(text: string, groups: Map<string, CvParam[]>): CvParam[] {
  const out: CvParam[] = [];
  for (const m of text.matchAll(/<(cvParam|referenceableParamGroupRef)\b([^>]*)>/g)) {
    const a = attrs(m[2]);
    if (m[1] === 'cvParam') out.push({ accession: a.accession ?? '', name: a.name, value: a.value ?? '' });
    else out.push(...(groups.get(a.ref ?? '') ?? []));
  }
  return out;
}

export interface ImzMLHeader {
  mode: 'continuous' | 'processed';
  uuid?: string;
  groups: Map<string, CvParam[]>;
  polarity?: 'positive' | 'negative';
  sims: boolean;
  maxX?: number;
  maxY?: number;
}

/** Read the imzML metadata from bytes without building one string of the whole file. */
export function readImzMLStreaming(bytes: Uint8Array, file: string, parseHeader: (xml: string) => ImzMLHeader): ImzML {
  const runAt = indexOf(bytes, enc.encode('<run'), 0);
  if (runAt < 0) throw new ParseError('no <run> element', { file });
  const prefix = latin1.decode(bytes.subarray(0, runAt));
  // Close the elements still open at <run> (mzML, maybe indexedmzML) so the header parses.
  const closing = (/<indexedmzML\b/.test(prefix) ? '</mzML></indexedmzML>' : '</mzML>');
  const header = parseHeader(prefix + closing);
  const open = enc.encode('<spectrum ');
  const open2 = enc.encode('<spectrum>');
  const close = enc.encode('</spectrum>');
  const pixels: ImzMLPixel[] = [];
  let polarity = header.polarity;
  let pos = runAt;
  for (;;) {
    let s = indexOf(bytes, open, pos);
    const s2 = indexOf(bytes, open2, pos);
    if (s < 0 || (s2 >= 0 && s2 < s)) s = s2;
    if (s < 0) break;
    const e = indexOf(bytes, close, s);
    if (e < 0) throw new ParseError(`unterminated <spectrum> at byte ${s}`, { file });
    const text = latin1.decode(bytes.subarray(s, e));
    const where = `spectrum ${pixels.length + 1}`;
    const all = fragmentParams(text.replace(/<binaryDataArray\b[\s\S]*?<\/binaryDataArray>/g, ''), header.groups);
    const num = (acc: string, what: string, params: CvParam[]) => {
      const v = cvValue(params, acc);
      const x = Number(v);
      if (v === undefined || v === '' || !Number.isFinite(x)) throw new ParseError(`${where}: missing or bad ${what}`, { file });
      return x;
    };
    let mz: ArrayRef | undefined;
    let intensity: ArrayRef | undefined;
    for (const m of text.matchAll(/<binaryDataArray\b[\s\S]*?<\/binaryDataArray>/g)) {
      const p = fragmentParams(m[0], header.groups);
      const type = binaryType(p);
      if (!type) throw new ParseError(`${where}: binary data type not declared`, { file });
      const ref: ArrayRef = {
        offset: num('IMS:1000102', 'external offset', p),
        length: num('IMS:1000103', 'external array length', p),
        encodedLength: num('IMS:1000104', 'external encoded length', p),
        type,
        zlib: hasCv(p, 'MS:1000574'),
      };
      if (hasCv(p, 'MS:1000514')) mz = ref;
      else if (hasCv(p, 'MS:1000515')) intensity = ref;
    }
    if (!mz || !intensity) throw new ParseError(`${where} lacks an m/z or intensity array`, { file });
    if (!polarity) polarity = hasCv(all, 'MS:1000130') ? 'positive' : hasCv(all, 'MS:1000129') ? 'negative' : undefined;
    const ticText = cvValue(all, 'MS:1000285');
    pixels.push({
      x: num('IMS:1000050', 'position x', all),
      y: num('IMS:1000051', 'position y', all),
      mz,
      intensity,
      tic: ticText !== undefined && ticText !== '' && Number.isFinite(Number(ticText)) ? Number(ticText) : undefined,
    });
    pos = e + close.length;
  }
  if (pixels.length === 0) throw new ParseError('no spectra in the spectrumList', { file });
  let width = header.maxX ?? 0;
  let height = header.maxY ?? 0;
  for (const p of pixels) (width = Math.max(width, p.x)), (height = Math.max(height, p.y));
  return { file, mode: header.mode, uuid: header.uuid, width, height, pixels, polarity, sims: header.sims };
}
