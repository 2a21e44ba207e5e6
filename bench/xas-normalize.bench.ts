// xas-normalize: spectra/s of preEdge (including findE0) on the 9 reference spectra, each in several
// copies with small seeded perturbations of mu (0.1 % noise), so no result can be reused.
//  - xas-normalize: preEdge with its defaults (flattening, flat_alt);
//  - xas-normalize-exafs: preEdge as the EXAFS pipeline calls it (makeFlat: false);
//  - xas-normalize-fresh-grids: as -exafs, but every copy also on its own energy grid (all energies
//    shifted by a different sub-meV offset), so nothing grid-dependent is reused between spectra
//    (findE0's cached smoothing matrix never applies): the cost of a one-off spectrum.
// Anchor: Larch pre_edge median time on cu_metal_rt.xdi (timings_larch_head.json).
import * as os from 'node:os';
import { preEdge, type PreEdgeOptions } from '@siteproof/xas';
import { anchorFromMs, hasShared, larchMedianMs, loadSharedJson, rng, type Benchmark } from './harness';

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];
const COPIES = 4;

interface Ctx {
  spectra: { energy: Float64Array; mu: Float64Array }[];
}

function setup(freshGrids: boolean): Ctx {
  const r = rng(42);
  const spectra: Ctx['spectra'] = [];
  for (const name of NAMES) {
    const ref = loadSharedJson<{ energy: number[]; mu: number[] }>(`reference/xas/${name}.json`)!;
    let scale = 0;
    for (const v of ref.mu) scale = Math.max(scale, Math.abs(v));
    for (let c = 0; c < COPIES; c++) {
      const mu = Float64Array.from(ref.mu, (v) => v + 1e-3 * scale * (r() - 0.5));
      const shift = freshGrids ? 1e-4 * (1 + r()) : 0;
      spectra.push({ energy: Float64Array.from(ref.energy, (e) => e + shift), mu });
    }
  }
  return { spectra };
}

function bench(name: string, options: PreEdgeOptions, freshGrids: boolean): Benchmark<Ctx> {
  return {
    name,
    unit: 'spectra/s',
    skip: () => (hasShared() ? undefined : '../shared absent (reference spectra)'),
    setup: () => setup(freshGrids),
    run: (ctx) => {
      let sink = 0;
      for (const s of ctx.spectra) sink += preEdge(s.energy, s.mu, options).edgeStep;
      if (!Number.isFinite(sink)) throw new Error('non-finite edge step');
      return ctx.spectra.length;
    },
    // The machine is shared: wall-clock throughput drops with the load. CPU time of this process
    // gives the figure an idle core would reach, printed as a note beside the load average.
    notes: (ctx) => {
      const reps = 5;
      const c0 = process.cpuUsage();
      for (let r = 0; r < reps; r++) for (const s of ctx.spectra) preEdge(s.energy, s.mu, options);
      const c = process.cpuUsage(c0);
      const cpuS = (c.user + c.system) / 1e6;
      const perCpu = (reps * ctx.spectra.length) / cpuS;
      return [`${perCpu.toFixed(0)} spectra per CPU-second (${(1e6 / perCpu).toFixed(0)} µs CPU each); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`];
    },
    anchor: () => anchorFromMs('Larch pre_edge, cu_metal_rt.xdi (median of 30)', larchMedianMs('cu_metal_rt.xdi', 'pre_edge')),
  };
}

export const benchmarks: Benchmark<Ctx>[] = [
  bench('xas-normalize', {}, false),
  bench('xas-normalize-exafs', { makeFlat: false }, false),
  bench('xas-normalize-fresh-grids', { makeFlat: false }, true),
];
