// Principal component analysis of a series, as Larch's pca_train / pca_fit (larch/math/pca.py):
// the mean spectrum is subtracted, each spectrum is then centred and scaled to unit standard
// deviation, and the n×n matrix ynᵀyn/n is eigen-decomposed (ml-matrix, symmetric EVD).
// IND(r) = √(p·Σ_{i≥r} λᵢ /(n−r−1)) / (n−r−1)² for r = 0…n−2 (p energies, n spectra); Larch's
// array repeats its first value, so its nsig = argmin + 1 of the plain array — reported here
// as `nsig` with the plain `ind` array.
// Reconstruction and target transform fit (y − mean) with the first k components by linear least
// squares; the target transform can also fit a free scale of the candidate (Larch's rescale), and
// is scored by χ² and R-factor of the fit to the candidate.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { NumericalError, ValidationError } from '@siteproof/core';
import { solveDense } from './boundedLeastSquares';
import { cubicSpline, splineEval } from './cubicInterp';

export interface PcaModel {
  x: Float64Array;
  labels: string[];
  /** Mean spectrum (p). */
  mean: Float64Array;
  /** Eigenvalues, largest first (n). */
  eigenvalues: Float64Array;
  /** Fraction of the total variance per component (the scree). */
  variances: Float64Array;
  cumulativeVariance: Float64Array;
  /** Components (n arrays of length p), largest eigenvalue first. */
  components: Float64Array[];
  /** IND(r), r = 0…n−2 (Malinowski's indicator function). */
  ind: Float64Array;
  /** Number of significant components (argmin IND + 1, Larch's rule). */
  nsig: number;
}

export interface PcaSpectrum {
  name: string;
  x: Float64Array;
  y: Float64Array;
}

/** Put all spectra on the first spectrum's grid (window xmin…xmax), cubic interpolation as Larch. */
export function seriesMatrix(spectra: PcaSpectrum[], xmin = -Infinity, xmax = Infinity): { x: Float64Array; rows: Float64Array[] } {
  if (spectra.length === 0) throw new ValidationError('no spectra', { field: 'spectra' });
  let lo = Math.max(xmin, ...spectra.map((s) => s.x[0]));
  let hi = Math.min(xmax, ...spectra.map((s) => s.x[s.x.length - 1]));
  const x0 = spectra[0].x;
  const idx: number[] = [];
  for (let i = 0; i < x0.length; i++) if (x0[i] >= lo && x0[i] <= hi) idx.push(i);
  if (idx.length < 3) {
    throw new ValidationError(`the spectra share fewer than 3 points (common range ${lo}–${hi})`, { field: 'spectra' });
  }
  lo = x0[idx[0]];
  hi = x0[idx[idx.length - 1]];
  const x = Float64Array.from(idx, (i) => x0[i]);
  const rows = spectra.map((s, j) => (j === 0 ? Float64Array.from(idx, (i) => s.y[i]) : splineEval(cubicSpline(s.x, s.y), x)));
  return { x, rows };
}

export function pcaTrain(spectra: PcaSpectrum[], window: { xmin?: number; xmax?: number } = {}): PcaModel {
  if (spectra.length < 3) throw new ValidationError(`PCA needs at least 3 spectra, got ${spectra.length}`, { field: 'spectra' });
  const { x, rows } = seriesMatrix(spectra, window.xmin, window.xmax);
  const n = rows.length;
  const p = x.length;
  const mean = new Float64Array(p);
  for (const r of rows) for (let k = 0; k < p; k++) mean[k] += r[k] / n;
  // Standardize each mean-subtracted spectrum.
  const yn = rows.map((r, j) => {
    const d = new Float64Array(p);
    let m = 0;
    for (let k = 0; k < p; k++) {
      d[k] = r[k] - mean[k];
      m += d[k];
    }
    m /= p;
    let v = 0;
    for (let k = 0; k < p; k++) {
      d[k] -= m;
      v += d[k] * d[k];
    }
    const sd = Math.sqrt(v / p);
    if (!(sd > 0)) {
      throw new NumericalError(`spectrum '${spectra[j].name}' equals the mean spectrum (plus a constant): cannot be standardized`, { field: spectra[j].name }, 'drop it or add more distinct spectra');
    }
    for (let k = 0; k < p; k++) d[k] /= sd;
    return d;
  });
  const C = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += yn[i][k] * yn[j][k];
      C.set(i, j, s / n);
      C.set(j, i, s / n);
    }
  }
  const evd = new EigenvalueDecomposition(C, { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = Array.from(vals.keys()).sort((a, b) => vals[b] - vals[a]);
  const eigenvalues = Float64Array.from(order, (i) => Math.max(0, vals[i]));
  const components = order.map((col) => {
    const c = new Float64Array(p);
    // Larch: (yn · (−V)) / n, i.e. each component a combination of standardized spectra.
    for (let j = 0; j < n; j++) {
      const w = -V.get(j, col) / n;
      for (let k = 0; k < p; k++) c[k] += w * yn[j][k];
    }
    return c;
  });
  const total = eigenvalues.reduce((s, v) => s + v, 0);
  const variances = eigenvalues.map((v) => v / total);
  const cumulativeVariance = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cumulativeVariance[i] = acc += variances[i];
  const ind = new Float64Array(n - 1);
  for (let r = 0; r < n - 1; r++) {
    const nr = n - r - 1;
    let tail = 0;
    for (let i = r; i < n; i++) tail += eigenvalues[i];
    ind[r] = Math.sqrt((p * tail) / nr) / (nr * nr);
  }
  let imin = 0;
  for (let r = 1; r < ind.length; r++) if (ind[r] < ind[imin]) imin = r;
  return { x, labels: spectra.map((s) => s.name), mean, eigenvalues, variances, cumulativeVariance, components, ind, nsig: imin + 1 };
}

export interface PcaFit {
  /** The target on the model grid (times scale when rescaled). */
  y: Float64Array;
  yfit: Float64Array;
  weights: Float64Array;
  /** Constant offset fitted with the components. */
  offset: number;
  scale: number;
  chiSquare: number;
  rFactor: number;
  warning?: string;
}

/**
 * Least-squares fit of y ≈ mean + c + Σ wᵢ·compᵢ (i < ncomps), optionally of s·y (free scale s).
 * The constant c restores the per-spectrum offset that the standardization removes from the
 * components (Larch's pca_fit has no such term, so it cannot reproduce a training spectrum that
 * differs from the mean by a constant).
 */
export function pcaFit(model: PcaModel, target: { x: Float64Array; y: Float64Array }, ncomps = model.nsig, rescale = false): PcaFit {
  if (ncomps < 1 || ncomps > model.components.length) throw new ValidationError(`ncomps must be 1…${model.components.length}`, { field: 'ncomps' });
  const x = model.x;
  if (target.x[0] > x[0] + 1e-9 || target.x[target.x.length - 1] < x[x.length - 1] - 1e-9) {
    throw new ValidationError(`the target covers ${target.x[0]}–${target.x[target.x.length - 1]}, not the model range ${x[0]}–${x[x.length - 1]}`, { field: 'target' });
  }
  const y = splineEval(cubicSpline(target.x, target.y), x);
  const p = x.length;
  // Design D = [comp_1 … comp_k, 1, (−y if rescale)], target t = y − mean (or −mean when rescaling:
  // s·y − mean − Σw·comp − c = 0 ⇔ D·(w, c, s) ≈ −mean with the y column negated).
  const ones = new Float64Array(p).fill(1);
  const cols: Float64Array[] = [...model.components.slice(0, ncomps), ones];
  if (rescale) cols.push(y.map((v) => -v));
  const t = rescale ? model.mean.map((v) => -v) : y.map((v, k) => v - model.mean[k]);
  const m = cols.length;
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += cols[i][k] * cols[j][k];
      A[i * m + j] = s;
      A[j * m + i] = s;
    }
    let s = 0;
    for (let k = 0; k < p; k++) s += cols[i][k] * t[k];
    b[i] = s;
  }
  const sol = solveDense(A, b, m);
  if (!sol) throw new NumericalError('PCA fit is singular (components and target are not independent)', { field: 'target' });
  const weights = Float64Array.from(sol.subarray(0, ncomps));
  const offset = sol[ncomps];
  const scale = rescale ? sol[ncomps + 1] : 1;
  if (rescale && !(scale > 0)) {
    // A candidate unlike the series can only be matched upside down: score it unscaled instead.
    const f = pcaFit(model, target, ncomps, false);
    return { ...f, warning: `best scale was non-positive (${scale.toPrecision(3)}): scored without rescaling` };
  }
  const ys = y.map((v) => v * scale);
  const yfit = model.mean.map((v) => v + offset);
  for (let i = 0; i < ncomps; i++) for (let k = 0; k < p; k++) yfit[k] += weights[i] * cols[i][k];
  let chi2 = 0;
  let yy = 0;
  for (let k = 0; k < p; k++) {
    chi2 += (ys[k] - yfit[k]) ** 2;
    yy += ys[k] * ys[k];
  }
  return { y: ys, yfit, weights, offset, scale, chiSquare: chi2, rFactor: yy > 0 ? chi2 / yy : 0 };
}

/** Reconstruct every training spectrum from the first k components; returns R-factors. */
export function pcaReconstruct(model: PcaModel, spectra: PcaSpectrum[], k = model.nsig): { name: string; rFactor: number; yfit: Float64Array }[] {
  return spectra.map((s) => {
    const f = pcaFit(model, s, k, false);
    return { name: s.name, rFactor: f.rFactor, yfit: f.yfit };
  });
}

/**
 * Target transform: how well each candidate reference is described by the first k components.
 * A small R-factor says the candidate is a plausible constituent of the series.
 */
export function targetTransform(
  model: PcaModel,
  candidates: PcaSpectrum[],
  k = model.nsig,
  rescale = true,
): { name: string; rFactor: number; chiSquare: number; scale: number; warning?: string }[] {
  return candidates
    .map((c) => {
      const f = pcaFit(model, c, k, rescale);
      return { name: c.name, rFactor: f.rFactor, chiSquare: f.chiSquare, scale: f.scale, ...(f.warning ? { warning: f.warning } : {}) };
    })
    .sort((a, b) => a.rFactor - b.rFactor);
}
