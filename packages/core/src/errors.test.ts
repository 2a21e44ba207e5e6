import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParseError, ValidationError, NumericalError, isSiteproofError, formatLocation } from './errors';
import { parseOptions } from './validate';
import { assertFiniteArray } from './numeric';

describe('errors', () => {
  it('prefixes the location: file:line:column and field', () => {
    const e = new ParseError('non-numeric cell "abc"', { file: 'cu.xdi', line: 42, column: 3 });
    expect(e.message).toBe('cu.xdi:42:3: non-numeric cell "abc"');
    expect(e.kind).toBe('parse');
    expect(e.name).toBe('ParseError');
    expect(isSiteproofError(e)).toBe(true);
    expect(isSiteproofError(new Error('x'))).toBe(false);
  });

  it('adds a file name to an error raised while parsing a string', () => {
    const e = new ParseError('bad', { line: 2 }).withFile('a.txt');
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toBe('a.txt:2: bad');
  });

  it('formats field-only locations and hints', () => {
    expect(formatLocation({ field: 'kmin' })).toBe("field 'kmin'");
    const e = new ValidationError('kmin must be below kmax', { field: 'kmin' }, 'lower --kmin');
    expect(e.message).toBe("field 'kmin': kmin must be below kmax (lower --kmin)");
  });
});

describe('parseOptions', () => {
  const schema = z.object({ kmin: z.number().default(0), window: z.enum(['hanning', 'kaiser']).default('hanning') });
  it('applies defaults', () => {
    expect(parseOptions(schema, {})).toEqual({ kmin: 0, window: 'hanning' });
  });
  it('names the bad field', () => {
    try {
      parseOptions(schema, { window: 'boxcar' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).location.field).toBe('options.window');
      expect((e as Error).message).toContain('options.window');
    }
  });
});

describe('assertFiniteArray', () => {
  it('passes finite arrays and names the index of a NaN', () => {
    expect(() => assertFiniteArray(new Float64Array([1, 2]), 'chi')).not.toThrow();
    expect(() => assertFiniteArray([1, NaN], 'chi')).toThrow(NumericalError);
    expect(() => assertFiniteArray([1, Infinity], 'chi')).toThrow(/index 1/);
  });
});
