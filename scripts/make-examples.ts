// `pnpm examples`: regenerate every example data file the project ships (examples/**). Each
// generator is a pure function returning file contents; this script only writes them (atomically).
// Add new generators to GENERATORS.
//  - examples/xas/ni_sac_example.xdi: one Ni K-edge scan (scripts/examples/xasSpectrum.ts)
//  - examples/experiment/: one experiment as a user brings it to `siteproof report` — an in situ
//    Cu K-edge potential series (XDI, foil channel), a shell-fit model with its FEFF paths, a
//    Ni–N–C ToF-SIMS spectrum and its metal-free control, a HAADF image — plus truth.json (the
//    generating parameters, for the tests; the report ignores it).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../apps/cli/src/io';
import { generateXasExample } from './examples/xasSpectrum';
import { FEFF_FILES, FEFF_SITE, generateXasSeries } from './examples/xasSeries';
import { generateTofsims } from './examples/tofsimsNiNC';
import { generateHaadf } from './examples/haadfPairs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXPERIMENT_DIR = 'examples/experiment';

export interface ExampleFile {
  /** Path relative to the repository root. */
  path: string;
  contents: () => string | Uint8Array;
}

const readLibrary = (f: string) => readFileSync(path.join(REPO_ROOT, 'packages/xas/feff-library', f), 'utf8');

// Generated once per run and shared by the files of one experiment (they share the truth).
let experimentCache: { files: { path: string; data: string | Uint8Array }[] } | undefined;
function experiment(): { path: string; data: string | Uint8Array }[] {
  if (experimentCache) return experimentCache.files;
  const xas = generateXasSeries(readLibrary);
  const tof = generateTofsims();
  const haadf = generateHaadf();
  const dir = EXPERIMENT_DIR;
  const files: { path: string; data: string | Uint8Array }[] = [
    ...xas.files.map((f) => ({ path: `${dir}/xas/${f.name}`, data: f.text })),
    { path: `${dir}/xas/${xas.model.name}`, data: xas.model.text },
    // The model's FEFF paths travel with the experiment (copied from the project's own library).
    ...FEFF_FILES.map((f) => ({ path: `${dir}/xas/feff/${FEFF_SITE}/${f}`, data: readLibrary(`${FEFF_SITE}/${f}`) })),
    ...tof.files.map((f) => ({ path: `${dir}/tofsims/${f.name}`, data: f.text })),
    { path: `${dir}/haadf/${haadf.name}`, data: haadf.bytes },
    {
      path: `${dir}/siteproof.json`,
      data:
        JSON.stringify(
          {
            title: 'Cu–S–Ni dual-atom catalyst: in situ XAS, ToF-SIMS and HAADF (synthetic example)',
            xas: { variable: { name: 'potential', metadataKey: 'Sample.electrochemical_potential', unit: 'V vs RHE' }, referenceChannel: 'ln(itrans/irefer)' },
            tofsims: { fragments: ['Ni+', 'NiCN+', 'NiN2C2+', 'NiN4C4+', 'C3H3N+'], control: 'control', window: { fragment: 'NiN2C2+' } },
          },
          null,
          2,
        ) + '\n',
    },
    {
      path: `${dir}/truth.json`,
      data: JSON.stringify({ generator: 'scripts/make-examples.ts', xas: xas.truth, tofsims: tof.truth, haadf: { ...haadf.truth, atoms: undefined } }, null, 2) + '\n',
    },
  ];
  experimentCache = { files };
  return files;
}

const EXPERIMENT_PATHS = [
  ...['cu_00_ocp.xdi', 'cu_01_m0.4V.xdi', 'cu_02_m0.7V.xdi', 'cu_03_m1.0V.xdi', 'cu_shells.model.json'].map((f) => `${EXPERIMENT_DIR}/xas/${f}`),
  ...FEFF_FILES.map((f) => `${EXPERIMENT_DIR}/xas/feff/${FEFF_SITE}/${f}`),
  `${EXPERIMENT_DIR}/tofsims/ni_nc_sample_pos.txt`,
  `${EXPERIMENT_DIR}/tofsims/nc_control_pos.txt`,
  `${EXPERIMENT_DIR}/haadf/haadf_cu_ni_nc.tif`,
  `${EXPERIMENT_DIR}/siteproof.json`,
  `${EXPERIMENT_DIR}/truth.json`,
];

export const GENERATORS: ExampleFile[] = [
  { path: 'examples/xas/ni_sac_example.xdi', contents: () => generateXasExample().xdi },
  ...EXPERIMENT_PATHS.map((p) => ({
    path: p,
    contents: () => {
      const f = experiment().find((x) => x.path === p);
      if (!f) throw new Error(`no generator output for ${p}`);
      return f.data;
    },
  })),
];

export async function makeExamples(only?: (p: string) => boolean): Promise<string[]> {
  const written: string[] = [];
  for (const g of GENERATORS) {
    if (only && !only(g.path)) continue;
    const target = path.join(REPO_ROOT, g.path);
    await writeFileAtomic(target, g.contents());
    written.push(g.path);
  }
  return written;
}

const isEntry = process.argv[1] !== undefined && /make-examples\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  makeExamples().then(
    (files) => process.stdout.write(files.map((f) => `wrote ${f}\n`).join('')),
    (e) => {
      process.stderr.write(`make-examples: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
