// Access to ../shared (data and Larch/IFEFFIT references beside the project root).
// Tests that need it use describeShared/itShared: they run in CI, where ../shared is
// present, and skip with a clear message in a user's fresh clone, where it is not.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.SITEPROOF_SHARED ?? path.resolve(REPO_ROOT, '../shared');

export function hasShared(): boolean {
  return existsSync(path.join(SHARED_DIR, 'README.md'));
}

export const SHARED_SKIP_MESSAGE = `../shared not found at ${SHARED_DIR}: golden/reference tests skipped (they run in CI; set SITEPROOF_SHARED to point elsewhere)`;

let warned = false;
function warnOnce(): void {
  if (!warned) {
    warned = true;
    // eslint-disable-next-line no-console
    console.warn(`[siteproof tests] ${SHARED_SKIP_MESSAGE}`);
  }
}

/** describe() that runs only when ../shared is present, else is skipped with a message. */
export function describeShared(name: string, fn: () => void): void {
  if (hasShared()) describe(name, fn);
  else {
    warnOnce();
    // The body is not run: it usually reads ../shared while collecting tests.
    describe.skip(`${name} [skipped: ../shared absent]`, () => {
      it(SHARED_SKIP_MESSAGE, () => undefined);
    });
  }
}

/** it() that runs only when ../shared is present. */
export function itShared(name: string, fn: () => unknown, timeout?: number): void {
  if (hasShared()) it(name, fn, timeout);
  else {
    warnOnce();
    it.skip(`${name} [skipped: ../shared absent]`, fn);
  }
}

/** Absolute path of a file under ../shared (e.g. 'data/xas/xafsdata/cu_metal_rt.xdi'). */
export function sharedPath(rel: string): string {
  return path.join(SHARED_DIR, rel);
}

export function readSharedBytes(rel: string): Uint8Array {
  const b = readFileSync(sharedPath(rel));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function readSharedText(rel: string): string {
  return readFileSync(sharedPath(rel), 'utf8');
}

/** Parse a JSON reference under ../shared/reference (e.g. 'xas/cu_metal_rt.json'). */
export function loadReference<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(readFileSync(path.join(SHARED_DIR, 'reference', rel), 'utf8')) as T;
}

/** All files below a ../shared folder (relative paths), recursively, sorted. */
export function listSharedFiles(relDir: string, filter: (rel: string) => boolean = () => true): string[] {
  const root = sharedPath(relDir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const full = path.join(d, e);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = path.relative(SHARED_DIR, full);
        if (filter(rel)) out.push(rel);
      }
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}
