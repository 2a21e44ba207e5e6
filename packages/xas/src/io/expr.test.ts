import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { evalExpr, exprColumns, parseExpr } from './expr';

const cols: Record<string, Float64Array> = {
  i0: Float64Array.from([100, 200, 400]),
  itrans: Float64Array.from([50, 50, 50]),
  ch1: Float64Array.from([1, 2, 3]),
  ch2: Float64Array.from([3, 2, 1]),
  sum_fe_ka: Float64Array.from([10, 20, 30]),
};
const ev = (src: string) => Array.from(evalExpr(parseExpr(src), 3, (n) => cols[n.toLowerCase()], Object.keys(cols)));

describe('mu expressions', () => {
  it('transmission, both spellings', () => {
    expect(ev('ln(i0/itrans)')).toEqual([Math.log(2), Math.log(4), Math.log(8)]);
    expect(ev('-log(itrans/i0)')).toEqual([-Math.log(0.5), -Math.log(0.25), -Math.log(0.125)]);
  });
  it('fluorescence ratio and channel sums', () => {
    expect(ev('sum_fe_ka/i0')).toEqual([0.1, 0.1, 0.075]);
    expect(ev('(ch1+ch2)/i0')).toEqual([0.04, 0.02, 0.01]);
  });
  it('precedence, unary minus, power (right-assoc), functions, numbers', () => {
    expect(ev('1 + 2 * 3 - 4 / 2')).toEqual([5, 5, 5]);
    expect(ev('-2^2')).toEqual([-4, -4, -4]);
    expect(ev('2^3^2')).toEqual([512, 512, 512]);
    expect(ev('2**3')).toEqual([8, 8, 8]);
    expect(ev('sqrt(abs(-16)) + log10(100) + exp(0) + 1.5e1')).toEqual([22, 22, 22]);
    expect(ev('CH1 * 2')).toEqual([2, 4, 6]);
  });
  it('lists the columns it uses', () => {
    expect(exprColumns(parseExpr('ln(i0/itrans) + i0'))).toEqual(['i0', 'itrans']);
  });
  it('rejects anything that is not arithmetic on columns', () => {
    for (const bad of ['', 'i0 +', '(i0', 'i0)', 'foo(i0)', 'i0; itrans', 'i0 = 1', '"x"', 'i0[0]', 'process.exit()', 'a..b(']) {
      expect(() => ev(bad), bad).toThrow(ValidationError);
    }
    expect(() => ev('nope/i0')).toThrow(/unknown column 'nope'.*available columns: i0, itrans/);
  });
  it('deep nesting is refused, not a stack overflow', () => {
    expect(() => parseExpr('('.repeat(500) + 'i0' + ')'.repeat(500))).toThrow(ValidationError);
    expect(() => parseExpr('-'.repeat(500) + 'i0')).toThrow(ValidationError);
  });
});

describe('expression parser robustness', () => {
  it('random strings from the expression alphabet: a result or a ValidationError, never another error', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'i0 itrans ch1 ln( log10 exp sqrt ) + - * / ^ ** 1.5e3 . , ; " x'.split(' ')), maxLength: 30 }), (src) => {
        try {
          const r = evalExpr(parseExpr(src), 3, (n) => cols[n.toLowerCase()], Object.keys(cols));
          expect(r.length).toBe(3);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
