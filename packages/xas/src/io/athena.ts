// Athena project files (.prj, gzipped or plain), both flavours:
//  - Perl: Data::Dumper statements, one per line: $old_group = '…'; @args = (k, v, …);
//    @x = (…); @y = (…); [@i0, @signal, @stddev]; [record]; … @journal = (…); 1;
//  - JSON (Demeter ≥ 0.9.21): one object with _____header*, _____order, _____journal, groups.
// A Perl project is DATA: a small literal parser reads strings, numbers, undef and nested
// lists/hashes; any statement that is not an assignment of literals (a function call, an
// expression, `system(...)`) is refused with a ParseError. Nothing is ever evaluated.
import { ParseError, ValidationError } from '@siteproof/core';
import type { ColumnData } from './types';
import { fixVarname } from './labels';
import { toText, type DecodeOptions } from './text';

export type PerlValue = string | number | null | PerlValue[] | { [k: string]: PerlValue };

export interface AthenaGroup {
  /** Larch's group name (fix_varname of the label). */
  name: string;
  /** Athena's display label (args.label), else the internal name. */
  label: string;
  /** Athena's internal group id ($old_group / JSON key). */
  id: string;
  /** The @args record as key → value (strings and numbers as written). */
  args: Record<string, PerlValue>;
  x: Float64Array;
  y: Float64Array;
  i0?: Float64Array;
  signal?: Float64Array;
  stddev?: Float64Array;
  /** 1-based line of the group's first statement (Perl flavour). */
  line?: number;
}

export interface AthenaProject {
  flavour: 'perl' | 'json';
  header: string[];
  journal: string;
  groups: AthenaGroup[];
  warnings: string[];
}

export function isAthenaProject(text: string): boolean {
  const head = text.slice(0, 2000).split('\n').slice(0, 5).join('\n');
  return head.includes('Athena project file');
}

// ---------- Perl literal parser -------------------------------------------------------------

class PerlLiteral {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly file: string,
    private readonly line: number,
    private readonly col0: number,
  ) {}
  private fail(msg: string): never {
    throw new ParseError(msg, { file: this.file, line: this.line, column: this.col0 + this.i + 1 });
  }
  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else return;
    }
  }
  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }
  value(depth = 0): PerlValue {
    if (depth > 64) this.fail('nesting too deep');
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail('value expected');
    if (c === "'") return this.single();
    if (c === '"') return this.double();
    if (c === '(' || c === '[') return this.list(c === '(' ? ')' : ']', depth);
    if (c === '{') return this.hash(depth);
    const num = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 64));
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    if (this.s.startsWith('bless', this.i) && /^bless\s*\(/.test(this.s.slice(this.i, this.i + 12))) {
      // Data::Dumper writes objects as bless( {…}, 'Class' ): keep the data, drop the class
      this.i = this.s.indexOf('(', this.i);
      const inner = this.list(')', depth);
      return inner[0] ?? null;
    }
    if (this.s.startsWith('undef', this.i) && !/\w/.test(this.s[this.i + 5] ?? '')) {
      this.i += 5;
      return null;
    }
    const word = /^\w+/.exec(this.s.slice(this.i, this.i + 64));
    this.fail(`not a data literal: '${word ? word[0] : c}' (Perl code is never run; only literal data is read)`);
  }
  private single(): string {
    this.i++;
    let out = '';
    const re = /['\\]/g;
    for (;;) {
      re.lastIndex = this.i;
      const m = re.exec(this.s);
      if (!m) this.fail('unterminated string');
      const j = m.index;
      out += this.s.slice(this.i, j);
      if (m[0] === "'") {
        this.i = j + 1;
        return out;
      }
      const d = this.s[j + 1];
      if (d === "'" || d === '\\') {
        out += d;
        this.i = j + 2;
      } else {
        out += '\\';
        this.i = j + 1;
      }
    }
  }
  private double(): string {
    this.i++;
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        const d = this.s[this.i + 1];
        if (d === 'x' && this.s[this.i + 2] === '{') {
          const end = this.s.indexOf('}', this.i + 3);
          const cp = end > 0 ? parseInt(this.s.slice(this.i + 3, end), 16) : NaN;
          if (!Number.isFinite(cp) || cp > 0x10ffff) this.fail('bad \\x{…} escape');
          out += String.fromCodePoint(cp);
          this.i = end + 1;
          continue;
        }
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$', '@': '@' };
        out += map[d] ?? d ?? '';
        this.i += 2;
      } else if (c === '"') {
        this.i++;
        return out;
      } else {
        out += c;
        this.i++;
      }
    }
    this.fail('unterminated string');
  }
  private list(close: string, depth: number): PerlValue[] {
    this.i++;
    const out: PerlValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s.startsWith('=>', this.i)) this.i += 2;
      else if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`',' or '${close}' expected`);
    }
  }
  private hash(depth: number): Record<string, PerlValue> {
    const items = this.list('}', depth);
    const out: Record<string, PerlValue> = {};
    for (let k = 0; k + 1 < items.length; k += 2) out[String(items[k])] = items[k + 1];
    return out;
  }
}

const NUMERIC_ARRAYS = new Set(['x', 'y', 'i0', 'signal', 'stddev']);
const NEEDED = new Set(['old_group', 'args', 'journal', ...NUMERIC_ARRAYS]);

/**
 * Fast path for the bulk of a project, lists like ('6962.0','6972.0',…): split on commas and
 * convert; null (→ the general literal parser) as soon as an item is anything else.
 */
function fastNumberList(body: string): Float64Array | null {
  const b = body.trim();
  if (b.length < 2 || b[0] !== '(' || b[b.length - 1] !== ')') return null;
  const inner = b.slice(1, -1);
  if (inner.trim() === '') return new Float64Array(0);
  const items = inner.split(',');
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let w = items[i].trim();
    if (w.length >= 2 && w[0] === "'" && w[w.length - 1] === "'") w = w.slice(1, -1);
    if (w.length === 0 || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(w)) return null;
    out[i] = Number(w);
  }
  return out;
}

function toFloatArray(v: PerlValue, what: string, file: string, line?: number): Float64Array {
  if (!Array.isArray(v)) throw new ParseError(`${what} is not a list of numbers`, { file, line });
  const a = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
    if (!Number.isFinite(n)) throw new ParseError(`${what}[${i}] is not a finite number: '${String(x)}'`, { file, line });
    a[i] = n;
  }
  return a;
}

function groupName(label: string): string {
  let l = label;
  if (l.startsWith(' ')) l = `d_${l.trim()}`;
  let name = fixVarname(l);
  if (name.startsWith('_')) name = `d${name}`;
  return name;
}

function parsePerl(text: string, file: string): AthenaProject {
  const lines = text.split('\n');
  const v0 = lines[0] ?? '';
  if (!v0.includes('Athena project file -- ')) throw new ParseError("not an Athena project: line 1 lacks 'Athena project file --'", { file, line: 1 });
  const header: string[] = [v0];
  const warnings: string[] = [];
  const groups: AthenaGroup[] = [];
  let journal = '';
  let raw: { id: string; args?: PerlValue; x?: Float64Array; y?: Float64Array; i0?: Float64Array; signal?: Float64Array; stddev?: Float64Array; line?: number } = { id: '' };
  let isHeader = true;
  for (let k = 1; k < lines.length; k++) {
    const t = lines[k];
    const ln = k + 1;
    const tt = t.trim();
    if (tt.startsWith('#') || tt.length < 2) {
      if (isHeader) header.push(t);
      continue;
    }
    isHeader = false;
    if (tt.startsWith('[record]')) {
      if (raw.x && raw.y) groups.push(finishGroup(raw, file));
      else warnings.push(`${file}:${ln}: record without @x/@y skipped`);
      raw = { id: '' };
      continue;
    }
    if (tt === '1;') continue;
    const m = /^([$@%])(\w+)\s*=\s*/.exec(tt);
    if (!m) {
      warnings.push(`${file}:${ln}: ignored a line that is not a data statement (Perl code is never run)`);
      continue;
    }
    // a value may contain raw line breaks (a CR inside a label): read on until the ';'
    let stmt = tt;
    while (!stmt.endsWith(';') && k + 1 < lines.length && k - ln < 10000) {
      k++;
      stmt += `\n${lines[k].trimEnd()}`;
    }
    const key = m[2];
    const essential = key === 'old_group' || key === 'args' || key === 'x' || key === 'y';
    // @xdi, @lcf_data, %plot_features, %indicator …: data we do not use, so not even parsed
    if (!NEEDED.has(key)) continue;
    if (NUMERIC_ARRAYS.has(key) && stmt.endsWith(';')) {
      const fast = fastNumberList(stmt.slice(m[0].length, -1));
      if (fast) {
        raw[key as 'x'] = fast;
        continue;
      }
    }
    let val: PerlValue;
    try {
      if (!stmt.endsWith(';')) throw new ParseError(`statement ${m[1]}${key} does not end with ';'`, { file, line: ln });
      const p = new PerlLiteral(stmt.slice(m[0].length, -1), file, ln, m[0].length);
      val = p.value();
      if (!p.atEnd()) throw new ParseError(`unexpected text after the value of ${m[1]}${key}`, { file, line: ln });
    } catch (e) {
      if (essential || !(e instanceof ParseError)) throw e;
      warnings.push(`${e.message} — statement ${m[1]}${key} ignored`);
      continue;
    }
    switch (key) {
      case 'old_group':
        raw.id = String(val);
        raw.line = ln;
        break;
      case 'args':
        raw.args = val;
        break;
      case 'x':
      case 'y':
        raw[key] = toFloatArray(val, `@${key}`, file, ln);
        break;
      case 'i0':
      case 'signal':
      case 'stddev':
        // Larch skips these when they hold undef; so do we, with a warning
        try {
          raw[key] = toFloatArray(val, `@${key}`, file, ln);
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          warnings.push(`${e.message} — @${key} ignored`);
        }
        break;
      case 'journal':
        journal = Array.isArray(val) ? val.map((j) => String(j ?? '')).join('\n') : String(val ?? '');
        break;
      default:
        break;
    }
  }
  return { flavour: 'perl', header, journal, groups, warnings };
}

function finishGroup(
  raw: { id: string; args?: PerlValue; x?: Float64Array; y?: Float64Array; i0?: Float64Array; signal?: Float64Array; stddev?: Float64Array; line?: number },
  file: string,
): AthenaGroup {
  const args: Record<string, PerlValue> = {};
  if (Array.isArray(raw.args)) for (let i = 0; i + 1 < raw.args.length; i += 2) args[String(raw.args[i])] = raw.args[i + 1];
  else if (raw.args && typeof raw.args === 'object') Object.assign(args, raw.args);
  const label = typeof args.label === 'string' || typeof args.label === 'number' ? String(args.label) : raw.id;
  const x = raw.x as Float64Array;
  const y = raw.y as Float64Array;
  if (x.length !== y.length) throw new ParseError(`group '${label}': @x has ${x.length} values, @y ${y.length}`, { file, line: raw.line });
  const g: AthenaGroup = { name: groupName(label), label, id: raw.id, args, x, y, line: raw.line };
  for (const k of ['i0', 'signal', 'stddev'] as const) if (raw[k]) g[k] = raw[k];
  return g;
}

function parseJson(text: string, file: string): AthenaProject {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : undefined;
    const line = pos !== undefined ? text.slice(0, pos).split('\n').length : undefined;
    throw new ParseError(`invalid JSON Athena project (${(e as Error).message})`, { file, line });
  }
  if (!js || typeof js !== 'object' || Array.isArray(js)) throw new ParseError('JSON Athena project is not an object', { file, line: 1 });
  const d = js as Record<string, unknown>;
  const header: string[] = [];
  let journal = '';
  let order: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (k.startsWith('_____head')) header.push(String(v));
    else if (k.startsWith('_____journ')) journal = Array.isArray(v) ? v.map(String).join('\n') : String(v ?? '');
    else if (k.startsWith('_____order') && Array.isArray(v)) order = v.map(String);
  }
  const groups: AthenaGroup[] = [];
  const warnings: string[] = [];
  for (const id of order) {
    const g = d[id] as Record<string, unknown> | undefined;
    if (!g || typeof g !== 'object') throw new ParseError(`group '${id}' listed in _____order is missing`, { file });
    const args = (g.args && typeof g.args === 'object' ? g.args : {}) as Record<string, PerlValue>;
    const label = args.label !== undefined && args.label !== null ? String(args.label) : id;
    const x = toFloatArray(g.x as PerlValue, `${id}.x`, file);
    const y = toFloatArray(g.y as PerlValue, `${id}.y`, file);
    if (x.length !== y.length) throw new ParseError(`group '${label}': x has ${x.length} values, y ${y.length}`, { file });
    const ag: AthenaGroup = { name: groupName(label), label, id, args, x, y };
    for (const k of ['i0', 'signal', 'stddev'] as const) {
      if (!Array.isArray(g[k])) continue;
      try {
        ag[k] = toFloatArray(g[k] as PerlValue, `${id}.${k}`, file);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        warnings.push(`${e.message} — ${id}.${k} ignored`);
      }
    }
    groups.push(ag);
  }
  return { flavour: 'json', header, journal, groups, warnings };
}

export function parseAthenaText(text: string, file: string): AthenaProject {
  const t = text.trimStart();
  return t.startsWith('{') ? parseJson(text, file) : parsePerl(text, file);
}

/** Read all groups of an Athena project (Perl or JSON flavour, gzipped or plain). */
export function readAthenaProject(input: Uint8Array | string, file: string, opts: DecodeOptions = {}): AthenaProject {
  return parseAthenaText(toText(input, file, opts), file);
}

function isChi(args: Record<string, PerlValue>): boolean {
  return String(args.is_chi ?? '0') === '1' || args.recordtype === 'chi(k)';
}

/** One Athena group as ColumnData (energy, mu [, i0, signal, stddev]; k, chi for chi(k) records). */
export function athenaGroupToColumns(prj: AthenaProject, file: string, group?: string): ColumnData {
  if (prj.groups.length === 0) throw new ParseError('the Athena project has no data groups', { file, line: 1 });
  const warnings = [...prj.warnings];
  let g: AthenaGroup | undefined;
  if (group === undefined) {
    g = prj.groups[0];
    if (prj.groups.length > 1) warnings.push(`${file}: ${prj.groups.length} groups in the project; read '${g.label}' (select one with group)`);
  } else {
    g = prj.groups.find((x) => x.name === group || x.label === group || x.id === group);
    if (!g) throw new ValidationError(`group '${group}' not in the project; groups: ${prj.groups.map((x) => x.label).join(', ')}`, { file, field: 'group' });
  }
  const chi = isChi(g.args);
  const labels = chi ? ['k', 'chi'] : ['energy', 'mu'];
  const columns = [g.x, g.y];
  for (const k of ['i0', 'signal', 'stddev'] as const) {
    const a = g[k];
    if (a && a.length === g.x.length) {
      labels.push(k);
      columns.push(a);
    }
  }
  const metadata: Record<string, string> = { 'Athena.group': g.id, 'Athena.label': g.label };
  for (const [k, v] of Object.entries(g.args)) metadata[`Athena.args.${k}`] = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
  return { file, format: 'athena', labels, columns, header: prj.header, metadata, warnings, record: g.label };
}
