import { describe, expect, it } from 'vitest';
import { ValidationError } from '@siteproof/core';
import { preEdge } from '../normalize';
import { autobk } from './autobk';
import { ETOK } from './constants';
import { EXAFS_DEFAULTS, exafsPipeline } from './pipeline';
import { xftf } from './xftf';

// Synthetic μ(E) (edge, decaying atomic background, one shell at 2.5 Å) with a seeded ripple so
// that each copy differs. exafsPipeline without options takes an internal path (defaults parsed
// once, arrays validated by preEdge only); with the defaults spelled out it takes the public one.
// Both must give the same bits as preEdge → autobk → xftf called one by one.
const E0 = 8979;
const energy: number[] = [];
for (let e = E0 - 150; e < E0 - 20; e += 5) energy.push(e);
for (let e = E0 - 20; e < E0 + 30; e += 0.5) energy.push(e);
for (let k = Math.sqrt(30 * ETOK); k < 15; k += 0.05) energy.push(E0 + (k * k) / ETOK);
const kOf = (e: number) => (e > E0 ? Math.sqrt(ETOK * (e - E0)) : 0);
const chiTrue = (k: number) => (k > 0.5 ? (0.3 * Math.sin(2 * k * 2.5) * Math.exp(-0.01 * k * k)) / k : 0);
const mu0 = (e: number) => 0.2 - 1e-5 * (e - E0) + (1.0 + 0.1 * Math.exp(-(e - E0) / 400)) * (0.5 + Math.atan((e - E0) / 2) / Math.PI);
const spectrum = (c: number) => Float64Array.from(energy, (e, i) => mu0(e) + chiTrue(kOf(e)) + 1e-4 * Math.sin(0.7 * i * (c + 1)));

const fields = ['energy', 'bkg', 'k', 'chi', 'r', 'chirMag', 'chirRe', 'chirIm', 'kwin'] as const;

describe('exafsPipeline', () => {
  it('gives the same bits without options (internal path) as with the defaults spelled out and as the three calls', () => {
    for (let c = 0; c < 3; c++) {
      const mu = spectrum(c);
      const fast = exafsPipeline(energy, mu);
      const general = exafsPipeline(energy, mu, { preEdge: {}, autobk: { ...EXAFS_DEFAULTS.autobk }, xftf: { ...EXAFS_DEFAULTS.xftf } });
      const pre = preEdge(energy, mu);
      const bk = autobk(pre.energy, pre.mu, { ...EXAFS_DEFAULTS.autobk, e0: pre.e0, edgeStep: pre.edgeStep });
      const ft = xftf(bk.k, bk.chi, EXAFS_DEFAULTS.xftf);
      expect(fast.e0).toBe(pre.e0);
      expect(fast.edgeStep).toBe(pre.edgeStep);
      for (const f of fields) expect(fast[f]).toEqual(general[f]);
      expect(fast.chi).toEqual(bk.chi);
      expect(fast.chirMag).toEqual(ft.chirMag);
      expect(JSON.stringify(fast.autobk)).toBe(JSON.stringify(bk));
      expect(fast.chi.every(Number.isFinite) && fast.chirMag.every(Number.isFinite)).toBe(true);
    }
  });

  it('still rejects bad arrays on the internal path (preEdge validates them)', () => {
    const mu = spectrum(0);
    mu[200] = NaN;
    expect(() => exafsPipeline(energy, mu)).toThrow(ValidationError);
    expect(() => exafsPipeline(energy.slice(0, 50), spectrum(0))).toThrow(ValidationError);
  });
});
