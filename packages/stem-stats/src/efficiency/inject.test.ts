import { describe, expect, it } from 'vitest';
import { detectionEfficiency } from './inject';
import { findAtoms } from '../detect/findAtoms';
import type { Image } from '../image';
import { gaussian, mulberry32 } from '../statistics/rng';

function render(seed: number, amp: number) {
  const size = 320;
  const rand = mulberry32(seed);
  const sites: { x: number; y: number }[][] = [];
  while (sites.length < 8) {
    const c = { x: 20 + rand() * 120, y: 20 + rand() * 280 };
    if (sites.some((s) => Math.hypot(s[0].x - c.x, s[0].y - c.y) < 45)) continue;
    sites.push(sites.length % 2 ? [c, { x: c.x + 12.5, y: c.y }] : [c]);
  }
  const data = new Float32Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = 100 + 4 * gaussian(rand);
  for (const s of sites)
    for (const a of s)
      // Within 20 px (≈ 9σ) only: further out the term is < 1e-15 of the support, below float32 resolution.
      for (let y = Math.max(0, Math.floor(a.y - 20)); y <= Math.min(size - 1, Math.ceil(a.y + 20)); y++)
        for (let x = Math.max(0, Math.floor(a.x - 20)); x <= Math.min(size - 1, Math.ceil(a.x + 20)); x++) data[y * size + x] += amp * Math.exp(-((x - a.x) ** 2 + (y - a.y) ** 2) / (2 * 2.25 ** 2));
  const img: Image = { width: size, height: size, data, pixelNm: 0.02, meta: {}, warnings: [] };
  return img;
}

describe('detectionEfficiency', () => {
  it('bright atoms: ε = 1 and the corrected counts equal the observed ones', () => {
    const img = render(1, 80);
    const map = findAtoms(img);
    const e = detectionEfficiency(img, map, {}, { rounds: 1, sitesPerRound: 10 });
    expect(e.observed).toEqual({ nSingles: 4, nPairs: 4, nMultimers: 0 });
    expect(e.single.injected + e.pair.injected).toBeGreaterThanOrEqual(10);
    expect(e.atomDetectionProbability).toBe(1);
    expect(e.corrected!.pairSiteFraction).toBeCloseTo(0.5, 6);
    expect(Math.abs(e.probeSigmaNm - 0.045)).toBeLessThan(0.005);
    const before = img.data.slice();
    detectionEfficiency(img, map, {}, { rounds: 1, sitesPerRound: 3 });
    expect(img.data).toEqual(before); // raw data are never modified
  });
  it('too few atoms: no correction, an explicit warning, no NaN', () => {
    const img: Image = { width: 64, height: 64, data: new Float32Array(64 * 64).fill(3), pixelNm: 0.02, meta: {}, warnings: [] };
    const e = detectionEfficiency(img, findAtoms(img));
    expect(e.corrected).toBeNull();
    expect(e.warnings.join()).toMatch(/too few atoms/);
    expect(JSON.stringify(e)).not.toMatch(/NaN/);
  });
});
