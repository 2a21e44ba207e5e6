// Safe arithmetic expressions for fit constraints ('alpha*reff', '4 - n1', 'sqrt(s2)'): a small
// recursive-descent parser to an AST, compiled to closures. No eval/Function: model files come
// from users and must not execute code. (io/expr.ts parses μ column formulas with one-argument
// functions, evaluated element-wise; constraints need several arguments — sigma2_eins(T, θ),
// min, max — and compile to closures over parameter slots, evaluated thousands of times a fit.) Grammar (Python precedence, as lmfit/asteval):
//   expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
//   unary := ('-'|'+') unary | power ; power := atom (('**'|'^') unary)? ;
//   atom := number | name | name '(' args ')' | '(' expr ')'
import { ValidationError } from '@siteproof/core';

export type ExprNode =
  | { type: 'num'; value: number }
  | { type: 'name'; name: string }
  | { type: 'neg'; arg: ExprNode }
  | { type: 'bin'; op: '+' | '-' | '*' | '/' | '**'; left: ExprNode; right: ExprNode }
  | { type: 'call'; fn: string; args: ExprNode[] };

/** ħ²·1e20/(2·k_B·amu) in Å²·K: Larch's factor for Einstein-model σ² (CODATA). */
export const EINS_FACTOR = 24.254367056580552;

const coth = (x: number) => 1 / Math.tanh(x);

/** Functions an expression may call, with their arity. */
export const FUNCTIONS: Record<string, { arity: number | [number, number]; fn: (...a: number[]) => number }> = {
  sqrt: { arity: 1, fn: Math.sqrt },
  exp: { arity: 1, fn: Math.exp },
  log: { arity: 1, fn: Math.log },
  ln: { arity: 1, fn: Math.log },
  log10: { arity: 1, fn: Math.log10 },
  sin: { arity: 1, fn: Math.sin },
  cos: { arity: 1, fn: Math.cos },
  tan: { arity: 1, fn: Math.tan },
  asin: { arity: 1, fn: Math.asin },
  acos: { arity: 1, fn: Math.acos },
  atan: { arity: 1, fn: Math.atan },
  abs: { arity: 1, fn: Math.abs },
  min: { arity: [2, 2], fn: Math.min },
  max: { arity: [2, 2], fn: Math.max },
  pow: { arity: 2, fn: Math.pow },
  /**
   * Einstein-model σ²(T, θ_E) for a path of reduced mass `rmass` (amu):
   * σ² = EINS_FACTOR/(θ·rmass)·coth(θ/2T), as Larch's sigma2_eins. Inside a path the third
   * argument defaults to the path's rmass (the parser inserts it).
   */
  sigma2_eins: { arity: 3, fn: (t, theta, rmass) => (EINS_FACTOR / (theta * rmass)) * coth(theta / (2 * Math.max(t, 1e-5))) },
};

export const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

type Tok = { kind: 'num' | 'name' | 'op'; text: string; pos: number };

function tokenize(src: string, field: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (src.startsWith('**', i)) {
      out.push({ kind: 'op', text: '**', pos: i });
      i += 2;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      out.push({ kind: 'op', text: c === '^' ? '**' : c, pos: i });
      i++;
      continue;
    }
    throw new ValidationError(`unexpected character '${c}' at position ${i + 1} in expression '${src}'`, { field });
  }
  return out;
}

/** Parse an expression; `field` names the parameter/path field for error messages. */
export function parseExpression(src: string, field = 'expr'): ExprNode {
  const toks = tokenize(src, field);
  let p = 0;
  const fail = (msg: string): never => {
    throw new ValidationError(`${msg} in expression '${src}'`, { field });
  };
  const peek = () => toks[p];
  const isOp = (t: string) => toks[p]?.kind === 'op' && toks[p].text === t;
  // Recursive descent: bound the nesting so hostile input gets an error, not a stack overflow.
  const MAX_DEPTH = 200;
  let depth = 0;
  const enter = () => {
    if (++depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep at position ${(peek()?.pos ?? src.length) + 1}`);
  };
  const parseExpr = (): ExprNode => {
    enter();
    let left = parseTerm();
    while (isOp('+') || isOp('-')) {
      const op = toks[p++].text as '+' | '-';
      left = { type: 'bin', op, left, right: parseTerm() };
    }
    depth--;
    return left;
  };
  const parseTerm = (): ExprNode => {
    let left = parseUnary();
    while (isOp('*') || isOp('/')) {
      const op = toks[p++].text as '*' | '/';
      left = { type: 'bin', op, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): ExprNode => {
    enter();
    let node: ExprNode;
    if (isOp('-')) {
      p++;
      node = { type: 'neg', arg: parseUnary() };
    } else if (isOp('+')) {
      p++;
      node = parseUnary();
    } else node = parsePower();
    depth--;
    return node;
  };
  const parsePower = (): ExprNode => {
    const base = parseAtom();
    if (isOp('**')) {
      p++;
      return { type: 'bin', op: '**', left: base, right: parseUnary() };
    }
    return base;
  };
  const parseAtom = (): ExprNode => {
    const t = peek();
    if (!t) return fail('unexpected end');
    if (t.kind === 'num') {
      p++;
      return { type: 'num', value: Number(t.text) };
    }
    if (t.kind === 'name') {
      p++;
      if (isOp('(')) {
        p++;
        const args: ExprNode[] = [];
        if (!isOp(')')) {
          args.push(parseExpr());
          while (isOp(',')) {
            p++;
            args.push(parseExpr());
          }
        }
        if (!isOp(')')) fail(`missing ')' after arguments of ${t.text}`);
        p++;
        const f = FUNCTIONS[t.text];
        if (!f) fail(`unknown function '${t.text}'`);
        return { type: 'call', fn: t.text, args };
      }
      return { type: 'name', name: t.text };
    }
    if (t.text === '(') {
      p++;
      const e = parseExpr();
      if (!isOp(')')) fail(`missing ')' (opened at position ${t.pos + 1})`);
      p++;
      return e;
    }
    return fail(`unexpected '${t.text}' at position ${t.pos + 1}`);
  };
  if (toks.length === 0) fail('empty expression');
  const e = parseExpr();
  if (p < toks.length) fail(`unexpected '${toks[p].text}' at position ${toks[p].pos + 1}`);
  return e;
}

/** Names (not functions or constants) an expression refers to. */
export function expressionNames(e: ExprNode, out = new Set<string>()): Set<string> {
  switch (e.type) {
    case 'name':
      if (!(e.name in CONSTANTS)) out.add(e.name);
      break;
    case 'neg':
      expressionNames(e.arg, out);
      break;
    case 'bin':
      expressionNames(e.left, out);
      expressionNames(e.right, out);
      break;
    case 'call':
      for (const a of e.args) expressionNames(a, out);
      break;
    default:
      break;
  }
  return out;
}

export type Compiled = (values: Float64Array) => number;

/**
 * Compile to a closure. `resolve(name)` returns either a fixed number (path symbols such as
 * reff) or an index into the values array (fit parameters); undefined → ValidationError.
 * `rmass`, when given, is appended as sigma2_eins's third argument if the call has two.
 */
export function compileExpression(
  e: ExprNode,
  resolve: (name: string) => number | { index: number } | undefined,
  field: string,
  src: string,
  rmass?: number,
): Compiled {
  const go = (n: ExprNode): Compiled => {
    switch (n.type) {
      case 'num': {
        const v = n.value;
        return () => v;
      }
      case 'name': {
        if (n.name in CONSTANTS) {
          const v = CONSTANTS[n.name];
          return () => v;
        }
        const r = resolve(n.name);
        if (r === undefined) throw new ValidationError(`unknown name '${n.name}' in expression '${src}'`, { field }, 'define it under params or use a path symbol (reff, degen, nleg, rmass, …)');
        if (typeof r === 'number') return () => r;
        const idx = r.index;
        return (v) => v[idx];
      }
      case 'neg': {
        const a = go(n.arg);
        return (v) => -a(v);
      }
      case 'bin': {
        const a = go(n.left);
        const b = go(n.right);
        switch (n.op) {
          case '+': return (v) => a(v) + b(v);
          case '-': return (v) => a(v) - b(v);
          case '*': return (v) => a(v) * b(v);
          case '/': return (v) => a(v) / b(v);
          default: return (v) => a(v) ** b(v);
        }
      }
      case 'call': {
        const f = FUNCTIONS[n.fn];
        const args = n.args.map(go);
        if (n.fn === 'sigma2_eins' && args.length === 2 && rmass !== undefined) {
          const rm = rmass;
          args.push(() => rm);
        }
        const ar = f.arity;
        const [lo, hi] = typeof ar === 'number' ? [ar, ar] : ar;
        if (args.length < lo || args.length > hi) {
          const extra = n.fn === 'sigma2_eins' ? ' (sigma2_eins(t, theta) inside a path; sigma2_eins(t, theta, rmass) elsewhere)' : '';
          throw new ValidationError(`${n.fn} takes ${lo === hi ? lo : `${lo}–${hi}`} arguments, got ${args.length}${extra} in expression '${src}'`, { field });
        }
        const fn = f.fn;
        if (args.length === 1) {
          const a0 = args[0];
          return (v) => fn(a0(v));
        }
        if (args.length === 2) {
          const [a0, a1] = args;
          return (v) => fn(a0(v), a1(v));
        }
        return (v) => fn(...args.map((a) => a(v)));
      }
    }
  };
  return go(e);
}
