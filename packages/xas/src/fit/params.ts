// Fit parameters as lmfit/Larch know them: a value that varies (with optional bounds), is fixed,
// or is an expression of other parameters. Expressions are parsed once, checked for unknown names
// and cycles, and evaluated in dependency order.
import { ValidationError } from '@siteproof/core';
import { compileExpression, expressionNames, parseExpression, type Compiled, type ExprNode } from './expression';

export interface ParamSpec {
  value?: number;
  vary?: boolean;
  min?: number;
  max?: number;
  expr?: string;
}

export interface ParamInfo {
  name: string;
  value: number;
  vary: boolean;
  min: number;
  max: number;
  expr?: string;
  ast?: ExprNode;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A set of named parameters. `values` (Float64Array, one slot per parameter in `names` order) is
 * what compiled expressions read; `update(x)` writes the varying values and re-evaluates the
 * constrained ones in topological order.
 */
export class ParamSet {
  readonly names: string[];
  readonly info: ParamInfo[];
  readonly index = new Map<string, number>();
  readonly values: Float64Array;
  /** Non-fatal adjustments made while reading the specs (e.g. start values clipped into bounds). */
  readonly warnings: string[] = [];
  /** Indices (into names) of the varying parameters, in order. */
  varying: number[];
  private order: number[] = [];
  private compiled: (Compiled | undefined)[] = [];

  constructor(specs: Record<string, ParamSpec | number>, reserved: ReadonlySet<string> = new Set()) {
    this.names = Object.keys(specs);
    this.info = this.names.map((name) => {
      if (!NAME_RE.test(name)) throw new ValidationError(`parameter name '${name}' is not an identifier`, { field: `params.${name}` });
      if (reserved.has(name)) throw new ValidationError(`parameter name '${name}' is reserved for a path symbol or function`, { field: `params.${name}` });
      const s0 = specs[name];
      const s: ParamSpec = typeof s0 === 'number' ? { value: s0, vary: false } : s0;
      const min = s.min ?? -Infinity;
      const max = s.max ?? Infinity;
      if (!(min < max)) throw new ValidationError(`min (${min}) must be below max (${max})`, { field: `params.${name}` });
      const info: ParamInfo = { name, value: s.value ?? 0, vary: s.expr ? false : (s.vary ?? false), min, max };
      if (!Number.isFinite(info.value)) throw new ValidationError('value must be a finite number', { field: `params.${name}` });
      if (s.expr !== undefined) {
        info.expr = s.expr;
        info.ast = parseExpression(s.expr, `params.${name}.expr`);
      }
      if (info.vary && (info.value < min || info.value > max)) {
        // lmfit clips a start value into its bounds; we do the same and say so.
        const clipped = Math.min(max, Math.max(min, info.value));
        this.warnings.push(`start value of '${name}' (${info.value}) is outside [${min}, ${max}] and was set to ${clipped}`);
        info.value = clipped;
      }
      return info;
    });
    this.names.forEach((n, i) => this.index.set(n, i));
    this.values = Float64Array.from(this.info, (p) => p.value);
    this.varying = this.info.flatMap((p, i) => (p.vary ? [i] : []));
    this.compile();
  }

  private compile(): void {
    // dependency graph among expression parameters; detect unknown names and cycles
    const deps = new Map<number, number[]>();
    this.info.forEach((p, i) => {
      if (!p.ast) return;
      const d: number[] = [];
      for (const n of expressionNames(p.ast)) {
        const j = this.index.get(n);
        if (j === undefined) {
          throw new ValidationError(`unknown name '${n}' in expression '${p.expr}'`, { field: `params.${p.name}.expr` }, 'parameter expressions may use other parameters only');
        }
        d.push(j);
      }
      deps.set(i, d);
    });
    const state = new Uint8Array(this.info.length); // 0 new, 1 visiting, 2 done
    const order: number[] = [];
    const stack: number[] = [];
    const visit = (i: number) => {
      if (state[i] === 2) return;
      if (state[i] === 1) {
        const cyc = stack.slice(stack.indexOf(i)).concat(i).map((j) => this.names[j]);
        throw new ValidationError(`circular parameter expressions: ${cyc.join(' → ')}`, { field: `params.${this.names[i]}.expr` });
      }
      state[i] = 1;
      stack.push(i);
      for (const j of deps.get(i) ?? []) visit(j);
      stack.pop();
      state[i] = 2;
      if (this.info[i].ast) order.push(i);
    };
    for (let i = 0; i < this.info.length; i++) visit(i);
    this.order = order;
    this.compiled = this.info.map((p) =>
      p.ast ? compileExpression(p.ast, (n) => ({ index: this.index.get(n)! }), `params.${p.name}.expr`, p.expr!) : undefined,
    );
    this.evaluateExpressions();
  }

  /** Fix a varying parameter (Larch's fix_unused_variables). */
  fix(name: string): void {
    const i = this.index.get(name)!;
    this.info[i].vary = false;
    this.varying = this.varying.filter((j) => j !== i);
  }

  /** Names a parameter depends on, transitively (itself included). */
  closure(names: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const walk = (n: string) => {
      if (out.has(n)) return;
      out.add(n);
      const i = this.index.get(n);
      if (i === undefined) return;
      const ast = this.info[i].ast;
      if (ast) for (const m of expressionNames(ast)) walk(m);
    };
    for (const n of names) walk(n);
    return out;
  }

  evaluateExpressions(): void {
    for (const i of this.order) this.values[i] = this.compiled[i]!(this.values);
  }

  /** Write the varying values (in `varying` order) and update the expressions. */
  update(x: ArrayLike<number>): void {
    for (let j = 0; j < this.varying.length; j++) this.values[this.varying[j]] = x[j];
    this.evaluateExpressions();
  }

  startVector(): Float64Array {
    return Float64Array.from(this.varying, (i) => this.values[i]);
  }
}
