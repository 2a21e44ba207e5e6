// Near-isobaric interferences that matter for M–N–C catalysts (values from exact masses, see
// ../shared notes §3): the resolving power m/Δm each pair needs, and whether given data can
// provide it (peak resolution, or the bin width of a binned export).
import { exactMass } from '../formula/exactMass';
import { formatFormula, parseFormula } from '../formula/parseFormula';

export interface InterferencePair {
  ion: string;
  interferer: string;
  note: string;
}

export const KNOWN_INTERFERENCES: readonly InterferencePair[] = [
  { ion: '[60Ni]N2C2+', interferer: 'FeN4+', note: '60Ni isotopologue of NiN2C2+ vs FeN4+ (56Fe)' },
  { ion: 'NiN2C2+', interferer: '[54Fe]N4+', note: 'NiN2C2+ vs the 54Fe isotopologue of FeN4+' },
  { ion: 'NiN2C2+', interferer: 'C2H2FeN2+', note: 'NiN2C2+ vs FeC2H2N2+' },
  { ion: 'NiN2C2+', interferer: 'CFeN3+', note: 'NiN2C2+ vs CFeN3+: only the isotope pattern separates them' },
  { ion: 'NiN2C2+', interferer: 'CH3O2Cu+', note: 'NiN2C2+ vs CH3O2Cu+: only the isotope pattern separates them' },
];

export interface InterferenceReport extends InterferencePair {
  ionMz: number;
  interfererMz: number;
  /** |Δm| in mDa. */
  deltaMDa: number;
  /** m/Δm needed to separate the pair (m = the ion's m/z). */
  requiredResolution: number;
  /** Data's resolving power at that m/z and bin width (u) when known. */
  dataResolution?: number;
  binWidth?: number;
  resolvable?: boolean;
  warning?: string;
}

export interface DataResolution {
  /** Resolving power m/Δm of the data near the ion (e.g. median of picked peaks). */
  resolution?: number;
  /** Bin width in u at a given m/z (binned exports). */
  binWidthAt?: (mz: number) => number | undefined;
}

/** The pair's Δm and needed resolving power, with a verdict for the given data. */
export function assessInterference(pair: InterferencePair, data: DataResolution = {}): InterferenceReport {
  const ionMz = exactMass(pair.ion).mz;
  const interfererMz = exactMass(pair.interferer).mz;
  const delta = Math.abs(ionMz - interfererMz);
  const requiredResolution = ionMz / delta;
  const rep: InterferenceReport = { ...pair, ionMz, interfererMz, deltaMDa: delta * 1000, requiredResolution };
  const bin = data.binWidthAt?.(ionMz);
  if (bin !== undefined) rep.binWidth = bin;
  if (data.resolution !== undefined) rep.dataResolution = data.resolution;
  const reasons: string[] = [];
  if (bin !== undefined && bin > delta) reasons.push(`bin width ${(bin * 1000).toFixed(1)} mDa > Δm ${(delta * 1000).toFixed(1)} mDa`);
  if (data.resolution !== undefined && data.resolution < requiredResolution) reasons.push(`m/Δm ${Math.round(data.resolution)} < ${Math.round(requiredResolution)} needed`);
  if (bin !== undefined || data.resolution !== undefined) {
    rep.resolvable = reasons.length === 0;
    if (reasons.length) rep.warning = `${pair.ion} and ${pair.interferer} (Δm ${(delta * 1000).toFixed(1)} mDa) cannot be resolved: ${reasons.join('; ')}`;
  }
  return rep;
}

/** Reports for every known pair that involves one of `fragments` (or all pairs when omitted). */
export function checkInterferences(fragments: readonly string[] | undefined, data: DataResolution = {}): InterferenceReport[] {
  const canon = (f: string) => formatFormula(parseFormula(f));
  const set = fragments ? new Set(fragments.map(canon)) : undefined;
  const addPartners = set ? [...set] : [];
  // A fragment's 60Ni isotopologue counts too: NiN2C2+ brings in [60Ni]N2C2+.
  for (const f of addPartners) if (/Ni/.test(f) && !/\[\d+Ni\]/.test(f)) set!.add(canon(f.replace(/Ni(\d*)/, '[60Ni]$1')));
  return KNOWN_INTERFERENCES.filter((p) => !set || set.has(canon(p.ion)) || set.has(canon(p.interferer))).map((p) => assessInterference(p, data));
}
