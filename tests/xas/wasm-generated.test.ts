// The WebAssembly modules committed under packages/*/src/wasm/generated are exactly what the
// pinned AssemblyScript compiler makes of packages/*/assembly/*.ts: the readable source is the
// source of truth, and a stale module (source edited, `pnpm wasm` not run) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemblySources, compileAssembly, generatedPath, generatedSource } from '../../scripts/wasm';

describe('generated WebAssembly modules', () => {
  const sources = assemblySources();
  it('there are AssemblyScript sources to check', () => {
    expect(sources.length).toBeGreaterThan(0);
  });
  for (const { pkg, name, file } of sources) {
    it(`${pkg}/assembly/${name}.ts compiles to the committed module`, async () => {
      const bytes = await compileAssembly(file);
      expect(readFileSync(generatedPath(pkg, name), 'utf8')).toBe(generatedSource(name, bytes));
    }, 60_000);
  }
});
