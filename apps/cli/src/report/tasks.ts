// The report's units of work, one per input file (or per fit): pure functions of bytes and
// options returning plain objects (typed arrays allowed), so they run the same inline or in a
// worker thread (worker.ts). Each wraps the package APIs as the sub-commands do.
import {
  cauchyWavelet,
  edgePositions,
  exafsPipeline,
  feffit,
  fitModelInputs,
  fitSummary,
  loadSpectrum,
  mapRows,
  readColumnFile,
  morletWavelet,
  parseFitModel,
  preEdge,
  whiteLine,
  fitTransformOptions,
  xftf,
  type PreEdgeOptions,
} from '@siteproof/xas';
import { analyzeSpectrum, calibratedMz, readAsciiSpectrum, type AutoCalibration } from '@siteproof/tofsims';
import { classifySites, describeDetection, displayPng, findAtoms, kde, pairStatistics, readImageAsync, type AtomMap } from '@siteproof/stem-stats';
import { SiteproofError, ValidationError } from '@siteproof/core';
import type { ReportConfig } from './config';

// ---------------------------------------------------------------- XAS: one spectrum

export interface XasTaskInput {
  name: string;
  bytes: Uint8Array;
  mu?: string;
  reference?: string;
  preEdge: ReportConfig['xas']['preEdge'];
  autobk: ReportConfig['xas']['autobk'];
  xftf: ReportConfig['xas']['xftf'];
  wavelet?: ReportConfig['xas']['wavelet'];
}

export interface EdgeEstimate {
  /** Larch find_e0 (maximum of dμ/dE on the grid). */
  e0Larch: number;
  /** Energy at half the edge step (eV), the E0 used for shifts, and its 1σ from the noise. */
  halfStep: number;
  /** Null when the pre-edge has too few points to measure the noise. */
  halfStepErr: number | null;
  arctan: number;
  arctanErr: number | null;
}

export interface XasTaskOutput {
  name: string;
  muExpr: string;
  metadata: Record<string, string>;
  warnings: string[];
  referenceUsed: boolean;
  edge: EdgeEstimate;
  reference?: EdgeEstimate;
  edgeStep: number;
  whiteLine: { energy: number; height: number };
  energy: Float64Array;
  norm: Float64Array;
  dmude: Float64Array;
  k: Float64Array;
  chi: Float64Array;
  r: Float64Array;
  chirMag: Float64Array;
  autobkE0: number;
  wavelet?: { kind: string; k: Float64Array; r: Float64Array; mag: number[][] };
}

/** σ of the normalized μ from the pre-edge scatter about the pre-edge line (norm ≈ 0 there). */
function normNoise(energy: Float64Array, norm: Float64Array, e0: number, pre1: number, pre2: number): number {
  const v: number[] = [];
  for (let i = 0; i < energy.length; i++) if (energy[i] >= e0 + pre1 && energy[i] <= e0 + pre2) v.push(norm[i]);
  if (v.length < 4) return NaN;
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
}

function interpAt(x: Float64Array, y: Float64Array, at: number): number {
  let i = 1;
  while (i < x.length - 1 && x[i] < at) i++;
  const t = (at - x[i - 1]) / (x[i] - x[i - 1] || 1);
  return y[i - 1] + t * (y[i] - y[i - 1]);
}

function edgeEstimate(energy: ArrayLike<number>, mu: ArrayLike<number>, o: PreEdgeOptions & { pre1: number; pre2: number }) {
  const p = preEdge(energy, mu, o);
  const ep = edgePositions(p);
  const sigma = normNoise(p.energy, p.norm, p.e0, o.pre1, o.pre2);
  const slope = interpAt(p.energy, p.dmude, ep.halfStep);
  // Half-step position error: noise of the normalized μ over the local slope (1σ).
  const err = Number.isFinite(sigma) && slope > 0 ? sigma / slope : null;
  const edge: EdgeEstimate = { e0Larch: p.e0, halfStep: ep.halfStep, halfStepErr: err, arctan: ep.arctan, arctanErr: ep.arctanStderr };
  return { p, edge };
}

/**
 * μ(E) when neither the config nor the file names one: transmission ln(I0/It) when both counters
 * exist, else fluorescence If/I0 (a stated choice, printed as a warning, never silent).
 */
export function defaultMu(bytes: Uint8Array, name: string): string | undefined {
  const labels = readColumnFile(bytes, name).labels.map((l) => l.toLowerCase());
  const has = (...c: string[]) => c.find((x) => labels.includes(x));
  const i0 = has('i0', 'io', 'imon');
  const it = has('itrans', 'it', 'i1');
  const ifl = has('ifluor', 'if', 'ifl', 'fluor');
  if (i0 && it) return `ln(${i0}/${it})`;
  if (i0 && ifl) return `${ifl}/${i0}`;
  return undefined;
}

export function xasTask(t: XasTaskInput): XasTaskOutput {
  const warnings: string[] = [];
  let mu = t.mu;
  if (!mu) {
    const cols = readColumnFile(t.bytes, t.name);
    const named = cols.labels.some((l) => /^(mu|xmu|mutrans|mufluor|mu_trans|mu_fluor)$/i.test(l));
    if (!named) {
      mu = defaultMu(t.bytes, t.name);
      if (mu) warnings.push(`no μ column: μ(E) = ${mu}`);
    }
  }
  const opts = { ...(mu ? { mu } : {}) };
  let s;
  let referenceUsed = false;
  if (t.reference) {
    try {
      s = loadSpectrum(t.bytes, t.name, { ...opts, reference: t.reference });
      referenceUsed = !!s.reference;
    } catch (e) {
      if (!(e instanceof SiteproofError) || e.kind !== 'validation') throw e;
      s = loadSpectrum(t.bytes, t.name, opts);
      warnings.push(`reference channel '${t.reference}' not available: E0 shifts are not foil-corrected`);
    }
  } else s = loadSpectrum(t.bytes, t.name, opts);
  warnings.push(...s.warnings);
  const energy = s.eShift ? Float64Array.from(s.energy, (e) => e + s.eShift!) : s.energy;
  const pe = { pre1: t.preEdge.pre1, pre2: t.preEdge.pre2, norm1: t.preEdge.norm1, ...(t.preEdge.norm2 !== undefined ? { norm2: t.preEdge.norm2 } : {}), ...(t.preEdge.nnorm !== undefined ? { nnorm: t.preEdge.nnorm } : {}) };
  const { p, edge } = edgeEstimate(energy, s.mu, pe);
  let reference: EdgeEstimate | undefined;
  if (s.reference) reference = edgeEstimate(energy, s.reference, pe).edge;
  const ex = exafsPipeline(energy, s.mu, { preEdge: pe, autobk: { rbkg: t.autobk.rbkg, kweight: t.autobk.kweight }, xftf: { ...t.xftf, rmaxOut: 8 } });
  let wavelet: XasTaskOutput['wavelet'];
  if (t.wavelet) {
    const w = t.wavelet.kind === 'cauchy' ? cauchyWavelet(ex.k, ex.chi, { kweight: t.xftf.kweight, rmaxOut: t.wavelet.rmax }) : morletWavelet(ex.k, ex.chi, { kweight: t.xftf.kweight, rmaxOut: t.wavelet.rmax });
    wavelet = { kind: t.wavelet.kind, k: w.k, r: w.r, mag: mapRows(w.mag, w.r.length, w.k.length) };
  }
  return {
    name: t.name,
    muExpr: s.muExpr,
    metadata: s.metadata,
    warnings,
    referenceUsed,
    edge,
    reference,
    edgeStep: p.edgeStep,
    whiteLine: whiteLine(p.energy, p.norm, p.e0),
    energy: p.energy,
    norm: p.norm,
    dmude: p.dmude,
    k: ex.k,
    chi: ex.chi,
    r: ex.r,
    chirMag: ex.chirMag,
    autobkE0: ex.e0,
    wavelet,
  };
}

// ---------------------------------------------------------------- XAS: one shell fit

export interface FitTaskInput {
  modelName: string;
  model: unknown;
  /** Data file replacing the model's own `data` (series mode). */
  dataName: string;
  /** Every file the model reads, by the name written in the model (data by dataName). */
  files: [string, Uint8Array | string][];
  /** E0 and edge step from the report's normalization (used unless the model sets them). */
  e0?: number;
  edgeStep?: number;
}

export interface FitTaskOutput {
  modelName: string;
  dataName: string;
  summary: Record<string, unknown>;
  params: Record<string, { value: number; stderr: number | null; vary: boolean }>;
  rFactor: number;
  redChi: number;
  transform: { kmin: number; kmax: number; kweight: number; dk: number; window: string; rmin: number; rmax: number };
  k: Float64Array;
  chiData: Float64Array;
  chiModel: Float64Array;
  paths: { label: string; reff: number; r: { value: number; stderr: number | null }; chi: Float64Array; chirMag: Float64Array }[];
  r: Float64Array;
  chirData: Float64Array;
  chirModel: Float64Array;
}

export function fitTask(t: FitTaskInput): FitTaskOutput {
  const raw = (t.model ?? {}) as Record<string, unknown>;
  if (raw.datasets) throw new ValidationError('series fitting takes single-dataset models (data/paths at the top level)', { file: t.modelName, field: 'datasets' });
  const bg = { ...((raw.background as Record<string, unknown>) ?? {}) };
  if (raw.mu !== undefined) {
    if (bg.e0 === undefined && t.e0 !== undefined) bg.e0 = t.e0;
    if (bg.edgeStep === undefined && t.edgeStep !== undefined) bg.edgeStep = t.edgeStep;
  }
  const model = { ...raw, data: t.dataName, ...(raw.mu !== undefined ? { background: bg } : {}) };
  const parsed = parseFitModel(model, t.modelName);
  const inputs = fitModelInputs(parsed, new Map(t.files));
  const res = feffit(parsed.model.params, inputs, { fixUnusedVariables: parsed.model.fixUnusedVariables, minCorrelation: parsed.model.minCorrelation });
  const d = res.datasets[0];
  const tr = d.transform;
  const ft = fitTransformOptions(d);
  const fData = xftf(d.k, d.chiData, ft);
  const fModel = xftf(d.k, d.chiModel, ft);
  return {
    modelName: t.modelName,
    dataName: t.dataName,
    summary: fitSummary(res),
    params: Object.fromEntries(Object.entries(res.params).map(([n, p]) => [n, { value: p.value, stderr: p.stderr, vary: p.vary }])),
    rFactor: res.rFactor,
    redChi: res.redChi,
    transform: { kmin: tr.kmin, kmax: tr.kmax, kweight: tr.kweights[0], dk: tr.dk, window: tr.window, rmin: tr.rmin, rmax: tr.rmax },
    k: d.k,
    chiData: d.chiData,
    chiModel: d.chiModel,
    paths: d.paths.map((p) => ({ label: p.label, reff: p.reff, r: p.r, chi: p.chi, chirMag: xftf(d.k, p.chi, ft).chirMag })),
    r: fData.r,
    chirData: fData.chirMag,
    chirModel: fModel.chirMag,
  };
}

// ---------------------------------------------------------------- ToF-SIMS: one spectrum

export interface TofsimsTaskInput {
  name: string;
  bytes: Uint8Array;
  fragments: string[];
  tolPpm: number;
  /** m/z windows to return (on the recalibrated axis) for the figures. */
  windows: [number, number][];
}

export interface TofsimsTaskOutput {
  name: string;
  calibration: Record<string, unknown>;
  totalCounts: number;
  nPeaks: number;
  matches: {
    fragment: string;
    formula: string;
    mz: number;
    observedMz: number | null;
    ppm: number | null;
    area: number | null;
    areaError: number | null;
    normalizedArea: number | null;
    isotopeScore: unknown;
    isotopes: { mz: number; label: string; expectedRatio: number; observedRatio: number; expectedCounts: number; observedCounts: number; z: number }[];
    accepted: boolean;
    reason: string;
  }[];
  warnings: string[];
  windows: { from: number; to: number; mz: Float64Array; intensity: Float64Array }[];
}

export function tofsimsTask(t: TofsimsTaskInput): TofsimsTaskOutput {
  const spectrum = readAsciiSpectrum(t.bytes, t.name);
  const r = analyzeSpectrum(spectrum, t.fragments, { tolPpm: t.tolPpm });
  const cal = r.calibration;
  const axis =
    cal.applied === 'recalibrated'
      ? Float64Array.from(spectrum.mz, (m, i) => calibratedMz({ mz: m, time: spectrum.channel?.[i], area: 0 }, { t0: cal.t0!, k: cal.k!, axis: cal.axis! } as AutoCalibration))
      : spectrum.mz;
  const windows = t.windows.map(([from, to]) => {
    const idx: number[] = [];
    for (let i = 0; i < axis.length; i++) if (axis[i] >= from && axis[i] <= to) idx.push(i);
    return { from, to, mz: Float64Array.from(idx, (i) => axis[i]), intensity: Float64Array.from(idx, (i) => spectrum.intensity[i]) };
  });
  return {
    name: t.name,
    calibration: { applied: cal.applied, t0: cal.t0 ?? null, k: cal.k ?? null, rmsPpm: cal.rmsPpm ?? null, calibrants: cal.calibrants.map((c) => (c as { ion?: string }).ion ?? c), missing: cal.missing, exported: cal.exported ?? null },
    totalCounts: r.totalCounts,
    nPeaks: r.peaks.length,
    matches: r.matches.map((m) => ({
      fragment: m.fragment,
      formula: m.formula,
      mz: m.mz,
      observedMz: m.observedMz,
      ppm: m.ppm,
      area: m.area,
      areaError: m.areaError,
      normalizedArea: m.normalizedArea,
      isotopeScore: m.isotopeScore,
      isotopes: m.isotopes.map((i) => ({ mz: i.mz, label: i.label, expectedRatio: i.expectedRatio, observedRatio: i.observedRatio, expectedCounts: i.expectedCounts, observedCounts: i.observedCounts, z: i.z })),
      accepted: m.accepted,
      reason: m.reason,
    })),
    warnings: r.warnings,
    windows,
  };
}

// ---------------------------------------------------------------- HAADF: one image

export interface HaadfTaskInput {
  name: string;
  bytes: Uint8Array;
  pixelNm?: number;
  maxPairNm: number;
  bootstrap: number;
  seed: number;
}

export interface HaadfTaskOutput {
  name: string;
  width: number;
  height: number;
  pixelNm: number;
  calibrationSource: string;
  png: Uint8Array;
  pngScale: number;
  atoms: { x: number; y: number; xNm: number; yNm: number; intensity: number; snr: number; site: number; type: string; nnNm: number }[];
  stats: Record<string, unknown>;
  kde: { grid: Float64Array; density: Float64Array; bandwidth: number } | null;
  pairDistancesNm: number[];
  /** How the atoms were found: the measured scales and the settings they gave (one line). */
  detection: string;
  settings: AtomMap['settings'];
  auto: AtomMap['auto'] | null;
  warnings: string[];
}

/** Async only because HDF5-based EMD files are read with WebAssembly (readImageAsync). */
export async function haadfTask(t: HaadfTaskInput): Promise<HaadfTaskOutput> {
  const image = await readImageAsync(t.bytes, t.name);
  const map = findAtoms(image, t.pixelNm !== undefined ? { pixelNm: t.pixelNm } : {}, t.name);
  const xs = map.atoms.map((a) => a.xNm);
  const ys = map.atoms.map((a) => a.yNm);
  const stats = pairStatistics([{ xNm: xs, yNm: ys, widthNm: map.width * map.pixelNm, heightNm: map.height * map.pixelNm, name: t.name }], {
    maxPairNm: t.maxPairNm,
    bootstrap: t.bootstrap,
    seed: t.seed,
  });
  const c = classifySites(xs, ys, stats.maxPairNm);
  const disp = displayPng(image, 512);
  const dists = c.pairDistances;
  const k = dists.length >= 2 && stats.kdeBandwidthNm ? kde(dists, stats.kdeBandwidthNm, 0, stats.maxPairNm + 0.05, 301) : null;
  return {
    name: t.name,
    width: map.width,
    height: map.height,
    pixelNm: map.pixelNm,
    calibrationSource: String(image.meta.calibrationSource ?? image.meta.calibration ?? (image.pixelNm ? 'file' : 'option')),
    png: disp.png,
    pngScale: disp.scale,
    atoms: map.atoms.map((a, i) => ({ x: a.x, y: a.y, xNm: a.xNm, yNm: a.yNm, intensity: a.intensity, snr: a.snr, site: c.siteOf[i], type: c.sites[c.siteOf[i]].type, nnNm: c.nnDistance[i] })),
    stats: stats as unknown as Record<string, unknown>,
    kde: k ? { grid: k.grid, density: k.density, bandwidth: k.bandwidth } : null,
    pairDistancesNm: dists,
    detection: describeDetection(map),
    settings: map.settings,
    auto: map.auto ?? null,
    warnings: [...map.warnings, ...stats.warnings],
  };
}

// ---------------------------------------------------------------- dispatch (worker side too)

export type Task =
  | { kind: 'xas'; input: XasTaskInput }
  | { kind: 'fit'; input: FitTaskInput }
  | { kind: 'tofsims'; input: TofsimsTaskInput }
  | { kind: 'haadf'; input: HaadfTaskInput };

export type TaskResult = { ok: true; value: unknown } | { ok: false; error: string; kind?: string };

export async function runTask(task: Task): Promise<TaskResult> {
  try {
    switch (task.kind) {
      case 'xas':
        return { ok: true, value: xasTask(task.input) };
      case 'fit':
        return { ok: true, value: fitTask(task.input) };
      case 'tofsims':
        return { ok: true, value: tofsimsTask(task.input) };
      case 'haadf':
        return { ok: true, value: await haadfTask(task.input) };
    }
  } catch (e) {
    if (e instanceof SiteproofError) return { ok: false, error: e.message, kind: e.kind };
    return { ok: false, error: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}
