// xas-io: files/s of read + buildMu (loadSpectrum: decode, sniff, parse, label, mu, checks) over
// the shared xafsdata spectra (every file of readers_larch.json that gives a mu(E): its mu
// column, or ln(i0/it) / fluorescence-over-i0 chosen from its labels in setup). No Larch anchor.
import { readFileSync } from 'node:fs';
import { buildMu, loadSpectrum, readAthenaProject, readColumnFile, type BuildMuOptions } from '@siteproof/xas';
import { hasShared, loadSharedJson, sharedPath, type Benchmark } from './harness';

interface Ctx {
  files: { name: string; bytes: Uint8Array; opts: BuildMuOptions }[];
  bytes: number;
}

function chooseMu(labels: string[]): string | undefined {
  const has = (l: string) => labels.includes(l);
  if (['mu', 'xmu', 'mutrans', 'mufluor'].some(has)) return undefined;
  const i0 = ['i0', 'io'].find(has);
  const it = ['itrans', 'it', 'i1'].find(has);
  if (i0 && it) return `ln(${i0}/${it})`;
  if (i0 && has('sum_fe_ka')) return `sum_fe_ka/${i0}`;
  return undefined;
}

export const benchmarks: Benchmark<Ctx>[] = [
  {
    name: 'xas-io',
    unit: 'files/s',
    skip: () => (hasShared() ? undefined : '../shared absent (xafsdata files)'),
    setup: () => {
      const ref = loadSharedJson<Record<string, unknown>>('reference/xas/readers_larch.json') ?? {};
      const files: Ctx['files'] = [];
      let total = 0;
      for (const rel of Object.keys(ref)) {
        if (rel.endsWith('.prj')) continue;
        const b = readFileSync(sharedPath(`data/xas/${rel}`));
        const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        const mu = chooseMu(readColumnFile(bytes, rel).labels);
        const opts: BuildMuOptions = { energyPolicy: 'larch', ...(mu ? { mu } : {}) };
        try {
          loadSpectrum(bytes, rel, opts);
        } catch {
          continue; // k-space files, angle scans: no mu(E) to build
        }
        files.push({ name: rel, bytes, opts });
        total += bytes.length;
      }
      return { files, bytes: total };
    },
    run: (ctx) => {
      let sink = 0;
      for (const f of ctx.files) sink += loadSpectrum(f.bytes, f.name, f.opts).mu.length;
      if (!(sink > 0)) throw new Error('no points read');
      return ctx.files.length;
    },
    notes: (ctx) => {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 500) {
        for (const f of ctx.files) buildMu(readColumnFile(f.bytes, f.name), f.opts);
        n++;
      }
      const s = (performance.now() - t0) / 1000;
      const prj = new Uint8Array(readFileSync(sharedPath('data/xas/xafsdata/AthenaProjectFiles/Fe.prj')));
      for (let i = 0; i < 3; i++) readAthenaProject(prj, 'Fe.prj'); // warm-up
      const t1 = performance.now();
      let groups = 0;
      while (performance.now() - t1 < 1000) groups += readAthenaProject(prj, 'Fe.prj').groups.length;
      const s2 = (performance.now() - t1) / 1000;
      return [`${ctx.files.length} files, ${((ctx.bytes * n) / s / 1e6).toFixed(1)} MB/s of text`, `Athena Fe.prj (gzip, Perl): ${(groups / s2).toFixed(0)} groups/s`];
    },
  },
];
