// `siteproof xas exafs FILE`: μ(E) → E0/edge step (Larch pre_edge) → χ(k) (AUTOBK) → χ(R) (xftf),
// optionally a wavelet map (Cauchy as Larch, or Morlet after Funke et al. 2005). With --json,
// stdout carries one JSON object { e0, edgeStep, k, chi, r, chirMag, chirRe, chirIm [, wavelet] }.
import { cauchyWavelet, exafsPipeline, mapRows, morletWavelet, type ExafsPipelineResult } from '@siteproof/xas';
import { ValidationError } from '@siteproof/core';
import { defineCommand, type CommandContext } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { readInput, writeFileAtomic } from '../../io';
import { spectrumFromInput } from './normalize';

export interface ExafsOutput {
  file: string;
  muExpr: string;
  e0: number;
  edgeStep: number;
  k: Float64Array;
  chi: Float64Array;
  r: Float64Array;
  chirMag: Float64Array;
  chirRe: Float64Array;
  chirIm: Float64Array;
  wavelet?: { kind: 'cauchy' | 'morlet'; k: Float64Array; r: Float64Array; mag: number[][] };
}

function num(ctx: CommandContext, name: string, dflt: number): number {
  return numberFlag(ctx, name) ?? dflt;
}

function peakR(res: ExafsPipelineResult, rmax = 6): number {
  let b = 0;
  for (let i = 1; i < res.r.length && res.r[i] <= rmax; i++) if (res.chirMag[i] > res.chirMag[b]) b = i;
  return res.r[b];
}

export default defineCommand({
  path: ['xas', 'exafs'],
  summary: 'EXAFS reduction as Larch: AUTOBK background, χ(k), Fourier transform |χ(R)|, optional wavelet map',
  usage:
    'xas exafs FILE [--mu EXPR] [--e0 E] [--rbkg 1] [--bkg-kweight 2] [--kmin 3] [--kmax 12] [--dk 1] [--window hanning] [--kweight 2] [--rmax-out 10] [--wavelet cauchy|morlet] [--wavelet-rmax 6] [--eta 10] [--sigma 1] [--out FILE.json] [--json]',
  options: {
    mu: { type: 'string' },
    e0: { type: 'string' },
    rbkg: { type: 'string' },
    'bkg-kweight': { type: 'string' },
    kmin: { type: 'string' },
    kmax: { type: 'string' },
    dk: { type: 'string' },
    window: { type: 'string' },
    kweight: { type: 'string' },
    'rmax-out': { type: 'string' },
    wavelet: { type: 'string' },
    'wavelet-rmax': { type: 'string' },
    eta: { type: 'string' },
    sigma: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw new ValidationError(`expected exactly one FILE, got ${ctx.positionals.length}`, { field: 'FILE' }, 'usage: siteproof xas exafs FILE [--mu EXPR] --json');
    }
    const wavelet = stringFlag(ctx, 'wavelet');
    if (wavelet !== undefined && wavelet !== 'cauchy' && wavelet !== 'morlet') {
      throw new ValidationError(`--wavelet must be 'cauchy' or 'morlet', got '${wavelet}'`, { field: 'wavelet' });
    }
    const e0 = numberFlag(ctx, 'e0');
    const kweight = num(ctx, 'kweight', 2);
    const xftfOptions = {
      kmin: num(ctx, 'kmin', 3),
      kmax: num(ctx, 'kmax', 12),
      dk: num(ctx, 'dk', 1),
      window: stringFlag(ctx, 'window') ?? 'hanning',
      kweight,
      rmaxOut: num(ctx, 'rmax-out', 10),
    };
    const input = await readInput(ctx.cwd, ctx.positionals[0]);
    const spectrum = spectrumFromInput(input, stringFlag(ctx, 'mu'));
    const energy = spectrum.eShift ? spectrum.energy.map((e) => e + spectrum.eShift!) : spectrum.energy;
    const res = exafsPipeline(energy, spectrum.mu, {
      preEdge: e0 !== undefined ? { e0 } : {},
      autobk: { rbkg: num(ctx, 'rbkg', 1), kweight: num(ctx, 'bkg-kweight', 2) },
      xftf: xftfOptions,
    });
    const kEnd = res.k[res.k.length - 1];
    if (xftfOptions.kmax > kEnd + 1e-9) {
      // Allowed, as in Larch (the window then covers zero-padding), but the user should know.
      ctx.err(`warning: --kmax ${xftfOptions.kmax} Å⁻¹ is beyond the end of the data (k = ${kEnd.toFixed(2)} Å⁻¹); the FT window extends over zero-padding\n`);
    }
    const output: ExafsOutput = {
      file: input.name,
      muExpr: spectrum.muExpr,
      e0: res.e0,
      edgeStep: res.edgeStep,
      k: res.k,
      chi: res.chi,
      r: res.r,
      chirMag: res.chirMag,
      chirRe: res.chirRe,
      chirIm: res.chirIm,
    };
    if (wavelet) {
      const rmaxOut = num(ctx, 'wavelet-rmax', 6);
      const w =
        wavelet === 'cauchy'
          ? cauchyWavelet(res.k, res.chi, { kweight, rmaxOut })
          : morletWavelet(res.k, res.chi, { kweight, rmaxOut, eta: num(ctx, 'eta', 10), sigma: num(ctx, 'sigma', 1) });
      output.wavelet = { kind: wavelet, k: w.k, r: w.r, mag: mapRows(w.mag, w.r.length, w.k.length) };
    }
    const json = toJson(output);
    const out = stringFlag(ctx, 'out');
    if (out) await writeFileAtomic(out, json + '\n', [input.path]);
    if (ctx.values.json) ctx.out(json + '\n');
    else {
      const d = res.autobk.details;
      const lines = [
        `${input.name}: mu = ${spectrum.muExpr}, ${energy.length} points`,
        `  E0          ${res.e0.toFixed(3)} eV, edge step ${res.edgeStep.toPrecision(6)}`,
        `  AUTOBK      rbkg ${res.autobk.rbkg.toFixed(3)} Å, ${d.nspl} spline coefficients, k 0–${d.kmax.toFixed(2)} Å⁻¹ (${res.k.length} points), reduced χ² ${d.redchi.toExponential(3)}`,
        `  FT          k ${xftfOptions.kmin}–${xftfOptions.kmax} Å⁻¹, dk ${xftfOptions.dk}, ${xftfOptions.window}, k-weight ${kweight}`,
        `  |χ(R)| max  at R = ${peakR(res).toFixed(3)} Å (phase-uncorrected)`,
        ...(output.wavelet ? [`  wavelet     ${output.wavelet.kind}: ${output.wavelet.r.length} R × ${output.wavelet.k.length} k`] : []),
        ...spectrum.warnings.map((w) => `  warning: ${w}`),
      ];
      ctx.out(lines.join('\n') + '\n');
      if (out) ctx.out(`  wrote ${out}\n`);
    }
  },
});
