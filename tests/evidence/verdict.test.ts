// The summary rule: never more than the weakest row allows.
import { describe, expect, it } from 'vitest';
import { combineEvidence, renderVerdictMarkdown, renderVerdictText, type EvidenceRow, type Support } from '@siteproof/evidence';

const row = (technique: EvidenceRow['technique'], supports: Support, p: number | null = 0.01): EvidenceRow => ({
  technique, evidence: 'e', effect: 'x', test: 't', p, interval: null, supports, caveats: supports === 'inconclusive' ? ['too noisy'] : [], details: {},
});

describe('combineEvidence', () => {
  it('two independent techniques agreeing on pairs: dual-atom', () => {
    const v = combineEvidence([row('EXAFS', 'pair'), row('EXAFS wavelet', 'pair', null), row('ToF-SIMS', 'pair')]);
    expect(v.overall).toBe('dual-atom');
  });
  it('EXAFS + its wavelet only: not independent, so not established', () => {
    const v = combineEvidence([row('EXAFS', 'pair'), row('EXAFS wavelet', 'pair', null)]);
    expect(v.overall).toBe('inconclusive');
    expect(v.leaning).toBe('pair');
    expect(v.summary).toMatch(/only technique given/);
  });
  it('one inconclusive technique caps the claim', () => {
    const v = combineEvidence([row('EXAFS', 'pair'), row('ToF-SIMS', 'pair'), row('HAADF-STEM', 'inconclusive')]);
    expect(v.overall).toBe('inconclusive');
    expect(v.summary).toMatch(/HAADF-STEM cannot decide/);
  });
  it('disagreement is reported as such', () => {
    const v = combineEvidence([row('EXAFS', 'pair'), row('HAADF-STEM', 'single')]);
    expect(v.overall).toBe('inconclusive');
    expect(v.leaning).toBeNull();
    expect(v.summary).toMatch(/disagree/);
  });
  it('a wavelet contradicting the fit vetoes the EXAFS vote; an inconclusive wavelet does not', () => {
    expect(combineEvidence([row('EXAFS', 'pair'), row('EXAFS wavelet', 'single', null), row('ToF-SIMS', 'pair')]).overall).toBe('inconclusive');
    expect(combineEvidence([row('EXAFS', 'pair'), row('EXAFS wavelet', 'inconclusive', null), row('ToF-SIMS', 'pair')]).overall).toBe('dual-atom');
  });
  it('all single: single-atom; renders text and markdown with every row', () => {
    const v = combineEvidence([row('HAADF-STEM', 'single', 0.5), row('ToF-SIMS', 'single', 0.4)]);
    expect(v.overall).toBe('single-atom');
    expect(renderVerdictText(v)).toMatch(/Verdict: SINGLE-ATOM/);
    expect(renderVerdictMarkdown(v).split('\n').filter((l) => l.startsWith('| HAADF') || l.startsWith('| ToF')).length).toBe(2);
  });
  it('no rows: a ValidationError', () => {
    expect(() => combineEvidence([])).toThrow(/no evidence/);
  });
});
