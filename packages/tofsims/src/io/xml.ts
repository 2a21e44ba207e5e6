// Safe XML for mzML/imzML: DOCTYPE and ENTITY declarations are refused before parsing (no
// entity expansion, no external DTD: a "billion laughs" file fails at once instead of hanging),
// fast-xml-parser runs with entity processing off, and cvParams are read by PRESENCE of their
// accession (IONTOF's exporter writes value="" for flags, so truthiness would drop them).
import { XMLParser } from 'fast-xml-parser';
import { Unzlib } from 'fflate';
import { LimitError, ParseError } from '@siteproof/core';

export interface CvParam {
  accession: string;
  name?: string;
  value: string;
}

const ARRAYS = new Set(['cvParam', 'userParam', 'spectrum', 'binaryDataArray', 'referenceableParamGroup', 'referenceableParamGroupRef', 'scan', 'chromatogram']);

/** Decode bytes as latin1 (imzML files are often ISO-8859-1), refusing oversized input. */
export function xmlText(input: Uint8Array | string, file: string, maxBytes: number): string {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) {
    throw new LimitError(`XML is ${size} bytes, above the ${maxBytes}-byte limit`, { file }, 'raise maxXmlBytes (the whole document is parsed in memory)');
  }
  return typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
}

/** Parse XML after refusing DTDs/entities; throws ParseError with the line of the declaration. */
export function parseXml(text: string, file: string): Record<string, unknown> {
  const m = /<!\s*(DOCTYPE|ENTITY)/i.exec(text);
  if (m) {
    const line = text.slice(0, m.index).split('\n').length;
    throw new ParseError(`${m[1].toUpperCase()} declarations are refused (DTD/entity expansion is not allowed in mzML/imzML)`, { file, line });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    allowBooleanAttributes: true,
    isArray: (name) => ARRAYS.has(name),
  });
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ParseError(`not well-formed XML: ${(e as Error).message}`, { file });
  }
}

export type XmlNode = Record<string, unknown>;

export function child(node: unknown, name: string): XmlNode | undefined {
  const v = (node as XmlNode | undefined)?.[name];
  return Array.isArray(v) ? (v[0] as XmlNode) : (v as XmlNode | undefined);
}

export function children(node: unknown, name: string): XmlNode[] {
  const v = (node as XmlNode | undefined)?.[name];
  return v === undefined ? [] : Array.isArray(v) ? (v as XmlNode[]) : [v as XmlNode];
}

/** cvParams of a node plus those of the referenceableParamGroups it references. */
export function cvParams(node: unknown, groups: Map<string, CvParam[]>): CvParam[] {
  const own: CvParam[] = children(node, 'cvParam').map((c) => ({ accession: String(c.accession ?? ''), name: c.name as string | undefined, value: c.value === undefined ? '' : String(c.value) }));
  for (const ref of children(node, 'referenceableParamGroupRef')) own.push(...(groups.get(String(ref.ref)) ?? []));
  return own;
}

export function hasCv(params: readonly CvParam[], accession: string): boolean {
  return params.some((p) => p.accession === accession);
}

export function cvValue(params: readonly CvParam[], accession: string): string | undefined {
  return params.find((p) => p.accession === accession)?.value;
}

export function paramGroups(root: unknown): Map<string, CvParam[]> {
  const groups = new Map<string, CvParam[]>();
  for (const g of children(child(root, 'referenceableParamGroupList'), 'referenceableParamGroup')) {
    groups.set(String(g.id), cvParams(g, new Map()));
  }
  return groups;
}

export type BinaryType = 'f32' | 'f64' | 'i32' | 'i64';

export function binaryType(params: readonly CvParam[]): BinaryType | undefined {
  if (hasCv(params, 'MS:1000521')) return 'f32';
  if (hasCv(params, 'MS:1000523')) return 'f64';
  if (hasCv(params, 'MS:1000519')) return 'i32';
  if (hasCv(params, 'MS:1000522')) return 'i64';
  return undefined;
}

export const BYTES: Record<BinaryType, number> = { f32: 4, f64: 8, i32: 4, i64: 8 };

/** Little-endian numbers of `type` from bytes into a Float64Array. */
export function decodeNumbers(bytes: Uint8Array, type: BinaryType, count: number): Float64Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  const w = BYTES[type];
  for (let i = 0; i < count; i++) {
    const o = i * w;
    out[i] = type === 'f32' ? dv.getFloat32(o, true) : type === 'f64' ? dv.getFloat64(o, true) : type === 'i32' ? dv.getInt32(o, true) : Number(dv.getBigInt64(o, true));
  }
  return out;
}

/**
 * zlib-inflate with a cap on the output, checked chunk by chunk: a few kB of base64 in an mzML
 * can otherwise inflate to gigabytes (a zlib bomb).
 */
export function inflateCapped(bytes: Uint8Array, maxBytes: number, file: string, where: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const z = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw new LimitError(`${where}: zlib data inflates past ${maxBytes} bytes`, { file }, 'raise maxArrayBytes if the file is genuine');
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    z.push(bytes, true);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new ParseError(`${where}: corrupt zlib data (${(e as Error).message})`, { file });
  }
  if (!ended) throw new ParseError(`${where}: truncated zlib data`, { file });
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) (out.set(c, o), (o += c.length));
  return out;
}
