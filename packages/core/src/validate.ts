import { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Parse `input` with a zod schema at a public boundary and turn zod's issues into one
 * ValidationError that names the offending field(s), e.g. "options.kmin: expected number".
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, label = 'options'): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const path = [label, ...i.path.map(String)].join('.');
    return `${path}: ${i.message}`;
  });
  const field = r.error.issues[0] ? [label, ...r.error.issues[0].path.map(String)].join('.') : label;
  throw new ValidationError(`invalid ${label}: ${issues.join('; ')}`, { field });
}

/** A finite number (zod's number() accepts Infinity in some versions; NaN never reaches the math). */
export const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });
