import { describe, expect, it } from 'vitest';
import { interpLinear, interpLinearExtrapolate } from './interp';

const x = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9];
const y = x.map((v) => Math.sin(v) + 0.1 * v * v);

describe('interpLinear (numpy.interp semantics)', () => {
  it('matches numpy.interp, including constant extrapolation', () => {
    // numpy 2.4.6: np.interp([0.5, 1.0, 1.15, 7.9, 8.5, 3.0], x, y)
    const numpy = [0.9414709848078965, 0.9414709848078965, 1.0370145851125445, 7.2399413418397724, 7.2399413418397724, 1.0350935536600763];
    const got = interpLinear(x, y, [0.5, 1.0, 1.15, 7.9, 8.5, 3.0]);
    for (let i = 0; i < numpy.length; i++) expect(got[i]).toBeCloseTo(numpy[i], 14);
  });
  it('returns the data exactly at the nodes', () => {
    const got = interpLinear(x, y, x);
    for (let i = 0; i < x.length; i++) expect(got[i]).toBe(y[i]);
  });
});

describe('interpLinearExtrapolate (Larch interp, kind=linear)', () => {
  it('extends the end segments as straight lines', () => {
    const got = interpLinearExtrapolate([0, 1, 2], [0, 2, 3], [-1, 0.5, 3]);
    expect(Array.from(got)).toEqual([-2, 1, 4]);
  });
});
