import { describe, expect, it } from 'vitest';
import { gradient, gradientRatio } from './gradient';

describe('gradient (numpy.gradient, unit spacing)', () => {
  it('uses central differences inside and one-sided at the ends', () => {
    expect(Array.from(gradient([1, 4, 9, 16]))).toEqual([3, 4, 6, 7]);
  });
  it('gradientRatio equals numpy gradient(y)/gradient(x) on a non-uniform grid', () => {
    const x = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9];
    const y = x.map((v) => Math.sin(v) + 0.1 * v * v);
    // numpy 2.4.6: np.gradient(y)/np.gradient(x)
    const numpy = [0.6369573353643212, 0.3297621653099792, 0.17770913155821907, -0.3071375673846382, -0.2496104995152879, 0.7226214510596141, 1.2386934985545013, 2.0322963688304934, 2.062819389494051, 2.0561688033954817];
    const got = gradientRatio(y, x);
    for (let i = 0; i < numpy.length; i++) expect(got[i]).toBeCloseTo(numpy[i], 13);
  });
  it('refuses fewer than 2 points', () => {
    expect(() => gradient([1])).toThrow(RangeError);
  });
});
