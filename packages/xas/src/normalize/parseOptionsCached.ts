// parseOptions (zod at the public boundary) costs tens of µs per call, a noticeable share of a
// sub-millisecond per-spectrum pipeline that parses the same options for every spectrum of a
// series. Successful parses of flat options objects (primitive values only) are memoized by their
// JSON text; anything else (arrays, nested objects, failures) goes through zod every time, so the
// errors and the parsed values are exactly parseOptions'. Parsed objects are shared: callers must
// treat them as read-only (frozen here to enforce it).
import type { z } from 'zod';
import { parseOptions } from '@siteproof/core';

const caches = new WeakMap<z.ZodType, Map<string, unknown>>();
const MAX_ENTRIES = 64;

function flatKey(input: unknown): string | undefined {
  if (input === undefined || input === null) return '{}';
  if (typeof input !== 'object' || Array.isArray(input) || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  for (const v of Object.values(input as Record<string, unknown>)) {
    const t = typeof v;
    if (v === undefined) return undefined; // JSON would drop it; let zod see it
    if (t === 'number') {
      if (!Number.isFinite(v)) return undefined; // JSON turns NaN/±Infinity into null
    } else if (t !== 'string' && t !== 'boolean') return undefined;
  }
  return JSON.stringify(input);
}

export function parseOptionsCached<S extends z.ZodType>(schema: S, input: unknown, label = 'options'): z.output<S> {
  const key = flatKey(input);
  if (key === undefined) return parseOptions(schema, input, label);
  let cache = caches.get(schema);
  if (!cache) {
    cache = new Map();
    caches.set(schema, cache);
  }
  const k = `${label}\u0000${key}`;
  const hit = cache.get(k);
  if (hit !== undefined) return hit as z.output<S>;
  const parsed = Object.freeze(parseOptions(schema, input, label)) as z.output<S>;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(k, parsed);
  return parsed;
}
