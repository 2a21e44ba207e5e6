import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '@siteproof/core';
import { parseOptionsCached } from './parseOptionsCached';

const schema = z.object({ a: z.number().default(1), b: z.string().default('x'), arr: z.array(z.number()).optional() }).strict();

describe('parseOptionsCached', () => {
  it('returns the parsed options (defaults filled) and the same frozen object for equal flat inputs', () => {
    const p1 = parseOptionsCached(schema, { a: 2 });
    const p2 = parseOptionsCached(schema, { a: 2 });
    expect(p1).toEqual({ a: 2, b: 'x' });
    expect(p2).toBe(p1);
    expect(Object.isFrozen(p1)).toBe(true);
    expect(parseOptionsCached(schema, { a: 3 })).toEqual({ a: 3, b: 'x' });
    expect(parseOptionsCached(schema, undefined)).toEqual({ a: 1, b: 'x' });
  });
  it('still throws the typed error for bad input, every time, and never caches failures', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => parseOptionsCached(schema, { a: 'no' })).toThrow(ValidationError);
      expect(() => parseOptionsCached(schema, { a: NaN })).toThrow(ValidationError);
      expect(() => parseOptionsCached(schema, { c: 1 })).toThrow(/options/);
    }
  });
  it('passes non-flat inputs straight to zod (fresh object each time)', () => {
    const p1 = parseOptionsCached(schema, { arr: [1, 2] });
    const p2 = parseOptionsCached(schema, { arr: [1, 2] });
    expect(p1).toEqual({ a: 1, b: 'x', arr: [1, 2] });
    expect(p2).not.toBe(p1);
  });
});
