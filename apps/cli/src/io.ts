// File-system edge of siteproof: the packages never touch the disk; the CLI reads bytes
// here and hands them, with the file name, to the isomorphic readers.
import { promises as fs, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { IoError, ValidationError } from '@siteproof/core';

export interface InputFile {
  /** Path as given by the user (used in messages). */
  name: string;
  /** Absolute path. */
  path: string;
  bytes: Uint8Array;
}

export function resolveUserPath(cwd: string, p: string): string {
  return path.resolve(cwd, p);
}

export async function readInput(cwd: string, p: string): Promise<InputFile> {
  const abs = resolveUserPath(cwd, p);
  try {
    const st = await fs.stat(abs);
    if (st.isDirectory()) throw new IoError('is a directory, expected a file', { file: p });
    const buf = await fs.readFile(abs);
    return { name: p, path: abs, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch (e) {
    if (e instanceof IoError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new IoError(why, { file: p });
  }
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Write a file atomically (temp file in the same directory, then rename), so an output is
 * either complete or absent. Refuses to overwrite any of `inputs`: raw files are never modified.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  inputs: readonly string[] = [],
): Promise<void> {
  const abs = path.resolve(target);
  const canon = canonical(abs);
  for (const inp of inputs) {
    if (canonical(inp) === canon) {
      throw new ValidationError('refusing to write over an input file', { file: target }, 'choose another --out');
    }
  }
  await fs.mkdir(path.dirname(abs), { recursive: true });
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, abs);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new IoError(`cannot write: ${(e as Error).message}`, { file: target });
  }
}
