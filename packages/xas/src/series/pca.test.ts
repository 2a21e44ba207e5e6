import { describe, expect, it } from 'vitest';
import { pcaFit, pcaReconstruct, pcaTrain, targetTransform } from './pca';

function edge(x: Float64Array, e0: number, wl: number, width: number): Float64Array {
  return x.map((e) => 0.5 + Math.atan((e - e0) / 1.5) / Math.PI + wl * Math.exp(-(((e - e0 - 4) / width) ** 2)));
}
const x = Float64Array.from({ length: 300 }, (_, i) => 7090 + i * 0.3);
const refs = [edge(x, 7112, 0.6, 3), edge(x, 7118, 1.2, 4), edge(x, 7124, 0.3, 6)];
let seed = 3;
const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2e-4;
const fr = [
  [1, 0, 0], [0.8, 0.2, 0], [0.6, 0.3, 0.1], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4],
  [0.2, 0.2, 0.6], [0.1, 0.5, 0.4], [0, 0.6, 0.4], [0, 0.3, 0.7], [0.5, 0, 0.5],
];
const series = fr.map((f, j) => ({ name: `s${j}`, x, y: x.map((_, k) => f[0] * refs[0][k] + f[1] * refs[1][k] + f[2] * refs[2][k] + rnd()) }));

describe('pcaTrain', () => {
  const m = pcaTrain(series);
  it('finds the number of independent components from IND', () => {
    // Mixtures of 3 references summing to one vary in 2 directions around the mean; Larch's IND
    // rule (argmin + 1) lands at 3 or 4 here because the noise eigenvalues are not flat.
    expect(m.eigenvalues[0]).toBeGreaterThan(m.eigenvalues[1]);
    expect(m.cumulativeVariance[2]).toBeGreaterThan(0.99999);
    expect(m.nsig).toBeGreaterThanOrEqual(2);
    expect(m.nsig).toBeLessThanOrEqual(4);
    expect(m.cumulativeVariance[1]).toBeGreaterThan(0.9999);
    expect(m.variances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(m.ind).toHaveLength(series.length - 1);
  });
  it('reconstructs every spectrum to the noise level with 2 components', () => {
    for (const r of pcaReconstruct(m, series, 2)) expect(r.rFactor).toBeLessThan(1e-7);
  });
  it('target transform ranks true references above a foreign one, and recovers a scale', () => {
    const foreign = { name: 'foreign', x, y: edge(x, 7105, 2.0, 2) };
    const tt = targetTransform(m, [foreign, { name: 'r0', x, y: refs[0] }, { name: 'r2', x, y: refs[2].map((v) => v * 1.7) }], 2);
    expect(tt[tt.length - 1].name).toBe('foreign');
    const r2 = tt.find((t) => t.name === 'r2')!;
    expect(r2.scale).toBeCloseTo(1 / 1.7, 3);
    expect(r2.rFactor).toBeLessThan(1e-6);
    expect(pcaFit(m, { x, y: refs[1] }, 2).rFactor).toBeLessThan(1e-6);
  });
  it('refuses too few spectra or disjoint ranges', () => {
    expect(() => pcaTrain(series.slice(0, 2))).toThrow(/at least 3/);
    const far = { name: 'far', x: x.map((v) => v + 1000), y: refs[0] };
    expect(() => pcaTrain([...series, far])).toThrow(/share fewer than 3 points/);
  });
});
