// Generated data with a known truth, for tests and the example script: χ(k) from FEFF paths with
// seeded Gaussian noise, and random / paired atom layouts.
import { defaultPathParams, type PathModel } from '@siteproof/xas';

/** mulberry32 uniform and Box–Muller normal, seeded. */
export function seededNormal(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

export interface SynthPath {
  path: PathModel;
  n: number;
  deltar?: number;
  sigma2: number;
}

/** χ(k) on k = 0, 0.05 … kmax from FEFF paths (S0² and E0 shared) plus N(0, noise²). */
export function synthesizeChi(paths: SynthPath[], opts: { s02?: number; e0?: number; noise: number; seed: number; kmax?: number }): { k: Float64Array; chi: Float64Array } {
  const nk = Math.round((opts.kmax ?? 16) / 0.05) + 1;
  const k = Float64Array.from({ length: nk }, (_, i) => i * 0.05);
  const chi = new Float64Array(nk);
  for (const p of paths)
    p.path.chi(k, { ...defaultPathParams(p.path.data), degen: p.n, s02: opts.s02 ?? 0.9, e0: opts.e0 ?? 0, deltar: p.deltar ?? 0, sigma2: p.sigma2 }, chi, true);
  const g = seededNormal(opts.seed);
  for (let i = 0; i < nk; i++) chi[i] += opts.noise * g.normal();
  return { k, chi };
}

/**
 * Atom positions (nm) in a width × height field: `nSingles` isolated atoms placed uniformly and
 * `nPairs` pairs at `pairNm` ± 10 % with random orientation. No minimum distance between sites:
 * random chance pairs occur as in a real sample.
 */
export function synthesizeLayout(opts: { widthNm: number; heightNm: number; nSingles: number; nPairs: number; pairNm?: number; seed: number }): { xNm: Float64Array; yNm: Float64Array } {
  const g = seededNormal(opts.seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < opts.nSingles; i++) {
    x.push(g.uniform() * opts.widthNm);
    y.push(g.uniform() * opts.heightNm);
  }
  const d0 = opts.pairNm ?? 0.25;
  for (let i = 0; i < opts.nPairs; i++) {
    const cx = d0 + g.uniform() * (opts.widthNm - 2 * d0);
    const cy = d0 + g.uniform() * (opts.heightNm - 2 * d0);
    const th = g.uniform() * Math.PI;
    const d = d0 * (1 + 0.1 * (2 * g.uniform() - 1));
    x.push(cx + (d / 2) * Math.cos(th), cx - (d / 2) * Math.cos(th));
    y.push(cy + (d / 2) * Math.sin(th), cy - (d / 2) * Math.sin(th));
  }
  return { xNm: Float64Array.from(x), yNm: Float64Array.from(y) };
}
