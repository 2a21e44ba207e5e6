// The verdict: the evidence rows side by side and a plain-language summary that never claims
// more than the weakest row allows. Rules (README "Summary rule"):
// - "dual-atom" only when every technique given supports a pair AND at least two independent
//   techniques do (the wavelet row is part of EXAFS, not independent);
// - "single-atom" likewise for single;
// - otherwise "inconclusive", with what each row does and does not show.
import { ValidationError } from '@siteproof/core';
import { fmt, fmtP, type EvidenceRow, type Support } from './row';

export type Overall = 'dual-atom' | 'single-atom' | 'inconclusive';

export interface Verdict {
  overall: Overall;
  /** Where the decisive rows point when the overall verdict is inconclusive (null: nowhere or they disagree). */
  leaning: 'pair' | 'single' | null;
  summary: string;
  rows: EvidenceRow[];
}

const independent = (r: EvidenceRow) => (r.technique === 'EXAFS wavelet' ? 'EXAFS' : r.technique);

export function combineEvidence(rows: EvidenceRow[]): Verdict {
  if (rows.length === 0) throw new ValidationError('no evidence: give at least one technique (EXAFS fits, HAADF atoms, ToF-SIMS spectra or XANES)', { field: 'verdict' });
  const techniques = [...new Set(rows.map(independent))];
  // A technique's vote: its rows must agree (EXAFS fit and wavelet); any inconclusive row leaves it undecided.
  const vote = (t: string): Support => {
    const s = rows.filter((r) => independent(r) === t).map((r) => r.supports);
    if (s.every((x) => x === 'pair')) return 'pair';
    if (s.every((x) => x === 'single')) return 'single';
    // The qualitative wavelet may be inconclusive without vetoing a decisive fit, but may not contradict it.
    const main = rows.find((r) => r.technique === t)?.supports ?? 'inconclusive';
    if (t === 'EXAFS' && main !== 'inconclusive' && !s.includes(main === 'pair' ? 'single' : 'pair')) return main;
    return 'inconclusive';
  };
  const votes = new Map(techniques.map((t) => [t, vote(t)] as const));
  const pairs = techniques.filter((t) => votes.get(t) === 'pair');
  const singles = techniques.filter((t) => votes.get(t) === 'single');
  const undecided = techniques.filter((t) => votes.get(t) === 'inconclusive');
  let overall: Overall = 'inconclusive';
  let leaning: Verdict['leaning'] = null;
  const parts: string[] = [];
  const list = (a: string[]) => (a.length <= 1 ? a.join('') : `${a.slice(0, -1).join(', ')} and ${a[a.length - 1]}`);
  if (pairs.length && singles.length) {
    parts.push(`The techniques disagree: ${list(pairs)} point${pairs.length === 1 ? 's' : ''} to metal pairs, ${list(singles)} to single atoms. The data do not decide.`);
  } else if (pairs.length === techniques.length && pairs.length >= 2) {
    overall = 'dual-atom';
    leaning = 'pair';
    parts.push(`${list(pairs)} independently support metal–metal pairs.`);
  } else if (singles.length === techniques.length && singles.length >= 2) {
    overall = 'single-atom';
    leaning = 'single';
    parts.push(`${list(singles)} independently support isolated single atoms (no pairs beyond chance).`);
  } else if (pairs.length || singles.length) {
    leaning = pairs.length ? 'pair' : 'single';
    const what = pairs.length ? 'metal pairs' : 'single atoms';
    const who = pairs.length ? pairs : singles;
    parts.push(
      `${list(who)} point${who.length === 1 ? 's' : ''} to ${what}` +
        (undecided.length ? `, but ${list(undecided)} cannot decide` : ', but it is the only technique given') +
        `: consistent with ${what}, not established.`,
    );
  } else parts.push(`No technique can decide (${list(undecided)}): inconclusive.`);
  for (const r of rows) {
    const stat = r.p !== null ? fmtP(r.p) : r.interval ?? '';
    parts.push(`${r.technique}: ${r.supports === 'inconclusive' ? 'inconclusive' : `supports ${r.supports === 'pair' ? 'pairs' : 'single atoms'}`}${stat ? ` (${stat})` : ''}${r.caveats.length ? ` — ${r.caveats[0]}` : ''}.`);
  }
  return { overall, leaning, summary: parts.join(' '), rows };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** The table as plain text (the CLI without --json). */
export function renderVerdictText(v: Verdict): string {
  const lines: string[] = [];
  lines.push(`Verdict: ${v.overall.toUpperCase()}${v.overall === 'inconclusive' && v.leaning ? ` (leaning ${v.leaning === 'pair' ? 'dual-atom' : 'single-atom'})` : ''}`);
  lines.push('');
  for (const r of v.rows) {
    lines.push(`■ ${r.technique} — ${r.supports}`);
    const field = (k: string, t: string | null) => {
      if (!t) return;
      const w = wrap(t, 92);
      lines.push(`  ${k.padEnd(10)}${w[0]}`);
      for (const x of w.slice(1)) lines.push(`  ${''.padEnd(10)}${x}`);
    };
    field('evidence', r.evidence);
    field('effect', r.effect);
    field('test', r.test);
    field('p', r.p !== null ? fmtP(r.p) : null);
    field('interval', r.interval);
    for (const c of r.caveats) field('caveat', c);
    lines.push('');
  }
  lines.push(...wrap(v.summary, 102));
  return lines.join('\n') + '\n';
}

/** The table as Markdown (for the report): one row per technique. */
export function renderVerdictMarkdown(v: Verdict): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    `**Verdict: ${v.overall}**${v.overall === 'inconclusive' && v.leaning ? ` (leaning ${v.leaning === 'pair' ? 'dual-atom' : 'single-atom'})` : ''}`,
    '',
    '| technique | evidence | effect size | test | p / interval | supports | caveats |',
    '|---|---|---|---|---|---|---|',
    ...v.rows.map((r) => `| ${[r.technique, r.evidence, r.effect, r.test, [r.p !== null ? fmtP(r.p) : '', r.interval ?? ''].filter(Boolean).join('; ') || '—', r.supports, r.caveats.join('; ') || '—'].map(esc).join(' | ')} |`),
    '',
    esc(v.summary),
  ];
  return out.join('\n') + '\n';
}

export { fmt };
