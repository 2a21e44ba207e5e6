// Number tokens as Python's float() reads them (Larch parses cells with float()): decimal with
// optional exponent, 'nan', 'inf', 'infinity' (any case), optional sign, '_' between digits.
const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const FORTRAN_D = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[dD][+-]?\d+$/;
const SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;

/** Python float(w) or null when w is not a number. */
export function pyFloat(w: string): number | null {
  // fast path: only digits . e E + - → JS Number agrees with Python float (NaN ⇔ error)
  let simple = w.length > 0;
  for (let i = 0; i < w.length && simple; i++) {
    const c = w.charCodeAt(i);
    simple = (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
  }
  if (simple) {
    const v = Number(w);
    return Number.isNaN(v) ? null : v;
  }
  if (DECIMAL.test(w)) return Number(w.includes('_') ? w.replace(/_/g, '') : w);
  // Fortran double-precision exponents (1.0D+03), written by older beamline and FEFF codes;
  // Python's float() refuses them, we read them.
  if (FORTRAN_D.test(w)) return Number(w.replace(/[dD]/, 'e'));
  if (SPECIAL.test(w)) {
    const neg = w[0] === '-';
    if (/nan/i.test(w)) return NaN;
    return neg ? -Infinity : Infinity;
  }
  return null;
}

/** Whitespace split like Python's str.split() with no argument. */
export function pySplit(s: string): string[] {
  const t = s.trim();
  return t.length ? t.split(/\s+/) : [];
}
