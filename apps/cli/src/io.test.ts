// The CLI's file edge: inputs are never overwritten (same path, relative path, symlink, hard
// link), outputs appear whole or not at all, oversize whole-file reads are refused before
// reading, and openByteSource reads ranges of a file without loading it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IoError, LimitError, ValidationError } from '@siteproof/core';
import { openByteSource, readInput, writeFileAtomic } from './io';

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'siteproof-io-'));
  input = path.join(dir, 'raw.xdi');
  writeFileSync(input, 'RAW DATA\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unchanged = () => expect(readFileSync(input, 'utf8')).toBe('RAW DATA\n');

describe('writeFileAtomic never writes over an input', () => {
  it('same absolute path', async () => {
    await expect(writeFileAtomic(input, 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    unchanged();
  });
  it('relative path to the input (resolved against the working directory)', async () => {
    const rel = path.relative(process.cwd(), input);
    await expect(writeFileAtomic(rel, 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    await expect(writeFileAtomic(input, 'x', [rel])).rejects.toBeInstanceOf(ValidationError);
    await expect(writeFileAtomic(path.join(dir, 'sub', '..', 'raw.xdi'), 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    unchanged();
  });
  it('a symlink pointing at the input, and the input reached through a symlinked directory', async () => {
    const link = path.join(dir, 'link.xdi');
    symlinkSync(input, link);
    await expect(writeFileAtomic(link, 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    await expect(writeFileAtomic(input, 'x', [link])).rejects.toBeInstanceOf(ValidationError);
    const dirLink = path.join(dir, 'dirlink');
    symlinkSync(dir, dirLink);
    await expect(writeFileAtomic(path.join(dirLink, 'raw.xdi'), 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    unchanged();
  });
  it('a hard link to the input', async () => {
    const hard = path.join(dir, 'hard.xdi');
    linkSync(input, hard);
    await expect(writeFileAtomic(hard, 'x', [input])).rejects.toBeInstanceOf(ValidationError);
    unchanged();
  });
});

describe('writeFileAtomic output is whole or absent', () => {
  it('writes, then replaces an existing non-input output, leaving no temp files', async () => {
    const out = path.join(dir, 'out', 'result.json');
    await writeFileAtomic(out, '{"a":1}\n', [input]);
    await writeFileAtomic(out, new TextEncoder().encode('{"a":2}\n'), [input]);
    expect(readFileSync(out, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(path.dirname(out))).toEqual(['result.json']);
  });
  it('a failed write leaves neither a partial output nor a temp file', async () => {
    const blocker = path.join(dir, 'afile');
    writeFileSync(blocker, 'x');
    // The parent "directory" is a file: the write must fail cleanly.
    await expect(writeFileAtomic(path.join(blocker, 'out.json'), 'data')).rejects.toBeInstanceOf(IoError);
    const target = path.join(dir, 'isdir');
    mkdirSync(target);
    await expect(writeFileAtomic(target, 'data')).rejects.toBeInstanceOf(IoError);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('readInput and openByteSource', () => {
  it('readInput refuses a file above maxBytes before reading it, and names the file', async () => {
    const e = await readInput(dir, 'raw.xdi', { maxBytes: 4 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).location.file).toBe('raw.xdi');
    expect((await readInput(dir, 'raw.xdi')).bytes.length).toBe(9);
    await expect(readInput(dir, 'missing.xdi')).rejects.toBeInstanceOf(IoError);
    await expect(readInput(dir, '.')).rejects.toBeInstanceOf(IoError);
  });
  it('openByteSource reads exact ranges and is short only at the end', async () => {
    const src = await openByteSource(dir, 'raw.xdi');
    try {
      expect(src.size).toBe(9);
      expect(new TextDecoder().decode(await src.read(4, 4))).toBe('DATA');
      expect((await src.read(7, 100)).length).toBe(2);
      expect((await src.read(100, 5)).length).toBe(0);
    } finally {
      await src.close();
    }
    await expect(openByteSource(dir, 'missing.ibd')).rejects.toBeInstanceOf(IoError);
    expect(existsSync(input)).toBe(true);
  });
});
