// Bad input: each case gives a typed error from @siteproof/core that names the file and, where a
// line exists, the line (and column for a cell). Inputs are never modified.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { LimitError, ParseError, SiteproofError, UnsupportedError, ValidationError } from '@siteproof/core';
import { buildMu, loadSpectrum, readAscii, readColumnFile, readXdi } from '@siteproof/xas';
import { describeShared, itShared, readSharedBytes } from '../helpers/shared';

function table(n: number, f: (i: number) => string = (i) => `${8900 + i} ${1000 + i} ${500 + i}`): string {
  return ['# energy i0 itrans', ...Array.from({ length: n }, (_, i) => f(i))].join('\n') + '\n';
}

function caught(fn: () => unknown): SiteproofError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SiteproofError) return e;
    throw new Error(`expected a SiteproofError, got ${String(e)}`);
  }
  throw new Error('expected an error, none thrown');
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('bad input → typed errors naming file and line', () => {
  it('empty file', () => {
    for (const text of ['', '\n\n  \n']) {
      const e = caught(() => loadSpectrum(enc(text), 'empty.dat'));
      expect(e).toBeInstanceOf(ParseError);
      expect(e.location).toMatchObject({ file: 'empty.dat', line: 1 });
      expect(e.message).toMatch(/^empty\.dat:1: empty file/);
    }
  });
  it('header only', () => {
    const e = caught(() => loadSpectrum(enc('# my scan\n# energy i0 itrans\n'), 'hdr.dat'));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location.file).toBe('hdr.dat');
    expect(e.location.line).toBeGreaterThan(0);
    expect(e.message).toMatch(/no numeric data/);
  });
  it('non-numeric cell inside the table: line and column', () => {
    const text = table(20, (i) => (i === 7 ? `${8900 + i} abc ${500 + i}` : `${8900 + i} ${1000 + i} ${500 + i}`));
    const e = caught(() => readAscii(text, 'cell.dat'));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'cell.dat', line: 9, column: 2 });
    expect(e.message).toContain("'abc'");
  });
  it('bad number (1.2.3) in an XDI table: line and column', () => {
    const xdi = `# XDI/1.0\n# Column.1: energy eV\n# Column.2: mutrans\n# Element.symbol: Cu\n# Element.edge: K\n#----\n# energy mutrans\n${Array.from({ length: 12 }, (_, i) => `${8900 + i} ${i === 3 ? '1.2.3' : 0.1 * i}`).join('\n')}\n`;
    const e = caught(() => readXdi(xdi, 'b.xdi'));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'b.xdi', line: 11, column: 2 });
  });
  it('ragged rows', () => {
    const text = table(20, (i) => (i === 12 ? `${8900 + i} ${1000 + i}` : `${8900 + i} ${1000 + i} ${500 + i}`));
    const e = caught(() => readColumnFile(enc(text), 'ragged.dat'));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'ragged.dat', line: 14 });
    expect(e.message).toMatch(/ragged row: 2 values where the table has 3 columns/);
  });
  it('non-monotonic energies (strict default): line named; larch policy sorts with a warning', () => {
    const text = table(20, (i) => `${i === 10 ? 8905.5 : 8900 + i} ${1000 + i} ${500 + i}`);
    const e = caught(() => loadSpectrum(enc(text), 'nonmono.dat', { mu: 'ln(i0/itrans)' }));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'nonmono.dat', line: 12, field: 'energy' });
    expect(e.message).toMatch(/decreasing energy 8905\.5 after 8909/);
    const s = loadSpectrum(enc(text), 'nonmono.dat', { mu: 'ln(i0/itrans)', energyPolicy: 'larch' });
    for (let i = 1; i < s.energy.length; i++) expect(s.energy[i]).toBeGreaterThan(s.energy[i - 1]);
    expect(s.warnings.join()).toMatch(/re-ordered/);
  });
  it('duplicated energies: line named; larch policy offsets repeats by 0.0005 eV (remove_dups)', () => {
    const text = table(20, (i) => `${i === 6 ? 8905 : 8900 + i} ${1000 + i} ${500 + i}`);
    const e = caught(() => loadSpectrum(enc(text), 'dup.dat', { mu: 'ln(i0/itrans)' }));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'dup.dat', line: 8 });
    expect(e.message).toMatch(/repeated energy 8905/);
    const s = loadSpectrum(enc(text), 'dup.dat', { mu: 'ln(i0/itrans)', energyPolicy: 'larch' });
    expect(s.energy[6] - s.energy[5]).toBeCloseTo(0.0005, 10);
  });
  it('a wholly descending scan is reversed with a warning (not an error)', () => {
    const text = table(20, (i) => `${8919 - i} ${1000 + i} ${500 + i}`);
    const s = loadSpectrum(enc(text), 'desc.dat', { mu: 'ln(i0/itrans)' });
    expect(s.energy[0]).toBe(8900);
    expect(s.mu[0]).toBeCloseTo(Math.log(1019 / 519), 12);
    expect(s.warnings.join()).toMatch(/descending/);
  });
  it('NaN / Inf in mu: line named', () => {
    const text = table(20, (i) => `${8900 + i} ${1000 + i} ${i === 4 ? 'nan' : i === 9 ? 'inf' : 500 + i}`);
    const d = readAscii(text, 'nan.dat');
    expect(d.warnings.join()).toMatch(/nan\.dat:6: non-finite/);
    const e = caught(() => buildMu(d, { mu: 'ln(i0/itrans)' }));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'nan.dat', line: 6, field: 'mu' });
    // a zero under ln() gives -Inf at its line, also an error
    const z = table(20, (i) => `${8900 + i} ${i === 2 ? 0 : 1000 + i} ${500 + i}`);
    expect(caught(() => loadSpectrum(z, 'zero.dat', { mu: 'ln(i0/itrans)' })).location).toMatchObject({ file: 'zero.dat', line: 4 });
  });
  it('fewer than 10 points', () => {
    const e = caught(() => loadSpectrum(table(9), 'short.dat', { mu: 'ln(i0/itrans)' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.location.file).toBe('short.dat');
    expect(e.message).toMatch(/only 9 data points/);
  });
  it('missing column in the mu expression: names it and lists the columns', () => {
    const e = caught(() => loadSpectrum(table(20), 'cols.dat', { mu: 'ln(i0/itrns)' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.location).toMatchObject({ file: 'cols.dat', field: 'mu' });
    expect(e.message).toMatch(/unknown column 'itrns'.*available columns: energy, i0, itrans/);
  });
  it('no mu column and no expression: lists the columns', () => {
    const e = caught(() => loadSpectrum(table(20), 'nomu.dat'));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toMatch(/no mu column \(mu, xmu, mutrans, mufluor\).*energy, i0, itrans/);
  });
  it('expression syntax errors are ValidationErrors with the position', () => {
    const e = caught(() => loadSpectrum(table(20), 'x.dat', { mu: 'ln(i0/itrans' }));
    expect(e.message).toMatch(/missing '\)'/);
    expect(e.location).toMatchObject({ file: 'x.dat', field: 'mu' });
    expect(caught(() => loadSpectrum(table(20), 'x.dat', { mu: 'i0 ; itrans' })).message).toMatch(/position 4/);
    expect(caught(() => loadSpectrum(table(20), 'x.dat', { mu: 'eval(i0)' })).message).toMatch(/unknown function 'eval'/);
  });
  it('unknown XDI version', () => {
    const e = caught(() => readColumnFile(enc('# XDI/2.0 future\n# Column.1: energy\n#---\n1 2\n'), 'v2.xdi'));
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e.location).toMatchObject({ file: 'v2.xdi', line: 1 });
    expect(e.message).toMatch(/unknown XDI version '2\.0'/);
  });
  it('truncated gzip', () => {
    const gz = new Uint8Array(gzipSync(Buffer.from(table(200))));
    const e = caught(() => readColumnFile(gz.subarray(0, gz.length - 30), 'cut.dat.gz'));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'cut.dat.gz', line: 1 });
    expect(e.message).toMatch(/truncated gzip/);
  });
  it('gzip bomb: decompressed-size cap → LimitError', () => {
    const gz = new Uint8Array(gzipSync(Buffer.alloc(5_000_000, 0x20)));
    const e = caught(() => readColumnFile(gz, 'bomb.gz', { maxBytes: 1_000_000 }));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.location.file).toBe('bomb.gz');
  });
  it('inputs are never modified', () => {
    const bytes = enc(table(30, (i) => `${8929 - i} ${1000 + i} ${500 + i}`));
    const copy = bytes.slice();
    const d = readColumnFile(bytes, 'x.dat');
    const col0 = d.columns[0].slice();
    buildMu(d, { mu: 'ln(i0/itrans)' });
    expect(bytes).toEqual(copy);
    expect(d.columns[0]).toEqual(col0);
  });
  it('unknown options are rejected by the schema', () => {
    expect(() => loadSpectrum(table(20), 'x.dat', { mu: 'i0', bogus: 1 } as never)).toThrow(ValidationError);
  });
});

describeShared('duplicate/backwards energies in real beamline files', () => {
  itShared('APS10BM_2019.dat repeats its first energy: strict → error at the line; larch → remove_dups', () => {
    const rel = 'data/xas/xafsdata/beamlines/APS10BM_2019.dat';
    const bytes = readSharedBytes(rel);
    const e = caught(() => loadSpectrum(bytes, 'APS10BM_2019.dat', { mu: 'ln(io/it)' }));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toMatchObject({ file: 'APS10BM_2019.dat', line: 20 });
    const s = loadSpectrum(bytes, 'APS10BM_2019.dat', { mu: 'ln(io/it)', energyPolicy: 'larch' });
    expect(s.energy[1] - s.energy[0]).toBeCloseTo(0.0005, 9);
    expect(s.energy[2] - s.energy[0]).toBeCloseTo(0.001, 9);
  });
});

describe('text decoding at the edge', () => {
  const body = '# énergie i0 itrans\r\n' + Array.from({ length: 12 }, (_, i) => `${8900 + i}\t${1000 + i}\t${500 + i}`).join('\r\n') + '\r\n';
  const utf16 = (s: string, le: boolean) => {
    const out = new Uint8Array(2 + 2 * s.length);
    out[0] = le ? 0xff : 0xfe;
    out[1] = le ? 0xfe : 0xff;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[2 + 2 * i] = le ? c & 0xff : c >> 8;
      out[3 + 2 * i] = le ? c >> 8 : c & 0xff;
    }
    return out;
  };
  const latin1 = Uint8Array.from(body, (c) => c.charCodeAt(0));
  const utf8bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(body)]);
  for (const [name, bytes] of [
    ['utf-8', enc(body)],
    ['utf-8 with BOM', utf8bom],
    ['utf-16le BOM', utf16(body, true)],
    ['utf-16be BOM', utf16(body, false)],
    ['latin-1', latin1],
    ['gzip', new Uint8Array(gzipSync(Buffer.from(body)))],
  ] as const) {
    it(`${name}, CRLF`, () => {
      const d = readColumnFile(bytes, name);
      // Larch's fix_varname prefixes '_' to a label not starting with an ASCII letter
      expect(d.labels).toEqual(['_énergie', 'i0', 'itrans']);
      expect(d.columns[0].length).toBe(12);
      expect(d.columns[2][11]).toBe(511);
      expect(d.header[0]).toBe('énergie i0 itrans');
    });
  }
});

describeShared('backwards energy in a real beamline file', () => {
  itShared('SLS_PHOENIX_2023.dat steps back once at line 181: strict names it; larch sorts', () => {
    const bytes = readSharedBytes('data/xas/xafsdata/beamlines/SLS_PHOENIX_2023.dat');
    const mu = 'mgka_sum_cps_c2/i0_keithley1_c4';
    const e = caught(() => loadSpectrum(bytes, 'SLS_PHOENIX_2023.dat', { mu }));
    expect(e.location).toMatchObject({ file: 'SLS_PHOENIX_2023.dat', line: 181, field: 'energy_c1' });
    const s = loadSpectrum(bytes, 'SLS_PHOENIX_2023.dat', { mu, energyPolicy: 'larch' });
    for (let i = 1; i < s.energy.length; i++) expect(s.energy[i]).toBeGreaterThan(s.energy[i - 1]);
  });
});
