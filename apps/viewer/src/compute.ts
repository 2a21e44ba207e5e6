// The viewer's units of work: pure functions of bytes and parameters that wrap the package APIs.
// They run inside the Web Worker (worker.ts) so the page never freezes; they return plain
// objects (typed arrays allowed) that structured-clone across postMessage.
import { buildMu, isAthenaProject, isSpec, listSpecScans, readAthenaProject, readColumnFile, toText, cauchyWavelet, edgePositions, exafsPipeline, feffit, fitModelFiles, fitModelInputs, fitSummary, lcf, mapRows, parseFitModel, preEdge, xftf, fitTransformOptions } from '@siteproof/xas';
import { analyzeSpectrum, checkIbd, ionImage, isotopePattern, readAsciiSpectrum, readImzML, readImzMLSpectrum, readMzML, type ImzML, type Spectrum } from '@siteproof/tofsims';
import { classifySites, describeDetection, findAtoms, fitTwoGaussians, kde, lineProfile, pairStatistics, readImageAsync, type Image } from '@siteproof/stem-stats';
import { ValidationError } from '@siteproof/core';
import { guessMuExpr, type AtomXY, type XasPart, type XasParams } from './state';

// ---------------------------------------------------------------- XAS

export interface XasResult {
  name: string;
  muExpr: string;
  metadata: Record<string, string>;
  warnings: string[];
  energy: Float64Array;
  mu: Float64Array;
  norm: Float64Array;
  dmude: Float64Array;
  e0: number;
  halfStep: number;
  /** 1σ of the half-step energy from the pre-edge noise of norm over the local slope (NaN if undetermined). */
  halfStepErr: number;
  edgeStep: number;
  k: Float64Array;
  chi: Float64Array;
  r: Float64Array;
  chirMag: Float64Array;
  wavelet: { k: Float64Array; r: Float64Array; mag: number[][] } | null;
}

/** The spectra inside an Athena project or a SPEC file (empty for single-spectrum files). */
export function xasParts(bytes: Uint8Array, name: string): XasPart[] {
  const text = toText(bytes, name);
  if (isAthenaProject(text)) return readAthenaProject(text, name).groups.map((g) => ({ label: g.label || g.name, group: g.name }));
  if (isSpec(text)) return listSpecScans(text, name).map((sc) => ({ label: `scan ${sc.key}`, scan: sc.key }));
  return [];
}

export function xasSpectrum(bytes: Uint8Array, name: string, p: XasParams, withWavelet: boolean, muExpr = '', part?: XasPart, displayName = name): XasResult {
  const data = readColumnFile(bytes, name, { ...(part?.group ? { group: part.group } : {}), ...(part?.scan ? { scan: part.scan } : {}) });
  const mu = muExpr.trim() || guessMuExpr(data.labels);
  const s = buildMu(data, mu ? { mu } : {});
  const energy = s.eShift ? Float64Array.from(s.energy, (e) => e + s.eShift!) : s.energy;
  const pe = { pre1: p.pre1, pre2: p.pre2, norm1: p.norm1, ...(p.norm2 !== undefined ? { norm2: p.norm2 } : {}) };
  const pre = preEdge(energy, s.mu, pe);
  const ep = edgePositions(pre);
  const ex = exafsPipeline(energy, s.mu, { preEdge: pe, autobk: { rbkg: p.rbkg, kweight: 2 }, xftf: { kmin: p.kmin, kmax: p.kmax, dk: p.dk, kweight: p.kweight, window: 'hanning', rmaxOut: 6 } });
  // Half-step position error: scatter of norm about zero in the pre-edge window over the slope of norm there.
  const pv: number[] = [];
  for (let i = 0; i < pre.energy.length; i++) if (pre.energy[i] >= pre.e0 + pre.pre1 && pre.energy[i] <= pre.e0 + pre.pre2) pv.push(pre.norm[i]);
  const mean = pv.reduce((a, b) => a + b, 0) / (pv.length || 1);
  const sigma = pv.length >= 4 ? Math.sqrt(pv.reduce((a, b) => a + (b - mean) ** 2, 0) / (pv.length - 1)) : NaN;
  let j = 1;
  while (j < pre.energy.length - 1 && pre.energy[j] < ep.halfStep) j++;
  const slope = (pre.norm[j] - pre.norm[j - 1]) / (pre.energy[j] - pre.energy[j - 1] || 1);
  const halfStepErr = slope > 0 ? sigma / slope : NaN;
  let wavelet: XasResult['wavelet'] = null;
  if (withWavelet) {
    const w = cauchyWavelet(ex.k, ex.chi, { kweight: p.kweight, rmaxOut: 5 });
    wavelet = { k: w.k, r: w.r, mag: mapRows(w.mag, w.r.length, w.k.length) };
  }
  return {
    name: displayName,
    muExpr: s.muExpr,
    metadata: s.metadata,
    warnings: s.warnings,
    energy: pre.energy,
    mu: pre.mu,
    norm: pre.norm,
    dmude: pre.dmude,
    e0: pre.e0,
    halfStep: ep.halfStep,
    halfStepErr,
    edgeStep: pre.edgeStep,
    k: ex.k,
    chi: Float64Array.from(ex.chi, (c, i) => c * ex.k[i] ** p.kweight),
    r: ex.r,
    chirMag: ex.chirMag,
    wavelet,
  };
}

export interface LcfInput {
  data: { name: string; energy: Float64Array; norm: Float64Array; e0: number };
  refs: { name: string; energy: Float64Array; norm: Float64Array }[];
  emin: number;
  emax: number;
}

export function xasLcf(t: LcfInput) {
  if (t.refs.length === 0) throw new ValidationError('LCF needs at least one spectrum marked as reference', { field: 'references' });
  const r = lcf(
    t.data.energy,
    t.data.norm,
    t.refs.map((x) => ({ name: x.name, x: x.energy, y: x.norm })),
    { xmin: t.data.e0 + t.emin, xmax: t.data.e0 + t.emax, sumToOne: false, bounded: true },
  );
  return { name: t.data.name, weights: r.weights, sum: r.sum, rFactor: r.rFactor, redChi: r.redChi, x: r.x, y: r.y, yfit: r.yfit, warnings: r.warnings };
}

export interface ShellFitInput {
  modelName: string;
  modelBytes: Uint8Array;
  dataName: string;
  /** All XAS-workspace files by their (base) name: data and FEFF paths. */
  files: [string, Uint8Array][];
}

const base = (n: string) => n.split('/').pop() ?? n;

export function xasShellFit(t: ShellFitInput) {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(new TextDecoder().decode(t.modelBytes));
  } catch (e) {
    throw new ValidationError(`model is not JSON: ${(e as Error).message}`, { file: t.modelName });
  }
  const parsed = parseFitModel({ ...raw, data: t.dataName }, t.modelName);
  const byBase = new Map(t.files.map(([n, b]) => [base(n), b]));
  const files = new Map<string, Uint8Array>();
  for (const need of fitModelFiles(parsed)) {
    const b = byBase.get(base(need));
    if (!b) throw new ValidationError(`the model needs ${need}: drop that file too`, { file: t.modelName, field: 'paths' });
    files.set(need, b);
  }
  const res = feffit(parsed.model.params, fitModelInputs(parsed, files), { fixUnusedVariables: parsed.model.fixUnusedVariables, minCorrelation: parsed.model.minCorrelation });
  const d = res.datasets[0];
  const tr = d.transform;
  const ft = fitTransformOptions(d);
  const kw = tr.kweights[0];
  const fd = xftf(d.k, d.chiData, ft);
  const fm = xftf(d.k, d.chiModel, ft);
  return {
    dataName: t.dataName,
    summary: fitSummary(res),
    params: Object.entries(res.params).map(([n, p]) => ({ name: n, value: p.value, stderr: p.stderr, vary: p.vary })),
    rFactor: res.rFactor,
    redChi: res.redChi,
    k: d.k,
    chiData: Float64Array.from(d.chiData, (c, i) => c * d.k[i] ** kw),
    chiModel: Float64Array.from(d.chiModel, (c, i) => c * d.k[i] ** kw),
    r: fd.r,
    chirData: fd.chirMag,
    chirModel: fm.chirMag,
    rmin: tr.rmin,
    rmax: tr.rmax,
  };
}

// ---------------------------------------------------------------- ToF-SIMS

function readTofSpectrum(bytes: Uint8Array, name: string): Spectrum {
  if (/\.mzml$/i.test(name)) {
    const list = readMzML(bytes, name);
    if (list.length === 0) throw new ValidationError('mzML holds no spectrum', { file: name });
    const s = list[0];
    return { mz: s.mz, intensity: s.intensity, meta: { source: name, ...(s.polarity ? { polarity: s.polarity } : {}) } };
  }
  return readAsciiSpectrum(bytes, name);
}

/** Largest number of points sent for the full-spectrum plot: max-preserving decimation keeps every peak top. */
export function decimateMax(x: Float64Array, y: Float64Array, maxPoints: number): { x: Float64Array; y: Float64Array } {
  if (x.length <= maxPoints) return { x, y };
  const bins = Math.floor(maxPoints / 2);
  const per = x.length / bins;
  const ox = new Float64Array(bins * 2);
  const oy = new Float64Array(bins * 2);
  for (let b = 0; b < bins; b++) {
    const i0 = Math.floor(b * per);
    const i1 = Math.min(x.length, Math.floor((b + 1) * per));
    let lo = i0, hi = i0;
    for (let i = i0; i < i1; i++) {
      if (y[i] < y[lo]) lo = i;
      if (y[i] > y[hi]) hi = i;
    }
    const [a, c] = lo < hi ? [lo, hi] : [hi, lo];
    ox[2 * b] = x[a]; oy[2 * b] = y[a];
    ox[2 * b + 1] = x[c]; oy[2 * b + 1] = y[c];
  }
  return { x: ox, y: oy };
}

/** imzML maps stay in the worker (by file name) so ion images need no second transfer of the .ibd. */
const imzmls = new Map<string, { meta: ImzML; ibd: Uint8Array; ibdName: string }>();

/**
 * Summed spectrum of every pixel of an imzML. Continuous mode: the shared m/z axis, intensities
 * added. Processed mode: each pixel's peaks added into bins on the sorted union of m/z values
 * rounded to 1e-4 u (far below any ToF-SIMS peak width), so no intensity is lost or moved.
 */
export function imzmlSum(meta: ImzML, ibd: Uint8Array, ibdName: string): { mz: Float64Array; intensity: Float64Array } {
  checkIbd(meta, ibd, ibdName);
  if (meta.pixels.length === 0) throw new ValidationError('imzML holds no spectrum', { file: meta.file });
  if (meta.mode === 'continuous') {
    let mz: Float64Array | null = null;
    let acc: Float64Array | null = null;
    for (let i = 0; i < meta.pixels.length; i++) {
      const s = readImzMLSpectrum(meta, ibd, i, ibdName);
      mz ??= s.mz;
      acc ??= new Float64Array(mz.length);
      for (let j = 0; j < acc.length && j < s.intensity.length; j++) acc[j] += s.intensity[j];
    }
    return { mz: mz!, intensity: acc! };
  }
  const bins = new Map<number, number>();
  for (let i = 0; i < meta.pixels.length; i++) {
    const s = readImzMLSpectrum(meta, ibd, i, ibdName);
    for (let j = 0; j < s.mz.length; j++) {
      const k = Math.round(s.mz[j] * 1e4);
      bins.set(k, (bins.get(k) ?? 0) + s.intensity[j]);
    }
  }
  const keys = [...bins.keys()].sort((a, b) => a - b);
  return { mz: Float64Array.from(keys, (k) => k / 1e4), intensity: Float64Array.from(keys, (k) => bins.get(k)!) };
}

/** Summed spectrum of an imzML map (+ its .ibd) analysed like a single spectrum; the map stays in the worker. */
export function tofsimsImzml(bytes: Uint8Array, name: string, ibd: Uint8Array, ibdName: string, fragments: string[], tolPpm: number) {
  const meta = readImzML(bytes, name);
  const sum = imzmlSum(meta, ibd, ibdName);
  imzmls.set(name, { meta, ibd, ibdName });
  const spectrum: Spectrum = { mz: sum.mz, intensity: sum.intensity, meta: { source: name, ...(meta.polarity ? { polarity: meta.polarity } : {}) } };
  return { ...analyseTof(spectrum, name, fragments, tolPpm), map: { width: meta.width, height: meta.height, pixels: meta.pixels.length, mode: meta.mode } };
}

/** Ion image (sum of counts with m/z in [mzLow, mzHigh]) of an imzML loaded by tofsimsImzml, as rows for a heatmap. */
export function tofsimsIonImage(name: string, mzLow: number, mzHigh: number) {
  const m = imzmls.get(name);
  if (!m) throw new ValidationError('imzML not loaded in the worker', { file: name });
  const img = ionImage(m.meta, m.ibd, mzLow, mzHigh, m.ibdName);
  const z: (number | null)[][] = [];
  for (let y = 0; y < img.height; y++) z.push(Array.from({ length: img.width }, (_, x) => (img.acquired[y * img.width + x] ? img.values[y * img.width + x] : null)));
  return { name, width: img.width, height: img.height, mzLow, mzHigh, z };
}

export function tofsimsSpectrum(bytes: Uint8Array, name: string, fragments: string[], tolPpm: number) {
  return { ...analyseTof(readTofSpectrum(bytes, name), name, fragments, tolPpm), map: null as { width: number; height: number; pixels: number; mode: string } | null };
}

function analyseTof(spectrum: Spectrum, name: string, fragments: string[], tolPpm: number) {
  const r = analyzeSpectrum(spectrum, fragments, { tolPpm });
  const plot = decimateMax(spectrum.mz, spectrum.intensity, 40000);
  const matches = r.matches.map((m) => {
    // The window around the match at full resolution, for the zoomed isotope overlay.
    const lo = m.mz - 0.6, hi = m.mz + Math.max(4.5, ...m.isotopes.map((i) => i.mz - m.mz + 0.6));
    const idx: number[] = [];
    for (let i = 0; i < spectrum.mz.length; i++) if (spectrum.mz[i] >= lo && spectrum.mz[i] <= hi) idx.push(i);
    return {
      fragment: m.fragment,
      formula: m.formula,
      mz: m.mz,
      observedMz: m.observedMz,
      ppm: m.ppm,
      area: m.area,
      normalizedArea: m.normalizedArea,
      accepted: m.accepted,
      reason: m.reason,
      isotopes: m.isotopes.map((i) => ({ mz: i.mz, label: i.label, expectedCounts: i.expectedCounts, observedCounts: i.observedCounts, expectedRatio: i.expectedRatio, observedRatio: i.observedRatio })),
      window: { mz: Float64Array.from(idx, (i) => spectrum.mz[i]), intensity: Float64Array.from(idx, (i) => spectrum.intensity[i]) },
    };
  });
  return { name, totalCounts: r.totalCounts, nPeaks: r.peaks.length, calibration: r.calibration.applied, warnings: r.warnings, mz: plot.x, intensity: plot.y, matches };
}

/** Isotope pattern of a fragment (for the fragment editor's preview); throws a typed error for a bad formula. */
export function fragmentPattern(formula: string) {
  return isotopePattern(formula);
}

// ---------------------------------------------------------------- HAADF

/** Images stay in the worker (by file name): the page only needs a downsampled copy to draw. */
const images = new Map<string, { image: Image; pixelNm: number }>();

/** Any stem-stats image format; EMD (HDF5) goes through h5wasm, hence async. */
export async function haadfLoad(bytes: Uint8Array, name: string, maxSide = 256) {
  const image = await readImageAsync(bytes, name);
  const map = findAtoms(image, {}, name);
  images.set(name, { image, pixelNm: map.pixelNm });
  const scale = Math.max(1, Math.ceil(Math.max(image.width, image.height) / maxSide));
  const w = Math.ceil(image.width / scale), h = Math.ceil(image.height / scale);
  const z: number[][] = [];
  for (let j = 0; j < h; j++) {
    const row = new Array<number>(w).fill(0);
    for (let i = 0; i < w; i++) {
      let acc = 0, n = 0;
      for (let y = j * scale; y < Math.min(image.height, (j + 1) * scale); y++)
        for (let x = i * scale; x < Math.min(image.width, (i + 1) * scale); x++) {
          acc += image.data[y * image.width + x];
          n++;
        }
      row[i] = acc / n;
    }
    z.push(row);
  }
  return { name, width: image.width, height: image.height, pixelNm: map.pixelNm, scale, z, atoms: map.atoms.map((a) => ({ x: a.x, y: a.y })), detection: describeDetection(map), warnings: [...image.warnings, ...map.warnings] };
}

export function haadfStats(name: string, atoms: AtomXY[], maxPairNm: number, widthPx: number, heightPx: number, pixelNm: number) {
  const xs = atoms.map((a) => a.x * pixelNm);
  const ys = atoms.map((a) => a.y * pixelNm);
  const stats = pairStatistics([{ xNm: xs, yNm: ys, widthNm: widthPx * pixelNm, heightNm: heightPx * pixelNm, name }], { maxPairNm, bootstrap: 400, seed: 1 });
  const c = classifySites(xs, ys, stats.maxPairNm);
  const d = c.pairDistances;
  const k = d.length >= 2 && stats.kdeBandwidthNm ? kde(d, stats.kdeBandwidthNm, 0, stats.maxPairNm + 0.05, 301) : null;
  return {
    stats,
    sites: c.sites.map((s) => ({ type: s.type as string, atoms: s.atoms })),
    pairDistancesNm: d,
    kde: k ? { grid: k.grid, density: k.density } : null,
  };
}

/** Width-averaged intensity profile through a pair (stem-stats lineProfile) with the two-Gaussian fit. */
export function haadfProfile(name: string, a: AtomXY, b: AtomXY) {
  const im = images.get(name);
  if (!im) throw new ValidationError('image not loaded in the worker', { file: name });
  const { image, pixelNm } = im;
  const extend = Math.max(3, 0.15 / pixelNm);
  const p = lineProfile(image.data, image.width, image.height, a, b, 3, extend, 0.25);
  const L = Math.hypot(b.x - a.x, b.y - a.y);
  const fit = fitTwoGaussians(p, extend, extend + L, Math.max(1, 0.05 / pixelNm));
  return { sNm: Float64Array.from(p.s, (s) => s * pixelNm), v: p.v, separationNm: L * pixelNm, fit: fit ? { m1Nm: fit.m1 * pixelNm, m2Nm: fit.m2 * pixelNm, a1: fit.a1, a2: fit.a2, sigmaNm: fit.sigma * pixelNm, background: fit.background } : null };
}
