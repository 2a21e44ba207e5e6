// Number tokens as Python's float() reads them (Larch parses cells with float()): decimal with
// optional exponent, 'nan', 'inf', 'infinity' (any case), optional sign, '_' between digits.
const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;

/** Python float(w) or null when w is not a number. */
export function pyFloat(w: string): number | null {
  if (DECIMAL.test(w)) return Number(w.includes('_') ? w.replace(/_/g, '') : w);
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
