// Golden test: noise estimate (ε_k, ε_R) and AUTOBK's δχ(k) against Larch's feffit of cu_metal_rt
// (../shared/reference/xas/feffit_cu_1shell.json: autobk rbkg 1, kw 2; transform kmin 3, kmax 17,
// kw 2, dk 4, kaiser). Larch combines them as ε_k(k) = √(δχ² + ε_k,noise²) and reports mean(ε_k)
// and ε_R = mean(ε_k/(2√(π(2w+1)/(kstep(kmax^(2w+1) − kmin^(2w+1)))))). Reproducing both numbers
// checks estimateNoise, autobkDeltaChi (covariance, redchi, Student-t factor) and AUTOBK together.
// Tolerance: 0.1 % (these set the fit's error bars; a scientist quotes them to 2 digits).
// Achieved: 5e-7 relative for both.
import { describe, expect } from 'vitest';
import { autobk, autobkDeltaChi, estimateNoise } from '@siteproof/xas';
import { itShared, loadReference } from '../helpers/shared';

describe('estimateNoise + autobkDeltaChi vs Larch feffit', () => {
  itShared('cu_metal_rt: mean ε_k and ε_R as in feffit_cu_1shell.json', () => {
    const d = loadReference<{ energy: number[]; mu: number[]; e0: number; edge_step: number }>('xas/cu_metal_rt.json');
    const f = loadReference<{ epsilon_k: number; epsilon_r: number }>('xas/feffit_cu_1shell.json');
    const a = autobk(d.energy, d.mu, { e0: d.e0, edgeStep: d.edge_step, rbkg: 1, kweight: 2 });
    const n = estimateNoise(a.k, a.chi, { kmin: 3, kmax: 17, dk: 4, window: 'kaiser', kweight: 2 });
    const { deltaChi } = autobkDeltaChi(d.energy, a);
    const w = 5;
    const scale = 2 * Math.sqrt((Math.PI * w) / (0.05 * (17 ** w - 3 ** w)));
    let sumK = 0;
    let sumR = 0;
    for (const dc of deltaChi) {
      const e = Math.sqrt(dc * dc + n.epsK * n.epsK);
      sumK += e;
      sumR += e / scale;
    }
    expect(Math.abs(sumK / deltaChi.length / f.epsilon_k - 1)).toBeLessThan(1e-3);
    expect(Math.abs(sumR / deltaChi.length / f.epsilon_r - 1)).toBeLessThan(1e-3);
  });
});
