// The report of the generated example experiment (examples/experiment, made by
// scripts/make-examples.ts): every figure and table is there, the generating parameters are
// recovered, and report.html renders in headless chromium without console errors.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared';
import { runReport, type ReportData } from '../../apps/cli/src/report/pipeline';
import { writeReport } from '../../apps/cli/src/report/output';
import { makeProgress } from '../../apps/cli/src/report/progress';

const EXP = path.join(REPO_ROOT, 'examples/experiment');
const truth = JSON.parse(readFileSync(path.join(EXP, 'truth.json'), 'utf8'));

export const FIGURES = [
  'xas-xanes',
  'xas-derivative',
  'xas-e0-shift',
  'xas-chik',
  'xas-chir',
  'xas-wavelet',
  'xas-fit-k',
  'xas-fit-r',
  'xas-fit-params',
  'tofsims-window',
  'tofsims-compare',
  'haadf-image',
  'haadf-spacing',
  'haadf-pair-fraction',
];
const TABLES = ['xas_edges.csv', 'xas_fit_parameters.csv', 'tofsims_fragments.csv', 'haadf_pair_statistics.csv', 'haadf_atoms.csv'];

let out: string;
let data: ReportData;
let results: any; // eslint-disable-line @typescript-eslint/no-explicit-any
let html: string;

function specs(h: string): Map<string, { data: { type: string; x?: unknown[]; y?: unknown[]; z?: unknown[][] }[]; layout: Record<string, any> }> {
  const m = new Map();
  for (const x of h.matchAll(/<script type="application\/json" class="figure-spec" data-id="([^"]+)">([\s\S]*?)<\/script>/g)) m.set(x[1], JSON.parse(x[2]));
  return m;
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'siteproof-report-'));
  data = await runReport({ dir: EXP, jobs: 1, progress: makeProgress(false, () => {}) });
  await writeReport(data, out, data.files.map((f) => path.join(EXP, f.file)));
  results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
  html = readFileSync(path.join(out, 'report.html'), 'utf8');
}, 180_000);

describe('siteproof report on the example experiment', () => {
  it('lists every figure and table in results.json, with the options and the version', () => {
    expect(results.figures.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(FIGURES));
    for (const t of TABLES) {
      expect(results.tables.map((x: { file: string }) => x.file)).toContain(t);
      expect(existsSync(path.join(out, t)), t).toBe(true);
    }
    expect(results.siteproof.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.options.xas.preEdge.norm1).toBe(150);
    expect(results.options.tofsims.fragments).toContain('NiN2C2+');
    expect(results.files.filter((f: { status: string }) => f.status === 'skipped')).toEqual([]);
    // truth.json is not data: listed as ignored with its reason
    expect(results.files.find((f: { file: string }) => f.file === 'truth.json').status).toBe('ignored');
  });

  it('embeds a plot spec with data and axis titles (with units) for every figure', () => {
    const s = specs(html);
    for (const id of FIGURES) {
      const f = s.get(id);
      expect(f, id).toBeDefined();
      expect(f!.data.length, id).toBeGreaterThan(0);
      const n = f!.data.reduce((a, t) => a + (t.y?.length ?? 0) + (t.z?.length ?? 0), 0);
      expect(n, `${id} has points`).toBeGreaterThan(0);
      expect(JSON.stringify(f!.layout.xaxis?.title ?? f!.layout.xaxis2?.title ?? ''), id).not.toBe('""');
    }
    expect(s.get('xas-xanes')!.layout.xaxis.title.text).toBe('Energy (eV)');
    expect(s.get('xas-chir')!.layout.xaxis.title.text).toMatch(/R \(Å\)/);
    expect(s.get('xas-e0-shift')!.layout.yaxis.title.text).toBe('ΔE0 (eV)');
    expect(s.get('haadf-spacing')!.layout.xaxis.title.text).toMatch(/\(nm\)/);
    // one colour per series member, the same in every XAS overlay
    const col = (id: string) => s.get(id)!.data.filter((t: any) => t.showlegend !== false).map((t: any) => t.line.color);
    expect(new Set(col('xas-chik')).size).toBe(4);
    expect(col('xas-chir')).toEqual(col('xas-chik'));
    expect(col('xas-derivative')).toEqual(col('xas-chik'));
    // the HAADF figure carries the image itself, the window figure the 58Ni/60Ni annotations
    expect(s.get('haadf-image')!.layout.images[0].source).toMatch(/^data:image\/png;base64,/);
    const ann = s.get('tofsims-window')!.layout.annotations.map((a: { text: string }) => a.text).join(' ');
    expect(ann).toMatch(/⁵⁸NiN2C2\+/);
    expect(ann).toMatch(/⁶⁰Ni/);
    expect(html).toContain('id="summary"');
    expect(html).toContain('id="skipped"');
    expect(html).toContain('id="defaults"');
  });

  it('orders the series by acquisition and reads the potential from the metadata', () => {
    const m = results.xas.members;
    expect(m.map((x: any) => x.variable.label)).toEqual(truth.xas.members.map((x: any) => x.potential));
    expect(m.map((x: any) => x.variable.value)).toEqual(truth.xas.members.map((x: any) => x.potentialV));
    expect(m.every((x: any) => x.referenceUsed)).toBe(true);
  });

  it('recovers the generated edge shift (+1.0 eV over the series) against the foil', () => {
    // Tolerance 0.1 eV: the white line changes with potential and moves the half-step E0 by a few
    // 0.01 eV (a systematic the noise-only error bar does not include); the monochromator offsets
    // (up to 0.42 eV) are removed by the foil channel — without it they would dominate.
    const m = results.xas.members;
    truth.xas.members.forEach((t: any, i: number) => {
      expect(Math.abs(m[i].e0Shift - t.edgeShift), `${t.file}: ${m[i].e0Shift} vs ${t.edgeShift}`).toBeLessThan(0.1);
      if (i > 0) expect(m[i].e0ShiftErr).toBeGreaterThan(0);
    });
    const raw = m.map((x: any) => x.edge.halfStep - m[0].edge.halfStep);
    // the raw (not foil-referenced) shift is visibly off by the monochromator drift
    expect(Math.abs(raw[1] - truth.xas.members[1].edgeShift)).toBeGreaterThan(0.2);
  });

  it('recovers the shell-fit parameters of every member within errors', () => {
    // |fit − truth| < 3σ + a systematic allowance (0.01 Å in ΔR, 0.0015 Å² in σ²): AUTOBK's spline
    // and the edge-step estimate bias χ(k) of the synthetic μ(E) by a few % (measured on
    // noise-free data), which the statistical σ does not contain.
    const allow: Record<string, number> = { dr: 0.01, ss: 0.0015 };
    const fits = results.xas.fits;
    expect(fits.length).toBe(4);
    truth.xas.members.forEach((t: any, i: number) => {
      const f = fits.find((x: any) => x.file === `xas/${t.file}`);
      expect(f.converged).toBe(true);
      expect(f.rFactor).toBeLessThan(0.02);
      for (const [name, want] of Object.entries(t.shells) as [string, number][]) {
        const p = f.params[name];
        if (!p.vary) continue;
        const tol = 3 * p.stderr + allow[name.slice(0, 2)];
        expect(Math.abs(p.value - want), `${t.file} ${name}: ${p.value} ± ${p.stderr} vs ${want}`).toBeLessThan(tol);
      }
    });
    // the trend the series was built with: the Cu–Ni distance contracts from OCP to −1.0 V
    const drNi = truth.xas.members.map((t: any) => fits.find((x: any) => x.file === `xas/${t.file}`).params.drNi.value);
    expect(drNi[3]).toBeLessThan(drNi[0] - 0.03);
  });

  it('finds the Ni–N–C fragments with the 60Ni partner in the sample and not in the control', () => {
    const s = results.tofsims.spectra.find((x: any) => x.role === 'sample');
    const c = results.tofsims.spectra.find((x: any) => x.role === 'control');
    expect(s.file).toMatch(/ni_nc_sample/);
    expect(c.file).toMatch(/control/);
    expect(s.calibration.applied).toBe('recalibrated');
    for (const f of ['Ni+', 'NiCN+', 'NiN2C2+']) {
      const m = s.matches.find((x: any) => x.fragment === f);
      expect(m.accepted, `${f}: ${m.reason}`).toBe(true);
      expect(Math.abs(m.ppm)).toBeLessThan(5);
      const cm = c.matches.find((x: any) => x.fragment === f);
      expect(cm.accepted, `control ${f}`).toBe(false);
    }
    const ni = s.matches.find((x: any) => x.fragment === 'NiN2C2+');
    const p60 = ni.isotopes.find((i: any) => Math.abs(i.mz - 111.937) < 0.01);
    expect(p60).toBeDefined();
    // 60Ni/58Ni natural ratio 0.385 (×(1 + small C/N terms)); observed within 4 counting σ
    expect(Math.abs(p60.z)).toBeLessThan(4);
    // the nitrogen-doped carbon fragment is in both
    expect(c.matches.find((x: any) => x.fragment === 'C3H3N+').accepted).toBe(true);
  });

  it('recovers the pair fraction and the pair spacing of the HAADF image', () => {
    const st = results.haadf.images[0].statistics;
    const t = truth.haadf;
    expect(st.ci95.pairSiteFraction.wilson[0]).toBeLessThan(t.pairSiteFraction);
    expect(st.ci95.pairSiteFraction.wilson[1]).toBeGreaterThan(t.pairSiteFraction);
    expect(Math.abs(st.nPairs - t.nPairs)).toBeLessThanOrEqual(2);
    // spacing: truth mean of the generated pairs; the fit within 3 of its standard errors + 5 pm
    expect(Math.abs(st.gaussFit.mu - t.pairSpacingNm.mean)).toBeLessThan(3 * st.gaussFit.muErr + 0.005);
  });

  it('records how the atoms were detected (the image-adaptive scales and the settings used)', () => {
    const d = results.haadf.images[0].detection;
    expect(d.settings.detector).toBe('maxima');
    expect(d.settings.minSeparationNm).toBeGreaterThan(0);
    // the example image has hundreds of clear atoms: the scales must have been measured
    expect(d.auto.ok).toBe(true);
    expect(d.description).toMatch(/^auto scales: atom σ /);
  });
});

// Debian's chromium (apt-get install chromium; .ci/run installs it), driven by playwright-core.
// Never a downloaded browser. Skips, saying why, only when /usr/bin/chromium is absent.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the browser test: ${CHROMIUM} is absent (apt-get install chromium)`);

describe.skipIf(!haveChromium)('report.html in headless chromium', () => {
  it('renders every figure offline from file:// without console errors', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      // any network request would mean the report is not self-contained
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(`file://${path.join(out, 'report.html')}`, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForFunction(() => (window as unknown as { siteproofRendered?: number }).siteproofRendered !== undefined, null, { timeout: 120_000 });
      const rendered = await page.evaluate(() => (window as unknown as { siteproofRendered: number }).siteproofRendered);
      const svgs = await page.locator('.plotly-div .main-svg').count();
      expect(rendered).toBe(results.figures.length);
      expect(svgs).toBeGreaterThanOrEqual(results.figures.length);
      for (const id of FIGURES) expect(await page.locator(`#fig-${id} .main-svg`).count(), id).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
