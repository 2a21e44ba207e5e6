import { classifySites } from './sites';
import { mulberry32 } from './rng';

/** Mean nearest-neighbour distance of a Poisson (random) layout of density λ: 1/(2√λ). */
export function randomMeanNnDistance(density: number): number {
  return density > 0 ? 1 / (2 * Math.sqrt(density)) : 0;
}

export interface RandomNull {
  /** Mean number of "pairs" that uniform random placement gives (summed over the images). */
  meanPairs: number;
  /** 2.5 % and 97.5 % quantiles of that number over the simulations. */
  pairs95: [number, number];
  meanPairSiteFraction: number;
  simulations: number;
}

/**
 * Monte-Carlo null: place the same number of atoms uniformly in each field of view (no minimum
 * distance), classify with the same cut-off, and count pairs. What random placement at this
 * density gives by chance, with edge effects of the real field of view included.
 */
export function randomPairsNull(fields: { nAtoms: number; widthNm: number; heightNm: number }[], maxPairNm: number, simulations: number, seed: number): RandomNull {
  const rand = mulberry32(seed);
  const totals: number[] = [];
  let fracSum = 0;
  for (let s = 0; s < simulations; s++) {
    let pairs = 0;
    let sites = 0;
    for (const f of fields) {
      const x = new Float64Array(f.nAtoms);
      const y = new Float64Array(f.nAtoms);
      for (let i = 0; i < f.nAtoms; i++) {
        x[i] = rand() * f.widthNm;
        y[i] = rand() * f.heightNm;
      }
      const c = classifySites(x, y, maxPairNm);
      pairs += c.nPairs;
      sites += c.sites.length;
    }
    totals.push(pairs);
    fracSum += sites > 0 ? pairs / sites : 0;
  }
  const sorted = Float64Array.from(totals).sort();
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  const mean = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0;
  return { meanPairs: mean, pairs95: [q(0.025), q(0.975)], meanPairSiteFraction: simulations ? fracSum / simulations : 0, simulations };
}
