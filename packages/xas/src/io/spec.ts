// SPEC data files (certif.com): a file header (#F #E #D #O…), then scans, each opened by
// '#S n command', with '#N ncols', '#L' labels separated by two spaces, and rows of numbers.
// Scans are addressed by number; a repeated number is addressed 'n.m' (m-th occurrence),
// as silx does.
import { ParseError, ValidationError } from '@siteproof/core';
import type { ColumnData } from './types';
import { fixVarname } from './labels';
import { pyFloat, pySplit } from './numbers';
import { toText, type DecodeOptions } from './text';

export interface SpecScanInfo {
  /** Address to select it: "n" or, for repeated numbers, "n.m". */
  key: string;
  number: number;
  command: string;
  labels: string[];
  npts: number;
  /** 1-based line of '#S'. */
  line: number;
}

interface RawScan {
  info: SpecScanInfo;
  header: string[];
  rows: { line: number; vals: number[] }[];
  ncolDeclared?: number;
  rawLabels: string[];
}

export function isSpec(text: string): boolean {
  return /^#S\s+\d+/m.test(text.slice(0, 200000)) && /^#L\s/m.test(text.slice(0, 400000));
}

function parseScans(text: string, file: string): { fileHeader: string[]; scans: RawScan[] } {
  const lines = text.split('\n');
  const fileHeader: string[] = [];
  const scans: RawScan[] = [];
  const seen = new Map<number, number>();
  let cur: RawScan | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const ln = i + 1;
    if (line.length === 0) continue;
    if (line.startsWith('#S ') || line.startsWith('#S\t')) {
      const w = pySplit(line.slice(2));
      const num = Number(w[0]);
      if (!Number.isInteger(num)) throw new ParseError(`'#S' without a scan number`, { file, line: ln, column: 3 });
      const m = (seen.get(num) ?? 0) + 1;
      seen.set(num, m);
      cur = {
        info: { key: m === 1 ? String(num) : `${num}.${m}`, number: num, command: w.slice(1).join(' '), labels: [], npts: 0, line: ln },
        header: [],
        rows: [],
        rawLabels: [],
      };
      scans.push(cur);
      continue;
    }
    if (!cur) {
      fileHeader.push(line);
      continue;
    }
    if (line[0] === '#') {
      cur.header.push(line);
      if (line.startsWith('#N ')) cur.ncolDeclared = Number(pySplit(line.slice(2))[0]);
      else if (line.startsWith('#L ')) cur.rawLabels = line.slice(3).trim().split(/\s{2,}/);
      continue;
    }
    if (line[0] === '@') continue; // MCA spectra (@A …) are not columns
    const words = pySplit(line);
    const vals: number[] = [];
    for (let c = 0; c < words.length; c++) {
      const v = pyFloat(words[c]);
      if (v === null) throw new ParseError(`not a number: '${words[c]}' in scan ${cur.info.key}`, { file, line: ln, column: c + 1 });
      vals.push(v);
    }
    cur.rows.push({ line: ln, vals });
  }
  for (const s of scans) {
    s.info.npts = s.rows.length;
    s.info.labels = s.rawLabels.map((l) => fixVarname(l.trim().toLowerCase()));
  }
  return { fileHeader, scans };
}

/** The scans of a SPEC file (number, command, labels, points). */
export function listSpecScans(input: Uint8Array | string, file: string, opts: DecodeOptions = {}): SpecScanInfo[] {
  return parseScans(toText(input, file, opts), file).scans.map((s) => s.info);
}

export function readSpec(input: Uint8Array | string, file: string, opts: DecodeOptions & { scan?: number | string } = {}): ColumnData {
  return parseSpecText(toText(input, file, opts), file, opts.scan);
}

export function parseSpecText(text: string, file: string, scan?: number | string): ColumnData {
  const { fileHeader, scans } = parseScans(text, file);
  if (scans.length === 0) throw new ParseError("no scans ('#S n …' lines) in the SPEC file", { file, line: 1 });
  const warnings: string[] = [];
  let s: RawScan | undefined;
  if (scan === undefined) {
    s = scans[0];
    if (scans.length > 1) warnings.push(`${file}: ${scans.length} scans in the file; read scan ${s.info.key} (select one with scan)`);
  } else {
    const key = String(scan);
    s = scans.find((x) => x.info.key === key) ?? scans.find((x) => `${x.info.number}.1` === key);
    if (!s) {
      throw new ValidationError(`scan '${key}' not in the file; scans: ${scans.map((x) => x.info.key).join(', ')}`, { file, field: 'scan' });
    }
  }
  if (s.rows.length === 0) throw new ParseError(`scan ${s.info.key} has no data rows`, { file, line: s.info.line });
  const ncol = s.ncolDeclared ?? s.rows[0].vals.length;
  for (const r of s.rows) {
    if (r.vals.length !== ncol) {
      throw new ParseError(`${r.vals.length} values in a scan with ${ncol} columns (#N)`, { file, line: r.line, column: Math.min(r.vals.length, ncol) + 1 });
    }
  }
  const labels = s.info.labels.slice(0, ncol);
  if (s.info.labels.length !== ncol) {
    warnings.push(`${file}:${s.info.line}: scan ${s.info.key} has ${s.info.labels.length} labels (#L) for ${ncol} columns`);
  }
  for (let c = labels.length; c < ncol; c++) labels.push(`col${c + 1}`);
  for (let i = 0; i < labels.length; i++) if (labels.indexOf(labels[i]) !== i) labels[i] = `${labels[i]}_col${i + 1}`;
  const n = s.rows.length;
  const columns = Array.from({ length: ncol }, () => new Float64Array(n));
  const rowLines = new Int32Array(n);
  s.rows.forEach((r, j) => {
    rowLines[j] = r.line;
    for (let c = 0; c < ncol; c++) columns[c][j] = r.vals[c];
  });
  return {
    file,
    format: 'spec',
    labels,
    columns,
    header: [...fileHeader, ...s.header].map((h) => h.replace(/^#/, '')),
    metadata: { 'SPEC.scan': s.info.key, 'SPEC.command': s.info.command },
    warnings,
    record: `scan ${s.info.key}`,
    rowLines,
  };
}
