// The fit model file (JSON): data, background, transform, parameters and paths in Larch's
// feffit vocabulary (feffpath: s02, e0, ei, deltar, sigma2, third, fourth, degen; feffit_transform:
// kmin, kmax, kweight, dk, window, rmin, rmax, fitspace …). Validated with zod; file names are
// given as written in the model and resolved by the caller (the CLI: relative to the model file).
import { z } from 'zod';
import { parseOptions, ParseError, ValidationError } from '@siteproof/core';
import { loadSpectrum, readColumnFile } from '../io';
import { exafsPipeline } from '../exafs/pipeline';
import { autobkDeltaChi, type AutobkOptions } from '../exafs/autobk';
import { readFeffPath } from '../feff/feffPath';
import { PathModel } from '../feff/pathModel';
import { feffit, type DatasetInput, type FeffitResult, type PathInput } from './feffit';
import { transformSchema } from './transform';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const numOrExpr = z.union([finite, z.string().min(1)]);

export const pathSpecSchema = z
  .object({
    /** feffNNNN.dat file. */
    feff: z.string().min(1),
    label: z.string().optional(),
    degen: numOrExpr.optional(),
    s02: numOrExpr.optional(),
    e0: numOrExpr.optional(),
    ei: numOrExpr.optional(),
    deltar: numOrExpr.optional(),
    sigma2: numOrExpr.optional(),
    third: numOrExpr.optional(),
    fourth: numOrExpr.optional(),
  })
  .strict();

export const paramSpecSchema = z.union([
  finite,
  z
    .object({
      value: finite.optional(),
      vary: z.boolean().optional(),
      min: finite.optional(),
      max: finite.optional(),
      expr: z.string().min(1).optional(),
    })
    .strict(),
]);

export const backgroundSchema = z
  .object({
    rbkg: finite.positive().default(1),
    kweight: finite.min(0).default(2),
    kmin: finite.min(0).optional(),
    kmax: finite.positive().optional(),
    dk: finite.min(0).optional(),
    window: z.string().optional(),
    nknots: z.number().int().positive().optional(),
    nclamp: z.number().int().min(0).optional(),
    clampLo: finite.optional(),
    clampHi: finite.optional(),
    /** E0 and edge step; from the pre-edge normalization when absent. */
    e0: finite.optional(),
    edgeStep: finite.positive().optional(),
  })
  .strict();

export const datasetSpecSchema = z
  .object({
    label: z.string().optional(),
    /** Data file: a μ(E) scan when `mu` is given, else a χ(k) file with columns k and chi. */
    data: z.string().min(1),
    /** Column name or expression for μ(E) ("mutrans", "ln(i0/it)"): the data are reduced with AUTOBK. */
    mu: z.string().min(1).optional(),
    /** Energy column (μ(E) data) or k column (χ(k) data) name. */
    energy: z.string().min(1).optional(),
    /** Column names of a χ(k) file (default 'k' and 'chi', else the first two columns). */
    kColumn: z.string().min(1).optional(),
    chiColumn: z.string().min(1).optional(),
    background: backgroundSchema.optional(),
    transform: transformSchema.optional(),
    /** ε(k): a number; estimated from the data (plus AUTOBK's δχ when the data are μ(E)) when absent. */
    epsilonK: finite.positive().optional(),
    epsilonR: finite.positive().optional(),
    /** Add AUTOBK's δχ to ε_k as Larch does for data it reduced itself (default true for μ(E) data). */
    autobkDeltaChi: z.boolean().default(true),
    paths: z.array(pathSpecSchema).min(1),
  })
  .strict();

export const fitModelSchema = z
  .object({
    params: z.record(z.string(), paramSpecSchema).default({}),
    datasets: z.array(datasetSpecSchema).min(1).optional(),
    // single-dataset shorthand: the dataset fields at the top level
    label: z.string().optional(),
    data: z.string().min(1).optional(),
    mu: z.string().min(1).optional(),
    energy: z.string().min(1).optional(),
    kColumn: z.string().min(1).optional(),
    chiColumn: z.string().min(1).optional(),
    background: backgroundSchema.optional(),
    transform: transformSchema.optional(),
    epsilonK: finite.positive().optional(),
    epsilonR: finite.positive().optional(),
    autobkDeltaChi: z.boolean().optional(),
    paths: z.array(pathSpecSchema).min(1).optional(),
    fixUnusedVariables: z.boolean().default(true),
    minCorrelation: finite.min(0).max(1).default(0.1),
  })
  .strict();

export type FitModel = z.input<typeof fitModelSchema>;
type ParsedModel = z.output<typeof fitModelSchema>;
type DatasetSpec = z.output<typeof datasetSpecSchema>;

export interface ParsedFitModel {
  model: ParsedModel;
  datasets: DatasetSpec[];
}

/** Validate a model (already JSON-parsed). Either `datasets` or the top-level single-dataset fields. */
export function parseFitModel(input: unknown, label = 'model'): ParsedFitModel {
  const model = parseOptions(fitModelSchema, input, label);
  const single = model.data !== undefined || model.paths !== undefined;
  if (model.datasets && single) throw new ValidationError('give either datasets: [...] or data/paths at the top level, not both', { field: `${label}.datasets` });
  let datasets: DatasetSpec[];
  if (model.datasets) datasets = model.datasets;
  else {
    if (model.data === undefined) throw new ValidationError('missing data (the data file)', { field: `${label}.data` });
    if (model.paths === undefined) throw new ValidationError('missing paths (a list of FEFF paths)', { field: `${label}.paths` });
    const { params: _p, datasets: _d, fixUnusedVariables: _f, minCorrelation: _m, ...rest } = model;
    datasets = [parseOptions(datasetSpecSchema, rest, label)];
  }
  return { model, datasets };
}

/** Every file a model reads (data and FEFF paths), as written in the model. */
export function fitModelFiles(parsed: ParsedFitModel): string[] {
  const out = new Set<string>();
  for (const d of parsed.datasets) {
    out.add(d.data);
    for (const p of d.paths) out.add(p.feff);
  }
  return [...out];
}

function pickColumn(labels: string[], wanted: string | undefined, fallback: string[], index: number, file: string, field: string): number {
  if (wanted !== undefined) {
    const i = labels.findIndex((l) => l.toLowerCase() === wanted.toLowerCase());
    if (i < 0) throw new ValidationError(`column '${wanted}' not found (columns: ${labels.join(', ')})`, { file, field });
    return i;
  }
  for (const f of fallback) {
    const i = labels.indexOf(f);
    if (i >= 0) return i;
  }
  if (labels.length <= index) throw new ParseError(`a χ(k) file needs at least 2 columns (k, chi); found ${labels.length}`, { file, field });
  return index;
}

/** Build the feffit inputs of a model from the files' contents (bytes or text by model name). */
export function fitModelInputs(parsed: ParsedFitModel, files: ReadonlyMap<string, Uint8Array | string>): DatasetInput[] {
  const pathCache = new Map<string, PathModel>();
  const get = (name: string, field: string) => {
    const b = files.get(name);
    if (b === undefined) throw new ValidationError(`file '${name}' was not provided`, { field });
    return b;
  };
  return parsed.datasets.map((d, i) => {
    const tag = parsed.model.datasets ? `model.datasets[${i}]` : 'model';
    let k: Float64Array;
    let chi: Float64Array;
    let deltaChi: Float64Array | undefined;
    const bytes = get(d.data, `${tag}.data`);
    if (d.mu !== undefined) {
      const sp = loadSpectrum(bytes, d.data, { mu: d.mu, ...(d.energy ? { energy: d.energy } : {}) });
      const bg = d.background ?? backgroundSchema.parse({});
      // undefined entries are dropped so AUTOBK's own defaults (and pre-edge E0/step) apply
      const autobk = Object.fromEntries(Object.entries(bg).filter(([, v]) => v !== undefined)) as Partial<AutobkOptions>;
      const ex = exafsPipeline(sp.energy, sp.mu, { autobk });
      k = ex.k;
      chi = ex.chi;
      if (d.autobkDeltaChi && d.epsilonK === undefined && d.epsilonR === undefined) deltaChi = autobkDeltaChi(ex.energy, ex.autobk).deltaChi;
    } else {
      if (d.background) throw new ValidationError('background applies to μ(E) data: give mu (the μ column or expression) or drop background', { field: `${tag}.background` });
      const cols = readColumnFile(bytes, d.data);
      const ik = pickColumn(cols.labels, d.kColumn ?? d.energy, ['k', 'wavenumber'], 0, d.data, `${tag}.kColumn`);
      const ic = pickColumn(cols.labels, d.chiColumn, ['chi', 'chik', 'chi_k'], 1, d.data, `${tag}.chiColumn`);
      k = cols.columns[ik];
      chi = cols.columns[ic];
    }
    const paths: PathInput[] = d.paths.map((p, ip) => {
      let m = pathCache.get(p.feff);
      if (!m) {
        m = new PathModel(readFeffPath(get(p.feff, `${tag}.paths[${ip}].feff`), p.feff));
        pathCache.set(p.feff, m);
      }
      const { feff: _f, ...pars } = p;
      return { path: m, ...pars, label: p.label ?? p.feff };
    });
    return {
      label: d.label ?? d.data,
      k,
      chi,
      transform: d.transform ?? {},
      paths,
      ...(d.epsilonK !== undefined ? { epsilonK: d.epsilonK } : {}),
      ...(d.epsilonR !== undefined ? { epsilonR: d.epsilonR } : {}),
      ...(deltaChi ? { deltaChi } : {}),
    };
  });
}

/** Parse, load and fit a model. */
export function runFitModel(input: unknown, files: ReadonlyMap<string, Uint8Array | string>): FeffitResult {
  const parsed = parseFitModel(input);
  const inputs = fitModelInputs(parsed, files);
  return feffit(parsed.model.params, inputs, { fixUnusedVariables: parsed.model.fixUnusedVariables, minCorrelation: parsed.model.minCorrelation });
}

/** The compact JSON summary the CLI prints. */
export function fitSummary(res: FeffitResult): Record<string, unknown> {
  return {
    params: Object.fromEntries(
      Object.entries(res.params).map(([n, p]) => [n, { value: p.value, stderr: p.stderr, vary: p.vary, ...(p.expr ? { expr: p.expr } : {}), init: p.init }]),
    ),
    chiSquare: res.chiSquare,
    redChi: res.redChi,
    rFactor: res.rFactor,
    nIndependent: res.nIndependent,
    nIndependentIfeffit: res.nIndependentIfeffit,
    nVarys: res.nVarys,
    nData: res.nData,
    nfev: res.nfev,
    aic: res.aic,
    bic: res.bic,
    converged: res.converged,
    correlations: res.correlations,
    warnings: res.warnings,
    datasets: res.datasets.map((d) => ({
      label: d.label,
      fitspace: d.transform.fitspace,
      kmin: d.transform.kmin,
      kmax: d.transform.kmax,
      kweight: d.transform.kweights,
      rmin: d.transform.rmin,
      rmax: d.transform.rmax,
      epsilonK: d.epsilonK.map((e) => e.mean),
      epsilonR: d.epsilonR,
      nIndependent: d.nIndependent,
    })),
    paths: res.datasets.flatMap((d, di) =>
      d.paths.map((p) => ({
        dataset: di,
        label: p.label,
        file: p.file,
        reff: p.reff,
        nleg: p.nleg,
        atoms: p.geometry.map((a) => a.label),
        ...p.params,
        r: p.r,
      })),
    ),
  };
}
