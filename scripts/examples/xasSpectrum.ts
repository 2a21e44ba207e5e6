// Deterministic generator of a synthetic but physically grounded Ni K-edge transmission scan of a
// Ni single-atom catalyst (Ni–N4 on carbon), written as XDI 1.0. The project ships only data it
// generates itself; this is the example behind `pnpm demo`.
//
// Model (all in absorbance units, μt):
//  - pre-edge: Victoreen-like matrix absorption a·(E_ref/E)³ + b (falls with energy);
//  - edge: jump J·(E0/E)^2.5 times a Lorentzian-broadened step ½ + atan((E−E0)/(Γ/2))/π with
//    Γ = 1.44 eV (Ni K core-hole width), plus a white line (Lorentzian, E0 + 8 eV);
//  - EXAFS above E0: χ(k) = Σ S0²·N·|f(k)|/(k·R²)·exp(−2σ²k²)·exp(−2R/λ(k))·sin(2kR + δ(k)) for two
//    shells (Ni–N 1.87 Å ×4, Ni–C 2.90 Å ×8) with a slowly varying amplitude and a phase shift
//    δ(k) linear-plus-quadratic in k, as for light backscatterers;
//  - counts: I0 ≈ 2·10⁵ per point with a slow drift, It = I0·exp(−μt); both drawn with Poisson-like
//    noise (normal with variance = mean) from a seeded PRNG (mulberry32), so the file is
//    reproducible byte for byte.

import { gaussian, mulberry32 } from '@siteproof/core';

/** Larch's ETOK = 1/KTOE (Å⁻² per eV): k = sqrt(ETOK·(E − E0)). */
const ETOK = 1 / 3.8099819442818976;

export interface XasExampleOptions {
  seed?: number;
  /** True edge energy (eV) built into the data. */
  e0?: number;
  /** Edge jump in μt. */
  jump?: number;
  /** Incident flux (counts per point). */
  i0?: number;
}

export interface XasExample {
  e0: number;
  energy: Float64Array;
  i0: Float64Array;
  itrans: Float64Array;
  /** Noise-free μt (for tests). */
  muTrue: Float64Array;
  /** The XDI 1.0 file text. */
  xdi: string;
}

/** Typical step-scan grid: 5 eV pre-edge, 0.25 eV across the edge, then 0.05 Å⁻¹ in k to 14 Å⁻¹. */
export function exampleEnergyGrid(e0: number): Float64Array {
  const e: number[] = [];
  for (let x = e0 - 200; x < e0 - 20; x += 5) e.push(x);
  for (let x = e0 - 20; x < e0 + 30; x += 0.25) e.push(x);
  const k0 = Math.sqrt(ETOK * 30);
  for (let k = Math.ceil(k0 / 0.05) * 0.05; k <= 14 + 1e-9; k += 0.05) e.push(e0 + (k * k) / ETOK);
  return Float64Array.from(e, (x) => Math.round(x * 1000) / 1000);
}

interface Shell {
  n: number;
  r: number;
  sigma2: number;
  /** Backscattering amplitude scale and the phase δ(k) = p0 + p1·k + p2·k². */
  amp: number;
  p: [number, number, number];
}

const SHELLS: Shell[] = [
  { n: 4, r: 1.87, sigma2: 0.004, amp: 0.55, p: [1.6, -1.05, 0.012] }, // Ni–N
  { n: 8, r: 2.9, sigma2: 0.009, amp: 0.45, p: [1.7, -1.1, 0.014] }, // Ni–C
];

export function exafsChi(k: number): number {
  if (k <= 0) return 0;
  const s02 = 0.85;
  const lambda = 0.8 + 0.6 * k; // mean free path (Å)
  let chi = 0;
  for (const s of SHELLS) {
    const f = s.amp * Math.exp(-((k - 4) ** 2) / 50); // light-scatterer |f(k)|, peaked at low k
    const delta = s.p[0] + s.p[1] * k + s.p[2] * k * k;
    chi += ((s02 * s.n * f) / (k * s.r * s.r)) * Math.exp(-2 * s.sigma2 * k * k) * Math.exp((-2 * s.r) / lambda) * Math.sin(2 * k * s.r + delta);
  }
  return chi;
}

/** Noise-free μt(E) of the model. */
export function modelMu(energy: ArrayLike<number>, e0: number, jump: number): Float64Array {
  const gamma = 1.44;
  return Float64Array.from(energy as ArrayLike<number>, (e) => {
    const matrix = 0.55 * (8000 / e) ** 3 + 0.15;
    const step = 0.5 + Math.atan((e - e0) / (gamma / 2)) / Math.PI;
    const atomic = jump * (e0 / e) ** 2.5;
    const white = 0.45 / (1 + ((e - e0 - 8) / 3) ** 2);
    const k = e > e0 ? Math.sqrt(ETOK * (e - e0)) : 0;
    return matrix + atomic * step * (1 + exafsChi(k)) + jump * white * step;
  });
}

export function generateXasExample(options: XasExampleOptions = {}): XasExample {
  const seed = options.seed ?? 20261122;
  const e0 = options.e0 ?? 8333.0;
  const jump = options.jump ?? 1.1;
  const flux = options.i0 ?? 2.0e5;
  const energy = exampleEnergyGrid(e0);
  const muTrue = modelMu(energy, e0, jump);
  const rand = mulberry32(seed);
  const gauss = () => gaussian(rand);
  const n = energy.length;
  const i0 = new Float64Array(n);
  const itrans = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const drift = 1 + 0.03 * Math.sin((energy[i] - e0) / 170) - 0.05 * ((energy[i] - e0) / 1000);
    const m0 = flux * drift;
    const mt = m0 * Math.exp(-muTrue[i]) * 0.92; // 0.92: different ion-chamber gain/gas
    i0[i] = Math.max(1, Math.round(m0 + Math.sqrt(m0) * gauss()));
    itrans[i] = Math.max(1, Math.round(mt + Math.sqrt(mt) * gauss()));
  }
  const lines = [
    '# XDI/1.0 siteproof-examples/1.0',
    '# Column.1: energy eV',
    '# Column.2: i0',
    '# Column.3: itrans',
    '# Column.4: mutrans',
    '# Element.symbol: Ni',
    '# Element.edge: K',
    '# Mono.name: Si(111)',
    '# Mono.d_spacing: 3.13555',
    '# Facility.name: synthetic',
    '# Facility.xray_source: synthetic',
    '# Beamline.name: synthetic',
    '# Sample.name: Ni-N4 single-atom catalyst on carbon (synthetic)',
    '# Scan.start_time: 2026-01-01T00:00:00',
    `# Siteproof.generator: scripts/examples/xasSpectrum.ts seed=${seed}`,
    `# Siteproof.true_e0: ${e0.toFixed(3)}`,
    '# ///',
    '# Synthetic Ni K-edge transmission scan generated by siteproof (not measured data):',
    '# arctan edge (core-hole width 1.44 eV), white line at E0+8 eV, Ni-N (1.87 A) and',
    '# Ni-C (2.90 A) EXAFS shells, Poisson-like counting noise. mutrans = ln(i0/itrans).',
    '#----',
    '# energy i0 itrans mutrans',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`${energy[i].toFixed(3)} ${i0[i].toFixed(0)} ${itrans[i].toFixed(0)} ${Math.log(i0[i] / itrans[i]).toFixed(7)}`);
  }
  return { e0, energy, i0, itrans, muTrue, xdi: lines.join('\n') + '\n' };
}
