// Robustness: a few hundred mutations (truncation, bit flips, duplicated/deleted lines, inserted
// bytes, gzip corruption) of valid files per reader. Each call must return a result or throw a
// typed SiteproofError — never a TypeError/RangeError/stack overflow. Fixed seed: reproducible.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { isSiteproofError } from '@siteproof/core';
import { buildMu, loadSpectrum, readAscii, readAthenaProject, readColumnFile, readSpec, readXdi } from '@siteproof/xas';
import { hasShared, readSharedBytes } from '../helpers/shared';

type Mut = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'dupLine'; at: number } | { kind: 'delLine'; at: number } | { kind: 'insert'; at: number; byte: number };

const mutArb: fc.Arbitrary<Mut[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('dupLine' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('delLine' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

function cat(...parts: Uint8Array[]): Uint8Array<ArrayBufferLike> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function mutate(src: Uint8Array, muts: Mut[]): Uint8Array {
  let b: Uint8Array<ArrayBufferLike> = src.slice();
  for (const m of muts) {
    const at = Math.min(b.length - 1, Math.floor(m.at * b.length));
    if (b.length === 0) break;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'insert') b = cat(b.subarray(0, at), Uint8Array.of(m.byte), b.subarray(at));
    else {
      const s = b.lastIndexOf(10, at) + 1;
      let e = b.indexOf(10, at);
      if (e < 0) e = b.length - 1;
      const line = b.slice(s, e + 1);
      b = m.kind === 'dupLine' ? cat(b.subarray(0, s), line, b.subarray(s)) : cat(b.subarray(0, s), b.subarray(e + 1));
    }
  }
  return b;
}

function robust(name: string, seeds: () => Uint8Array[], call: (b: Uint8Array) => unknown, numRuns = 300): void {
  it(`${name}: ${numRuns} mutated inputs → result or typed error`, () => {
    const inputs = seeds();
    fc.assert(
      fc.property(fc.nat({ max: inputs.length - 1 }), mutArb, (i, muts) => {
        const b = mutate(inputs[i], muts);
        try {
          call(b);
        } catch (e) {
          if (!isSiteproofError(e)) throw e;
        }
      }),
      { numRuns, seed: 20261122 },
    );
  }, 30000);
}

const enc = (s: string) => new TextEncoder().encode(s);
const asciiSeed = () => enc(['# synthetic scan', '# energy i0 itrans', ...Array.from({ length: 30 }, (_, i) => `${8900 + 2 * i} ${1e5 + i} ${4e4 + 7 * i}`)].join('\n'));
const xdiSeed = () =>
  enc(
    [
      '# XDI/1.0 test/1',
      '# Column.1: energy eV',
      '# Column.2: i0',
      '# Column.3: itrans',
      '# Element.symbol: Cu',
      '# Element.edge: K',
      '# Mono.d_spacing: 3.13553',
      '# ///',
      '# a comment',
      '#----',
      '# energy i0 itrans',
      ...Array.from({ length: 30 }, (_, i) => `${8900 + 2 * i} ${1e5 + i} ${4e4 + 7 * i}`),
    ].join('\n'),
  );
const specSeed = () =>
  enc(
    ['#F x', '', '#S 1 ascan', '#N 3', '#L Energy  I0  It', ...Array.from({ length: 15 }, (_, i) => `${8900 + i} ${100 + i} ${50 + i}`), '', '#S 2 ascan', '#N 3', '#L Energy  I0  It', ...Array.from({ length: 15 }, (_, i) => `${9000 + i} ${100 + i} ${50 + i}`)].join('\n'),
  );
const prjSeed = () =>
  enc(
    [
      '# Athena project file -- Demeter version 0.9.26',
      '',
      "$old_group = 'abcde';",
      "@args = ('label','s1','npts',12,'bkg_e0','7112','nested',{'a' => [1,2]},'u',undef);",
      `@x = (${Array.from({ length: 12 }, (_, i) => `'${7100 + i}'`).join(',')});`,
      `@y = (${Array.from({ length: 12 }, (_, i) => `'${0.1 * i}'`).join(',')});`,
      '[record]',
      '@journal = ("a \\x{e9}");',
      '1;',
    ].join('\n'),
  );
const jsonPrjSeed = () =>
  enc(JSON.stringify({ _____header1: '# Athena project file -- Demeter version 0.9.26', _____order: ['g1'], g1: { args: { label: 'x' }, x: [1, 2, 3], y: [4, 5, 6] } }));

describe('reader robustness (synthetic seeds)', () => {
  robust('readAscii', () => [asciiSeed()], (b) => readAscii(b, 'f.dat'));
  robust('readXdi', () => [xdiSeed()], (b) => readXdi(b, 'f.xdi'));
  robust('readSpec', () => [specSeed()], (b) => readSpec(b, 'f.spec', { scan: 2 }));
  robust('readAthenaProject', () => [prjSeed(), jsonPrjSeed()], (b) => readAthenaProject(b, 'f.prj'));
  robust('gzip edge', () => [new Uint8Array(gzipSync(Buffer.from(asciiSeed())))], (b) => readColumnFile(b, 'f.dat.gz'));
  robust('loadSpectrum', () => [asciiSeed(), xdiSeed(), specSeed()], (b) => loadSpectrum(b, 'f', { mu: 'ln(i0/itrans)' }));
});

describe.runIf(hasShared())('reader robustness (real shared files)', () => {
  robust('readColumnFile + buildMu on cu_metal_rt.xdi / fexanes_a.001', () => [readSharedBytes('data/xas/xafsdata/cu_metal_rt.xdi'), readSharedBytes('data/xas/xafsdata/fexafs/fexanes_a.001')], (b) => {
      const d = readColumnFile(b, 'real');
      return buildMu(d, { mu: d.labels.includes('mutrans') ? 'mutrans' : 'sum_fe_ka/i0' });
    },
    200,
  );
  robust('readAthenaProject on fe_athena.prj (gzipped)', () => [readSharedBytes('data/xas/xafsdata/fe_athena.prj')], (b) => readAthenaProject(b, 'fe_athena.prj'), 200);
  it('the unmutated seeds read', () => {
    expect(readXdi(xdiSeed(), 'f.xdi').columns[0].length).toBe(30);
    expect(readAthenaProject(prjSeed(), 'f.prj').groups[0].args.nested).toEqual({ a: [1, 2] });
    expect(readSpec(specSeed(), 'f.spec', { scan: 2 }).columns[0][0]).toBe(9000);
  });
});
