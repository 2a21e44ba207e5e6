// Number dialects users' files really contain: Fortran D exponents and decimal commas where the
// row's separator makes them unambiguous. Each case must give the same mu(E) as the plain file.
import { describe, expect, it } from 'vitest';
import { loadSpectrum } from './index';

const N = 20;
const rows = (fmt: (e: number, m: number) => string) => Array.from({ length: N }, (_, i) => fmt(8000 + i + 0.5, 1 + i / 10)).join('\n');
const plain = loadSpectrum('# energy mu\n' + rows((e, m) => `${e} ${m}`), 'plain.txt', { mu: 'mu' });

describe('number dialects', () => {
  it('reads Fortran D exponents (1.0D+03) as numbers', () => {
    const s = loadSpectrum('# energy mu\n' + rows((e, m) => `${(e / 1000).toFixed(4)}D+03 ${m.toFixed(3)}d0`), 'f.txt', { mu: 'mu' });
    expect(Array.from(s.energy)).toEqual(Array.from(plain.energy));
    for (let i = 0; i < N; i++) expect(s.mu[i]).toBeCloseTo(plain.mu[i], 12);
  });

  it('reads decimal commas in tab- or semicolon-separated rows', () => {
    const tab = loadSpectrum('# energy\tmu\n' + rows((e, m) => `${String(e).replace('.', ',')}\t${m.toFixed(2).replace('.', ',')}`), 't.txt', { mu: 'mu' });
    expect(Array.from(tab.energy)).toEqual(Array.from(plain.energy));
    for (let i = 0; i < N; i++) expect(tab.mu[i]).toBeCloseTo(plain.mu[i], 12);
    // ';' starts a comment in Larch's header rules, so the label line is not split there: name the column.
    const semi = loadSpectrum('# energy mu\n' + rows((e, m) => `${String(e).replace('.', ',')};${m.toFixed(2).replace('.', ',')}`), 's.txt', { mu: 'mu' });
    expect(Array.from(semi.energy)).toEqual(Array.from(plain.energy));
  });

  it('keeps commas as column separators when they are not unambiguous decimal marks', () => {
    // comma-separated with decimal points: Larch's reading (comma = separator)
    const csv = loadSpectrum('# energy mu\n' + rows((e, m) => `${e},${m}`), 'c.csv', { mu: 'mu' });
    expect(Array.from(csv.mu)).toEqual(Array.from(plain.mu));
  });
});
