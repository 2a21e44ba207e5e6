// The synthetic K-edge spectrum of the AUTOBK tests (a test helper, not exported by the package):
// an EXAFS grid around E0 = 9000 eV (5 eV pre-edge steps, 0.5 eV across the edge, 0.05 Å⁻¹ above),
// a smooth edge with a post-edge decay ("atomic" background) and χ(k) added above E0.
import { ETOK } from './constants';

export const E0 = 9000;

export function exafsGrid(): number[] {
  const energy: number[] = [];
  for (let e = E0 - 150; e < E0 - 20; e += 5) energy.push(e);
  for (let e = E0 - 20; e < E0 + 30; e += 0.5) energy.push(e);
  for (let k = Math.sqrt(30 * ETOK); k < 16; k += 0.05) energy.push(E0 + (k * k) / ETOK);
  return energy;
}

export const kOf = (e: number) => (e > E0 ? Math.sqrt(ETOK * (e - E0)) : 0);

/** The background μ0(E). */
export const mu0 = (e: number) => 0.2 - 1e-5 * (e - E0) + (1.0 + 0.1 * Math.exp(-(e - E0) / 400)) * (0.5 + Math.atan((e - E0) / 2) / Math.PI);

/** μ(E) = μ0 + χ(k(E)) above E0 (+ noise(i) if given). */
export function syntheticMu(energy: number[], chi: (k: number) => number, noise?: (i: number) => number): number[] {
  return energy.map((e, i) => mu0(e) + chi(kOf(e)) * (e > E0 ? 1 : 0) + (noise ? noise(i) : 0));
}
