// Encodings and dialects users really produce, through loadSpectrum (XAS) and readAsciiSpectrum
// (ToF-SIMS): each variant must give the same numbers as the plain file.
import { describe, expect, it } from 'vitest';
import { isSiteproofError } from '@siteproof/core';
import { loadSpectrum } from '@siteproof/xas';
import { readAsciiSpectrum } from '@siteproof/tofsims';

const rows = Array.from({ length: 20 }, (_, i) => [8900 + 2 * i, 1e5 + i, 4e4 + 7 * i]);
const plain = ['# energy i0 itrans', ...rows.map((r) => r.join(' '))].join('\n');
const enc = (s: string) => new TextEncoder().encode(s);
function utf16(s: string, le: boolean): Uint8Array {
  const out = new Uint8Array(2 + 2 * s.length);
  out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) new DataView(out.buffer).setUint16(2 + 2 * i, s.charCodeAt(i), le);
  return out;
}
const ref = loadSpectrum(enc(plain), 'plain.dat', { mu: 'ln(i0/itrans)' });

describe('XAS dialects give the plain file’s mu(E)', () => {
  const variants: Record<string, Uint8Array> = {
    CRLF: enc(plain.replace(/\n/g, '\r\n')),
    'UTF-8 BOM': enc(`\ufeff${plain}`),
    'UTF-16LE BOM': utf16(plain, true),
    'UTF-16BE BOM': utf16(plain, false),
    tabs: enc(plain.replace(/ /g, '\t').replace('#\t', '# ')),
    commas: enc(['# energy,i0,itrans', ...rows.map((r) => r.join(','))].join('\n')),
    'Latin-1 µ in the header': Uint8Array.from([...enc('# sample 5 '), 0xb5, ...enc(`m thick\n${plain}`)]),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    it(name, () => {
      const s = loadSpectrum(bytes, `${name}.dat`, { mu: 'ln(i0/itrans)' });
      expect(Array.from(s.energy)).toEqual(Array.from(ref.energy));
      for (let i = 0; i < s.mu.length; i++) expect(s.mu[i]).toBeCloseTo(ref.mu[i], 12);
    });
  }
  it('descending scan is reversed with a warning', () => {
    const desc = ['# energy i0 itrans', ...[...rows].reverse().map((r) => r.join(' '))].join('\n');
    const s = loadSpectrum(enc(desc), 'desc.dat', { mu: 'ln(i0/itrans)' });
    expect(Array.from(s.energy)).toEqual(Array.from(ref.energy));
    expect(s.warnings.join(' ')).toMatch(/descending/);
  });
  it("duplicated energy: the strict default refuses with a typed error naming energyPolicy; 'larch' offsets it", () => {
    const dup = ['# energy i0 itrans', ...rows.map((r, i) => (i === 5 ? [rows[4][0], r[1], r[2]] : r).join(' '))].join('\n');
    let err: unknown;
    try {
      loadSpectrum(enc(dup), 'dup.dat', { mu: 'ln(i0/itrans)' });
    } catch (e) {
      err = e;
    }
    expect(isSiteproofError(err)).toBe(true);
    expect(String((err as Error).message) + String((err as { hint?: string }).hint)).toMatch(/energyPolicy/);
    const s = loadSpectrum(enc(dup), 'dup.dat', { mu: 'ln(i0/itrans)', energyPolicy: 'larch' });
    for (let i = 1; i < s.energy.length; i++) expect(s.energy[i]).toBeGreaterThan(s.energy[i - 1]);
  });
});

describe('ToF-SIMS ASCII dialects', () => {
  const body = Array.from({ length: 10 }, (_, i) => [(1 + 0.5 * i).toFixed(3), 10 * i]);
  const base = readAsciiSpectrum(['# Mass (u)\tIntensity', ...body.map((r) => r.join('\t'))].join('\n'), 'a.txt');
  for (const [name, text] of [
    ['UTF-8 BOM + commas', `\ufeffm/z,Intensity\n${body.map((r) => r.join(',')).join('\n')}`],
    ['CRLF + semicolons', ['m/z;Intensity', ...body.map((r) => r.join(';'))].join('\r\n')],
  ] as const) {
    it(name, () => {
      const s = readAsciiSpectrum(enc(text), 'b.txt');
      expect(Array.from(s.mz)).toEqual(Array.from(base.mz));
      expect(Array.from(s.intensity)).toEqual(Array.from(base.intensity));
    });
  }
});
