// Formula search: all compositions within element ranges whose m/z is within a tolerance of
// an observed peak, with an RDBE filter using explicit valences (mf-finder leaves unsaturation
// undefined for metals). Meet-in-the-middle: the elements are split into two groups A and B
// (the split minimizing |A| + |B|·queries), each group's compositions are enumerated once, A's
// are bucketed by mass (counting sort, bucket width ≥ the tolerance window), and every
// (composition of B, query) pair is one bucket lookup. A 10,000-peak batch thus costs one
// enumeration plus |B|·10,000 lookups, not 10,000 independent searches.
import { z } from 'zod';
import { LimitError, parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { DEFAULT_VALENCES, getElement, getIsotope } from '../formula/elements';
import { massToMz, mzToMass } from '../formula/exactMass';
import { formatFormula, parseFormula } from '../formula/parseFormula';

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

/**
 * A candidate. Its formula text and atom counts are built on first access: a 10,000-peak batch
 * yields ~10⁵ candidates of which callers usually read a few per peak. m/z, ppm, mDa and RDBE
 * are also read from the batch's per-composition arrays on access (same expressions as the
 * selection, so the same values): a candidate is then four small integers and a reference, and
 * a batch allocates no boxed numbers per candidate (most of its cost before).
 */
class Candidate implements FormulaCandidate {
  private _formula?: string;
  private _atoms?: Record<string, number>;
  constructor(
    private readonly s: Selection,
    readonly qi: number,
    readonly ai: number,
    readonly bi: number,
  ) {}
  get mz(): number {
    return massToMz(this.s.A.mass[this.ai] + this.s.B.mass[this.bi], this.s.charge);
  }
  get ppm(): number {
    const mz = this.mz;
    return ((this.s.obs[this.qi] - mz) / mz) * 1e6;
  }
  get mDa(): number {
    return (this.s.obs[this.qi] - this.mz) * 1000;
  }
  get rdbe(): number {
    return 1 + this.s.A.rdbe[this.ai] + this.s.B.rdbe[this.bi];
  }
  get formula(): string {
    return (this._formula ??= this.s.text(this));
  }
  get atoms(): Record<string, number> {
    return (this._atoms ??= { ...parseFormula(this.formula).atoms });
  }
  toJSON() {
    return { formula: this.formula, atoms: this.atoms, mz: this.mz, ppm: this.ppm, mDa: this.mDa, rdbe: this.rdbe };
  }
}

interface Group {
  ranges: ElementRange[];
  size: number;
  /** Mass of each composition, indexed by its mixed-radix index. */
  mass: Float64Array;
  /** Σ n·(v − 2)/2 of each composition (RDBE is additive over the two groups). */
  rdbe: Float64Array;
  min: number;
  max: number;
}

function enumerate(ranges: ElementRange[], weight: (r: ElementRange) => number): Group {
  let size = 1;
  for (const r of ranges) size *= r.max - r.min + 1;
  const mass = new Float64Array(size);
  const rdbe = new Float64Array(size);
  const w = ranges.map(weight);
  let rd = 0;
  for (let e = 0; e < ranges.length; e++) rd += ranges[e].min * w[e];
  // Mixed-radix odometer: add one element's mass per step instead of decoding every index.
  const cnt = ranges.map((r) => r.min);
  let m = 0;
  for (let e = 0; e < ranges.length; e++) m += ranges[e].min * ranges[e].mass;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    mass[i] = m;
    rdbe[i] = rd;
    if (m < min) min = m;
    if (m > max) max = m;
    for (let e = 0; e < ranges.length; e++) {
      const r = ranges[e];
      if (cnt[e] < r.max) {
        cnt[e]++;
        m += r.mass;
        rd += w[e];
        break;
      }
      m -= (cnt[e] - r.min) * r.mass;
      rd -= (cnt[e] - r.min) * w[e];
      cnt[e] = r.min;
    }
  }
  return { ranges, size, mass, rdbe, min, max };
}

interface Buckets {
  width: number;
  start: Uint32Array;
  /** Composition indices, grouped by bucket. */
  items: Uint32Array;
}

/** Counting sort of a group's compositions into mass buckets of `width` u. */
function bucketize(g: Group, width: number): Buckets {
  const nb = Math.floor((g.max - g.min) / width) + 1;
  const start = new Uint32Array(nb + 1);
  for (let i = 0; i < g.size; i++) start[Math.floor((g.mass[i] - g.min) / width) + 1]++;
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const items = new Uint32Array(g.size);
  for (let i = 0; i < g.size; i++) items[fill[Math.floor((g.mass[i] - g.min) / width)]++] = i;
  return { width, start, items };
}

/** Counts of a group's composition `idx` written at positions `pos` of `into`. */
function decodeInto(g: Group, idx: number, pos: number[], into: Int32Array): void {
  let rem = idx;
  for (let i = 0; i < g.ranges.length; i++) {
    const r = g.ranges[i];
    const span = r.max - r.min + 1;
    into[pos[i]] = r.min + (rem % span);
    rem = (rem - (rem % span)) / span;
  }
}

interface Hits {
  /** A and B composition index of each hit; query qi owns hits start[qi] .. start[qi + 1] − 1. */
  a: Int32Array;
  b: Int32Array;
  start: Int32Array;
}

/**
 * Every (A, B) pair whose summed mass lies within tol[qi] of q[qi], for every query. A separate
 * function from searchBatch so V8 optimizes each phase on its own feedback (one long function
 * called once per batch deoptimized at every phase boundary). Query-major, so a query's hits are
 * contiguous; B and the bucket items are walked backwards to keep the historical tie order.
 */
function sweepHits(q: Float64Array, tol: Float64Array, A: Group, B: Group, bk: Buckets): Hits {
  const nq = q.length;
  let cap = Math.max(64, nq * 16); // grows by doubling; sized for ~10 candidates per query
  let hA = new Int32Array(cap);
  let hB = new Int32Array(cap);
  const hStart = new Int32Array(nq + 1);
  let nh = 0;
  const width = bk.width;
  const nb = bk.start.length - 1;
  const am = A.mass;
  const aMin = A.min;
  const aMax = A.max;
  const items = bk.items;
  const bstart = bk.start;
  const bm = B.mass;
  for (let qi = 0; qi < nq; qi++) {
    hStart[qi] = nh;
    const qm = q[qi];
    const tq = tol[qi];
    for (let bi = B.size - 1; bi >= 0; bi--) {
      const target = qm - bm[bi];
      const lower = target - tq;
      const upper = target + tq;
      if (upper < aMin || lower > aMax) continue;
      const b0 = Math.max(0, Math.floor((lower - aMin) / width));
      const b1 = Math.min(nb - 1, Math.floor((upper - aMin) / width));
      for (let j = bstart[b1 + 1] - 1, e = bstart[b0]; j >= e; j--) {
        const ai = items[j];
        const m = am[ai];
        if (m >= lower && m <= upper) {
          if (nh === cap) {
            cap *= 2;
            const a2 = new Int32Array(cap);
            a2.set(hA);
            hA = a2;
            const b2 = new Int32Array(cap);
            b2.set(hB);
            hB = b2;
          }
          hA[nh] = ai;
          hB[nh++] = bi;
        }
      }
    }
  }
  hStart[nq] = nh;
  return { a: hA, b: hB, start: hStart };
}

/** Per-batch state of the candidate selection (one object, so candidatesOf stays monomorphic). */
interface Selection {
  A: Group;
  B: Group;
  hits: Hits;
  /** Observed m/z values (a copy: candidates read them lazily). */
  obs: Float64Array;
  charge: number;
  rdbeMin: number | null;
  rdbeMax: number | null;
  maxResults: number;
  /** The all-zero composition is no formula. */
  skipEmpty: boolean;
  text: (c: Candidate) => string;
  /** Scratch: hit index and ppm of the kept hits, sorted by |ppm|. */
  selH: Int32Array;
  selPpm: Float64Array;
}

/** Candidates of query qi, best |ppm| first: RDBE filter, insertion by |ppm| (lists are short). */
function candidatesOf(s: Selection, qi: number): FormulaCandidate[] {
  const { A, B, hits } = s;
  const hA = hits.a;
  const hB = hits.b;
  const obs = s.obs[qi];
  let selH = s.selH;
  let selPpm = s.selPpm;
  let ns = 0;
  for (let h = hits.start[qi], he = hits.start[qi + 1]; h < he; h++) {
    const ai = hA[h];
    const bi = hB[h];
    if (s.skipEmpty && ai === 0 && bi === 0) continue;
    const rd = 1 + A.rdbe[ai] + B.rdbe[bi];
    if (s.rdbeMin !== null && rd < s.rdbeMin) continue;
    if (s.rdbeMax !== null && rd > s.rdbeMax) continue;
    const mz = massToMz(A.mass[ai] + B.mass[bi], s.charge);
    if (ns === selH.length) {
      const h2 = new Int32Array(ns * 2);
      h2.set(selH);
      s.selH = selH = h2;
      const p2 = new Float64Array(ns * 2);
      p2.set(selPpm);
      s.selPpm = selPpm = p2;
    }
    const ppm = ((obs - mz) / mz) * 1e6;
    const abs = Math.abs(ppm);
    let j = ns++;
    while (j > 0 && Math.abs(selPpm[j - 1]) > abs) {
      selPpm[j] = selPpm[j - 1];
      selH[j] = selH[j - 1];
      j--;
    }
    selPpm[j] = ppm;
    selH[j] = h;
  }
  const nk = Math.min(ns, s.maxResults);
  const list: FormulaCandidate[] = new Array(nk);
  for (let c = 0; c < nk; c++) {
    const h = selH[c];
    list[c] = new Candidate(s, qi, hA[h], hB[h]);
  }
  return list;
}

/** A reusable searcher: groups are enumerated once per (ranges, expected batch size class). */
export class FormulaSearcher {
  readonly options: z.output<typeof FormulaSearchOptions>;
  readonly ranges: ElementRange[];
  private readonly valence: Map<string, number>;
  /** Range indices in Hill order, and the charge suffix, for candidate text. */
  private readonly hillOrder: number[];
  private readonly chargeText: string;
  private readonly keys: string[];
  /** Hill order without carbon: alphabetical (H among the others). */
  private readonly alphaOrder: number[];
  private readonly cIndex: number;
  private readonly cache = new Map<string, [Group, Group]>();
  private readonly bucketCache = new Map<string, Buckets>();

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
    const probe: Record<string, number> = {};
    for (const r of this.ranges) probe[r.key] = 1;
    const hill = formatFormula({ atoms: probe, charge: 0 });
    // Hill order of the keys (with C present, C and H first; else alphabetical) from formatFormula.
    const hasC = this.ranges.some((r) => r.symbol === 'C');
    this.hillOrder = this.ranges
      .map((r, i) => ({ r, i }))
      .sort((x, y) => {
        const rank = (z: ElementRange) => (hasC ? (z.symbol === 'C' ? 0 : z.symbol === 'H' ? 1 : 2) : 2);
        return rank(x.r) - rank(y.r) || (x.r.symbol < y.r.symbol ? -1 : x.r.symbol > y.r.symbol ? 1 : 0) || x.r.key.length - y.r.key.length;
      })
      .map((x) => x.i);
    void hill;
    this.chargeText = formatFormula({ atoms: {}, charge: this.options.charge });
    this.keys = this.ranges.map((r) => r.key);
    this.cIndex = this.ranges.findIndex((r) => r.key === 'C');
    this.alphaOrder = this.ranges
      .map((r, i) => ({ r, i }))
      .sort((x, y) => (x.r.symbol < y.r.symbol ? -1 : x.r.symbol > y.r.symbol ? 1 : 0) || x.r.key.length - y.r.key.length)
      .map((x) => x.i);
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
      // Enumerating + bucketing A costs ~|A|; each (B composition, query) pair is one lookup.
      const cost = 2 * b * nQueries + 3 * a + (a > 4e6 ? Infinity : 0);
      if (cost < bestCost) (bestCost = cost), (best = mask);
    }
    if (limit === 0) best = (1 << 16) - 1;
    const key = String(best);
    let g = this.cache.get(key);
    if (!g) {
      const A = this.ranges.filter((_, i) => best & (1 << i));
      const B = this.ranges.filter((_, i) => !(best & (1 << i)));
      const wt = (r: ElementRange) => ((this.valence.get(r.key) ?? 2) - 2) / 2;
      g = [enumerate(A, wt), enumerate(B, wt)];
      this.cache.set(key, g);
    }
    return g;
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
    const [A, B] = this.groups(nq);
    let maxTol = 0;
    for (let i = 0; i < nq; i++) maxTol = Math.max(maxTol, tol[i]);
    // Bucket width: at least the window (≤ 2 buckets per lookup), at most 4 buckets per composition.
    const width = Math.max(2 * maxTol, (A.max - A.min) / (4 * A.size) || 1e-9, 1e-9);
    const bkKey = `${A.ranges.map((r) => r.key).join()}|${width}`;
    let bk = this.bucketCache.get(bkKey);
    if (!bk) {
      if (this.bucketCache.size > 8) this.bucketCache.clear();
      bk = bucketize(A, width);
      this.bucketCache.set(bkKey, bk);
    }
    const hits = sweepHits(q, tol, A, B, bk);
    // Candidates: ppm and RDBE from per-composition arrays (no decoding); the text and atom
    // counts are built only for the kept ones, in Hill order precomputed once.
    const k = this.ranges.length;
    const counts = new Int32Array(k);
    const aIdx = A.ranges.map((r) => this.ranges.indexOf(r));
    const bIdx = B.ranges.map((r) => this.ranges.indexOf(r));
    const emptyA = A.ranges.every((r) => r.min === 0);
    const emptyB = B.ranges.every((r) => r.min === 0);
    const text = (c: Candidate): string => {
      decodeInto(A, c.ai, aIdx, counts);
      decodeInto(B, c.bi, bIdx, counts);
      let t = '';
      const order = this.cIndex >= 0 && counts[this.cIndex] > 0 ? this.hillOrder : this.alphaOrder;
      for (const e of order) {
        const n = counts[e];
        if (n !== 0) t += n === 1 ? this.keys[e] : this.keys[e] + n;
      }
      return t + this.chargeText;
    };
    const sel: Selection = {
      A,
      B,
      hits,
      obs: Float64Array.from(mzs),
      charge: o.charge,
      rdbeMin: o.rdbeMin,
      rdbeMax: o.rdbeMax,
      maxResults: o.maxResults,
      skipEmpty: emptyA && emptyB,
      text,
      selH: new Int32Array(64),
      selPpm: new Float64Array(64),
    };
    const out: FormulaCandidate[][] = new Array(nq);
    for (let qi = 0; qi < nq; qi++) out[qi] = candidatesOf(sel, qi);
    return out;
  }
}

/** One-shot search of one or many m/z values. */
export function searchFormulas(mzs: ArrayLike<number>, options: FormulaSearchOptions): FormulaCandidate[][] {
  return new FormulaSearcher(options).searchBatch(mzs);
}
