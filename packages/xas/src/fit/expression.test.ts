import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { compileExpression, EINS_FACTOR, expressionNames, parseExpression } from './expression';
import { ParamSet } from './params';

const evalWith = (src: string, vars: Record<string, number>) => {
  const names = Object.keys(vars);
  const values = Float64Array.from(names.map((n) => vars[n]));
  const f = compileExpression(parseExpression(src), (n) => (names.includes(n) ? { index: names.indexOf(n) } : undefined), 'x', src, 30);
  return f(values);
};

describe('expression parser', () => {
  it('follows Python precedence: ** binds tighter than unary minus, left-assoc / and -', () => {
    expect(evalWith('-2**2', {})).toBe(-4);
    expect(evalWith('2**3**2', {})).toBe(512);
    expect(evalWith('8/2/2', {})).toBe(2);
    expect(evalWith('4 - 1 - 1', {})).toBe(2);
    expect(evalWith('2^3', {})).toBe(8);
    expect(evalWith('(1+2)*3', {})).toBe(9);
    expect(evalWith('1.5e-3*2', {})).toBeCloseTo(3e-3, 15);
    expect(evalWith('.5 + 1.', {})).toBe(1.5);
  });
  it('evaluates names, functions and constants', () => {
    expect(evalWith('alpha*reff', { alpha: 0.01, reff: 2.5 })).toBeCloseTo(0.025, 15);
    expect(evalWith('4 - n1', { n1: 1.5 })).toBe(2.5);
    expect(evalWith('sqrt(s2) + exp(0) + max(1, 2) + abs(-1) + pi', { s2: 4 })).toBeCloseTo(6 + Math.PI, 12);
    // Einstein σ²: rmass given as 30 amu through the path context
    const s = evalWith('sigma2_eins(300, 250)', {});
    expect(s).toBeCloseTo((EINS_FACTOR / (250 * 30)) / Math.tanh(250 / 600), 12);
    expect(evalWith('sigma2_eins(300, 250, 30)', {})).toBeCloseTo(s, 15);
  });
  it('lists the names an expression uses', () => {
    expect([...expressionNames(parseExpression('a*sqrt(b) + pi - reff'))].sort()).toEqual(['a', 'b', 'reff']);
  });
  it('rejects bad syntax, unknown functions and names with ValidationError naming the field', () => {
    for (const bad of ['', '1 +', '(1', '1)', 'a b', 'foo(1)', '__import__("os")', 'a;b', 'sqrt(1, 2)']) {
      expect(() => evalWith(bad, { a: 1, b: 2 }), bad).toThrow(ValidationError);
    }
    try {
      evalWith('a + nope', { a: 1 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/unknown name 'nope'/);
      expect((e as ValidationError).location.field).toBe('x');
    }
  });
});

describe('ParamSet', () => {
  it('evaluates expressions in dependency order and updates from the varying vector', () => {
    const p = new ParamSet({
      n2: { expr: '4 - n1' },
      n1: { value: 1, vary: true, min: 0, max: 4 },
      e0: { value: 2, vary: true },
      e0b: { expr: 'e0' },
      half: { expr: 'n2/2' },
      fixed: 7,
    });
    expect(p.varying.map((i) => p.names[i])).toEqual(['n1', 'e0']);
    p.update([1.5, -3]);
    const v = (n: string) => p.values[p.index.get(n)!];
    expect(v('n2')).toBe(2.5);
    expect(v('half')).toBe(1.25);
    expect(v('e0b')).toBe(-3);
    expect(v('fixed')).toBe(7);
    expect([...p.closure(['half'])].sort()).toEqual(['half', 'n1', 'n2']);
  });
  it('names unknown names and cycles', () => {
    expect(() => new ParamSet({ a: { expr: 'b + 1' } })).toThrow(/unknown name 'b'/);
    try {
      new ParamSet({ a: { expr: 'b + 1' }, b: { expr: 'c*2' }, c: { expr: 'a' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as Error).message).toMatch(/circular parameter expressions: a → b → c → a/);
    }
    expect(() => new ParamSet({ a: { expr: 'a' } })).toThrow(/circular/);
  });
  it('clips a start value into its bounds and says so (as lmfit clips)', () => {
    const p = new ParamSet({ s2: { value: -0.01, vary: true, min: 0, max: 0.05 } });
    expect(p.values[0]).toBe(0);
    expect(p.warnings[0]).toMatch(/start value of 's2' \(-0.01\) is outside \[0, 0.05\]/);
  });
  it('refuses bad names, reserved names and inverted bounds', () => {
    expect(() => new ParamSet({ '1x': 1 })).toThrow(ValidationError);
    expect(() => new ParamSet({ reff: 1 }, new Set(['reff']))).toThrow(/reserved/);
    expect(() => new ParamSet({ a: { value: 1, min: 2, max: 1 } })).toThrow(/min/);
  });
});

describe('hostile nesting', () => {
  it('refuses expressions nested deeper than 200 levels with a ValidationError, not a stack overflow', () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    expect(() => parseExpression(deep, 'paths[0].sigma2')).toThrow(ValidationError);
    expect(() => parseExpression(deep, 'paths[0].sigma2')).toThrow(/nested more than 200 levels/);
    expect(() => parseExpression('-'.repeat(5000) + '1')).toThrow(ValidationError);
    // Ordinary nesting still parses.
    expect(() => parseExpression('('.repeat(50) + 'a*2' + ')'.repeat(50))).not.toThrow();
  });
});
