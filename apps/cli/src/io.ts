// File-system edge of siteproof: the packages never touch the disk; the CLI reads bytes
// here and hands them, with the file name, to the isomorphic readers. Large binary files
// (.ibd) are opened as a ByteSource instead and read range by range.
import { promises as fs, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { IoError, LimitError, ValidationError } from '@siteproof/core';
import type { ByteSource } from '@siteproof/tofsims';

export interface InputFile {
  /** Path as given by the user (used in messages). */
  name: string;
  /** Absolute path. */
  path: string;
  bytes: Uint8Array;
}

/**
 * Largest file readInput loads whole (1 GiB). Text formats are far smaller; a bigger file is a
 * binary container that must be streamed (openByteSource) or the wrong file.
 */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

export function resolveUserPath(cwd: string, p: string): string {
  return path.resolve(cwd, p);
}

function ioError(e: unknown, p: string): IoError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, expected a file' : String((e as Error).message);
  return new IoError(why, { file: p });
}

export async function readInput(cwd: string, p: string, options: { maxBytes?: number } = {}): Promise<InputFile> {
  const abs = resolveUserPath(cwd, p);
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  try {
    const st = await fs.stat(abs);
    if (st.isDirectory()) throw new IoError('is a directory, expected a file', { file: p });
    // Checked before reading: a multi-GB file must not be pulled into memory by accident.
    if (st.size > maxBytes) throw new LimitError(`file is ${st.size} bytes, above the ${maxBytes}-byte limit for reading a whole file`, { file: p }, 'large binary data (.ibd) is read in pieces by the commands that support it');
    const buf = await fs.readFile(abs);
    return { name: p, path: abs, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch (e) {
    if (e instanceof IoError || e instanceof LimitError) throw e;
    throw ioError(e, p);
  }
}

export interface FileByteSource extends ByteSource {
  name: string;
  path: string;
  close(): Promise<void>;
}

/**
 * Open a file for random access (a ByteSource over a Node file handle): only the ranges a
 * reader asks for are read, so a 2 GB .ibd costs what its spectra cost. Close it when done.
 */
export async function openByteSource(cwd: string, p: string): Promise<FileByteSource> {
  const abs = resolveUserPath(cwd, p);
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(abs, 'r');
  } catch (e) {
    throw ioError(e, p);
  }
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw new IoError('is a directory, expected a file', { file: p });
  }
  const size = st.size;
  return {
    name: p,
    path: abs,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(n);
      let got = 0;
      try {
        while (got < n) {
          const { bytesRead } = await fh.read(out, got, n - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      } catch (e) {
        throw ioError(e, p);
      }
      return got === n ? out : out.subarray(0, got);
    },
    close: () => fh.close(),
  };
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // A path that does not exist yet: canonicalize its directory (which may be a symlink).
    try {
      return path.join(realpathSync(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  // Hard links (and case-insensitive file systems) share the inode, not the path.
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Write a file atomically (temp file in the same directory, then rename), so an output is
 * either complete or absent. Refuses to overwrite any of `inputs` (compared after resolving
 * relative paths, symlinks and hard links): raw files are never modified.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  inputs: readonly string[] = [],
): Promise<void> {
  const abs = path.resolve(target);
  for (const inp of inputs) {
    if (sameFile(path.resolve(inp), abs)) {
      throw new ValidationError('refusing to write over an input file', { file: target }, 'choose another --out');
    }
  }
  try {
    if ((await fs.stat(abs)).isDirectory()) throw new IoError('is a directory, cannot write a file there', { file: target }, 'give a file name');
  } catch (e) {
    if (e instanceof IoError) throw e;
  }
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    // 'wx': never follow or clobber an existing file at the temp name.
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, abs);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new IoError(`cannot write: ${(e as Error).message}`, { file: target });
  }
}
