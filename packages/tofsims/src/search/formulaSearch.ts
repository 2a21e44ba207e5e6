// Formula search: all compositions within element ranges whose m/z is within a tolerance of
// an observed peak, with an RDBE filter using explicit valences (mf-finder leaves unsaturation
// undefined for metals). Meet-in-the-middle: the elements are split into two groups, each
// group's compositions are enumerated once and sorted by mass, and a batch of sorted query
// masses is swept against them (two pointers), so 10,000 peaks cost one sweep per composition
// of the smaller group instead of 10,000 independent searches.
import { z } from 'zod';
import { LimitError, parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { DEFAULT_VALENCES, getElement, getIsotope } from '../formula/elements';
import { massToMz, mzToMass } from '../formula/exactMass';
import { formatFormula } from '../formula/parseFormula';

export interface ElementRange {
  /** Atom key: "C" or "[13C]". */
  key: string;
  symbol: string;
  mass: number;
  min: number;
  max: number;
}

/** Parse "C0-10 H0-10 N0-6 Fe0-2 Ni1" (separators: spaces or commas). */
export function parseRanges(text: string): ElementRange[] {
  const out: ElementRange[] = [];
  const re = /\s*(?:,\s*)?(\[(\d+)([A-Z][a-z]*)\]|[A-Z][a-z]*)(\d+)?(?:-(\d+))?/y;
  let pos = 0;
  const src = text.trim();
  while (pos < src.length) {
    while (pos < src.length && /[\s,]/.test(src[pos])) pos++;
    if (pos >= src.length) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m || m[0].trim() === '') throw new ParseError(`bad element range at position ${pos + 1} in '${text}'`, { field: 'ranges', column: pos + 1 });
    const symbol = m[3] ?? m[1];
    const el = getElement(symbol);
    if (!el) throw new ParseError(`unknown element '${symbol}' at position ${pos + 1} in '${text}'`, { field: 'ranges', column: pos + 1 });
    const iso = m[2] !== undefined ? getIsotope(symbol, Number(m[2])) : el.main;
    if (!iso) throw new ParseError(`unknown isotope '${m[2]}${symbol}' in '${text}'`, { field: 'ranges' });
    const min = m[4] !== undefined ? Number(m[4]) : 0;
    const max = m[5] !== undefined ? Number(m[5]) : m[4] !== undefined ? Number(m[4]) : 1;
    if (max < min) throw new ValidationError(`range ${m[1]}${min}-${max} is empty`, { field: 'ranges' });
    if (out.some((r) => r.key === m[1])) throw new ValidationError(`element ${m[1]} given twice`, { field: 'ranges' });
    out.push({ key: m[1], symbol, mass: iso.mass, min, max });
    pos = re.lastIndex;
  }
  if (out.length === 0) throw new ValidationError('no element ranges given', { field: 'ranges' });
  return out;
}

export const FormulaSearchOptions = z.object({
  ranges: z.string(),
  tolPpm: z.number().positive().default(20),
  /** Charge of the ions searched (+1: cations that lost an electron). */
  charge: z.number().int().refine((c) => c !== 0, 'charge must not be 0').default(1),
  /** RDBE window (computed with `valences`); null bounds are open. */
  rdbeMin: z.number().nullable().default(-0.5),
  rdbeMax: z.number().nullable().default(null),
  valences: z.record(z.string(), z.number()).default({}),
  maxResults: z.number().int().positive().default(50),
  /** Refuse more compositions than this (memory). */
  maxCompositions: z.number().int().positive().default(5e7),
});
export type FormulaSearchOptions = z.input<typeof FormulaSearchOptions>;

export interface FormulaCandidate {
  /** Hill formula with charge, e.g. "C2N2Ni+". */
  formula: string;
  atoms: Record<string, number>;
  mz: number;
  /** (observed − theoretical)/theoretical·1e6. */
  ppm: number;
  mDa: number;
  rdbe: number;
}

interface Group {
  ranges: ElementRange[];
  size: number;
  /** Masses sorted ascending and the composition index (mixed radix) of each. */
  mass: Float64Array;
  index: Uint32Array;
}

function enumerate(ranges: ElementRange[]): Group {
  let size = 1;
  for (const r of ranges) size *= r.max - r.min + 1;
  const mass = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let rem = i;
    let m = 0;
    for (const r of ranges) {
      const span = r.max - r.min + 1;
      m += (r.min + (rem % span)) * r.mass;
      rem = Math.floor(rem / span);
    }
    mass[i] = m;
  }
  const index = new Uint32Array(size);
  for (let i = 0; i < size; i++) index[i] = i;
  index.sort((a, b) => mass[a] - mass[b]);
  const sorted = new Float64Array(size);
  for (let i = 0; i < size; i++) sorted[i] = mass[index[i]];
  return { ranges, size, mass: sorted, index };
}

function decode(g: Group, idx: number, into: Record<string, number>): void {
  let rem = idx;
  for (const r of g.ranges) {
    const span = r.max - r.min + 1;
    const n = r.min + (rem % span);
    rem = Math.floor(rem / span);
    if (n > 0) into[r.key] = n;
  }
}

/** A reusable searcher: groups are enumerated once per (ranges, expected batch size class). */
export class FormulaSearcher {
  readonly options: z.output<typeof FormulaSearchOptions>;
  readonly ranges: ElementRange[];
  private readonly valence: Map<string, number>;
  private readonly cache = new Map<string, [Group, Group]>();

  constructor(options: FormulaSearchOptions) {
    this.options = parseOptions(FormulaSearchOptions, options, 'options');
    this.ranges = parseRanges(this.options.ranges);
    let total = 1;
    for (const r of this.ranges) total *= r.max - r.min + 1;
    if (total > this.options.maxCompositions) {
      throw new LimitError(`the ranges span ${total.toExponential(2)} compositions (limit ${this.options.maxCompositions})`, { field: 'ranges' }, 'narrow the ranges or raise maxCompositions');
    }
    this.valence = new Map();
    for (const r of this.ranges) {
      const v = this.options.valences[r.symbol] ?? DEFAULT_VALENCES[r.symbol];
      if (v === undefined && (this.options.rdbeMin !== null || this.options.rdbeMax !== null)) {
        throw new ValidationError(`no valence known for ${r.symbol}: give one in valences or disable the RDBE filter`, { field: 'valences' });
      }
      this.valence.set(r.key, v ?? 2);
    }
  }

  /** Split minimizing |B|·(|A| + queries) + |A|·log|A| (sweep + sort cost). */
  private groups(nQueries: number): [Group, Group] {
    const k = this.ranges.length;
    const sizes = this.ranges.map((r) => r.max - r.min + 1);
    let best = 0;
    let bestCost = Infinity;
    const limit = k <= 16 ? 1 << k : 0;
    for (let mask = 0; mask < limit; mask++) {
      let a = 1;
      let b = 1;
      for (let i = 0; i < k; i++) if (mask & (1 << i)) a *= sizes[i];
      else b *= sizes[i];
      const cost = b * (a + nQueries) + a * Math.log2(a + 1);
      if (cost < bestCost) (bestCost = cost), (best = mask);
    }
    if (limit === 0) best = (1 << 16) - 1;
    const key = String(best);
    let g = this.cache.get(key);
    if (!g) {
      const A = this.ranges.filter((_, i) => best & (1 << i));
      const B = this.ranges.filter((_, i) => !(best & (1 << i)));
      g = [enumerate(A), enumerate(B)];
      this.cache.set(key, g);
    }
    return g;
  }

  private rdbe(atoms: Record<string, number>): number {
    let s = 0;
    for (const [k, n] of Object.entries(atoms)) s += n * ((this.valence.get(k) ?? 2) - 2);
    return 1 + s / 2;
  }

  /** Candidates for one observed m/z. */
  search(mz: number): FormulaCandidate[] {
    return this.searchBatch([mz])[0];
  }

  /** Candidates for every observed m/z (same order as the input), best |ppm| first. */
  searchBatch(mzs: ArrayLike<number>): FormulaCandidate[][] {
    const o = this.options;
    const nq = mzs.length;
    const q = new Float64Array(nq);
    const tol = new Float64Array(nq);
    for (let i = 0; i < nq; i++) {
      if (!(mzs[i] > 0) || !Number.isFinite(mzs[i])) throw new ValidationError(`m/z #${i + 1} is not a positive number`, { field: 'mz' });
      q[i] = mzToMass(mzs[i], o.charge);
      tol[i] = mzs[i] * Math.abs(o.charge) * o.tolPpm * 1e-6;
    }
    const order = new Uint32Array(nq);
    for (let i = 0; i < nq; i++) order[i] = i;
    order.sort((a, b) => q[a] - q[b]);
    const [A, B] = this.groups(nq);
    const hits: { qi: number; a: number; b: number }[][] = Array.from({ length: nq }, () => []);
    const am = A.mass;
    for (let bi = 0; bi < B.size; bi++) {
      const mb = B.mass[bi];
      let lo = 0;
      for (let oi = 0; oi < nq; oi++) {
        const qi = order[oi];
        const target = q[qi] - mb;
        const lower = target - tol[qi];
        // Lower bounds rise with the (sorted) query mass, so the pointer only moves forward.
        while (lo < A.size && am[lo] < lower) lo++;
        if (lo >= A.size) break;
        const upper = target + tol[qi];
        for (let j = lo; j < A.size && am[j] <= upper; j++) hits[qi].push({ qi, a: j, b: bi });
      }
    }
    const out: FormulaCandidate[][] = [];
    for (let qi = 0; qi < nq; qi++) {
      const list: FormulaCandidate[] = [];
      for (const h of hits[qi]) {
        const atoms: Record<string, number> = {};
        decode(A, A.index[h.a], atoms);
        decode(B, B.index[h.b], atoms);
        if (Object.keys(atoms).length === 0) continue;
        const rdbe = this.rdbe(atoms);
        if (o.rdbeMin !== null && rdbe < o.rdbeMin) continue;
        if (o.rdbeMax !== null && rdbe > o.rdbeMax) continue;
        const mz = massToMz(A.mass[h.a] + B.mass[h.b], o.charge);
        list.push({
          formula: formatFormula({ atoms, charge: o.charge }),
          atoms,
          mz,
          ppm: ((mzs[qi] - mz) / mz) * 1e6,
          mDa: (mzs[qi] - mz) * 1000,
          rdbe,
        });
      }
      list.sort((a, b) => Math.abs(a.ppm) - Math.abs(b.ppm));
      out.push(list.slice(0, o.maxResults));
    }
    return out;
  }
}

/** One-shot search of one or many m/z values. */
export function searchFormulas(mzs: ArrayLike<number>, options: FormulaSearchOptions): FormulaCandidate[][] {
  return new FormulaSearcher(options).searchBatch(mzs);
}
