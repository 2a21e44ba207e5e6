// Known truth: XANES-like curves (edge step + white line), data = mixture of two single-atom
// references (+ a pair component or not) with seeded noise.
import { describe, expect, it } from 'vitest';
import { noiseFromSecondDifferences, seededNormal, xanesEvidence } from '@siteproof/evidence';

const x = Float64Array.from({ length: 301 }, (_, i) => 7100 + i * 0.5);
const curve = (e0: number, wl: number, w: number) => x.map((e) => 0.5 + Math.atan((e - e0) / 2) / Math.PI + wl * Math.exp(-(((e - e0 - 6) / w) ** 2)));
const refA = { name: 'FeN4', x, y: curve(7120, 0.6, 4) };
const refB = { name: 'FeN4Cl', x, y: curve(7123, 0.9, 3) };
const pair = { name: 'FeCu pair', x, y: curve(7118, 0.3, 6).map((v, i) => v + 0.15 * Math.sin((x[i] - 7100) / 5)) };
function mix(wa: number, wb: number, wp: number, noise: number, seed: number) {
  const g = seededNormal(seed);
  return { x, y: x.map((_, i) => wa * refA.y[i] + wb * refB.y[i] + wp * pair.y[i] + noise * g.normal()) };
}

describe('XANES LCF evidence', () => {
  it('noise from second differences recovers σ of white noise to 5 %', () => {
    const g = seededNormal(3);
    const r = Array.from({ length: 2000 }, () => 0.01 * g.normal());
    expect(Math.abs(noiseFromSecondDifferences(r) / 0.01 - 1)).toBeLessThan(0.05);
  });
  it('single-atom mixture: references suffice, pair weight consistent with 0 → single', () => {
    const ev = xanesEvidence(mix(0.6, 0.4, 0, 0.003, 1), [refA, refB], pair);
    expect(ev.single.p).toBeGreaterThan(0.05);
    expect(ev.row.supports).toBe('single');
  });
  it('mixture with 30 % pair component: needs it → pair, weight recovered', () => {
    const ev = xanesEvidence(mix(0.4, 0.3, 0.3, 0.003, 2), [refA, refB], pair);
    expect(ev.single.p).toBeLessThan(1e-6);
    expect(ev.withPair!.p).toBeLessThan(1e-6);
    expect(Math.abs(ev.withPair!.weight - 0.3)).toBeLessThan(0.03);
    expect(ev.row.supports).toBe('pair');
  });
  it('without a pair reference the row is never decisive', () => {
    expect(xanesEvidence(mix(0.4, 0.3, 0.3, 0.003, 2), [refA, refB], null).row.supports).toBe('inconclusive');
    expect(xanesEvidence(mix(0.6, 0.4, 0, 0.003, 1), [refA, refB], null).row.supports).toBe('inconclusive');
  });
});
