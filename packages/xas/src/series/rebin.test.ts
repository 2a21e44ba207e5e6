import { describe, expect, it } from 'vitest';
import { KTOE, rebinGrid, rebinXafs } from './rebin';

// A quick-EXAFS-like scan: 0.1 eV steps from E0−200 to E0+800.
const e0 = 8979;
const energy = Float64Array.from({ length: 10001 }, (_, i) => e0 - 200 + i * 0.1);
const f = (e: number) => 0.2 + 0.5 * (1 + Math.tanh((e - e0) / 3)) + 0.0001 * (e - e0);

describe('rebinXafs', () => {
  it("builds Larch's three-region grid", () => {
    const g = rebinGrid(energy, { e0 });
    // pre: −200 … −30 step 2 (85 points, last excluded), XANES: −30 … 15 step 0.35 (0.05·int(8979/1250) = 0.35)
    expect(g[0]).toBeCloseTo(e0 - 200, 9);
    expect(g[1] - g[0]).toBeCloseTo(2, 9);
    expect(g[85]).toBeCloseTo(e0 - 30, 9);
    expect(g[86] - g[85]).toBeCloseTo(45 / Math.trunc(0.1 + 45 / 0.35), 9);
    // EXAFS region: uniform in k with 0.05 Å⁻¹ steps (within the rounding of npts).
    const k = (e: number) => Math.sqrt((e - e0) / KTOE);
    const last = g.length - 1;
    expect(k(g[last]) - k(g[last - 1])).toBeCloseTo(0.05, 3);
    expect(g[last]).toBeLessThan(e0 + 800);
  });

  it('boxcar-averages a smooth curve to within its curvature and reduces noise', () => {
    let s = 11;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
    const mu = energy.map((e) => f(e) + rnd());
    const r = rebinXafs(energy, mu, { e0 });
    expect(r.energy.length).toBe(r.mu.length);
    let maxDev = 0;
    for (let i = 0; i < r.energy.length; i++) if (r.energy[i] - e0 < -35 || r.energy[i] - e0 > 20) maxDev = Math.max(maxDev, Math.abs(r.mu[i] - f(r.energy[i])));
    expect(maxDev).toBeLessThan(0.006);
    for (const v of r.deltaMu) expect(Number.isFinite(v)).toBe(true);
  });
});
