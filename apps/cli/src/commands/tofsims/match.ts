// `siteproof tofsims match SPECTRUM --fragments F1,F2,…`: peaks, automatic recalibration on the
// standard calibrants of the polarity, fragment assignments with mass error, area,
// normalized area and the isotope-pattern verdict.
import { ValidationError } from '@siteproof/core';
import { analyzeSpectrum } from '@siteproof/tofsims';
import { defineCommand } from '../../command';
import { boolFlag, listFlag, numberFlag, stringFlag, toJson } from '../../args';
import { readInput } from '../../io';
import { polarityFlag, spectrumFromInput } from './_shared';

export default defineCommand({
  path: ['tofsims', 'match'],
  summary: 'match fragment ions in a ToF-SIMS spectrum (recalibration, ppm, areas, isotope-pattern test)',
  usage: 'tofsims match SPECTRUM --fragments F1,F2,… [--tol-ppm 50] [--tol-mda 0] [--calibrants C1,C2,…] [--polarity positive|negative] [--no-recalibrate] [--normalize-to tic|FORMULA] [--snr 3] [--json]',
  options: {
    json: { type: 'boolean' },
    fragments: { type: 'string' },
    'tol-ppm': { type: 'string' },
    'tol-mda': { type: 'string' },
    calibrants: { type: 'string' },
    polarity: { type: 'string' },
    'no-recalibrate': { type: 'boolean' },
    'normalize-to': { type: 'string' },
    snr: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new ValidationError('give exactly one spectrum file', { field: 'SPECTRUM' });
    const fragments = listFlag(ctx, 'fragments');
    if (!fragments) throw new ValidationError('--fragments is required, e.g. --fragments NiN2C2+,FeN4+', { field: 'fragments' });
    const input = await readInput(ctx.cwd, ctx.positionals[0]);
    const polarity = polarityFlag(stringFlag(ctx, 'polarity'));
    const spectrum = spectrumFromInput(input, polarity);
    const snr = numberFlag(ctx, 'snr');
    const r = analyzeSpectrum(spectrum, fragments, {
      tolPpm: numberFlag(ctx, 'tol-ppm') ?? 50,
      tolMDa: numberFlag(ctx, 'tol-mda') ?? 0,
      calibrants: listFlag(ctx, 'calibrants'),
      polarity,
      recalibrate: !boolFlag(ctx, 'no-recalibrate'),
      normalizeTo: stringFlag(ctx, 'normalize-to') ?? 'tic',
      peaks: snr !== undefined ? { snr } : undefined,
    });
    const doc = {
      file: input.name,
      calibration: r.calibration,
      totalCounts: r.totalCounts,
      normalization: r.normalization,
      peaks: r.peaks.map((p) => ({ mz: p.mz, channel: p.channel ?? null, area: p.area, areaError: p.areaError, height: p.height, fwhm: p.fwhm, resolution: p.resolution, lower: p.lower, upper: p.upper, overlapped: p.overlapped, snr: p.snr })),
      matches: r.matches.map((m) => ({
        fragment: m.fragment,
        formula: m.formula,
        mz: m.mz,
        observedMz: m.observedMz,
        ppm: m.ppm,
        mDa: m.mDa,
        area: m.area,
        areaError: m.areaError,
        normalizedArea: m.normalizedArea,
        isotopeScore: m.isotopeScore,
        isotopes: m.isotopes,
        accepted: m.accepted,
        reason: m.reason,
      })),
      interferences: r.interferences,
      warnings: r.warnings,
    };
    if (ctx.values.json) {
      ctx.out(toJson(doc) + '\n');
      return;
    }
    const c = r.calibration;
    ctx.out(`${input.name}: ${r.peaks.length} peaks, ${r.totalCounts.toFixed(0)} counts\n`);
    ctx.out(
      c.applied === 'recalibrated'
        ? `calibration: recalibrated on ${c.calibrants.map((x) => x.ion).join(', ')} (rms ${c.rmsPpm!.toFixed(2)} ppm)\n`
        : `calibration: input m/z axis${c.exported ? ` (export: k = ${c.exported.k.toFixed(2)}, t0 = ${c.exported.t0.toFixed(2)})` : ''}\n`,
    );
    for (const m of r.matches) {
      ctx.out(
        `  ${m.fragment.padEnd(14)} ${m.mz.toFixed(5)}  ` +
          (m.observedMz === null ? 'not found' : `obs ${m.observedMz.toFixed(5)}  ${m.ppm!.toFixed(1)} ppm  area ${m.area!.toFixed(0)}`) +
          `  ${m.accepted ? 'ACCEPTED' : 'rejected'}: ${m.reason}\n`,
      );
    }
    for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
  },
});
