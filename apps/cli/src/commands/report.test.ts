// `siteproof report` through the dispatcher: bad input (unreadable and unknown files are listed
// as skipped with their reason, the rest of the report is still made), an empty folder (clear
// message, non-zero exit), and --json output. The full example report is tested in tests/report.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main';
import { REPO_ROOT } from '../../../../tests/helpers/shared';
import { capture } from '../testing';

describe('siteproof report (CLI)', () => {
  it('an empty folder: clear message on stderr, exit code 1, nothing on stdout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-empty-'));
    const c = capture();
    const code = await main(['report', dir, '--out', path.join(dir, 'out'), '--quiet']);
    c.restore();
    expect(code).toBe(1);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/no data files found/);
    expect(existsSync(path.join(dir, 'out', 'report.html'))).toBe(false);
  });

  it('a folder that does not exist: exit code 1', async () => {
    const c = capture();
    const code = await main(['report', path.join(tmpdir(), 'sp-does-not-exist-xyz'), '--quiet']);
    c.restore();
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/no such folder/);
  });

  it('bad files are skipped with their reason, the rest is reported (--json)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-bad-'));
    mkdirSync(path.join(dir, 'xas'));
    writeFileSync(path.join(dir, 'xas', 'broken.xdi'), '# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n#----\n# energy i0\n8900 abc\n');
    writeFileSync(path.join(dir, 'truncated.tif'), new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 1]));
    writeFileSync(path.join(dir, 'notes.md'), 'lab notes\n');
    copyFileSync(path.join(REPO_ROOT, 'examples/experiment/tofsims/nc_control_pos.txt'), path.join(dir, 'nc_control_pos.txt'));
    const out = path.join(dir, 'report');
    const c = capture();
    const code = await main(['report', dir, '--out', out, '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.report).toBe(path.join(out, 'report.html'));
    const skipped = Object.fromEntries(doc.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]));
    expect(skipped['xas/broken.xdi']).toMatch(/xas\/broken\.xdi/);
    expect(skipped['truncated.tif']).toMatch(/truncated\.tif/);
    expect(doc.figures).toContain('tofsims-compare');
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.files.find((f: { file: string }) => f.file === 'notes.md')).toMatchObject({ status: 'ignored' });
    expect(results.tofsims.spectra).toHaveLength(1);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('Skipped files (2)');
    expect(html).toContain('broken.xdi');
    expect(readFileSync(path.join(out, 'skipped_files.csv'), 'utf8')).toMatch(/truncated\.tif,haadf,skipped,/);
  }, 120_000);

  it('refuses to write the report over an input file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-over-'));
    copyFileSync(path.join(REPO_ROOT, 'examples/experiment/tofsims/nc_control_pos.txt'), path.join(dir, 'nc_control_pos.txt'));
    // a CSV table named like an input in the output folder = the input folder itself
    writeFileSync(path.join(dir, 'results.json'), '{"paths": [}');
    const c = capture();
    const code = await main(['report', dir, '--out', dir, '--quiet']);
    c.restore();
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/refusing to write over an input file/);
    expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).toBe('{"paths": [}');
  }, 120_000);
});
