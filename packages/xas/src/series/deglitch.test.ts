import { describe, expect, it } from 'vitest';
import { deglitch, findSpikes, indicesNearest, removePoints } from './deglitch';
import { truncate } from './truncate';

function noisyEdge(n: number): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => 8300 + i * 0.7);
  let s = 7;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.004;
  const y = x.map((e) => 0.5 + Math.atan((e - 8333) / 2) / Math.PI + 0.05 * Math.sin((e - 8333) / 6) + rnd());
  return { x, y };
}

describe('deglitch', () => {
  it('finds planted spikes and nothing else', () => {
    const s = noisyEdge(400);
    const glitches = [37, 180, 181, 333];
    for (const g of glitches) s.y[g] += 0.08 * (g % 2 ? -1 : 1);
    const found = findSpikes(s.y);
    expect(found).toEqual(glitches);
    const { spectrum, removed } = deglitch(s);
    expect(removed).toEqual(glitches);
    expect(spectrum.x).toHaveLength(396);
    expect(s.x).toHaveLength(400); // raw untouched
  });

  it('removes chosen points by index or by energy, filtering extra channels alike', () => {
    const s = { ...noisyEdge(10), extra: [Float64Array.from({ length: 10 }, (_, i) => i)] };
    const idx = indicesNearest(s.x, [8300.71, 8306]);
    expect(idx).toEqual([1, 9]);
    const r = removePoints(s, idx);
    expect(Array.from(r.extra![0])).toEqual([0, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => removePoints(s, [10])).toThrow(/outside/);
  });

  it('truncates to a range', () => {
    const s = noisyEdge(100);
    const t = truncate(s, { xmin: 8310, xmax: 8320 });
    expect(t.x[0]).toBeGreaterThanOrEqual(8310);
    expect(t.x[t.x.length - 1]).toBeLessThanOrEqual(8320);
    expect(() => truncate(s, { xmin: 9000 })).toThrow(/fewer than 2/);
  });
});
