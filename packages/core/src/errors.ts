/**
 * One error hierarchy for every siteproof package. Each error says what went wrong,
 * where (file:line:column or the option/field name) and, when we know it, what to do.
 * The CLI prints `error.message` and exits non-zero; the viewer shows it in the page.
 */

export interface SourceLocation {
  /** File name or other label of the input ("<string>" for in-memory text). */
  file?: string;
  /** 1-based line number. */
  line?: number;
  /** 1-based column number (or column index for tabular data). */
  column?: number;
  /** Field, column label, option or key the problem concerns. */
  field?: string;
}

export function formatLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let p = loc.file;
    if (loc.line !== undefined) {
      p += `:${loc.line}`;
      if (loc.column !== undefined) p += `:${loc.column}`;
    }
    parts.push(p);
  } else if (loc.line !== undefined) {
    parts.push(`line ${loc.line}${loc.column !== undefined ? `, column ${loc.column}` : ''}`);
  }
  if (loc.field !== undefined) parts.push(`field '${loc.field}'`);
  return parts.join(', ');
}

export type ErrorKind = 'parse' | 'validation' | 'numerical' | 'io' | 'unsupported' | 'limit';

/** Base class of every error siteproof throws on purpose. */
export class SiteproofError extends Error {
  readonly kind: ErrorKind;
  readonly location: SourceLocation;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, location: SourceLocation = {}, hint?: string) {
    const where = formatLocation(location);
    super(`${where ? `${where}: ` : ''}${message}${hint ? ` (${hint})` : ''}`);
    this.name = new.target.name;
    this.kind = kind;
    this.location = location;
    this.hint = hint;
    this.detail = message;
  }

  /** The message without the location prefix. */
  readonly detail: string;

  /** A copy of this error with the file name filled in (for readers that parse text first). */
  withFile(file: string): SiteproofError {
    if (this.location.file !== undefined) return this;
    const Ctor = this.constructor as new (m: string, l: SourceLocation, h?: string) => SiteproofError;
    return new Ctor(this.detail, { ...this.location, file }, this.hint);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message, location: this.location, hint: this.hint };
  }
}

/** A file or string that does not follow its format: always names file, line and column/field. */
export class ParseError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('parse', message, location, hint);
  }
}

/** Options or data that are well-formed but not acceptable (ranges, shapes, missing columns). */
export class ValidationError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('validation', message, location, hint);
  }
}

/** A computation that cannot give a trustworthy number (singular matrix, no convergence, NaN). */
export class NumericalError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('numerical', message, location, hint);
  }
}

/** Reading or writing failed at the file-system edge. */
export class IoError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('io', message, location, hint);
  }
}

/** A valid file using a feature siteproof does not read (yet). */
export class UnsupportedError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('unsupported', message, location, hint);
  }
}

/** A resource limit (size, count, nesting depth) was exceeded; says which limit option raises it. */
export class LimitError extends SiteproofError {
  constructor(message: string, location: SourceLocation = {}, hint?: string) {
    super('limit', message, location, hint);
  }
}

export function isSiteproofError(e: unknown): e is SiteproofError {
  return e instanceof SiteproofError;
}
