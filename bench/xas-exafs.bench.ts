// EXAFS benchmarks (issue 4).
// - xas-pipeline: preEdge + AUTOBK + xftf per spectrum (exafsPipeline, exactly what `xas exafs`
//   computes) over 1,008 spectra: the 9 shared reference spectra × 112 copies, each copy with seeded
//   white noise of 2·10⁻⁴ of the edge step added to μ (so no result can be reused). Anchor: Larch's
//   `seconds_per_spectrum_pre_edge_autobk_xftf` averaged over the same 9 spectra (equal weights, as
//   in our mix), converted to spectra/s.
// - xas-pipeline-series: the same pipeline on an in-situ potential series, where E0 moves from
//   scan to scan: copy c of each reference spectrum has its energy axis shifted by 0.23·c eV (plus
//   the same noise), so no two spectra share E0 or the grid and AUTOBK rebuilds its geometry
//   (knots, spline factorization, Jacobian) for every spectrum. Same Larch anchor: Larch
//   recomputes everything per call anyway. This is the honest figure for in-situ data.
// - xas-autobk / xas-xftf / xas-wavelet-cauchy: the single calls on cu_metal_rt (AUTOBK with the
//   reference E0/edge step), anchored on Larch's medians in timings_larch_head.json.
import { autobk, cauchyWavelet, exafsPipeline, xftf } from '@siteproof/xas';
import { availableParallelism, loadavg } from 'node:os';
import { ExafsBatchPool } from '../apps/cli/src/batch/exafsBatch';
import { anchorFromMs, hasShared, larchMedianMs, loadSharedJson, rng, type Benchmark } from './harness';

/**
 * The shared 2-core machine is often loaded by other jobs, which inflates wall-clock times (the
 * Larch anchors were measured at load ≈ 0.5). As a second figure we report throughput per CPU
 * second of this process (single-threaded, so close to the idle-machine wall time) and the load.
 */
function cpuNote(run: () => number, anchor: number | undefined, unit: string): string[] {
  const c = process.cpuUsage();
  let items = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500) items += run();
  const u = process.cpuUsage(c);
  const perCpuSecond = items / ((u.user + u.system) / 1e6);
  const ratio = anchor ? ` = ${(perCpuSecond / anchor).toFixed(1)}× the reference` : '';
  return [`per CPU-second: ${perCpuSecond.toFixed(1)} ${unit}${ratio} (load average ${loadavg()[0].toFixed(1)} on 2 cores)`];
}

const NAMES = ['cu_metal_rt', 'ni_metal_rt', 'fe3c_rt', 'cu_10k', 'fexanes_a', 'fexanes_b', 'fexanes_c', 'fexanes_d', 'fexanes_e'];
const COPIES = 112;

interface RefSpectrum {
  energy: number[];
  mu: number[];
  e0: number;
  edge_step: number;
  k: number[];
  chi: number[];
  seconds_per_spectrum_pre_edge_autobk_xftf: number;
}

interface Spec {
  energy: Float64Array;
  mu: Float64Array;
  e0: number;
  edgeStep: number;
}

function perturbed(names: string[], copies: number, seed: number): Spec[] {
  const r = rng(seed);
  const out: Spec[] = [];
  for (const name of names) {
    const ref = loadSharedJson<RefSpectrum>(`reference/xas/${name}.json`)!;
    for (let c = 0; c < copies; c++) {
      // Box–Muller white noise, 2e-4 of the edge step: realistic for a good transmission scan.
      const mu = Float64Array.from(ref.mu, (v) => v + 2e-4 * ref.edge_step * Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r()));
      out.push({ energy: Float64Array.from(ref.energy), mu, e0: ref.e0, edgeStep: ref.edge_step });
    }
  }
  return out;
}

/** As perturbed(), and copy c's energy axis shifted by 0.23·c eV (E0 differs for every spectrum). */
function potentialSeries(names: string[], copies: number, seed: number): Spec[] {
  const out = perturbed(names, copies, seed);
  for (let i = 0; i < out.length; i++) {
    const shift = 0.23 * (i % copies);
    const e = out[i].energy;
    for (let j = 0; j < e.length; j++) e[j] += shift;
    out[i].e0 += shift;
  }
  return out;
}

const skip = () => (hasShared() ? undefined : '../shared absent (reference spectra and Larch timings)');

function larchPipelineAnchor() {
  let s = 0;
  for (const name of NAMES) {
    const t = loadSharedJson<RefSpectrum>(`reference/xas/${name}.json`)?.seconds_per_spectrum_pre_edge_autobk_xftf;
    if (typeof t !== 'number') return undefined;
    s += t;
  }
  return anchorFromMs(`Larch pre_edge+autobk+xftf, mean over the ${NAMES.length} reference spectra`, (1000 * s) / NAMES.length);
}

/** exafsPipeline (preEdge + AUTOBK + xftf, what `xas exafs` computes) over every spectrum. */
function runPipeline(ctx: { spectra: Spec[] }): number {
  let sink = 0;
  for (const s of ctx.spectra) sink += exafsPipeline(s.energy, s.mu).chirMag[70];
  if (!Number.isFinite(sink)) throw new Error('non-finite |chi(R)|');
  return ctx.spectra.length;
}

export const benchmarks: Benchmark<any>[] = [
  {
    name: 'xas-pipeline',
    unit: 'spectra/s',
    skip,
    setup: () => ({ spectra: perturbed(NAMES, COPIES, 4) }),
    run: runPipeline,
    anchor: larchPipelineAnchor,
    minIterations: 2,
    notes: (ctx: { spectra: Spec[] }) => cpuNote(() => runPipeline(ctx), larchPipelineAnchor()?.value, 'spectra/s'),
  },
  {
    name: 'xas-pipeline-series',
    unit: 'spectra/s',
    skip,
    setup: () => ({ spectra: potentialSeries(NAMES, COPIES, 4) }),
    run: runPipeline,
    anchor: larchPipelineAnchor,
    minIterations: 2,
    notes: (ctx: { spectra: Spec[] }) => cpuNote(() => runPipeline(ctx), larchPipelineAnchor()?.value, 'spectra/s'),
  },
  {
    name: 'xas-autobk',
    unit: 'spectra/s',
    skip,
    setup: () => ({ spectra: perturbed(['cu_metal_rt'], 200, 5) }),
    run: (ctx: { spectra: Spec[] }) => {
      let sink = 0;
      for (const s of ctx.spectra) sink += autobk(s.energy, s.mu, { e0: s.e0, edgeStep: s.edgeStep, rbkg: 1, kweight: 2 }).chi[100];
      if (!Number.isFinite(sink)) throw new Error('non-finite chi');
      return ctx.spectra.length;
    },
    anchor: () => anchorFromMs('Larch autobk, cu_metal_rt.xdi (median of 30)', larchMedianMs('cu_metal_rt.xdi', 'autobk')),
    notes: (ctx: any) => cpuNote(() => benchmarks.find((b) => b.name === 'xas-autobk')!.run(ctx) as number, anchorFromMs('', larchMedianMs('cu_metal_rt.xdi', 'autobk'))?.value, 'spectra/s'),
  },
  {
    name: 'xas-xftf',
    unit: 'transforms/s',
    skip,
    setup: () => {
      const ref = loadSharedJson<RefSpectrum>('reference/xas/cu_metal_rt.json')!;
      const r = rng(6);
      return { sets: Array.from({ length: 200 }, () => ({ k: Float64Array.from(ref.k), chi: Float64Array.from(ref.chi, (v) => v + 1e-4 * (r() - 0.5)) })) };
    },
    run: (ctx: { sets: { k: Float64Array; chi: Float64Array }[] }) => {
      let sink = 0;
      for (const s of ctx.sets) sink += xftf(s.k, s.chi, { kmin: 3, kmax: 12, dk: 1, window: 'hanning', kweight: 2 }).chirMag[70];
      if (!Number.isFinite(sink)) throw new Error('non-finite');
      return ctx.sets.length;
    },
    anchor: () => anchorFromMs('Larch xftf, cu_metal_rt.xdi (median of 30)', larchMedianMs('cu_metal_rt.xdi', 'xftf')),
    notes: (ctx: any) => cpuNote(() => benchmarks.find((b) => b.name === 'xas-xftf')!.run(ctx) as number, anchorFromMs('', larchMedianMs('cu_metal_rt.xdi', 'xftf'))?.value, 'transforms/s'),
  },
  {
    name: 'xas-wavelet-cauchy',
    unit: 'maps/s',
    skip,
    setup: () => {
      const ref = loadSharedJson<RefSpectrum>('reference/xas/cu_metal_rt.json')!;
      return { k: Float64Array.from(ref.k), chi: Float64Array.from(ref.chi) };
    },
    run: (ctx: { k: Float64Array; chi: Float64Array }) => {
      for (let i = 0; i < 5; i++) {
        const w = cauchyWavelet(ctx.k, ctx.chi, { kweight: 2, rmaxOut: 6 });
        if (!Number.isFinite(w.mag[1000])) throw new Error('non-finite');
      }
      return 5;
    },
    anchor: () => anchorFromMs('Larch cauchy_wavelet, cu_metal_rt.xdi (median of 10)', larchMedianMs('cu_metal_rt.xdi', 'cauchy_wavelet')),
    notes: (ctx: any) => cpuNote(() => benchmarks.find((b) => b.name === 'xas-wavelet-cauchy')!.run(ctx) as number, anchorFromMs('', larchMedianMs('cu_metal_rt.xdi', 'cauchy_wavelet'))?.value, 'maps/s'),
  },
  {
    // Batch mode over all cores (worker_threads pool, started once in setup). Steady state: each
    // worker compiles its own code and sees only part of the spectra, so the harness's single
    // warm-up pass left the timed runs half-cold (measured: first pass ≈ 330 spectra/s, the next
    // six climbing from ≈ 1,900 to ≈ 3,400); setup now runs the pool for 4 s first. On this shared
    // 2-core machine the two workers also compete with other jobs, while one thread mostly gets a
    // core to itself, so the note alternates batch and single-thread passes (same load for both)
    // and reports the wall-clock scaling and the throughput per CPU-second of all threads.
    name: 'xas-pipeline-batch',
    unit: 'spectra/s',
    skip,
    setup: async () => {
      const ctx = { spectra: perturbed(NAMES, COPIES, 4), pool: new ExafsBatchPool(availableParallelism()) };
      const t0 = performance.now();
      while (performance.now() - t0 < 4000) await ctx.pool.run(ctx.spectra);
      return ctx;
    },
    run: async (ctx: { spectra: Spec[]; pool: ExafsBatchPool }) => {
      const res = await ctx.pool.run(ctx.spectra);
      if (res.some((r) => r.error)) throw new Error(res.find((r) => r.error)!.error);
      return res.length;
    },
    anchor: larchPipelineAnchor,
    minIterations: 3,
    minTimeMs: 3000,
    notes: async (ctx: { spectra: Spec[]; pool: ExafsBatchPool }) => {
      const batch = { items: 0, ms: 0, cpu: 0 };
      const one = { items: 0, ms: 0, cpu: 0 };
      while (batch.ms < 1500 || one.ms < 1500) {
        let c = process.cpuUsage();
        let t = performance.now();
        batch.items += (await ctx.pool.run(ctx.spectra)).length;
        batch.ms += performance.now() - t;
        let u = process.cpuUsage(c);
        batch.cpu += (u.user + u.system) / 1e6;
        c = process.cpuUsage();
        t = performance.now();
        for (const s of ctx.spectra) exafsPipeline(s.energy, s.mu);
        one.ms += performance.now() - t;
        u = process.cpuUsage(c);
        one.cpu += (u.user + u.system) / 1e6;
        one.items += ctx.spectra.length;
      }
      await ctx.pool.close();
      const wallB = (1000 * batch.items) / batch.ms;
      const wall1 = (1000 * one.items) / one.ms;
      const cpuB = batch.items / batch.cpu;
      const cpu1 = one.items / one.cpu;
      return [
        `${ctx.pool.threads} threads vs 1, alternating passes: ${wallB.toFixed(0)} vs ${wall1.toFixed(0)} spectra/s wall = ${(wallB / wall1).toFixed(2)}× (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
        `per CPU-second of all threads: ${cpuB.toFixed(0)} vs ${cpu1.toFixed(0)} spectra/s (parallel efficiency ${(cpuB / cpu1).toFixed(2)}); the batch got ${(batch.cpu / (batch.ms / 1000)).toFixed(2)} cores on average`,
      ];
    },
  },
];
