// Plain column ASCII, read the way Larch's read_ascii does (larch/io/columnfile.py):
// scan lines from the bottom; the last block of all-numeric lines is the data, text below it is
// the footer, everything above it the header; labels come from the beamline templates or the
// last header line. Where Larch silently pads ragged rows with NaN or drops numeric rows above a
// stray text line, siteproof stops with a ParseError (ragged, non-numeric cell) or warns.
import { ParseError } from '@siteproof/core';
import type { ColumnData } from './types';
import { finalizeLabels, fixVarname, guessBeamlineLabels } from './labels';
import { pyFloat, pySplit } from './numbers';
import { toText, type DecodeOptions } from './text';

const COMMENT_START = new Set(['#', ';', '!', '<', '*', '%']);
const COMMENTCHARS = '#;%*!$';
/** Every comma between two digits (no leading/trailing/doubled commas). */
const DECIMAL_COMMAS = /^(?:[^,]|(?<=\d),(?=\d))*$/;

/** Larch's getfloats without date parsing: a row of numbers, or null if any word is not a number. */
function rowFloats(line: string): { vals: (number | null)[]; words: string[] } | null {
  if (COMMENT_START.has(line[0])) return null;
  let t = line;
  // Decimal commas (European exports, "8001,5\t1,10"): read them as decimal points only where
  // that is unambiguous — the row is separated by tabs or semicolons, has no '.', and every comma
  // sits between two digits. Otherwise a comma separates columns, as in Larch.
  if (t.includes(',') && (t.includes('\t') || t.includes(';')) && !t.includes('.') && DECIMAL_COMMAS.test(t)) t = t.replace(/,/g, '.');
  if (t.includes('\t')) t = t.replace(/\t/g, ' ');
  if (t.includes(',')) t = t.replace(/,/g, ' ');
  if (t.includes(';')) t = t.replace(/;/g, ' ');
  const words = pySplit(t);
  return { vals: words.map(pyFloat), words };
}

function allNumeric(r: { vals: (number | null)[] } | null): boolean {
  return r !== null && r.vals.every((v) => v !== null);
}

export interface AsciiOptions extends DecodeOptions {
  /** Explicit column labels (as Larch's `labels=`), else guessed from the header. */
  labels?: string[];
}

/** Larch-style header attributes: "KEY: value" / "KEY = value" lines with a single-word key. */
function headerAttrs(headers: string[]): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const h of headers) {
    let line = h.trim().replace(/\t/g, ' ');
    if (line.length < 1) continue;
    if (COMMENTCHARS.includes(line[0])) line = line.slice(1).trim();
    let words: string[] | null = null;
    if (line.includes(':')) {
      const i = line.indexOf(':');
      words = [line.slice(0, i), line.slice(i + 1)];
    } else if (line.includes('=')) {
      const i = line.indexOf('=');
      words = [line.slice(0, i), line.slice(i + 1)];
    }
    if (!words) continue;
    const kw = pySplit(words[0]);
    if (kw.length === 1) {
      let key = fixVarname(kw[0].trim()).replace(/\./g, '_');
      if (key.startsWith('_')) key = key.slice(1);
      attrs[key] = words[1].trim();
    }
  }
  return attrs;
}

/** Read a column ASCII file (bytes, gzip or text) into ColumnData, labelled as Larch labels it. */
export function readAscii(input: Uint8Array | string, file: string, opts: AsciiOptions = {}): ColumnData {
  const text = toText(input, file, opts);
  return parseAsciiText(text, file, opts);
}

export function parseAsciiText(text: string, file: string, opts: AsciiOptions = {}): ColumnData {
  const lines = text.split('\n');
  if (lines.every((l) => l.trim().length === 0)) throw new ParseError('empty file: no header and no data', { file, line: 1 });

  type Row = { line: number; vals: number[] };
  const dataRev: Row[] = [];
  const headerIdx: number[] = [];
  const footerIdx: number[] = [];
  let section: 'FOOTER' | 'DATA' | 'HEADER' = 'FOOTER';
  let boundary = -1; // index of the header line just above the data
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line.length < 1) continue;
    let r: ReturnType<typeof rowFloats> | undefined;
    if (section === 'FOOTER') {
      r = rowFloats(line);
      if (allNumeric(r)) section = 'DATA';
    } else if (section === 'DATA') {
      r = rowFloats(line);
      if (!allNumeric(r)) {
        section = 'HEADER';
        boundary = i;
      }
    }
    if (section === 'FOOTER') footerIdx.push(i);
    else if (section === 'HEADER') headerIdx.push(i);
    else dataRev.push({ line: i + 1, vals: (r as { vals: number[] }).vals });
  }
  headerIdx.reverse();
  footerIdx.reverse();
  const headers = headerIdx.map((i) => lines[i].trim());
  const footers = footerIdx.map((i) => lines[i].trim());
  if (dataRev.length === 0) {
    throw new ParseError('no numeric data rows (header only?)', { file, line: lines.length }, 'a column file needs rows of numbers after its header');
  }
  const rows = dataRev.reverse();
  const ncol = rows[rows.length - 1].vals.length;

  // A stray text cell inside the table makes Larch treat every row above it as header. Catch the
  // obvious case (a line with the table's column count that is mostly numbers) as a parse error.
  if (boundary >= 0) {
    const bl = lines[boundary].trim();
    const r = rowFloats(bl);
    // the signature of a bad cell: numeric rows of the same width directly above and below it
    let above = boundary - 1;
    while (above >= 0 && lines[above].trim().length === 0) above--;
    const ra = above >= 0 ? rowFloats(lines[above].trim()) : null;
    const dataAbove = allNumeric(ra) && (ra as { vals: number[] }).vals.length === ncol;
    if (r && dataAbove && r.words.length === ncol && ncol > 1) {
      const nnum = r.vals.filter((v) => v !== null).length;
      if (nnum >= Math.ceil(ncol / 2)) {
        const bad = r.vals.findIndex((v) => v === null);
        throw new ParseError(`non-numeric cell '${r.words[bad]}' in the data table`, { file, line: boundary + 1, column: bad + 1 });
      }
    }
  }
  const warnings: string[] = [];
  // Numeric rows above a text line are header for Larch; say so rather than dropping them silently.
  let numericAbove = 0;
  for (const i of headerIdx) {
    const r = rowFloats(lines[i].trim());
    if (allNumeric(r) && (r as { vals: number[] }).vals.length === ncol) numericAbove++;
  }
  if (numericAbove >= 3) {
    warnings.push(
      `${file}:${boundary + 1}: ${numericAbove} numeric rows above this text line are treated as header (Larch's read_ascii rule); only the ${rows.length} rows below it are data`,
    );
  }
  for (const row of rows) {
    if (row.vals.length !== ncol) {
      throw new ParseError(`ragged row: ${row.vals.length} values where the table has ${ncol} columns`, {
        file,
        line: row.line,
        column: Math.min(row.vals.length, ncol) + 1,
      });
    }
  }
  const nrow = rows.length;
  const columns = Array.from({ length: ncol }, () => new Float64Array(nrow));
  const rowLines = new Int32Array(nrow);
  const nonFinite = new Map<number, number>();
  for (let j = 0; j < nrow; j++) {
    const v = rows[j].vals;
    rowLines[j] = rows[j].line;
    for (let c = 0; c < ncol; c++) {
      const x = v[c];
      columns[c][j] = x;
      if (!Number.isFinite(x) && !nonFinite.has(c)) nonFinite.set(c, rows[j].line);
    }
  }
  let guessed: ReturnType<typeof guessBeamlineLabels> | undefined;
  let tlabels = opts.labels?.map((l) => l);
  if (!tlabels) {
    guessed = guessBeamlineLabels(headers);
    tlabels = guessed.labels;
  }
  const labels = finalizeLabels(tlabels, ncol);
  for (const [c, line] of nonFinite) warnings.push(`${file}:${line}: non-finite value (NaN/Inf) in column '${labels[c]}'`);

  const metadata: Record<string, string> = headerAttrs(headers);
  if (guessed) metadata['larch.beamline'] = guessed.name;
  if (footers.length) metadata['larch.footer'] = footers.join('\n');
  const out: ColumnData = { file, format: 'ascii', labels, columns, header: headers.map(stripComment), metadata, warnings, rowLines };
  if (guessed && guessed.energyColumn !== 1) out.energyColumnHint = guessed.energyColumn;
  if (guessed && guessed.energyUnits !== 'eV') out.energyUnitsHint = guessed.energyUnits;
  if (guessed?.monoDspace !== undefined) metadata['Mono.d_spacing'] = String(guessed.monoDspace);
  return out;
}

function stripComment(h: string): string {
  return h.length && COMMENTCHARS.includes(h[0]) ? h.slice(1).trim() : h;
}
