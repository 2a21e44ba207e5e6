import { describe, expect, it } from 'vitest';
import { makeProgress } from './progress';
import { toCsv } from './tables';
import { specJson } from './html';

describe('progress bars', () => {
  it('draw one bar per stage in place when enabled, ending each stage with a newline', () => {
    const out: string[] = [];
    const p = makeProgress(true, (s) => out.push(s), 80);
    p.stage('spectra', 4);
    p.tick();
    p.tick(3);
    p.stage('fits', 1);
    p.done();
    const text = out.join('');
    expect(text).toMatch(/\rspectra\s+\[#+\]\s+4\/4 [\d.]+s\n/);
    expect(text).toMatch(/\rfits\s+\[#+\]\s+1\/1 [\d.]+s\n$/);
    expect(text.split('\n').length).toBe(3);
  });

  it('write nothing when disabled (--quiet or stderr not a terminal)', () => {
    const out: string[] = [];
    const p = makeProgress(false, (s) => out.push(s));
    p.stage('x', 2);
    p.tick(2);
    p.done();
    expect(out).toEqual([]);
  });
});

describe('CSV and embedded JSON', () => {
  it('quotes cells with commas, quotes or newlines; empty for missing values', () => {
    expect(toCsv({ id: 't', file: 't.csv', title: '', columns: ['a', 'b,c'], rows: [['x "y"', null], [1.5, true]] })).toBe('a,"b,c"\n"x ""y""",\n1.5,true\n');
  });
  it('turns typed arrays into arrays, NaN into null, and cannot close the script element', () => {
    const s = specJson({ a: Float64Array.from([1, NaN, 1 / 3]), t: '</script>' });
    expect(JSON.parse(s)).toEqual({ a: [1, null, 0.333333], t: '</script>' });
    expect(s).not.toContain('</script>');
  });
});
