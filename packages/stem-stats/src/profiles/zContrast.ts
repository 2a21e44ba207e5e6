// Z-contrast assignment of the two atoms of a pair from their peak-height ratio. HAADF intensity
// goes as Z^n with n ≈ 1.6–2 depending on detector angles (n is a parameter, default 1.7, better
// calibrated on known standards); defocus/height differences can erase the contrast. The call is
// therefore a posterior probability between the two orderings (and "same element"), never a bare label.

export interface ZAssignment {
  /** Z of atom 1 and atom 2 under the most probable hypothesis (equal Z when 'same' wins). */
  z1: number;
  z2: number;
  /** Posterior probability of that hypothesis (equal priors), 0–1. */
  confidence: number;
  /** Posterior of each hypothesis. */
  posterior: { heavierFirst: number; heavierSecond: number; same: number };
  /** Observed ln(A1/A2) and its standard error; the expected |ln ratio| is n·ln(Zheavy/Zlight). */
  logRatio: number;
  logRatioErr: number;
  expectedLogRatio: number;
  exponent: number;
  /** 'assigned' when confidence ≥ the threshold, else 'undetermined'. */
  verdict: 'assigned' | 'undetermined';
}

/**
 * Posterior over {atom 1 heavier, atom 2 heavier, same element} from ln(A1/A2) ~ N(µ_H, se²),
 * µ = ±n·ln(Zh/Zl) or 0. `extraSd` widens se for model error (support texture, defocus, height), default 0.1 (10 % per atom).
 * `includeSame` adds the homonuclear hypothesis (the pair's elements are then both zLight or both zHeavy).
 */
export function assignZ(a1: number, a1Err: number, a2: number, a2Err: number, zLight: number, zHeavy: number, exponent = 1.7, threshold = 0.9, includeSame = false, extraSd = 0.1): ZAssignment {
  const l = Math.log(a1 / a2);
  const se = Math.sqrt((a1Err / a1) ** 2 + (a2Err / a2) ** 2 + extraSd * extraSd);
  const mu = exponent * Math.log(zHeavy / zLight);
  const ll = (m: number) => -0.5 * ((l - m) / se) ** 2;
  const logs = [ll(mu), ll(-mu), includeSame ? ll(0) : -Infinity];
  const mx = Math.max(...logs);
  const e = logs.map((x) => Math.exp(x - mx));
  const tot = e.reduce((a, b) => a + b, 0);
  const post = e.map((x) => x / tot);
  const k = post.indexOf(Math.max(...post));
  const z = k === 0 ? [zHeavy, zLight] : k === 1 ? [zLight, zHeavy] : [a1 >= a2 ? zHeavy : zLight, a1 >= a2 ? zHeavy : zLight];
  return {
    z1: z[0],
    z2: z[1],
    confidence: post[k],
    posterior: { heavierFirst: post[0], heavierSecond: post[1], same: post[2] },
    logRatio: l,
    logRatioErr: se,
    expectedLogRatio: mu,
    exponent,
    verdict: post[k] >= threshold ? 'assigned' : 'undetermined',
  };
}
