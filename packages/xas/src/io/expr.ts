// A small arithmetic language for building mu from columns ("ln(i0/itrans)", "sum_fe_ka/i0",
// "(ch1+ch2)/i0"), parsed by recursive descent and evaluated element-wise. Written by hand
// because it must never reach eval/Function, and a general expression library would accept far
// more than a column formula needs. Grammar:
//   expr  := term (('+'|'-') term)*
//   term  := unary (('*'|'/') unary)*
//   unary := ('+'|'-') unary | power
//   power := atom (('^'|'**') unary)?
//   atom  := number | name | name '(' expr ')' | '(' expr ')'
import { ValidationError } from '@siteproof/core';

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'col'; name: string; pos: number }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Expr; right: Expr }
  | { kind: 'call'; fn: string; arg: Expr };

const FUNCTIONS: Record<string, (x: number) => number> = {
  ln: Math.log,
  log: Math.log, // numpy/Larch: log is the natural logarithm
  log10: Math.log10,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

type Tok = { t: 'num'; v: number; pos: number } | { t: 'id'; v: string; pos: number } | { t: 'op'; v: string; pos: number };

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
      out.push({ t: 'num', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (src.startsWith('**', i)) {
      out.push({ t: 'op', v: '^', pos: i });
      i += 2;
      continue;
    }
    if ('+-*/^()'.includes(c)) {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    throw new ValidationError(`unexpected character '${c}' at position ${i + 1} in expression '${src}'`, { field });
  }
  return out;
}

/** Parse an expression; syntax errors are ValidationErrors naming the option (field) and position. */
export function parseExpr(src: string, field = 'mu'): Expr {
  if (src.length > 2000) throw new ValidationError('expression longer than 2000 characters', { field });
  const toks = tokenize(src, field);
  let p = 0;
  let depth = 0;
  const fail = (msg: string, pos?: number): never => {
    throw new ValidationError(`${msg}${pos !== undefined ? ` at position ${pos + 1}` : ' at the end'} in expression '${src}'`, { field });
  };
  const peek = () => toks[p];
  const isOp = (v: string) => toks[p]?.t === 'op' && toks[p].v === v;
  function expr(): Expr {
    if (++depth > 200) fail('expression nested too deeply', peek()?.pos);
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = toks[p++].v as '+' | '-';
      left = { kind: 'bin', op, left, right: term() };
    }
    depth--;
    return left;
  }
  function term(): Expr {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = toks[p++].v as '*' | '/';
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  }
  function unary(): Expr {
    if (++depth > 200) fail('expression nested too deeply', peek()?.pos);
    let r: Expr;
    if (isOp('-')) {
      p++;
      r = { kind: 'neg', arg: unary() };
    } else if (isOp('+')) {
      p++;
      r = unary();
    } else r = power();
    depth--;
    return r;
  }
  function power(): Expr {
    const base = atom();
    if (isOp('^')) {
      p++;
      return { kind: 'bin', op: '^', left: base, right: unary() };
    }
    return base;
  }
  function atom(): Expr {
    const t = peek();
    if (!t) return fail('expression ends early');
    if (t.t === 'num') {
      p++;
      return { kind: 'num', value: t.v };
    }
    if (t.t === 'id') {
      p++;
      if (isOp('(')) {
        const fn = t.v.toLowerCase();
        if (!(fn in FUNCTIONS)) fail(`unknown function '${t.v}' (known: ${Object.keys(FUNCTIONS).join(', ')})`, t.pos);
        p++;
        const arg = expr();
        if (!isOp(')')) fail("missing ')'", peek()?.pos);
        p++;
        return { kind: 'call', fn, arg };
      }
      return { kind: 'col', name: t.v, pos: t.pos };
    }
    if (t.v === '(') {
      p++;
      const e = expr();
      if (!isOp(')')) fail("missing ')'", peek()?.pos);
      p++;
      return e;
    }
    return fail(`unexpected '${t.v}'`, t.pos);
  }
  if (toks.length === 0) fail('empty expression');
  const e = expr();
  if (p < toks.length) fail(`unexpected '${toks[p].v}'`, toks[p].pos);
  return e;
}

/** Column names an expression uses (for error messages and provenance). */
export function exprColumns(e: Expr, acc: string[] = []): string[] {
  switch (e.kind) {
    case 'col':
      if (!acc.includes(e.name)) acc.push(e.name);
      break;
    case 'neg':
    case 'call':
      exprColumns(e.arg, acc);
      break;
    case 'bin':
      exprColumns(e.left, acc);
      exprColumns(e.right, acc);
      break;
  }
  return acc;
}

/**
 * Evaluate element-wise over columns of length n. `lookup` returns the column for a name or
 * undefined; unknown names give a ValidationError that lists the available columns.
 */
export function evalExpr(
  e: Expr,
  n: number,
  lookup: (name: string) => Float64Array | undefined,
  available: string[],
  field = 'mu',
  file?: string,
): Float64Array {
  const ev = (x: Expr): Float64Array => {
    switch (x.kind) {
      case 'num':
        return new Float64Array(n).fill(x.value);
      case 'col': {
        const c = lookup(x.name);
        if (!c) {
          throw new ValidationError(`unknown column '${x.name}' in ${field} expression; available columns: ${available.join(', ')}`, {
            file,
            field,
          });
        }
        return c.slice();
      }
      case 'neg': {
        const a = ev(x.arg);
        for (let i = 0; i < n; i++) a[i] = -a[i];
        return a;
      }
      case 'call': {
        const a = ev(x.arg);
        const f = FUNCTIONS[x.fn];
        for (let i = 0; i < n; i++) a[i] = f(a[i]);
        return a;
      }
      case 'bin': {
        const a = ev(x.left);
        const b = ev(x.right);
        switch (x.op) {
          case '+':
            for (let i = 0; i < n; i++) a[i] += b[i];
            break;
          case '-':
            for (let i = 0; i < n; i++) a[i] -= b[i];
            break;
          case '*':
            for (let i = 0; i < n; i++) a[i] *= b[i];
            break;
          case '/':
            for (let i = 0; i < n; i++) a[i] /= b[i];
            break;
          case '^':
            for (let i = 0; i < n; i++) a[i] = a[i] ** b[i];
            break;
        }
        return a;
      }
    }
  };
  return ev(e);
}
