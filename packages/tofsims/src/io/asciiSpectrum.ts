// ASCII spectrum exports: 2 columns (m/z, counts) or 3 columns (channel/time, m/z, counts),
// with or without a column-name row, tab/comma/semicolon/space separated, LF or CRLF, and the
// IONTOF SurfaceLab layout:
//   # Binning: 200 channels
//   # Deadtime Correction: on
//   Channel<TAB>m/z<TAB>Intensity
// Columns are identified by their names when there is a name row, otherwise by count (the
// SurfaceLab order for three). Every number is checked; the m/z axis must not decrease.
import { z } from 'zod';
import { LimitError, parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { applyCalibration } from '../calibration/tofCalibration';
import type { Polarity, Spectrum, SpectrumMeta } from '../spectrum';

export const AsciiSpectrumOptions = z.object({
  /** Refuse inputs larger than this many bytes (LimitError). */
  maxBytes: z.number().int().positive().default(512 * 1024 * 1024),
  polarity: z.enum(['positive', 'negative']).optional(),
  /** Calibration used when the file has channels/times but no m/z column. */
  calibration: z.object({ t0: z.number(), k: z.number().positive() }).optional(),
});
export type AsciiSpectrumOptions = z.input<typeof AsciiSpectrumOptions>;

type Role = 'channel' | 'mz' | 'intensity' | 'other';

function roleOf(name: string): Role {
  const n = name.trim().toLowerCase();
  if (/^(m\/z|mz|mass|m|mass\s*\(u\)|mass\s*\[u\]|m\/z\s*\(.*\)|mass\s*\/\s*u|amu)$/.test(n) || n.startsWith('m/z') || n.startsWith('mass')) return 'mz';
  if (/channel|time|tof|flight/.test(n)) return 'channel';
  if (/intens|count|signal|abund|^y$/.test(n)) return 'intensity';
  return 'other';
}

export function decodeText(input: Uint8Array | string, maxBytes: number, file: string): string {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) throw new LimitError(`input is ${size} bytes, above the ${maxBytes}-byte limit`, { file }, 'raise maxBytes');
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // A byte-order mark says how the file was saved (spreadsheets write UTF-8/UTF-16 with one).
  const b = input;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  // latin1 never fails: exports are ASCII or ISO-8859-1 (µ, °).
  return new TextDecoder('latin1').decode(b);
}

/** Read an ASCII spectrum export. `file` names the input in error messages. */
export function readAsciiSpectrum(input: Uint8Array | string, file = '<string>', options?: AsciiSpectrumOptions): Spectrum {
  const o = parseOptions(AsciiSpectrumOptions, options, 'options');
  const text = decodeText(input, o.maxBytes, file);
  const header: Record<string, string> = {};
  let roles: Role[] | undefined;
  let sep: RegExp | undefined;
  let nCols = 0;
  const cols: number[][] = [];
  let lineNo = 0;
  let start = 0;
  let prevMz = -Infinity;
  let mzCol = -1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const t = line.trim();
    if (t === '') {
      if (start > text.length) break;
      continue;
    }
    if (t.startsWith('#') || t.startsWith('%') || t.startsWith('//')) {
      // "# Key: value" split by hand: the regex /\s*([^:=]+?)\s*[:=]/ backtracks cubically on a
      // long comment line without a colon.
      const body = t.replace(/^[#%/]+/, '');
      const at = body.search(/[:=]/);
      const key = at > 0 ? body.slice(0, at).trim() : '';
      if (key) header[key] = body.slice(at + 1).trim();
      continue;
    }
    if (!sep) sep = t.includes('\t') ? /\t/ : t.includes(';') ? /;/ : t.includes(',') ? /,/ : /\s+/;
    const cells = t.split(sep).map((c) => c.trim());
    if (!roles) {
      const numeric = cells.every((c) => c !== '' && Number.isFinite(Number(c)));
      if (!numeric) {
        roles = cells.map(roleOf);
        nCols = cells.length;
        if (!roles.includes('intensity')) roles[roles.length - 1] = 'intensity';
        if (!roles.includes('mz') && !roles.includes('channel')) {
          throw new ParseError(`no m/z or channel column among '${cells.join("', '")}'`, { file, line: lineNo });
        }
        for (let i = 0; i < nCols; i++) cols.push([]);
        mzCol = roles.indexOf('mz');
        continue;
      }
      nCols = cells.length;
      if (nCols === 2) roles = ['mz', 'intensity'];
      else if (nCols === 3) roles = ['channel', 'mz', 'intensity'];
      else throw new ParseError(`${nCols} columns without a name row: expected 2 (m/z, counts) or 3 (channel, m/z, counts)`, { file, line: lineNo });
      for (let i = 0; i < nCols; i++) cols.push([]);
      mzCol = roles.indexOf('mz');
    }
    if (cells.length !== nCols) throw new ParseError(`expected ${nCols} columns, found ${cells.length}`, { file, line: lineNo });
    for (let c = 0; c < nCols; c++) {
      const v = Number(cells[c]);
      if (cells[c] === '' || !Number.isFinite(v)) throw new ParseError(`not a number: '${cells[c]}'`, { file, line: lineNo, column: c + 1 });
      cols[c].push(v);
    }
    if (mzCol >= 0) {
      const m = cols[mzCol][cols[mzCol].length - 1];
      // Equal neighbours are tolerated (6-decimal exports repeat values near t0); a decrease is not.
      if (!(m >= prevMz)) throw new ParseError(`m/z axis decreasing (${prevMz} then ${m})`, { file, line: lineNo, column: mzCol + 1 });
      prevMz = m;
    }
  }
  if (!roles || cols[0].length === 0) throw new ParseError('no data rows: empty spectrum', { file, line: lineNo });
  const intensity = Float64Array.from(cols[roles.indexOf('intensity')]);
  const chIdx = roles.indexOf('channel');
  const channel = chIdx >= 0 ? Float64Array.from(cols[chIdx]) : undefined;
  let mz: Float64Array;
  if (mzCol >= 0) mz = Float64Array.from(cols[mzCol]);
  else if (o.calibration && channel) {
    mz = applyCalibration(channel, o.calibration);
    for (let i = 1; i < mz.length; i++) {
      if (!(mz[i] > mz[i - 1])) throw new ValidationError(`calibrated m/z not increasing at row ${i + 1}: channels before t0?`, { file, field: 'calibration' });
    }
  } else throw new ValidationError('the file has no m/z column: give a calibration {t0, k}', { file, field: 'calibration' });
  const meta: SpectrumMeta = { source: file, header };
  const binKey = Object.keys(header).find((k) => /binning/i.test(k));
  if (binKey) {
    const b = /(\d+)/.exec(header[binKey]);
    if (b) meta.binning = Number(b[1]);
  }
  const dtKey = Object.keys(header).find((k) => /dead\s*time/i.test(k));
  if (dtKey) meta.deadtimeCorrection = /^(on|yes|true|1)$/i.test(header[dtKey]);
  const pol = o.polarity as Polarity | undefined;
  if (pol) meta.polarity = pol;
  return { mz, intensity, channel, meta };
}
