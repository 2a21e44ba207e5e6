// XDI 1.x reader (the XAS Data Interchange format, github.com/XraySpectroscopy/XAS-Data-Interchange):
// version line, "Namespace.tag: value" fields, optional /// free comments, ---- end of header,
// optional label line, whitespace-separated numeric data (comment lines inside the data allowed).
// Outcomes follow the XDI test suite's BadFiles.txt: malformed header fields and data are
// errors; missing/invalid recommended metadata are warnings that name the field.
import { ParseError, UnsupportedError } from '@siteproof/core';
import type { ColumnData } from './types';
import { fixVarname } from './labels';
import { pyFloat, pySplit } from './numbers';
import { toText, type DecodeOptions } from './text';

const EDGES = new Set(
  ['K', 'L', 'L1', 'L2', 'L3', 'M', 'M1', 'M2', 'M3', 'M4', 'M5', 'N', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'O', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'P', 'P1', 'P2', 'P3'],
);
// Element symbols Z = 1…98 (the range XAS edges are measured for).
const ELEMENTS = new Set(
  (
    'H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe ' +
    'Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf'
  ).split(' '),
);
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/;
const ISO8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export function isXdi(text: string): boolean {
  return /^\s*#\s*XDI\//i.test(text.slice(0, 64));
}

function validDate(v: string): boolean {
  const m = ISO8601.exec(v.trim());
  if (!m) return false;
  const [mo, d, h, mi, s] = [+m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

/** "7.00 GeV" style: a number and, if required, one of the allowed units. */
function validQuantity(v: string, units: string[]): boolean {
  const w = pySplit(v);
  if (w.length === 0 || pyFloat(w[0]) === null || !Number.isFinite(pyFloat(w[0]) as number)) return false;
  if (w.length === 1) return true;
  return w.length === 2 && units.some((u) => u.toLowerCase() === w[1].toLowerCase());
}

export function readXdi(input: Uint8Array | string, file: string, opts: DecodeOptions = {}): ColumnData {
  return parseXdiText(toText(input, file, opts), file);
}

export function parseXdiText(text: string, file: string): ColumnData {
  const lines = text.split('\n');
  if (lines.every((l) => l.trim().length === 0)) throw new ParseError('empty file', { file, line: 1 });
  const first = lines[0].trim();
  const vm = /^#\s*XDI\/(\S+)\s*(.*)$/i.exec(first);
  if (!vm) throw new ParseError("not an XDI file: line 1 must start with '# XDI/1.0'", { file, line: 1, column: 1 });
  const version = vm[1];
  if (!/^1\.\d+$/.test(version)) {
    throw new UnsupportedError(`unknown XDI version '${version}' (siteproof reads XDI 1.x)`, { file, line: 1, column: 3 });
  }
  const metadata: Record<string, string> = { 'XDI.version': version, 'XDI.extra_version': vm[2].trim() };
  const warnings: string[] = [];
  const warn = (line: number, msg: string) => warnings.push(`${file}:${line}: ${msg}`);
  const header: string[] = [first.slice(1).trim()];
  const comments: string[] = [];
  let state: 'fields' | 'comments' | 'data' = 'fields';
  let sawDashes = false;
  let lastHeaderComment: string | undefined;
  const colDefs = new Map<number, { label: string; units?: string; line: number }>();
  const rows: { line: number; vals: number[] }[] = [];
  let ncol = -1;
  const fieldKeysLower = new Map<string, string>();
  const fieldLine = new Map<string, number>();

  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    const ln = i + 1;
    if (line.length === 0) continue;
    if (state !== 'data') {
      if (line[0] !== '#') {
        const r = pySplit(line);
        if (r.length && pyFloat(r[0]) !== null) {
          state = 'data';
          if (!sawDashes) warn(ln, "no '# ----' line ends the header");
        } else {
          warn(ln, `line ignored: unsupported comment character '${line[0]}' in the header`);
          continue;
        }
      } else {
        const body = line.slice(1).trim();
        header.push(body);
        if (/^-{3,}/.test(body)) {
          sawDashes = true;
          state = 'comments'; // the label line may follow
          lastHeaderComment = undefined;
          continue;
        }
        if (/^\/{3,}/.test(body)) {
          state = 'comments';
          continue;
        }
        if (sawDashes || state === 'comments') {
          if (!sawDashes) comments.push(body);
          lastHeaderComment = body;
          continue;
        }
        if (body.length === 0) continue;
        const colon = body.indexOf(':');
        if (colon < 0) throw new ParseError(`header field without ':' (expected 'Namespace.tag: value')`, { file, line: ln, column: 2 });
        const key = body.slice(0, colon).trim();
        const value = body.slice(colon + 1).trim();
        if (!key.includes('.')) throw new ParseError(`header field name '${key}' has no '.' (expected 'Namespace.tag')`, { file, line: ln, column: 3 });
        if (!FIELD_NAME.test(key)) {
          throw new ParseError(`invalid header field name '${key}' (expected 'Namespace.tag', namespace starting with a letter)`, {
            file,
            line: ln,
            column: 3,
          });
        }
        if (value.length === 0) throw new ParseError(`header field '${key}' has no value`, { file, line: ln, column: colon + 3 });
        const prev = fieldKeysLower.get(key.toLowerCase());
        if (prev !== undefined) delete metadata[prev]; // the last occurrence wins (XDI spec)
        fieldKeysLower.set(key.toLowerCase(), key);
        fieldLine.set(key.toLowerCase(), ln);
        metadata[key] = value;
        const cm = /^column\.(\d+)$/i.exec(key);
        if (cm) {
          const w = pySplit(value);
          colDefs.set(Number(cm[1]), { label: w[0], units: w[1], line: ln });
        }
        continue;
      }
    }
    // data section
    if (line[0] === '#') {
      const body = line.slice(1).trim();
      const c = body.indexOf(':');
      if (c > 0 && FIELD_NAME.test(body.slice(0, c).trim())) metadata[`${body.slice(0, c).trim()}@line${ln}`] = body.slice(c + 1).trim();
      continue;
    }
    const words = pySplit(line);
    const vals: number[] = [];
    for (let c = 0; c < words.length; c++) {
      const v = pyFloat(words[c]);
      if (v === null) throw new ParseError(`not a number: '${words[c]}'`, { file, line: ln, column: c + 1 });
      if (!Number.isFinite(v)) throw new ParseError(`${Number.isNaN(v) ? 'NaN' : 'Inf'} in the data table`, { file, line: ln, column: c + 1 });
      vals.push(v);
    }
    if (ncol < 0) ncol = vals.length;
    else if (vals.length !== ncol) {
      throw new ParseError(`${vals.length} values where the data table has ${ncol} columns`, { file, line: ln, column: Math.min(vals.length, ncol) + 1 });
    }
    rows.push({ line: ln, vals });
  }
  if (rows.length === 0) throw new ParseError('no data rows after the XDI header', { file, line: lines.length });

  // labels from Column.N; extra definitions ignored, missing ones 'colN' (BadFiles.txt note 2)
  const labels: string[] = [];
  let units: string | undefined;
  if (colDefs.size === 0) warn(1, "no 'Column.N' fields: columns named col1, col2, …");
  for (let c = 1; c <= ncol; c++) {
    const d = colDefs.get(c);
    if (d) {
      labels.push(fixVarname(d.label.toLowerCase()));
      if (c === 1) units = d.units;
    } else {
      labels.push(`col${c}`);
      if (colDefs.size > 0) warn(1, `no 'Column.${c}' field: column ${c} named col${c}`);
    }
  }
  for (const [k, d] of colDefs) if (k > ncol || k < 1) warn(d.line, `'Column.${k}' names a column the data table does not have (ignored)`);
  const lbl = lastHeaderComment !== undefined ? pySplit(lastHeaderComment) : [];
  if (lbl.length && lbl.length !== ncol) warn(1, `label line has ${lbl.length} names for ${ncol} data columns`);
  for (let i = 0; i < labels.length; i++) {
    if (labels.indexOf(labels[i]) !== i) labels[i] = `${labels[i]}_col${i + 1}`;
  }

  // required / recommended metadata (warnings, as libxdifile's XDI_required_metadata)
  const get = (k: string) => {
    const key = fieldKeysLower.get(k.toLowerCase());
    return key === undefined ? undefined : metadata[key];
  };
  const isAngle = labels[0] === 'angle';
  const sym = get('Element.symbol');
  const edge = get('Element.edge');
  const at = (k: string) => fieldLine.get(k.toLowerCase()) ?? 1;
  if (sym === undefined) warn(1, 'missing required field Element.symbol');
  else if (!ELEMENTS.has(sym)) warn(at('Element.symbol'), `invalid Element.symbol '${sym}'`);
  if (edge === undefined) warn(1, 'missing required field Element.edge');
  else if (!EDGES.has(edge.toUpperCase())) warn(at('Element.edge'), `invalid Element.edge '${edge}'`);
  const dsp = get('Mono.d_spacing');
  if (dsp !== undefined && !(Number.isFinite(pyFloat(dsp.split(/\s+/)[0]) ?? NaN) && (pyFloat(dsp.split(/\s+/)[0]) as number) > 0)) {
    warn(at('Mono.d_spacing'), `invalid Mono.d_spacing '${dsp}'`);
  }
  if (isAngle && dsp === undefined) warn(1, 'angle given without Mono.d_spacing (needed to convert to energy)');
  const t = get('Scan.start_time');
  if (t !== undefined && !validDate(t)) warn(at('Scan.start_time'), `Scan.start_time '${t}' is not an ISO 8601 date-time`);
  const te = get('Scan.end_time');
  if (te !== undefined && !validDate(te)) warn(at('Scan.end_time'), `Scan.end_time '${te}' is not an ISO 8601 date-time`);
  const temp = get('Sample.temperature');
  if (temp !== undefined && !validQuantity(temp, ['K', 'C', 'F'])) warn(at('Sample.temperature'), `invalid Sample.temperature '${temp}'`);
  const fe = get('Facility.energy');
  if (fe !== undefined && !validQuantity(fe, ['GeV', 'MeV'])) warn(at('Facility.energy'), `invalid Facility.energy '${fe}'`);
  const fc = get('Facility.current');
  if (fc !== undefined && !validQuantity(fc, ['mA', 'A'])) warn(at('Facility.current'), `invalid Facility.current '${fc}'`);
  const recommended = ['Facility.name', 'Facility.xray_source', 'Beamline.name', 'Scan.start_time', 'Column.1'];
  const missing = recommended.filter((k) => get(k) === undefined);
  if (missing.length) warn(1, `missing recommended fields: ${missing.join(', ')}`);
  if (comments.length) metadata['XDI.comments'] = comments.join('\n');

  const nrow = rows.length;
  const columns = Array.from({ length: ncol }, () => new Float64Array(nrow));
  const rowLines = new Int32Array(nrow);
  rows.forEach((r, j) => {
    rowLines[j] = r.line;
    for (let c = 0; c < ncol; c++) columns[c][j] = r.vals[c];
  });
  const out: ColumnData = { file, format: 'xdi', labels, columns, header, metadata, warnings, rowLines };
  if (units) out.energyUnitsHint = units;
  return out;
}
