import { describe, expect, it } from 'vitest';
import { indexNearest, indexOf } from './indexOf';

describe('indexOf (Larch index_of)', () => {
  const e = new Float64Array([10, 11, 12.5, 14, 20]);
  it('returns the largest index at or below the value', () => {
    expect(indexOf(e, 12.5)).toBe(2);
    expect(indexOf(e, 12.49)).toBe(1);
    expect(indexOf(e, 100)).toBe(4);
  });
  it('returns 0 below the minimum', () => {
    expect(indexOf(e, 3)).toBe(0);
  });
});

describe('indexNearest (Larch index_nearest)', () => {
  const e = new Float64Array([10, 11, 12.5, 14, 20]);
  it('returns the nearest index, first one on ties', () => {
    expect(indexNearest(e, 12.4)).toBe(2);
    expect(indexNearest(e, 17)).toBe(3); // |14−17| = 3 = |20−17|: numpy argmin takes the first
    expect(indexNearest(e, -5)).toBe(0);
    expect(indexNearest(e, 1e6)).toBe(4);
  });
  it('differs from indexOf where Larch relies on it (floor vs nearest)', () => {
    expect(indexOf(e, 13.9)).toBe(2);
    expect(indexNearest(e, 13.9)).toBe(3);
  });
});
