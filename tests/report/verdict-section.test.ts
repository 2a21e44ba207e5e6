// The report's verdict section (issue 11): a folder whose siteproof.json has a "verdict" section
// gets the evidence table of packages/evidence in report.html and results.json; without one the
// section says how to configure it and the rest of the report is unchanged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../apps/cli/src/report/pipeline';
import { writeReport } from '../../apps/cli/src/report/output';
import { makeProgress } from '../../apps/cli/src/report/progress';
import { writeVerdictExample } from '../../scripts/examples/verdict';

let root = '';
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'siteproof-report-verdict-'));
  writeVerdictExample(path.join(root, 'dual'), 'dual');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report: verdict section', () => {
  it('includes the cross-technique verdict when siteproof.json configures it (dual-atom truth)', async () => {
    const dir = path.join(root, 'dual');
    const data = await runReport({ dir, jobs: 1, progress: makeProgress(false, () => {}) });
    const out = path.join(root, 'out');
    await writeReport(data, out, data.files.map((f) => path.join(dir, f.file)));
    expect(data.verdict).not.toBeNull();
    expect(data.verdict && 'document' in data.verdict ? data.verdict.document.overall : 'error').toBe('dual-atom');
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.verdict.overall).toBe('dual-atom');
    expect(results.verdict.rows.map((r: { technique: string }) => r.technique)).toEqual(expect.arrayContaining(['EXAFS', 'HAADF-STEM', 'ToF-SIMS']));
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<section id="verdict">[\s\S]*<table class="verdict">[\s\S]*Hamilton/);
  }, 240_000);
});
