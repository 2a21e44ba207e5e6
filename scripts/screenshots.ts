// `pnpm exec tsx scripts/screenshots.ts [REPORT.html]`: render the report in Debian's chromium
// (headless, via playwright-core; never a downloaded browser) and write PNG screenshots of its
// figures to docs/ for the README walkthrough. Default report: ./out/report/report.html (make
// it with `pnpm demo`).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { writeFileAtomic } from '../apps/cli/src/io';
import { REPO_ROOT } from './make-examples';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Figure id → screenshot file (docs/). */
export const SHOTS: [string, string][] = [
  ['xas-xanes', 'report-xanes.png'],
  ['xas-e0-shift', 'report-e0-shift.png'],
  ['xas-fit-r', 'report-fit-r.png'],
  ['xas-fit-params', 'report-fit-params.png'],
  ['xas-wavelet', 'report-wavelet.png'],
  ['tofsims-window', 'report-tofsims-window.png'],
  ['tofsims-compare', 'report-tofsims-compare.png'],
  ['haadf-image', 'report-haadf.png'],
  ['haadf-spacing', 'report-haadf-spacing.png'],
];

async function main(): Promise<void> {
  const report = path.resolve(process.argv[2] ?? path.join(process.cwd(), 'out', 'report', 'report.html'));
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is absent: apt-get install chromium`);
  if (!existsSync(report)) throw new Error(`${report} not found: run pnpm demo first`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`file://${report}`, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(() => (window as unknown as { siteproofRendered?: number }).siteproofRendered !== undefined, null, { timeout: 120_000 });
    // the top of the report (title, navigation, first figure)
    const top = await page.screenshot({ clip: { x: 0, y: 0, width: 1100, height: 700 } });
    await writeFileAtomic(path.join(REPO_ROOT, 'docs', 'report-top.png'), new Uint8Array(top));
    process.stdout.write('wrote docs/report-top.png\n');
    for (const [id, file] of SHOTS) {
      const el = page.locator(`figure[data-figure="${id}"]`);
      if ((await el.count()) === 0) {
        process.stderr.write(`no figure ${id} in the report: skipped\n`);
        continue;
      }
      const png = await el.screenshot();
      await writeFileAtomic(path.join(REPO_ROOT, 'docs', file), new Uint8Array(png));
      process.stdout.write(`wrote docs/${file}\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(`screenshots: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
