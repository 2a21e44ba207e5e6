// `siteproof xas pca FILE… [--targets A,B] [--ncomps K]`: principal component analysis of a series
// (normalized μ(E) as Larch's pre_edge, on the first file's grid, window E0−20…E0+80 eV by default):
// eigenvalues, scree (variance fractions), IND and the number of significant components,
// reconstruction R-factors and, with --targets, a target transform scoring each candidate.
import { ValidationError } from '@siteproof/core';
import { pcaReconstruct, pcaTrain, spectrumSignal, targetTransform, type PcaSpectrum } from '@siteproof/xas';
import { defineCommand } from '../../command';
import { listFlag, numberFlag, stringFlag, toJson } from '../../args';
import { writeFileAtomic } from '../../io';
import { refName } from './lcf';
import { loadSeries } from './series';

export default defineCommand({
  path: ['xas', 'pca'],
  summary: 'PCA of a series: eigenvalues, scree, IND, significant components, reconstruction, target transform',
  usage: 'xas pca FILE… [--targets A,B] [--ncomps K] [--emin=-20 --emax 80 | --xmin E --xmax E] [--mu EXPR] [--out FILE.json] [--json]',
  options: {
    targets: { type: 'string' },
    ncomps: { type: 'string' },
    emin: { type: 'string' },
    emax: { type: 'string' },
    xmin: { type: 'string' },
    xmax: { type: 'string' },
    mu: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length < 3) throw new ValidationError(`PCA needs at least 3 FILEs, got ${ctx.positionals.length}`, { field: 'FILE' });
    const mu = stringFlag(ctx, 'mu');
    const data = await loadSeries(ctx, ctx.positionals, mu);
    const sig = data.spectra.map((s) => spectrumSignal(s, 'norm'));
    const spectra: PcaSpectrum[] = sig.map((s, i) => ({ name: ctx.positionals[i], x: s.x, y: s.y }));
    const xmin = numberFlag(ctx, 'xmin') ?? sig[0].e0 + (numberFlag(ctx, 'emin') ?? -20);
    const xmax = numberFlag(ctx, 'xmax') ?? sig[0].e0 + (numberFlag(ctx, 'emax') ?? 80);
    const model = pcaTrain(spectra, { xmin, xmax });
    const k = numberFlag(ctx, 'ncomps') ?? model.nsig;
    if (!Number.isInteger(k) || k < 1 || k > model.components.length) throw new ValidationError(`--ncomps must be an integer 1…${model.components.length}`, { field: 'ncomps' });
    const targetFiles = listFlag(ctx, 'targets') ?? [];
    const targets = targetFiles.length ? await loadSeries(ctx, targetFiles, mu) : { spectra: [], warnings: [], paths: [] };
    const tt = targetTransform(
      model,
      targets.spectra.map((s, i) => ({ name: refName(targetFiles[i]), ...spectrumSignal(s, 'norm') })),
      k,
    );
    const doc = {
      files: model.labels,
      window: [model.x[0], model.x[model.x.length - 1]],
      npts: model.x.length,
      eigenvalues: model.eigenvalues,
      variances: model.variances,
      cumulativeVariance: model.cumulativeVariance,
      ind: model.ind,
      nsig: model.nsig,
      ncomps: k,
      reconstruction: pcaReconstruct(model, spectra, k).map((r) => ({ file: r.name, rFactor: r.rFactor })),
      targets: tt,
      warnings: [...data.warnings, ...targets.warnings],
    };
    const json = toJson(doc);
    const out = stringFlag(ctx, 'out');
    if (out) await writeFileAtomic(out, json + '\n', [...data.paths, ...targets.paths]);
    if (ctx.values.json) ctx.out(json + '\n');
    else {
      const lines = [`PCA of ${doc.files.length} spectra, ${doc.npts} points ${doc.window[0].toFixed(1)}–${doc.window[1].toFixed(1)} eV; significant components (IND): ${doc.nsig}`];
      doc.eigenvalues.forEach((e, i) => lines.push(`  #${i + 1}  λ = ${e.toExponential(4)}  variance ${(100 * doc.variances[i]).toFixed(3)} %  cumulative ${(100 * doc.cumulativeVariance[i]).toFixed(3)} %${i < doc.ind.length ? `  IND ${doc.ind[i].toExponential(3)}` : ''}`));
      for (const t of doc.targets) lines.push(`  target ${t.name}: R = ${t.rFactor.toExponential(3)} (scale ${t.scale.toFixed(3)})`);
      ctx.out(lines.join('\n') + '\n');
    }
  },
});
