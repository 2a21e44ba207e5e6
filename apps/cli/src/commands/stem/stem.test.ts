import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeTiff, mulberry32 } from '@siteproof/stem-stats';
import { main } from '../../main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((t: any) => (out.push(String(t)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((t: any) => (err.push(String(t)), true));
  return { out, err, restore: () => (so.mockRestore(), se.mockRestore()) };
}

/** 256² image: 4 single atoms and 4 pairs (0.25 nm) on 100 counts with a little noise. */
function image(): number[] {
  const size = 256;
  const rand = mulberry32(7);
  const atoms: [number, number][] = [];
  for (let k = 0; k < 8; k++) {
    const cx = 40 + (k % 4) * 55;
    const cy = 60 + Math.floor(k / 4) * 120;
    atoms.push([cx, cy]);
    if (k % 2) atoms.push([cx + 12.5, cy]);
  }
  const d: number[] = [];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let v = 100 + 6 * (rand() - 0.5);
      for (const [ax, ay] of atoms) v += 80 * Math.exp(-((x - ax) ** 2 + (y - ay) ** 2) / (2 * 2.25 ** 2));
      d.push(Math.round(v));
    }
  return d;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'siteproof-stem-'));
  const d = image();
  writeFileSync(path.join(dir, 'cal.tif'), writeTiff(d, 256, 256, { type: 'uint16', pixelNm: 0.02 }));
  writeFileSync(path.join(dir, 'uncal.tif'), writeTiff(d, 256, 256, { type: 'uint16' }));
  const b = writeTiff(d, 256, 256, { type: 'uint16' });
  writeFileSync(path.join(dir, 'cut.tif'), b.subarray(0, 2000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siteproof stem atoms / pairs', () => {
  it('stem atoms --json: pixel size, noise and 12 atoms with positions in px and nm', async () => {
    const c = capture();
    const code = await main(['stem', 'atoms', path.join(dir, 'cal.tif'), '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.pixelNm).toBeCloseTo(0.02, 9);
    expect([doc.width, doc.height]).toEqual([256, 256]);
    expect(doc.noiseSigma).toBeGreaterThan(0);
    expect(doc.atoms).toHaveLength(12);
    for (const a of doc.atoms) expect(a.xNm).toBeCloseTo(a.x * 0.02, 9);
  });

  it('refuses an uncalibrated image without --pixel-nm (exit 1, hint on stderr), accepts it with', async () => {
    const c = capture();
    expect(await main(['stem', 'atoms', path.join(dir, 'uncal.tif'), '--json'])).toBe(1);
    expect(await main(['stem', 'atoms', path.join(dir, 'uncal.tif'), '--pixel-nm', '0.02', '--json'])).toBe(0);
    c.restore();
    expect(c.err.join('')).toMatch(/--pixel-nm/);
  });

  it('a truncated TIFF is a clean error, not a crash', async () => {
    const c = capture();
    const code = await main(['stem', 'atoms', path.join(dir, 'cut.tif'), '--pixel-nm', '0.02']);
    c.restore();
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/cut\.tif.*truncated|cut\.tif/);
  });

  it('stem pairs --json --out: both fractions, intervals, corrected, and CSV/JSON/SVG files', async () => {
    const out = path.join(dir, 'out');
    const c = capture();
    const code = await main(['stem', 'pairs', path.join(dir, 'cal.tif'), '--json', '--out', out, '--correct-rounds', '1']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect(doc).toMatchObject({ nAtoms: 12, nSites: 8, nPairs: 4, nSingles: 4, nMultimers: 0, maxPairNm: 0.35 });
    expect(doc.pairSiteFraction).toBeCloseTo(0.5, 12);
    expect(doc.atomsInPairsFraction).toBeCloseTo(8 / 12, 12);
    expect(doc.ci95.pairSiteFraction.wilson).toHaveLength(2);
    expect(doc.meanPairDistanceNm).toBeCloseTo(0.25, 2);
    expect(doc.corrected.pairSiteFraction).toBeCloseTo(0.5, 6);
    expect(typeof doc.randomExpectedPairs).toBe('number');
    expect(readdirSync(out).sort()).toEqual(['atoms.csv', 'cal_pairs.svg', 'pairs.json']);
    const csv = readFileSync(path.join(out, 'atoms.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(13);
    expect(readFileSync(path.join(out, 'cal_pairs.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<circle[\s\S]*<\/svg>$/);
  });

  it('rejects a bad --max-pair-nm with a validation error', async () => {
    const c = capture();
    const code = await main(['stem', 'pairs', path.join(dir, 'cal.tif'), '--max-pair-nm=-1']);
    c.restore();
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/maxPairNm/);
  });

  it('auto scales by default (measured atom σ and chosen settings in --json and in the human output); --no-auto gives the fixed ones', async () => {
    const c = capture();
    expect(await main(['stem', 'atoms', path.join(dir, 'cal.tif'), '--json'])).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    c.out.length = 0;
    expect(await main(['stem', 'atoms', path.join(dir, 'cal.tif'), '--json', '--no-auto'])).toBe(0);
    const fixed = JSON.parse(c.out.join(''));
    c.out.length = 0;
    expect(await main(['stem', 'atoms', path.join(dir, 'cal.tif'), '--smooth-nm', '0.03'])).toBe(0);
    const human = c.out.join('');
    c.out.length = 0;
    expect(await main(['stem', 'pairs', path.join(dir, 'cal.tif'), '--json', '--correct-rounds', '1'])).toBe(0);
    const pairs = JSON.parse(c.out.join(''));
    c.restore();
    // The image's atoms are Gaussians of σ 2.25 px = 0.045 nm.
    expect(doc.auto.ok).toBe(true);
    expect(Math.abs(doc.auto.atomSigmaNm / 0.045 - 1)).toBeLessThan(0.1);
    expect(doc.settings.smoothSigmaNm).toBe(doc.auto.chosen.smoothSigmaNm);
    expect(doc.atoms).toHaveLength(12);
    expect(fixed.auto).toBeNull();
    expect(fixed.settings).toMatchObject({ smoothSigmaNm: 0.02, minSeparationNm: 0.08, kSigma: 5 });
    expect(fixed.atoms).toHaveLength(12);
    expect(human).toMatch(/auto scales: atom σ 0\.04\d* nm .*→ smoothing 0\.03 nm .*\(kept as given: smoothSigmaNm\)/);
    expect(pairs.detection[0].auto.ok).toBe(true);
    expect(pairs.corrected.pairSiteFraction).toBeCloseTo(0.5, 6);
  });
});
