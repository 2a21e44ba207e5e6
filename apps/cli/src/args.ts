import { ValidationError } from '@siteproof/core';
import type { CommandContext } from './command';

/** Numeric flag: undefined when absent; a ValidationError naming the flag when not a number. */
export function numberFlag(ctx: CommandContext, name: string): number | undefined {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ValidationError(`--${name} needs a number`, { field: name });
  const x = Number(v);
  if (!Number.isFinite(x)) throw new ValidationError(`--${name} must be a finite number, got '${v}'`, { field: name });
  return x;
}

export function stringFlag(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ValidationError(`--${name} needs a value`, { field: name });
  return v;
}

export function boolFlag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

/** Comma-separated list flag ("a,b,c"); empty items are an error. */
export function listFlag(ctx: CommandContext, name: string): string[] | undefined {
  const v = stringFlag(ctx, name);
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new ValidationError(`--${name} has an empty item in '${v}'`, { field: name });
  return items;
}

/** JSON output with a stable shape: typed arrays become plain arrays; non-finite numbers are refused. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    0,
  );
}
