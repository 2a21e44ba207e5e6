// xas-lcf-series: spectra/s for linear-combination fitting of a 1,000-spectrum series (a quick-
// EXAFS potential sweep, synthetic: each spectrum a different mixture of 3 Fe-like references plus
// noise, 400 points, window E0−20…+60 eV) with 3 references, weights in [0,1] and Σw = 1.
// xas-lcf-series-eshift: the same with a fitted common energy shift (grid scan + golden section).
// xas-align-series: Larix-style alignment of a 100-spectrum series to its first spectrum.
// Anchors: none — ../shared holds no Larch timing for LCF or alignment (timings_larch_head.json
// covers pre_edge, autobk, xftf, xftr, wavelet and feffit only).
import { alignEnergy, lcfSeries, type LcfReference, type SeriesSpectrum } from '@siteproof/xas';
import { rng, type Benchmark } from './harness';

const N = 1000;
const energy = Float64Array.from({ length: 400 }, (_, i) => (i < 60 ? 6950 + i * 2.5 : 7100 + (i - 60) * 0.5));
const edge = (e0: number, wl: number, w: number, shift = 0) =>
  energy.map((e) => 0.5 + Math.atan((e - shift - e0) / 1.5) / Math.PI + wl * Math.exp(-(((e - shift - e0 - 5) / w) ** 2)));

interface Ctx {
  refs: LcfReference[];
  spectra: SeriesSpectrum[];
}

function setup(): Ctx {
  const r = rng(7);
  const refs = [
    { name: 'Fe(0)', x: energy, y: edge(7112, 0.2, 4) },
    { name: 'Fe(II)', x: energy, y: edge(7121, 0.9, 3) },
    { name: 'Fe(III)', x: energy, y: edge(7126, 1.2, 3.5) },
  ];
  const spectra: SeriesSpectrum[] = [];
  for (let j = 0; j < N; j++) {
    const a = j / (N - 1);
    const w = [0.5 * (1 - a), 0.5 * a, 0.5];
    const y = energy.map((_, k) => w[0] * refs[0].y[k] + w[1] * refs[1].y[k] + w[2] * refs[2].y[k] + (r() - 0.5) * 0.004);
    spectra.push({ name: `scan${j}`, x: energy, y, variable: -1 + j / N });
  }
  return { refs, spectra };
}

function check(res: ReturnType<typeof lcfSeries>): number {
  const ok = res.rows.filter((r) => r.fit && Math.abs(r.fit.weights[2].value - 0.5) < 0.02).length;
  if (ok < res.rows.length * 0.99) throw new Error(`only ${ok} of ${res.rows.length} fits recovered the weights`);
  return res.rows.length;
}

export const benchmarks: Benchmark<any>[] = [
  {
    name: 'xas-lcf-series',
    unit: 'spectra/s',
    setup,
    run: (ctx: Ctx) => check(lcfSeries(ctx.spectra, ctx.refs, { xmin: 7092, xmax: 7172, sumToOne: true })),
    anchor: () => undefined,
  },
  {
    name: 'xas-lcf-series-eshift',
    unit: 'spectra/s',
    setup: () => {
      const c = setup();
      return { ...c, spectra: c.spectra.slice(0, 100) };
    },
    run: (ctx: Ctx) => check(lcfSeries(ctx.spectra, ctx.refs, { xmin: 7092, xmax: 7172, sumToOne: true, varyEShift: true, maxEShift: 5 })),
    anchor: () => undefined,
  },
  {
    name: 'xas-align-series',
    unit: 'spectra/s',
    setup: () => {
      const r = rng(3);
      const std = { energy, norm: edge(7121, 0.9, 3), e0: 7121 };
      const series = Array.from({ length: 100 }, (_, j) => ({ energy, norm: edge(7121, 0.9, 3, (r() - 0.5) * 4), e0: 7121 }));
      return { std, series };
    },
    run: (ctx: { std: any; series: any[] }) => {
      for (const s of ctx.series) alignEnergy(s, ctx.std);
      return ctx.series.length;
    },
    anchor: () => undefined,
  },
];
