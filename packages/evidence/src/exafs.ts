// EXAFS evidence for a metal–metal pair: the same data fitted with the M–M′ path, without it,
// and with a light scatterer (S, Cl, O, N, P) at a similar distance instead. Statistics from the
// feffit results (Larch's definitions): R-factor, reduced χ², AIC/BIC, and Hamilton's (1965)
// R-factor ratio test for the nested pair; the M–M′ coordination number with its interval.
import { ValidationError } from '@siteproof/core';
import { atomicNumber, type FeffitResult, type FittedPath } from '@siteproof/xas';
import { fSurvival } from '@siteproof/core';
import { ALPHA, fmt, fmtP, type EvidenceRow, type Support } from './row';

/** Z from a FEFF geometry label ("Fe", "Cu1", "fe"). */
export function labelZ(label: string): number | undefined {
  const m = /^([A-Za-z]{1,2})/.exec(label.trim());
  if (!m) return undefined;
  const s = m[1][0].toUpperCase() + (m[1][1] ?? '').toLowerCase();
  return atomicNumber(s) ?? atomicNumber(s[0]);
}

/** Heavy backscatterer (a metal of a pair): Z ≥ 19. S (16), Cl (17), P (15) and lighter are "light". */
export const HEAVY_Z = 19;

/** The single-scattering path to another heavy atom (M–M′) of a fit, if any. */
export function findPairPath(res: FeffitResult): FittedPath | null {
  for (const d of res.datasets)
    for (const p of d.paths) {
      if (p.nleg !== 2 || p.geometry.length < 2) continue;
      const z = labelZ(p.geometry[1].label);
      if (z !== undefined && z >= HEAVY_Z) return p;
    }
  return null;
}

/** The single-scattering path of a fit whose scatterer is in `elements`, else the one nearest `r`. */
export function findScattererPath(res: FeffitResult, r: number, exclude: (p: FittedPath) => boolean = () => false): FittedPath | null {
  let best: FittedPath | null = null;
  for (const d of res.datasets)
    for (const p of d.paths) {
      if (p.nleg !== 2 || exclude(p)) continue;
      if (!best || Math.abs(p.r.value - r) < Math.abs(best.r.value - r)) best = p;
    }
  return best;
}

export interface HamiltonTest {
  /** R_restricted / R_full with Larch's R-factor (Σ r² / Σ data²), i.e. Hamilton's ℛ². */
  ratio: number;
  /** F = (ℛ² − 1)·(n − m)/b. */
  f: number;
  /** b: parameters the full model adds; n − m: independent points minus the full model's variables. */
  d1: number;
  d2: number;
  p: number | null;
  /** Why p is null (no extra parameters, no degrees of freedom left). */
  note: string | null;
}

/**
 * Hamilton's R-factor ratio test (Acta Cryst. 18 (1965) 502) for a restricted model (the full one
 * with parameters fixed, e.g. N(M–M′) = 0) against the full one, as used for EXAFS by Downward et
 * al. (AIP Conf. Proc. 882 (2007) 129) with n = independent points (Stern 1993). With weighted R
 * as a sum of squares, (R0/R1 − 1)(n − m)/b follows F(b, n − m) when the restriction is true;
 * n − m need not be an integer. p is the upper tail.
 */
export function hamiltonTest(restricted: { rFactor: number; nVarys: number }, full: { rFactor: number; nVarys: number }, nIndependent: number): HamiltonTest {
  for (const [v, f] of [[restricted.rFactor, 'restricted.rFactor'], [full.rFactor, 'full.rFactor'], [nIndependent, 'nIndependent']] as const)
    if (!Number.isFinite(v) || v < 0) throw new ValidationError(`${f} must be a finite number ≥ 0, got ${v}`, { field: f });
  const d1 = full.nVarys - restricted.nVarys;
  const d2 = nIndependent - full.nVarys;
  const ratio = full.rFactor > 0 ? restricted.rFactor / full.rFactor : Infinity;
  if (d1 <= 0) return { ratio, f: 0, d1, d2, p: null, note: 'the full model has no more variables than the restricted one: the models are not nested, compare AIC/BIC' };
  if (d2 <= 0) return { ratio, f: 0, d1, d2, p: null, note: `no degrees of freedom left (${fmt(nIndependent)} independent points, ${full.nVarys} variables)` };
  if (!Number.isFinite(ratio)) return { ratio, f: Infinity, d1, d2, p: 0, note: 'the full model fits exactly (R = 0)' };
  const f = Math.max(0, ((ratio - 1) * d2) / d1);
  return { ratio, f, d1, d2, p: fSurvival(f, d1, d2), note: null };
}

export interface FitSummaryRow {
  name: string;
  rFactor: number;
  redChi: number;
  chiSquare: number;
  aic: number;
  bic: number;
  nVarys: number;
  nIndependent: number;
}

function summary(name: string, r: FeffitResult): FitSummaryRow {
  return { name, rFactor: r.rFactor, redChi: r.redChi, chiSquare: r.chiSquare, aic: r.aic, bic: r.bic, nVarys: r.nVarys, nIndependent: r.nIndependent };
}

export interface ExafsEvidence {
  row: EvidenceRow;
  fits: FitSummaryRow[];
  hamilton: HamiltonTest | null;
  /** Hamilton with IFEFFIT's independent-point count (2ΔkΔR/π), for comparison with Artemis. */
  hamiltonIfeffit: HamiltonTest | null;
  pairPath: { label: string; scatterer: string; r: number; rStderr: number | null } | null;
  coordination: { value: number; stderr: number | null; ci95: [number, number] | null; quantity: 'N' | 'N·S0²' } | null;
  /** ΔBIC = BIC(alternative) − BIC(pair): > 0 favours the pair. */
  deltaBic: Record<string, number>;
  deltaAic: Record<string, number>;
}

export interface ExafsFits {
  /** The fit with the M–M′ path. */
  pair: FeffitResult;
  /** The same model without the M–M′ path (nested: Hamilton test). */
  without?: FeffitResult;
  /** Light-scatterer alternatives at a similar distance (e.g. "Fe–S", "Fe–Cl"): AIC/BIC. */
  alternatives?: Record<string, FeffitResult>;
}

/** ΔBIC above which one model is "positively" preferred (Kass & Raftery 1995: 2–6 positive, > 6 strong). */
export const BIC_POSITIVE = 2;

/** Compare the fits and make the EXAFS row. */
export function exafsEvidence(fits: ExafsFits): ExafsEvidence {
  const pp = findPairPath(fits.pair);
  if (!pp) throw new ValidationError('the pair model has no single-scattering path to a heavy atom (Z ≥ 19): which path is M–M′?', { field: 'exafs.pair' });
  const alts = fits.alternatives ?? {};
  const caveats: string[] = [];
  const rows = [summary('with M–M′', fits.pair)];
  let ham: HamiltonTest | null = null;
  let hamI: HamiltonTest | null = null;
  if (fits.without) {
    if (findPairPath(fits.without)) throw new ValidationError('the "without" model still has an M–M′ path', { field: 'exafs.without' });
    rows.push(summary('without M–M′', fits.without));
    ham = hamiltonTest(fits.without, fits.pair, fits.pair.nIndependent);
    hamI = hamiltonTest(fits.without, fits.pair, fits.pair.nIndependentIfeffit);
    if (ham.note) caveats.push(`Hamilton test: ${ham.note}`);
  } else caveats.push('no fit without the M–M′ path was given: no Hamilton test');
  const deltaBic: Record<string, number> = {};
  const deltaAic: Record<string, number> = {};
  for (const [name, r] of Object.entries(alts)) {
    rows.push(summary(name, r));
    deltaBic[name] = r.bic - fits.pair.bic;
    deltaAic[name] = r.aic - fits.pair.aic;
  }
  if (Object.keys(alts).length === 0) caveats.push('no light-scatterer alternative (M–S, M–Cl …) was fitted: a light neighbour at the same distance is not excluded');
  for (const r of [fits.pair, fits.without, ...Object.values(alts)]) {
    if (!r) continue;
    if (!r.converged) caveats.push('a fit did not converge');
    if (r.nVarys >= r.nIndependent) caveats.push(`${r.nVarys} variables for ${fmt(r.nIndependent)} independent points`);
  }

  // Coordination number of the pair path: its degen when it was a variable, else N·S0².
  const dg = pp.params.degen;
  const s0 = pp.params.s02;
  let coordination: ExafsEvidence['coordination'] = null;
  if (dg.stderr !== null && dg.stderr > 0) {
    coordination = { value: dg.value, stderr: dg.stderr, ci95: [dg.value - 1.96 * dg.stderr, dg.value + 1.96 * dg.stderr], quantity: 'N' };
  } else {
    const v = dg.value * s0.value;
    const se = s0.stderr !== null ? dg.value * s0.stderr : null;
    coordination = { value: v, stderr: se, ci95: se !== null ? [v - 1.96 * se, v + 1.96 * se] : null, quantity: 'N·S0²' };
  }
  const cnExcludesZero = coordination.ci95 !== null && coordination.ci95[0] > 0;
  if (Math.abs(coordination.value) < 1e-3) caveats.push(`the fit drove ${coordination.quantity}(M–M′) to 0 (its bound): the interval there is not a confidence interval, only "no M–M′ signal"`);
  if (coordination.ci95 === null) caveats.push('no uncertainty for the M–M′ coordination number (vary its degen or S0²)');

  const altNames = Object.keys(alts);
  const pairBeatsAlts = altNames.every((n) => deltaBic[n] > BIC_POSITIVE);
  const altBeatsPair = altNames.some((n) => deltaBic[n] < -BIC_POSITIVE);
  const hamSig = ham !== null && ham.p !== null && ham.p < ALPHA;
  const hamNull = ham !== null && ham.p !== null && ham.p >= ALPHA;
  let supports: Support = 'inconclusive';
  if (hamSig && cnExcludesZero && altNames.length > 0 && pairBeatsAlts) supports = 'pair';
  else if ((hamNull || !cnExcludesZero) && altBeatsPair) supports = 'single';
  else if (hamNull && !cnExcludesZero && altNames.length > 0 && !pairBeatsAlts) supports = 'single';
  if (hamSig && altNames.length > 0 && !pairBeatsAlts && !altBeatsPair) caveats.push('the M–M′ path improves the fit, but a light scatterer at the same distance fits as well (|ΔBIC| ≤ 2)');

  const scat = pp.geometry[1]?.label ?? '?';
  const abs = pp.geometry[0]?.label ?? pp.absorber;
  const bestAlt = altNames.length ? altNames.reduce((a, b) => (deltaBic[a] < deltaBic[b] ? a : b)) : null;
  const effect = [
    fits.without ? `R-factor ${fmt(fits.without.rFactor)} → ${fmt(fits.pair.rFactor)} with ${abs}–${scat}` : `R-factor ${fmt(fits.pair.rFactor)} with ${abs}–${scat}`,
    `χ²ν ${fits.without ? `${fmt(fits.without.redChi)} → ` : ''}${fmt(fits.pair.redChi)}`,
    ...(bestAlt ? [`ΔBIC(${bestAlt} − pair) = ${fmt(deltaBic[bestAlt], 2)}`] : []),
  ].join('; ');
  const cnText = `${coordination.quantity}(${abs}–${scat}) = ${fmt(coordination.value, 2)}${coordination.ci95 ? ` [${fmt(coordination.ci95[0], 2)}, ${fmt(coordination.ci95[1], 2)}] (95 %)` : ''}`;
  const row: EvidenceRow = {
    technique: 'EXAFS',
    evidence: `fits with and without ${abs}–${scat} (R = ${fmt(pp.r.value, 3)} Å)${altNames.length ? `, and with ${altNames.join(', ')} instead` : ''}`,
    effect,
    test: ham && ham.p !== null ? `Hamilton R-ratio, F(${ham.d1}, ${fmt(ham.d2, 3)}) = ${fmt(ham.f, 3)}` : 'AIC/BIC only',
    p: ham?.p ?? null,
    interval: cnText,
    supports,
    caveats,
    details: { fits: rows, hamilton: ham, hamiltonIfeffit: hamI, deltaBic, deltaAic, coordination },
  };
  return {
    row,
    fits: rows,
    hamilton: ham,
    hamiltonIfeffit: hamI,
    pairPath: { label: pp.label, scatterer: scat, r: pp.r.value, rStderr: pp.r.stderr },
    coordination,
    deltaBic,
    deltaAic,
  };
}

export { fmtP };
