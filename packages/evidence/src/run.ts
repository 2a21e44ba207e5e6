// Read → evidence → verdict for a folder of whatever the user has. Isomorphic: files come through
// `read` (the CLI passes a disk reader; a browser could pass fetch), names relative to the folder.
import { ValidationError } from '@siteproof/core';
import { parseFitModel, fitModelFiles, runFitModel, type FeffitResult } from '@siteproof/xas';
import { readAsciiSpectrum } from '@siteproof/tofsims';
import { defaultFragments, resolveVerdictConfig, type VerdictConfig } from './config';
import { exafsEvidence, findPairPath, type ExafsEvidence } from './exafs';
import { waveletEvidence, type WaveletEvidence } from './wavelet';
import { haadfEvidence, readAtomsCsv, type HaadfEvidence } from './haadf';
import { tofsimsEvidence, type TofsimsEvidence } from './tofsims';
import { xanesEvidence, readTwoColumns, type XanesEvidence } from './xanes';
import { combineEvidence, type Verdict } from './verdict';
import type { EvidenceRow } from './row';

export type ReadFile = (name: string) => Promise<Uint8Array>;

export interface VerdictResult extends Verdict {
  config: VerdictConfig;
  exafs: ExafsEvidence | null;
  wavelet: WaveletEvidence | null;
  haadf: HaadfEvidence | null;
  tofsims: TofsimsEvidence | null;
  xanes: XanesEvidence | null;
}

/** POSIX join + normalize of a folder-relative path (no node:path in packages). */
export function joinRel(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  const parts = (dir ? `${dir}/${name}` : name).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}
const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function fitModelFile(name: string, read: ReadFile): Promise<FeffitResult> {
  let json: unknown;
  try {
    json = JSON.parse(text(await read(name)));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ValidationError(`not valid JSON: ${e.message}`, { file: name });
    throw e;
  }
  const parsed = parseFitModel(json, name);
  const files = new Map<string, Uint8Array>();
  for (const f of fitModelFiles(parsed)) files.set(f, await read(joinRel(dirOf(name), f)));
  return runFitModel(json, files);
}

export async function runVerdict(config: VerdictConfig, read: ReadFile): Promise<VerdictResult> {
  const rows: EvidenceRow[] = [];
  let exafs: ExafsEvidence | null = null;
  let wavelet: WaveletEvidence | null = null;
  let metals = config.metals ?? null;
  if (config.exafs) {
    const e = config.exafs;
    const pair = await fitModelFile(e.pair, read);
    const without = e.without ? await fitModelFile(e.without, read) : undefined;
    const alternatives: Record<string, FeffitResult> = {};
    for (const [n, f] of Object.entries(e.alternatives)) alternatives[n] = await fitModelFile(f, read);
    exafs = exafsEvidence({ pair, without, alternatives });
    rows.push(exafs.row);
    if (e.wavelet) {
      const alt = Object.values(alternatives)[0] ?? null;
      wavelet = waveletEvidence(pair, alt, e.waveletKweight);
      rows.push(wavelet.row);
    }
    const pp = findPairPath(pair);
    if (!metals && pp && pp.geometry.length >= 2) metals = [pp.geometry[0].label.replace(/\d+$/, ''), pp.geometry[1].label.replace(/\d+$/, '')];
  }
  let haadf: HaadfEvidence | null = null;
  if (config.haadf) {
    const h = config.haadf;
    const atoms = readAtomsCsv(await read(h.atoms), h.atoms, h.widthNm, h.heightNm);
    let corrected: { pairSiteFraction: number; ci95: [number, number] } | undefined;
    if (h.pairs) {
      const doc = JSON.parse(text(await read(h.pairs))) as { corrected?: { pairSiteFraction?: number; ci95?: { pairSiteFraction?: [number, number] } } | null };
      const c = doc.corrected;
      if (c && typeof c.pairSiteFraction === 'number' && c.ci95?.pairSiteFraction) corrected = { pairSiteFraction: c.pairSiteFraction, ci95: c.ci95.pairSiteFraction };
    }
    const snr = h.snr ?? atoms.snr ?? undefined;
    haadf = haadfEvidence(atoms.fields, {
      maxPairNm: h.maxPairNm,
      simulations: h.simulations,
      seed: h.seed,
      ...(corrected ? { corrected } : {}),
      ...(metals ? { elements: metals } : {}),
      ...(snr !== undefined ? { snr } : {}),
    });
    rows.push(haadf.row);
  }
  let tofsims: TofsimsEvidence | null = null;
  if (config.tofsims) {
    const t = config.tofsims;
    let frags = { heteronuclear: t.heteronuclear, mononuclear: t.mononuclear };
    if (!frags.heteronuclear || !frags.mononuclear) {
      if (!metals) throw new ValidationError('give tofsims.heteronuclear and tofsims.mononuclear, or metals: ["Fe", "Cu"]', { field: 'siteproof.json#verdict.tofsims' });
      const d = defaultFragments(metals);
      frags = { heteronuclear: frags.heteronuclear ?? d.heteronuclear, mononuclear: frags.mononuclear ?? d.mononuclear };
    }
    const sample = readAsciiSpectrum(await read(t.sample), t.sample);
    const control = t.control ? readAsciiSpectrum(await read(t.control), t.control) : null;
    tofsims = tofsimsEvidence(sample, control, { heteronuclear: frags.heteronuclear!, mononuclear: frags.mononuclear!, tolPpm: t.tolPpm, recalibrate: t.recalibrate });
    rows.push(tofsims.row);
  }
  let xanes: XanesEvidence | null = null;
  if (config.xanes) {
    const x = config.xanes;
    const data = readTwoColumns(await read(x.data), x.data);
    const refs = [];
    for (const r of x.references) refs.push({ name: r, ...readTwoColumns(await read(r), r) });
    const pairRef = x.pairReference ? { name: x.pairReference, ...readTwoColumns(await read(x.pairReference), x.pairReference) } : null;
    xanes = xanesEvidence(data, refs, pairRef, { ...(x.noise !== undefined ? { noise: x.noise } : {}), ...(x.xmin !== undefined ? { xmin: x.xmin } : {}), ...(x.xmax !== undefined ? { xmax: x.xmax } : {}) });
    rows.push(xanes.row);
  }
  const v = combineEvidence(rows);
  return { ...v, config, exafs, wavelet, haadf, tofsims, xanes };
}

/**
 * One call for a folder (what `siteproof report` can use): validate/discover the config from the
 * `verdict` section of siteproof.json (`configInput`, may be undefined) and the folder listing,
 * read the files through `read`, and return the verdict with its rows.
 */
export async function verdictForFolder(configInput: unknown, files: readonly string[], read: ReadFile, label = 'siteproof.json#verdict'): Promise<VerdictResult> {
  return runVerdict(resolveVerdictConfig(configInput, files, label), read);
}

/** The JSON document of a verdict: overall, leaning, summary, rows (with details) and the resolved config. */
export function verdictDocument(v: VerdictResult): { overall: string; leaning: string | null; summary: string; rows: EvidenceRow[]; config: VerdictConfig } {
  return { overall: v.overall, leaning: v.leaning, summary: v.summary, rows: v.rows, config: v.config };
}
