// `siteproof report` orchestration: discover → read → run the tasks (on all cores) → assemble
// results → figures, tables, report.html, results.json. Every input that cannot be used is listed
// with its reason; the rest of the report is still produced.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IoError, ValidationError } from '@siteproof/core';
import { isotopePattern } from '@siteproof/tofsims';
import { verdictDocument, verdictForFolder } from '@siteproof/evidence';
import { VERSION } from '../version';
import { parseReportConfig, type ReportConfig } from './config';
import { discoverFiles, type FoundFile } from './discover';
import { defaultJobs, runTasks } from './pool';
import type { Progress } from './progress';
import { acquisitionOrder, seriesValue, type SeriesValue } from './series';
import type { FitTaskOutput, HaadfTaskOutput, Task, TaskResult, TofsimsTaskOutput, XasTaskOutput } from './tasks';

export interface FileStatus {
  file: string;
  kind: string;
  status: 'used' | 'skipped' | 'ignored';
  reason?: string;
}

export interface XasMember {
  file: string;
  variable: SeriesValue;
  colour: number;
  out: XasTaskOutput;
  /** E0 (half step) minus the foil's E0 in the same scan, or E0 itself without a foil. */
  e0Rel: number;
  e0RelErr: number | null;
  e0Shift: number;
  e0ShiftErr: number | null;
}

/** Quadrature sum of 1σ errors; null when any is unknown. */
function quad(...e: (number | null)[]): number | null {
  return e.some((x) => x === null || !Number.isFinite(x)) ? null : Math.hypot(...(e as number[]));
}

export interface ReportData {
  dir: string;
  config: ReportConfig;
  configSource: string;
  version: string;
  generated: string;
  files: FileStatus[];
  xas: { members: XasMember[]; fits: { model: string; member: number; out: FitTaskOutput }[]; waveletMember: number | null; warnings: string[] };
  tofsims: { spectra: { file: string; role: 'sample' | 'control'; out: TofsimsTaskOutput }[]; windowFragment: string | null; window: [number, number] | null };
  haadf: { images: { file: string; out: HaadfTaskOutput }[] };
  /** The cross-technique verdict when siteproof.json has a "verdict" section (else null). */
  verdict: { document: ReturnType<typeof verdictDocument> } | { error: string } | null;
  timings: Record<string, number>;
}

export interface RunOptions {
  dir: string;
  configFile?: string;
  /** Worker threads; default: all cores when the batch would take more than ~30 s inline. */
  jobs?: number;
  progress: Progress;
}

async function readBytes(abs: string, rel: string): Promise<Uint8Array> {
  try {
    const b = await fs.readFile(abs);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new IoError(`cannot read: ${(e as Error).message}`, { file: rel });
  }
}

export async function runReport(o: RunOptions): Promise<ReportData> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const dir = path.resolve(o.dir);
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw new ValidationError('expected a folder with the files of one experiment', { file: o.dir });
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new IoError('no such folder', { file: o.dir });
  }
  const found = await discoverFiles(dir);
  const files: FileStatus[] = [];
  const status = (f: FoundFile, s: FileStatus['status'], reason?: string) => files.push({ file: f.rel, kind: f.kind, status: s, ...(reason ? { reason } : {}) });

  // ---- config: --config FILE, else DIR/siteproof.json, else defaults
  let rawConfig: unknown = {};
  let configSource = 'defaults';
  const cfgFile = o.configFile ? path.resolve(o.configFile) : found.find((f) => f.kind === 'config' && !f.rel.includes('/'))?.abs;
  if (cfgFile) {
    const label = o.configFile ?? path.relative(dir, cfgFile);
    const text = new TextDecoder().decode(await readBytes(cfgFile, label));
    try {
      rawConfig = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(`not valid JSON: ${(e as Error).message}`, { file: label });
    }
    configSource = label;
  }
  const config = parseReportConfig(rawConfig, configSource);
  for (const f of found) if (f.kind === 'config') status(f, f.abs === cfgFile ? 'used' : 'ignored', f.abs === cfgFile ? 'report options' : 'a siteproof.json below the top folder is not read');

  const data = found.filter((f) => f.kind === 'xas' || f.kind === 'tofsims' || f.kind === 'haadf' || f.kind === 'model');
  if (data.length === 0) {
    throw new ValidationError(
      `no data files found in ${o.dir} (looked for XAS spectra, ToF-SIMS spectra, HAADF images and shell-fit models)`,
      { file: o.dir },
      'point siteproof report at the folder of one experiment, e.g. pnpm siteproof report examples/experiment',
    );
  }

  // ---- read every file
  o.progress.stage('reading files', data.length);
  const bytes = new Map<string, Uint8Array>();
  for (const f of data) {
    try {
      bytes.set(f.rel, await readBytes(f.abs, f.rel));
    } catch (e) {
      status(f, 'skipped', (e as Error).message);
    }
    o.progress.tick();
  }
  o.progress.done();

  // ---- stage 1: spectra, images (independent, in parallel)
  const xasFiles = data.filter((f) => f.kind === 'xas' && bytes.has(f.rel));
  const tofFiles = data.filter((f) => f.kind === 'tofsims' && bytes.has(f.rel));
  const imgFiles = data.filter((f) => f.kind === 'haadf' && bytes.has(f.rel));
  const cx = config.xas;
  const tasks: { f: FoundFile; task: Task }[] = [];
  for (const f of xasFiles) {
    tasks.push({ f, task: { kind: 'xas', input: { name: f.rel, bytes: bytes.get(f.rel)!, ...(cx.mu ? { mu: cx.mu } : {}), reference: cx.referenceChannel, preEdge: cx.preEdge, autobk: cx.autobk, xftf: cx.xftf } } });
  }
  // The annotated window: the chosen fragment's isotope pattern (e.g. 58Ni/60Ni of NiN2C2+) ± 0.7 m/z.
  const winFragment = config.tofsims.window.fragment ?? config.tofsims.fragments.find((x) => /N\d+C\d+/.test(x) && /(Ni|Fe|Co|Cu|Mn|Zn|Pt|Ru|Ir)/.test(x)) ?? config.tofsims.fragments.find((x) => /(Ni|Fe|Co|Cu|Mn|Zn|Pt|Ru|Ir)/.test(x) && /N/.test(x)) ?? config.tofsims.fragments[0];
  let window: [number, number] | null = null;
  try {
    const pat = isotopePattern(winFragment, { threshold: 1e-4 });
    const top = Math.max(...pat.map((p) => p.probability));
    const strong = pat.filter((p) => p.probability >= 0.05 * top).map((p) => p.mz);
    window = [config.tofsims.window.from ?? Math.floor(Math.min(...strong) - 0.7), config.tofsims.window.to ?? Math.ceil(Math.max(...strong) + 0.7)];
  } catch {
    window = config.tofsims.window.from !== undefined && config.tofsims.window.to !== undefined ? [config.tofsims.window.from, config.tofsims.window.to] : null;
  }
  for (const f of tofFiles) {
    tasks.push({ f, task: { kind: 'tofsims', input: { name: f.rel, bytes: bytes.get(f.rel)!, fragments: config.tofsims.fragments, tolPpm: config.tofsims.tolPpm, windows: window ? [window] : [] } } });
  }
  for (const f of imgFiles) {
    const c = config.haadf;
    tasks.push({ f, task: { kind: 'haadf', input: { name: f.rel, bytes: bytes.get(f.rel)!, ...(c.pixelNm ? { pixelNm: c.pixelNm } : {}), maxPairNm: c.maxPairNm, bootstrap: c.bootstrap, seed: c.seed } } });
  }
  const t1 = Date.now();
  o.progress.stage('spectra and images', tasks.length);
  const jobs1 = o.jobs ?? defaultJobs(tasks.map((t) => t.task));
  timings.jobs = jobs1;
  const results1 = await runTasks(
    tasks.map((t) => t.task),
    jobs1,
    () => o.progress.tick(),
  );
  o.progress.done();
  timings.spectraAndImages = (Date.now() - t1) / 1000;
  const okOf = <T>(i: number): T | undefined => {
    const r: TaskResult = results1[i];
    if (r.ok) {
      status(tasks[i].f, 'used');
      return r.value as T;
    }
    status(tasks[i].f, 'skipped', r.error);
    return undefined;
  };

  // ---- XAS series
  const xasOut: { file: string; out: XasTaskOutput }[] = [];
  const tofOut: { file: string; out: TofsimsTaskOutput }[] = [];
  const imgOut: { file: string; out: HaadfTaskOutput }[] = [];
  tasks.forEach((t, i) => {
    if (t.task.kind === 'xas') {
      const v = okOf<XasTaskOutput>(i);
      if (v) xasOut.push({ file: t.f.rel, out: v });
    } else if (t.task.kind === 'tofsims') {
      const v = okOf<TofsimsTaskOutput>(i);
      if (v) tofOut.push({ file: t.f.rel, out: v });
    } else if (t.task.kind === 'haadf') {
      const v = okOf<HaadfTaskOutput>(i);
      if (v) imgOut.push({ file: t.f.rel, out: v });
    }
  });
  const xasWarnings: string[] = [];
  const order = acquisitionOrder(xasOut.map((x) => ({ file: x.file, meta: x.out.metadata })));
  const allRef = xasOut.length > 0 && xasOut.every((x) => x.out.reference);
  if (xasOut.length > 0 && !allRef && xasOut.some((x) => x.out.reference)) xasWarnings.push('only some spectra have the reference channel: E0 shifts are not foil-corrected');
  const members: XasMember[] = order.map((i, j) => {
    const x = xasOut[i];
    const e = x.out.edge;
    const r = allRef ? x.out.reference! : undefined;
    const e0Rel = r ? e.halfStep - r.halfStep : e.halfStep;
    const e0RelErr = r ? quad(e.halfStepErr, r.halfStepErr) : e.halfStepErr;
    return { file: x.file, variable: seriesValue(x.file, x.out.metadata, cx.variable), colour: j, out: x.out, e0Rel, e0RelErr, e0Shift: 0, e0ShiftErr: 0 };
  });
  for (const [j, m] of members.entries()) {
    m.e0Shift = m.e0Rel - members[0].e0Rel;
    m.e0ShiftErr = j === 0 ? 0 : quad(m.e0RelErr, members[0].e0RelErr);
    for (const w of m.out.warnings) xasWarnings.push(`${m.file}: ${w}`);
  }
  if (members.length > 1) {
    const e0s = members.map((m) => m.out.edge.e0Larch);
    if (Math.max(...e0s) - Math.min(...e0s) > 100) xasWarnings.push(`the XAS files span ${Math.min(...e0s).toFixed(0)}–${Math.max(...e0s).toFixed(0)} eV: more than one edge in one series`);
  }
  const waveletMember = members.length === 0 ? null : cx.wavelet.member === 'first' ? 0 : members.length - 1;

  // ---- stage 2: wavelet (one member) and shell fits (every model × member)
  const modelFiles = data.filter((f) => f.kind === 'model' && bytes.has(f.rel));
  const stage2: { label: string; task: Task; model?: FoundFile; member?: number }[] = [];
  if (waveletMember !== null) {
    const m = members[waveletMember];
    stage2.push({ label: 'wavelet', member: waveletMember, task: { kind: 'xas', input: { name: m.file, bytes: bytes.get(m.file)!, ...(cx.mu ? { mu: cx.mu } : {}), reference: cx.referenceChannel, preEdge: cx.preEdge, autobk: cx.autobk, xftf: cx.xftf, wavelet: cx.wavelet } } });
  }
  for (const mf of modelFiles) {
    let model: Record<string, unknown>;
    try {
      model = JSON.parse(new TextDecoder().decode(bytes.get(mf.rel)!));
    } catch (e) {
      status(mf, 'skipped', `not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const mdir = path.posix.dirname(mf.rel);
    const feffNames = new Set<string>();
    for (const p of (model.paths as { feff?: string }[] | undefined) ?? []) if (p?.feff) feffNames.add(p.feff);
    const fileList: [string, Uint8Array | string][] = [];
    let missing = '';
    for (const n of feffNames) {
      const rel = path.posix.normalize(path.posix.join(mdir, n));
      try {
        fileList.push([n, await readBytes(path.join(dir, rel), rel)]);
      } catch {
        missing = `FEFF path file '${n}' not found (looked for ${rel})`;
        break;
      }
    }
    if (missing) {
      status(mf, 'skipped', missing);
      continue;
    }
    // Series mode: the model is applied to every member; else only to its own data file.
    const targets = cx.fitAllMembers && members.length > 0 ? members.map((_, i) => i) : members.map((m, i) => (path.posix.normalize(path.posix.join(mdir, String(model.data ?? ''))) === m.file ? i : -1)).filter((i) => i >= 0);
    if (targets.length === 0) {
      status(mf, 'skipped', 'no XAS spectrum to fit (its data file is not among the spectra read)');
      continue;
    }
    for (const i of targets) {
      const m = members[i];
      const dataName = path.posix.relative(mdir, m.file);
      stage2.push({ label: 'fit', model: mf, member: i, task: { kind: 'fit', input: { modelName: mf.rel, model, dataName, files: [...fileList, [dataName, bytes.get(m.file)!]], e0: m.out.autobkE0, edgeStep: m.out.edgeStep } } });
    }
  }
  const t2 = Date.now();
  o.progress.stage('wavelet and shell fits', stage2.length);
  const results2 = await runTasks(
    stage2.map((s) => s.task),
    o.jobs ?? defaultJobs(stage2.map((s) => s.task)),
    () => o.progress.tick(),
  );
  o.progress.done();
  timings.fits = (Date.now() - t2) / 1000;
  const fits: ReportData['xas']['fits'] = [];
  const modelErrors = new Map<string, string>();
  stage2.forEach((s, i) => {
    const r = results2[i];
    if (s.label === 'wavelet') {
      if (r.ok) members[s.member!].out.wavelet = (r.value as XasTaskOutput).wavelet;
      else xasWarnings.push(`wavelet map: ${r.error}`);
    } else if (r.ok) fits.push({ model: s.model!.rel, member: s.member!, out: r.value as FitTaskOutput });
    else {
      modelErrors.set(s.model!.rel, r.error);
      xasWarnings.push(`${s.model!.rel} on ${members[s.member!].file}: ${r.error}`);
    }
  });
  for (const mf of modelFiles) {
    if (files.some((f) => f.file === mf.rel)) continue;
    if (fits.some((f) => f.model === mf.rel)) status(mf, 'used');
    else status(mf, 'skipped', modelErrors.get(mf.rel) ?? 'no fit');
  }
  for (const f of found) {
    if (f.kind === 'feff') status(f, 'used', 'FEFF path (read by a model)');
    else if (f.kind === 'ignored') status(f, 'ignored', f.note);
  }

  // ---- ToF-SIMS: sample vs control, and the annotated window (recomputed with the window)
  const ctl = config.tofsims.control.toLowerCase();
  const spectra = tofOut.map((t) => ({ file: t.file, role: (path.posix.basename(t.file).toLowerCase().includes(ctl) ? 'control' : 'sample') as 'sample' | 'control', out: t.out }));
  // ---- the cross-technique verdict, only when configured: its default discovery expects the
  // layout of `siteproof verdict` (fits with/without the M–M′ path, atoms, control spectra).
  let verdict: ReportData['verdict'] = null;
  if (config.verdict !== undefined) {
    o.progress.stage('verdict', 1);
    const tv = Date.now();
    try {
      const read = (name: string) => readBytes(path.join(dir, name), name);
      const v = await verdictForFolder(config.verdict, found.map((f) => f.rel), read, `${configSource}#verdict`);
      verdict = { document: verdictDocument(v) };
    } catch (e) {
      verdict = { error: (e as Error).message };
    }
    timings.verdict = (Date.now() - tv) / 1000;
    o.progress.tick();
    o.progress.done();
  }

  files.sort((a, b) => a.file.localeCompare(b.file));
  timings.total = (Date.now() - t0) / 1000;
  return {
    dir,
    config,
    configSource,
    version: VERSION,
    generated: new Date().toISOString(),
    files,
    xas: { members, fits, waveletMember, warnings: xasWarnings },
    tofsims: { spectra, windowFragment: window ? winFragment : null, window: window && spectra.length > 0 ? window : null },
    haadf: { images: imgOut },
    verdict,
    timings,
  };
}
