import { describe, expect, it } from 'vitest';
import { joinNegativeValues, main } from './main';
import { capture } from './testing';

describe('siteproof CLI dispatcher', () => {
  it('lists discovered commands in --help', async () => {
    const c = capture();
    const code = await main(['--help']);
    c.restore();
    expect(code).toBe(0);
    expect(c.out.join('')).toMatch(/version\s+print the siteproof version/);
  });

  it('prints pure JSON on stdout with --json', async () => {
    const c = capture();
    const code = await main(['version', '--json']);
    c.restore();
    expect(code).toBe(0);
    expect(JSON.parse(c.out.join(''))).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('rejects unknown commands and unknown flags with exit code 2 on stderr', async () => {
    const c = capture();
    expect(await main(['frobnicate'])).toBe(2);
    expect(await main(['version', '--nope'])).toBe(2);
    c.restore();
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/unknown command 'frobnicate'/);
    expect(c.err.join('')).toMatch(/--nope/);
  });
});

describe('negative option values', () => {
  it('joins a negative number to its string option, leaves flags alone', () => {
    const spec = { path: ['x'], summary: '', usage: '', options: { pre1: { type: 'string' as const }, json: { type: 'boolean' as const } }, run: () => 0 };
    expect(joinNegativeValues(['f.xdi', '--pre1', '-150', '--json'], spec)).toEqual(['f.xdi', '--pre1=-150', '--json']);
    expect(joinNegativeValues(['--pre1', '-.5'], spec)).toEqual(['--pre1=-.5']);
    expect(joinNegativeValues(['--json', '-3'], spec)).toEqual(['--json', '-3']);
    expect(joinNegativeValues(['--pre1', '--json'], spec)).toEqual(['--pre1', '--json']);
  });
});

describe('outputs never overwrite inputs', () => {
  it('refuses --out pointing at the input file and leaves it unchanged', async () => {
    const { mkdtempSync, copyFileSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'siteproof-out-'));
    const src = path.resolve(__dirname, '../../../examples/xas/ni_sac_example.xdi');
    const input = path.join(dir, 'scan.xdi');
    copyFileSync(src, input);
    const before = readFileSync(input);
    const c = capture();
    const code = await main(['xas', 'normalize', input, '--mu', 'ln(i0/itrans)', '--out', path.join(dir, '.', 'scan.xdi'), '--json']);
    c.restore();
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/refusing to write over an input file/);
    expect(c.out.join('')).toBe('');
    expect(readFileSync(input).equals(before)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
