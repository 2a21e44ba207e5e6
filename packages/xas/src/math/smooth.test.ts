import { describe, expect, it } from 'vitest';
import { smooth } from './smooth';

const x = [1.0, 1.3, 2.1, 2.2, 3.5, 4.0, 5.5, 6.0, 6.1, 7.9];
const y = x.map((v) => Math.sin(v) + 0.1 * v * v);

describe('smooth (Larch smooth, Lorentzian)', () => {
  it('matches Larch smooth(x, y, sigma=0.5, xstep=0.3) (numpy 2.4.6 run of the same algorithm)', () => {
    const ref = [1.1597020308379737, 1.2097938402554123, 1.3134236683456506, 1.3133897337849543, 1.299250114056013, 1.4399745827517523, 2.7623988822279992, 3.4742396128949458, 3.6335409847559763, 6.262761898409085];
    const got = smooth(x, y, { sigma: 0.5, xstep: 0.3 });
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 12);
  });
  it('matches Larch smooth(x, y) with its defaults (xstep = min step, sigma = 1)', () => {
    const ref = [1.2920032088448516, 1.3160383201785457, 1.3881876520801477, 1.395714180424167, 1.5478460085005652, 1.721869435242026, 2.8788262677773755, 3.4462967288637127, 3.5665649946970914, 5.424363366102068];
    const got = smooth(x, y);
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 12);
  });
  it('leaves a constant unchanged', () => {
    const got = smooth([0, 1, 2, 3, 4, 5], [2, 2, 2, 2, 2, 2], { sigma: 1.5 });
    for (const v of got) expect(v).toBeCloseTo(2, 12);
  });
});
