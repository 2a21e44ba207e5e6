// End-to-end: build the viewer with Vite's JS API into a temp dir, serve it on 127.0.0.1 and drive
// Debian's Chromium (never a downloaded browser) with playwright-core through every workspace.
// Screenshots go to docs/viewer/ (used by the README) when SITEPROOF_SCREENSHOTS=1; otherwise to a
// temp dir, so that `pnpm test` leaves the working tree unchanged.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeImzml, makeMrc } from './testFiles';

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(here, '..');
const repo = resolve(appRoot, '../..');
const examples = join(repo, 'examples/experiment');
const shots = process.env.SITEPROOF_SCREENSHOTS === '1' ? join(repo, 'docs/viewer') : mkdtempSync(join(tmpdir(), 'siteproof-viewer-shots-'));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`viewer e2e skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

describe.skipIf(!haveChromium)('viewer in Chromium', () => {
  let out: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'siteproof-viewer-'));
    const { build } = await import('vite');
    // Unminified: the test checks behaviour, and minifying doubles the build time on a loaded machine.
    await build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true, minify: false } });
    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = join(out, path === '/' ? 'index.html' : path);
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    mkdirSync(shots, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const traces = (fig: string) => page.locator(`#plot-${fig} .scatterlayer .trace, #plot-${fig} .barlayer .trace, #plot-${fig} .heatmaplayer .hm`).count();
  const waitTraces = (fig: string, n: number) => page.waitForSelector(`#fig-${fig}[data-traces="${n}"]`, { timeout: 90_000 });
  const idle = () => page.waitForFunction(() => document.body.dataset.busy === '0', undefined, { timeout: 90_000 });

  it('XAS: spectra, overlays, wavelet, edge shift and LCF', async () => {
    const files = ['cu_00_ocp.xdi', 'cu_01_m0.4V.xdi', 'cu_02_m0.7V.xdi', 'cu_03_m1.0V.xdi'].map((f) => join(examples, 'xas', f));
    await page.setInputFiles('#file-xas', files);
    await waitTraces('xas-norm', 5); // 4 spectra + the E0 markers
    await idle();
    expect(await traces('xas-norm')).toBe(5);
    expect(await traces('xas-chik')).toBe(4);
    expect(await traces('xas-chir')).toBe(4);
    expect(await page.locator('#plot-xas-wavelet .hm, #plot-xas-wavelet image').count()).toBeGreaterThan(0);
    // Series variable read from the XDI header (OCP → its open-circuit potential), editable.
    const vars = await page.locator('#xas-list input.variable').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(vars).toEqual(['0.82', '-0.4', '-0.7', '-1']);
    await waitTraces('xas-shift', 1);
    expect(await page.locator('#table-xas-edges tbody tr').count()).toBe(4);
    // Keyboard: ↓ moves the selection.
    await page.locator('#xas-list').focus();
    await page.keyboard.press('ArrowDown');
    await idle();
    await expect.poll(() => page.locator('#xas-list tr.selected').getAttribute('data-name')).toBe('cu_01_m0.4V.xdi');
    // LCF: the two ends of the series as references, the middle ones fitted.
    await page.locator('#xas-list tr[data-name="cu_00_ocp.xdi"] input[type=checkbox]').check();
    await page.locator('#xas-list tr[data-name="cu_03_m1.0V.xdi"] input[type=checkbox]').check();
    await idle();
    await waitTraces('xas-lcf', 3);
    await expect.poll(() => page.locator('#table-xas-lcf tbody tr').count()).toBe(2);
    // Figure export: PNG through Plotly.downloadImage.
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="xas-norm-png"]')]);
    expect(png.suggestedFilename()).toBe('siteproof-xas-norm.png');
    expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe('PNG');
    await page.screenshot({ path: join(shots, 'xas.png'), fullPage: false });
  }, 180_000);

  it('XAS: shell fit of the selected spectrum with the example model and FEFF paths', async () => {
    const feff = ['feff0001.dat', 'feff0002.dat', 'feff0003.dat'].map((f) => join(examples, 'xas/feff/CuNi_S2', f));
    await page.setInputFiles('#file-xas', [join(examples, 'xas/cu_shells.model.json'), ...feff]);
    await idle();
    expect(await page.locator('#xas-list tbody tr').count()).toBe(4); // model and paths are not spectra
    await page.click('#xas-fit-run');
    await waitTraces('xas-fit', 2);
    const params = await page.locator('#table-xas-fit tbody tr td:first-child').allTextContents();
    expect(params).toEqual(expect.arrayContaining(['drN', 'ssN', 'drNi', 'R-factor']));
    await page.locator('#fig-xas-fit').screenshot({ path: join(shots, 'xas-shell-fit.png') });
  }, 180_000);

  it('XAS: a corrupt file shows the typed error and leaves the rest working', async () => {
    await page.setInputFiles('#file-xas', { name: 'broken.xdi', mimeType: 'text/plain', buffer: Buffer.from('# XDI/1.0\n# Column.1: energy eV\n#----\nnot numbers at all\n1 2 3 x\n') });
    const msg = page.locator('#msg-xas .message.error', { hasText: 'broken.xdi' });
    await msg.waitFor({ timeout: 60_000 });
    expect(await msg.textContent()).toMatch(/broken\.xdi/);
    await idle();
    expect(await page.locator('#xas-list tr[data-name="broken.xdi"]').count()).toBe(0);
    expect(await traces('xas-norm')).toBe(5);
  }, 120_000);

  it('ToF-SIMS: a corrupt file dropped on the workspace shows the message', async () => {
    await page.click('#tab-tofsims');
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['Channel\tm/z\tIntensity\n1\t10.0\tabc\n'], 'bad_spectrum.txt', { type: 'text/plain' }));
      return d;
    });
    await page.dispatchEvent('#ws-tofsims', 'drop', { dataTransfer: dt });
    const msg = page.locator('#msg-tofsims .message.error', { hasText: 'bad_spectrum.txt' });
    await msg.waitFor({ timeout: 60_000 });
    await idle();
  }, 120_000);

  it('ToF-SIMS: spectra, annotated matches with isotopes, comparison table exported as CSV', async () => {
    await page.click('#tab-tofsims');
    await page.setInputFiles('#file-tofsims', [join(examples, 'tofsims/ni_nc_sample_pos.txt'), join(examples, 'tofsims/nc_control_pos.txt')]);
    await waitTraces('tof-spectrum', 2);
    await idle();
    expect(await traces('tof-spectrum')).toBe(2);
    expect(await page.locator('#plot-tof-spectrum .annotation').count()).toBeGreaterThan(0);
    expect(await traces('tof-isotopes')).toBe(3); // two windows + expected isotope sticks
    expect(await page.locator('#table-tof-compare tbody tr').count()).toBe(5);
    // Fragment editor: add one, the table grows.
    await page.fill('#tof-fragment-input', 'CN-');
    await page.press('#tof-fragment-input', 'Enter');
    await idle();
    await expect.poll(() => page.locator('#table-tof-compare tbody tr').count(), { timeout: 60_000 }).toBe(6);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="tof-compare-csv"]')]);
    const csv = readFileSync((await dl.path())!, 'utf8');
    expect(dl.suggestedFilename()).toBe('siteproof-tof-compare.csv');
    expect(csv.split('\n')[0]).toMatch(/^fragment,ni_nc_sample_pos\.txt norm\. area/);
    expect(csv).toMatch(/\nNiN4C4\+,/);
    await page.screenshot({ path: join(shots, 'tofsims.png') });
  }, 180_000);

  it('HAADF: atoms overlay, add/remove an atom by clicking, histogram and line profile', async () => {
    await page.click('#tab-haadf');
    await page.setInputFiles('#file-haadf', join(examples, 'haadf/haadf_cu_ni_nc.tif'));
    await waitTraces('haadf-image', 5);
    await idle();
    const n0 = await page.locator('#table-haadf-atoms tbody tr').count();
    expect(n0).toBeGreaterThan(5);
    expect(await page.locator('#plot-haadf-hist .barlayer .trace').count()).toBe(1);
    expect(await page.locator('#haadf-summary').textContent()).toMatch(/pair fraction .* %/);
    // how the atoms were found (measured scales → settings) is stated, not hidden
    expect(await page.locator('#msg-haadf .message.info', { hasText: 'atoms;' }).first().textContent()).toMatch(/atoms; (auto scales|scales: fixed)/);
    // Click an empty spot (far from every atom) → one atom more; click it again → back.
    const spot = await page.evaluate(() => {
      const gd = document.getElementById('plot-haadf-image') as unknown as { _fullLayout: { xaxis: { l2p(v: number): number; _offset: number }; yaxis: { l2p(v: number): number; _offset: number } } };
      const rows = Array.from(document.querySelectorAll('#table-haadf-atoms tbody tr')).map((r) => [Number(r.children[1].textContent), Number(r.children[2].textContent)]);
      let best = { x: 0, y: 0, d: -1 };
      for (let x = 40; x < 480; x += 20)
        for (let y = 40; y < 480; y += 20) {
          const d = Math.min(...rows.map(([ax, ay]) => Math.hypot(ax - x, ay - y)));
          if (d > best.d) best = { x, y, d };
        }
      const box = (gd as unknown as HTMLElement).getBoundingClientRect();
      const fl = gd._fullLayout;
      return { px: box.left + fl.xaxis._offset + fl.xaxis.l2p(best.x), py: box.top + fl.yaxis._offset + fl.yaxis.l2p(best.y) };
    });
    await page.mouse.click(spot.px, spot.py);
    await expect.poll(() => page.locator('#table-haadf-atoms tbody tr').count(), { timeout: 60_000 }).toBe(n0 + 1);
    expect(await page.locator('#fig-haadf-image').getAttribute('data-last-action')).toBe('added');
    await idle();
    await page.mouse.click(spot.px, spot.py);
    await expect.poll(() => page.locator('#table-haadf-atoms tbody tr').count(), { timeout: 60_000 }).toBe(n0);
    expect(await page.locator('#fig-haadf-image').getAttribute('data-last-action')).toBe('removed');
    await idle();
    if ((await page.locator('#haadf-pair option').count()) > 0) await waitTraces('haadf-profile', 2);
    await page.screenshot({ path: join(shots, 'haadf.png') });
    // A corrupt image: readable message, the loaded image stays.
    await page.setInputFiles('#file-haadf', { name: 'corrupt.tif', mimeType: 'image/tiff', buffer: Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]) });
    const msg = page.locator('#msg-haadf .message.error', { hasText: 'corrupt.tif' });
    await msg.waitFor({ timeout: 60_000 });
    expect(await msg.textContent()).toMatch(/corrupt\.tif/);
    await idle();
    expect(await page.locator('#table-haadf-atoms tbody tr').count()).toBe(n0);
  }, 180_000);

  it('session: saved as one JSON file and loaded again', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#session-save')]);
    const text = readFileSync((await dl.path())!, 'utf8');
    const s = JSON.parse(text);
    expect(s.format).toBe('siteproof-viewer-session');
    expect(s.files.length).toBe(11); // 4 spectra + model + 3 FEFF paths, 2 ToF-SIMS spectra, 1 image
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    await page.setInputFiles('#session-load', { name: 'session.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await waitTraces('xas-norm', 5);
    await idle();
    expect(await page.locator('#xas-list tr[data-name="cu_03_m1.0V.xdi"] input[type=checkbox]').isChecked()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('XAS: a SPEC file with two scans becomes two spectra', async () => {
    await page.click('#tab-xas');
    // Synthetic K-edge step with a little EXAFS-like wiggle; the second scan 1.5 eV higher.
    const scan = (n: number, shift: number) => {
      const rows: string[] = [];
      for (let e = 8800; e <= 9600; e += 2) {
        const x = e - 8979 - shift;
        const k = x > 0 ? Math.sqrt(0.2625 * x) : 0;
        rows.push(`${e} ${(0.2 + 0.5 + Math.atan(x / 2) / Math.PI + (x > 0 ? 0.05 * Math.sin(2 * 2.2 * k) * Math.exp(-0.02 * k * k) : 0)).toFixed(6)}`);
      }
      return `#S ${n} ascan energy\n#N 2\n#L Energy  mu\n${rows.join('\n')}\n`;
    };
    const text = `#F synthetic.spec\n#E 0\n\n${scan(1, 0)}\n${scan(2, 1.5)}`;
    await page.setInputFiles('#file-xas', { name: 'synthetic.spec', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator('#xas-list tr[data-name^="synthetic.spec#"]').count(), { timeout: 90_000 }).toBe(2);
    await idle();
    await waitTraces('xas-norm', 7); // 4 + 2 spectra + E0 markers
  }, 180_000);

  it('HAADF: an MRC image (built here) renders with its atoms; a Velox EMD opens through h5wasm in the worker', async () => {
    await page.click('#tab-haadf');
    await page.setInputFiles('#file-haadf', { name: 'synthetic.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from(makeMrc()) });
    await expect.poll(() => page.locator('#haadf-image').inputValue(), { timeout: 90_000 }).toBe('synthetic.mrc');
    await idle();
    expect(await page.locator('#table-haadf-atoms tbody tr').count()).toBe(5);
    expect(await page.locator('#plot-haadf-image .heatmaplayer .hm, #plot-haadf-image image').count()).toBeGreaterThan(0);
    expect(await page.locator('#haadf-summary').textContent()).toMatch(/^5 atoms · 4 sites · 1 pairs/);
    // EMD needs an HDF5 file: the small Velox example of ../shared when present (skipped otherwise).
    const emd = resolve(repo, '../shared/data/stem/rosettasciio/emd/fei_example_tem_stack.emd');
    if (existsSync(emd)) {
      await page.setInputFiles('#file-haadf', emd);
      await expect.poll(() => page.locator('#haadf-image option[value="fei_example_tem_stack.emd"]').count(), { timeout: 90_000 }).toBe(1);
      await idle();
      expect(await page.locator('#msg-haadf .message.error', { hasText: 'worker failed' }).count()).toBe(0);
    } else console.warn('viewer e2e: EMD part skipped, ../shared is absent');
  }, 180_000);

  it('ToF-SIMS: an imzML map (built here) needs its .ibd; summed spectrum and ion image render', async () => {
    await page.click('#tab-tofsims');
    const { imzml, ibd } = makeImzml({ width: 4, height: 3 });
    const xml = { name: 'map.imzML', mimeType: 'application/xml', buffer: Buffer.from(imzml) };
    await page.setInputFiles('#file-tofsims', xml);
    await page.locator('#msg-tofsims .message.error', { hasText: 'map.ibd is missing' }).waitFor({ timeout: 60_000 });
    await idle();
    await page.setInputFiles('#file-tofsims', [xml, { name: 'map.ibd', mimeType: 'application/octet-stream', buffer: Buffer.from(ibd) }]);
    await waitTraces('tof-ion', 1);
    await idle();
    expect(await page.locator('#plot-tof-spectrum .scatterlayer .trace').count()).toBe(3); // 2 ASCII spectra (session) + the map's sum
    expect(await page.locator('#plot-tof-ion .heatmaplayer .hm, #plot-tof-ion image').count()).toBeGreaterThan(0);
    // The planted Ni+ intensity grows with x: the ion image shows it.
    const z = await page.evaluate(() => (document.getElementById('plot-tof-ion') as unknown as { data: { z: number[][] }[] }).data[0].z);
    expect(z.length).toBe(3);
    expect(z[0][3] / z[0][0]).toBeCloseTo(4, 1);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
