// End to end: example folders with a known truth (scripts/examples/verdict.ts) through
// `siteproof verdict DIR [--json]`.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { writeVerdictExample } from '../../../../scripts/examples/verdict';
import { capture } from '../testing';

describe('siteproof verdict', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'verdict-'));
    writeVerdictExample(path.join(root, 'dual'), 'dual');
    writeVerdictExample(path.join(root, 'unclear'), 'unclear');
    rmSync(path.join(root, 'unclear', 'fit-alt-Fe-S.json')); // one alternative is enough here (keeps the test fast)
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('dual-atom folder: every row supports pairs, overall dual-atom (JSON on stdout only)', async () => {
    const c = capture();
    const code = await main(['verdict', path.join(root, 'dual'), '--json']);
    c.restore();
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.overall).toBe('dual-atom');
    expect(doc.rows.map((r: { technique: string }) => r.technique)).toEqual(['EXAFS', 'EXAFS wavelet', 'HAADF-STEM', 'ToF-SIMS']);
    for (const r of doc.rows) expect(r.supports).toBe('pair');
    const exafs = doc.rows[0];
    expect(exafs.p).toBeLessThan(1e-3);
    expect(Object.keys(exafs.details.deltaBic).sort()).toEqual(['Fe-Cl', 'Fe-S']);
    // Fe/Cu cannot be told apart by Z contrast at SNR 8: the HAADF row says so
    expect(doc.rows[2].caveats.join(' ')).toMatch(/Fe\/Cu Z-contrast ratio 1.2 is below what this SNR \(8\) can separate/);
  });

  it('noisy χ(k), dense layout, no SIMS control: inconclusive, readable table', async () => {
    const c = capture();
    const code = await main(['verdict', path.join(root, 'unclear')]);
    c.restore();
    expect(code).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/^Verdict: INCONCLUSIVE/);
    expect(text).toMatch(/by chance alone/);
    expect(text).toMatch(/no single-atom control/);
  });

  it('an empty folder is a clear error, a bad config names its field', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const c = capture();
    expect(await main(['verdict', empty])).not.toBe(0);
    writeFileSync(path.join(empty, 'siteproof.json'), JSON.stringify({ verdict: { haadf: { atoms: 'atoms.csv' } } }));
    expect(await main(['verdict', empty])).not.toBe(0);
    c.restore();
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toMatch(/no evidence/);
    expect(c.err.join('')).toMatch(/widthNm/);
  });
});
