// Molecular-formula parser for SIMS ion notation: NiN2C2+, [60Ni]N2C2+, C32H16CoN8+,
// (CH2)3, [C6H5]2, charges +, ++, +2, -, (+2), (2-). Hand-written rather than mf-parser
// because errors must carry the character position, and charges like "NiN2C2+" (trailing
// sign) are the normal SIMS way of writing an ion.
import { ParseError } from '@siteproof/core';
import { getElement, getIsotope } from './elements';

export interface ParsedFormula {
  /** The text as given. */
  readonly input: string;
  /** Net charge (elementary charges, signed); 0 for a neutral. */
  readonly charge: number;
  /**
   * Atom counts: natural elements under their symbol ("Ni"), explicit isotopes under
   * "[60Ni]". Counts are positive integers.
   */
  readonly atoms: Readonly<Record<string, number>>;
}

const MAX_COUNT = 100_000;
const MAX_DEPTH = 32;
/** |charge| above this is a typo or a hostile input, not a SIMS ion. */
const MAX_CHARGE = 100;

function fail(input: string, pos: number, what: string): never {
  throw new ParseError(`${what} at position ${pos + 1} in formula '${input}'`, { field: 'formula', column: pos + 1 });
}

const CHARGE_RE = /^(?:\((?:([+-])(\d*)|(\d+)([+-]))\)|([+-])(\d+)|([+-]+))$/;

function normalizeSigns(s: string): string {
  return s.replace(/[−–⁻]/g, '-').replace(/⁺/g, '+');
}

/** Parse a charge suffix ("+", "++", "+2", "(2-)"); undefined when `s` is not one. */
function parseCharge(s: string): number | undefined {
  const m = CHARGE_RE.exec(s);
  if (!m) return undefined;
  if (m[1] !== undefined) return (m[1] === '+' ? 1 : -1) * (m[2] ? Number(m[2]) : 1);
  if (m[3] !== undefined) return (m[4] === '+' ? 1 : -1) * Number(m[3]);
  if (m[5] !== undefined) return (m[5] === '+' ? 1 : -1) * Number(m[6]);
  const signs = m[7];
  if (/^\++$/.test(signs)) return signs.length;
  if (/^-+$/.test(signs)) return -signs.length;
  return undefined;
}

/** Parse a formula; throws ParseError naming the position, or for unknown elements/isotopes. */
export function parseFormula(text: string): ParsedFormula {
  if (typeof text !== 'string') throw new ParseError('formula must be a string', { field: 'formula' });
  const input = text;
  const s = normalizeSigns(text.trim());
  const offset = text.length - text.trimStart().length;
  if (s === '') throw new ParseError('empty formula', { field: 'formula' });

  // Split off the charge: the longest suffix that is a valid charge notation.
  let body = s;
  let charge = 0;
  const m = /(\((?:[+-]\d*|\d+[+-])\)|[+-]\d+|[+-]+)$/.exec(s);
  if (m) {
    const c = parseCharge(m[0]);
    if (c === undefined) fail(input, offset + m.index, `bad charge '${m[0]}'`);
    if (Math.abs(c) > MAX_CHARGE) fail(input, offset + m.index, `charge ${c} beyond ±${MAX_CHARGE}`);
    charge = c;
    body = s.slice(0, m.index);
    if (body === '') fail(input, offset, 'formula has a charge but no atoms');
  }

  let pos = 0;
  const readCount = (): number => {
    const start = pos;
    while (pos < body.length && body.charCodeAt(pos) >= 48 && body.charCodeAt(pos) <= 57) pos++;
    if (pos === start) return 1;
    const n = Number(body.slice(start, pos));
    if (n === 0) fail(input, offset + start, 'count 0');
    if (n > MAX_COUNT) fail(input, offset + start, `count ${n} above ${MAX_COUNT}`);
    return n;
  };

  const parseGroup = (close: string | null, depth: number): Map<string, number> => {
    if (depth > MAX_DEPTH) fail(input, offset + pos, `groups nested deeper than ${MAX_DEPTH}`);
    const acc = new Map<string, number>();
    // The total per element is capped too: "CCCC…" or "(CH2)99999" must not pass where "C100001" fails.
    const add = (k: string, n: number, at: number) => {
      const total = (acc.get(k) ?? 0) + n;
      if (total > MAX_COUNT) fail(input, offset + at, `more than ${MAX_COUNT} ${k} atoms`);
      acc.set(k, total);
    };
    while (pos < body.length) {
      const ch = body[pos];
      if (close !== null && ch === close) return acc;
      const start = pos;
      if (ch >= 'A' && ch <= 'Z') {
        pos++;
        while (pos < body.length && body[pos] >= 'a' && body[pos] <= 'z') pos++;
        const sym = body.slice(start, pos);
        if (!getElement(sym)) fail(input, offset + start, `unknown element '${sym}'`);
        add(sym, readCount(), start);
      } else if (ch === '[' && /\d/.test(body[pos + 1] ?? '')) {
        // Isotope label [60Ni].
        const mm = /^\[(\d+)([A-Z][a-z]*)\]/.exec(body.slice(pos));
        if (!mm) fail(input, offset + start, "bad isotope label (expected e.g. '[60Ni]')");
        if (!getElement(mm[2])) fail(input, offset + start + 1 + mm[1].length, `unknown element '${mm[2]}'`);
        const iso = getIsotope(mm[2], Number(mm[1]));
        if (!iso) fail(input, offset + start, `unknown isotope '${mm[1]}${mm[2]}'`);
        pos += mm[0].length;
        add(`[${mm[1]}${mm[2]}]`, readCount(), start);
      } else if (ch === '(' || ch === '[') {
        const closing = ch === '(' ? ')' : ']';
        pos++;
        const inner = parseGroup(closing, depth + 1);
        if (body[pos] !== closing) fail(input, offset + start, `unclosed '${ch}'`);
        if (inner.size === 0) fail(input, offset + start, `empty group '${ch}${closing}'`);
        pos++;
        const n = readCount();
        for (const [k, v] of inner) add(k, v * n, start);
      } else {
        fail(input, offset + pos, `unexpected '${ch}'`);
      }
    }
    if (close !== null) fail(input, offset + pos, `missing '${close}'`);
    return acc;
  };

  const atoms = parseGroup(null, 0);
  if (pos !== body.length) fail(input, offset + pos, `unexpected '${body[pos]}'`);
  return { input, charge, atoms: Object.fromEntries(atoms) };
}

/** Split an atom key ("Ni" or "[60Ni]") into symbol and optional mass number. */
export function splitAtomKey(key: string): { symbol: string; nominal?: number } {
  const m = /^\[(\d+)([A-Za-z]+)\]$/.exec(key);
  return m ? { symbol: m[2], nominal: Number(m[1]) } : { symbol: key };
}

/** Hill-order formula text (C, H, then alphabetical; isotopes after their element) with the charge. */
export function formatFormula(f: Pick<ParsedFormula, 'atoms' | 'charge'>): string {
  const keys = Object.keys(f.atoms);
  const hasC = keys.some((k) => splitAtomKey(k).symbol === 'C');
  const rank = (k: string): [number, string, number] => {
    const { symbol, nominal } = splitAtomKey(k);
    const r = hasC ? (symbol === 'C' ? 0 : symbol === 'H' ? 1 : 2) : 2;
    return [r, symbol, nominal ?? 0];
  };
  keys.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || (ra[1] < rb[1] ? -1 : ra[1] > rb[1] ? 1 : 0) || ra[2] - rb[2];
  });
  let out = keys.map((k) => `${k}${f.atoms[k] === 1 ? '' : f.atoms[k]}`).join('');
  const z = f.charge;
  if (z === 1) out += '+';
  else if (z === -1) out += '-';
  else if (z !== 0) out += `(${Math.abs(z)}${z > 0 ? '+' : '-'})`;
  return out;
}
