// mzML with inline binary arrays (base64, optionally zlib): spectra as m/z + intensity.
// Same safety as imzML: DTD/entities refused, size limit before any string is built.
import { z } from 'zod';
import { parseOptions, ParseError, UnsupportedError } from '@siteproof/core';
import { binaryType, BYTES, child, children, cvParams, decodeNumbers, hasCv, inflateCapped, paramGroups, parseXml, xmlText } from './xml';

export const MzMLOptions = z.object({
  maxXmlBytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** Largest decoded (zlib-inflated) binary array. */
  maxArrayBytes: z.number().int().positive().default(256 * 1024 * 1024),
});

export interface MzMLSpectrum {
  id: string;
  mz: Float64Array;
  intensity: Float64Array;
  polarity?: 'positive' | 'negative';
}

function base64ToBytes(s: string, file: string, where: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new ParseError(`${where}: invalid base64`, { file });
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function readMzML(input: Uint8Array | string, file = '<mzML>', options?: z.input<typeof MzMLOptions>): MzMLSpectrum[] {
  const o = parseOptions(MzMLOptions, options, 'options');
  const doc = parseXml(xmlText(input, file, o.maxXmlBytes), file);
  const root = child(doc, 'mzML') ?? child(child(doc, 'indexedmzML'), 'mzML');
  if (!root) throw new ParseError('no <mzML> root element', { file });
  const groups = paramGroups(root);
  const out: MzMLSpectrum[] = [];
  children(child(child(root, 'run'), 'spectrumList'), 'spectrum').forEach((sp, i) => {
    const where = `spectrum ${i + 1}`;
    const sparams = cvParams(sp, groups);
    const n = Number(sp.defaultArrayLength);
    let mz: Float64Array | undefined;
    let intensity: Float64Array | undefined;
    for (const bda of children(child(sp, 'binaryDataArrayList'), 'binaryDataArray')) {
      const p = cvParams(bda, groups);
      const type = binaryType(p);
      if (!type) throw new UnsupportedError(`${where}: binary data type not declared or not supported`, { file });
      if (hasCv(p, 'MS:1002312') || hasCv(p, 'MS:1002313') || hasCv(p, 'MS:1002314')) throw new UnsupportedError(`${where}: MS-Numpress is not supported`, { file });
      const raw = child(bda, 'binary');
      const text = typeof raw === 'string' ? raw : typeof (bda as Record<string, unknown>).binary === 'string' ? String((bda as Record<string, unknown>).binary) : '';
      let bytes = base64ToBytes(text, file, where);
      if (hasCv(p, 'MS:1000574')) {
        bytes = inflateCapped(bytes, o.maxArrayBytes, file, where);
      }
      const count = Number.isSafeInteger(n) && n > 0 ? n : Math.floor(bytes.byteLength / BYTES[type]);
      if (bytes.byteLength < count * BYTES[type]) throw new ParseError(`${where}: ${bytes.byteLength} bytes for ${count} values`, { file });
      const values = decodeNumbers(bytes, type, count);
      if (hasCv(p, 'MS:1000514')) mz = values;
      else if (hasCv(p, 'MS:1000515')) intensity = values;
    }
    if (!mz || !intensity) throw new ParseError(`${where} lacks an m/z or intensity array`, { file });
    out.push({
      id: String(sp.id ?? i + 1),
      mz,
      intensity,
      polarity: hasCv(sparams, 'MS:1000130') ? 'positive' : hasCv(sparams, 'MS:1000129') ? 'negative' : undefined,
    });
  });
  if (out.length === 0) throw new ParseError('no spectra in the spectrumList', { file });
  return out;
}
