// Example folders for `siteproof verdict`, with a known truth:
//   dual   — Fe–Cu dual-atom sites: χ(k) with an Fe–Cu path, HAADF layout with 30 % pairs,
//            ToF-SIMS with [FeCuN6O2]+ ×8 above the single-atom control;
//   single — Fe single atoms with Cl at the Fe–Cu distance: χ(k) with Fe–Cl, a random layout,
//            [FeCuN6O2]+ at the control's recombination level;
//   unclear — the dual-atom truth but noisy χ(k), a dense random-looking layout, no SIMS control.
// χ(k) from the committed FEFF 8.5 library (packages/xas/feff-library) with seeded noise; fit
// models reference those path files. Run: pnpm exec tsx scripts/examples/verdict.ts [OUTDIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PathModel, readFeffPath } from '@siteproof/xas';
import { syntheticSpectrum } from '@siteproof/tofsims';
import { synthesizeChi, synthesizeLayout } from '../../packages/evidence/src/index';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LIB = path.join(ROOT, 'packages/xas/feff-library');
const lib = (f: string) => new PathModel(readFeffPath(readFileSync(path.join(LIB, f), 'utf8'), f));

export type VerdictCase = 'dual' | 'single' | 'unclear';

function models(dir: string) {
  const rel = (f: string) => path.relative(dir, path.join(LIB, f)).split(path.sep).join('/');
  const transform = { kmin: 3, kmax: 12, kweight: 2, dk: 1, window: 'hanning', rmin: 1.0, rmax: 3.0 };
  const base = { s02: 0.9, e0: { value: 0, vary: true }, nN: { value: 4, vary: true, min: 0, max: 8 }, drN: { value: 0, vary: true }, ssN: { value: 0.005, vary: true } };
  const second = { nX: { value: 1, vary: true, min: 0, max: 4 }, drX: { value: 0, vary: true, min: -0.3, max: 0.3 }, ssX: { value: 0.006, vary: true, min: 0.001, max: 0.03 } };
  const first = { feff: rel('FeCu_N2/feff0001.dat'), label: 'Fe-N', degen: 'nN', s02: 's02', e0: 'e0', deltar: 'drN', sigma2: 'ssN' };
  const x = (f: string, label: string) => ({ feff: rel(f), label, degen: 'nX', s02: 's02', e0: 'e0', deltar: 'drX', sigma2: 'ssX' });
  const m = (params: object, paths: object[]) => JSON.stringify({ data: 'chi.dat', transform, params, paths }, null, 2) + '\n';
  return {
    'fit-pair.json': m({ ...base, ...second }, [first, x('FeCu_N2/feff0002.dat', 'Fe-Cu')]),
    'fit-without.json': m(base, [first]),
    'fit-alt-Fe-Cl.json': m({ ...base, ...second }, [first, x('FeN4Cl/feff0002.dat', 'Fe-Cl')]),
    'fit-alt-Fe-S.json': m({ ...base, ...second }, [first, x('FeN3S1/feff0002.dat', 'Fe-S')]),
  };
}

const CAL = { t0: 150, k: 20000 };
/** ToF-SIMS export cropped to m/z 100–250 (the fragments; keeps the file small), SurfaceLab-like columns. */
function sims(hetero: number, seed: number): string {
  const s = syntheticSpectrum({
    ions: [{ formula: 'FeN4+', counts: 8000 }, { formula: 'CuN4+', counts: 6000 }, { formula: 'FeCuN6O2+', counts: hetero }, { formula: 'C7H7+', counts: 20000 }, { formula: 'C10H8+', counts: 9000 }],
    calibration: CAL,
    channels: 330_000,
    resolution: 15000,
    background: 0.2,
    seed,
  });
  const lines = ['Channel\tm/z\tIntensity'];
  for (let i = 0; i < s.mz.length; i++) if (s.mz[i] >= 100 && s.mz[i] <= 250) lines.push(`${s.channel![i]}\t${s.mz[i].toFixed(5)}\t${s.intensity[i]}`);
  return lines.join('\n') + '\n';
}

export function writeVerdictExample(dir: string, kind: VerdictCase): void {
  mkdirSync(dir, { recursive: true });
  const FeN = lib('FeCu_N2/feff0001.dat');
  const second = kind === 'single' ? { path: lib('FeN4Cl/feff0002.dat'), n: 1, deltar: 0.1, sigma2: 0.005 } : { path: lib('FeCu_N2/feff0002.dat'), n: 1, deltar: -0.02, sigma2: 0.006 };
  const { k, chi } = synthesizeChi([{ path: FeN, n: 4, deltar: 0.01, sigma2: 0.005 }, second], { noise: kind === 'unclear' ? 0.03 : 0.0008, seed: kind === 'dual' ? 11 : kind === 'single' ? 12 : 13, e0: 1.5 });
  const rows = ['# k chi', ...Array.from(k, (v, i) => `${v.toFixed(3)} ${chi[i].toExponential(6)}`)];
  writeFileSync(path.join(dir, 'chi.dat'), rows.join('\n') + '\n');
  for (const [f, t] of Object.entries(models(dir))) writeFileSync(path.join(dir, f), t);
  const W = 40;
  const lay = kind === 'dual' ? synthesizeLayout({ widthNm: W, heightNm: W, nSingles: 70, nPairs: 30, seed: 6 }) : kind === 'single' ? synthesizeLayout({ widthNm: W, heightNm: W, nSingles: 80, nPairs: 0, seed: 2 }) : synthesizeLayout({ widthNm: W, heightNm: W, nSingles: 2400, nPairs: 0, seed: 2 });
  const atoms = ['image,x_nm,y_nm,snr', ...Array.from(lay.xNm, (x, i) => `field1,${x.toFixed(4)},${lay.yNm[i].toFixed(4)},8`)];
  writeFileSync(path.join(dir, 'atoms.csv'), atoms.join('\n') + '\n');
  writeFileSync(path.join(dir, 'sample.txt'), sims(kind === 'single' ? 400 : 3200, kind === 'dual' ? 102 : 103));
  if (kind !== 'unclear') writeFileSync(path.join(dir, 'control.txt'), sims(400, 101));
  const config = { verdict: { metals: ['Fe', 'Cu'], haadf: { atoms: 'atoms.csv', widthNm: W, heightNm: W, simulations: kind === 'unclear' ? 19 : 199 }, tofsims: { sample: 'sample.txt', ...(kind !== 'unclear' ? { control: 'control.txt' } : {}), recalibrate: false } } };
  writeFileSync(path.join(dir, 'siteproof.json'), JSON.stringify(config, null, 2) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'examples/verdict'));
  for (const kind of ['dual', 'single', 'unclear'] as const) writeVerdictExample(path.join(out, kind), kind);
  console.log(`wrote ${out}/{dual,single,unclear}`);
}
