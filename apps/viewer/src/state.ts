// Pure state logic of the viewer: no DOM, no worker, so it is unit-tested in Node.
// Everything the user can change lives in a Session, which serializes to one JSON file
// (input files base64-encoded + parameters) and loads back to the same state.

export type Workspace = 'xas' | 'tofsims' | 'haadf';

/** Normalization / background / transform parameters of one XAS spectrum. */
export interface XasParams {
  pre1: number;
  pre2: number;
  norm1: number;
  /** Undefined: the package default (5·round((Emax−E0)/5)). */
  norm2?: number;
  rbkg: number;
  kmin: number;
  kmax: number;
  kweight: number;
  dk: number;
}

export const DEFAULT_XAS_PARAMS: XasParams = { pre1: -150, pre2: -30, norm1: 50, rbkg: 1, kmin: 3, kmax: 12, kweight: 2, dk: 1 };

export interface LoadedFile {
  workspace: Workspace;
  name: string;
  bytes: Uint8Array;
}

export interface XasEntry {
  /** Display name: the file name, or "file#group" for one group of an Athena project / SPEC file. */
  name: string;
  /** File the entry is read from when it is one part of a multi-group file. */
  source?: string;
  part?: XasPart;
  /** Series variable (e.g. electrode potential); null when unknown. */
  variable: number | null;
  /** Own parameters; used only when the session does not share parameters. */
  params: XasParams;
  /** Used as an LCF reference rather than fitted. */
  isReference: boolean;
}

/** One spectrum inside a multi-spectrum file: an Athena group or a SPEC scan. */
export interface XasPart {
  label: string;
  group?: string;
  scan?: string;
}

export interface AtomXY {
  x: number;
  y: number;
}

export interface Session {
  version: 1;
  files: LoadedFile[];
  xas: {
    entries: XasEntry[];
    shareParams: boolean;
    shared: XasParams;
    variableName: string;
    selected: number;
    /** μ(E) expression for files without a μ column ('' = guess from the column names). */
    muExpr: string;
  };
  tofsims: { fragments: string[]; tolPpm: number };
  haadf: {
    maxPairNm: number;
    /** Atom positions (px) per image, after the user's edits; absent until detection ran. */
    atoms: Record<string, AtomXY[]>;
  };
}

export function newSession(): Session {
  return {
    version: 1,
    files: [],
    xas: { entries: [], shareParams: true, shared: { ...DEFAULT_XAS_PARAMS }, variableName: 'potential (V)', selected: 0, muExpr: '' },
    tofsims: { fragments: ['Ni+', 'NiCN+', 'NiN2C2+', 'NiN4C4+', 'C3H3N+'], tolPpm: 50 },
    haadf: { maxPairNm: 0.35, atoms: {} },
  };
}

export function workspaceOf(name: string): Workspace | null {
  const n = name.toLowerCase();
  if (/\.(xdi|xmu|prj|spec|spc|dat|chik|nor)$/.test(n) || /\.\d{3,4}$/.test(n)) return 'xas';
  if (/\.(tif|tiff|dm3|dm4|mrc|mrcs|ser|emi|emd)$/.test(n)) return 'haadf';
  if (/\.(txt|csv|tsv|mzml|imzml|ibd|asc)$/.test(n)) return 'tofsims';
  return null;
}

/** Files that only accompany another one (.emi next to a TIA .ser, .ibd next to an .imzML): not opened alone. */
export function isCompanionFile(name: string): boolean {
  return /\.(emi|ibd)$/i.test(name);
}

/** The .ibd that belongs to an .imzML: same base name (case-insensitive extension), null if absent. */
export function ibdFor(imzmlName: string, names: readonly string[]): string | null {
  const stem = imzmlName.replace(/\.imzml$/i, '');
  return names.find((n) => /\.ibd$/i.test(n) && n.slice(0, -4) === stem) ?? null;
}

/**
 * Series variable read from an XDI header value: "-0.4 V vs RHE" → -0.4; "OCP" → the open-circuit
 * potential when the file gives one; anything else → null (the user types it).
 */
export function parseVariable(metadata: Record<string, string>): number | null {
  const key = Object.keys(metadata).find((k) => /potential$/i.test(k) && !/open_circuit|reference/i.test(k));
  const raw = key ? metadata[key] : undefined;
  const num = (s: string | undefined) => {
    const m = s?.match(/[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?/);
    return m ? Number(m[0]) : null;
  };
  if (raw !== undefined) {
    const v = num(raw);
    if (v !== null) return v;
  }
  const ocpKey = Object.keys(metadata).find((k) => /open_circuit_potential$/i.test(k));
  if (raw !== undefined && /ocp|open/i.test(raw) && ocpKey) return num(metadata[ocpKey]);
  return null;
}

/**
 * μ(E) expression for a file whose columns are raw detector channels: transmission ln(i0/itrans),
 * else fluorescence ifluor/i0. Undefined when the file has a μ column (the reader's own rule) or
 * when no pair of channels is recognised (the reader then names the available columns).
 */
export function guessMuExpr(labels: readonly string[]): string | undefined {
  const has = (l: string) => labels.includes(l);
  if (['mu', 'xmu', 'mutrans', 'mufluor', 'mu_trans', 'mu_fluor'].some(has)) return undefined;
  if (has('i0') && has('itrans')) return 'ln(i0/itrans)';
  if (has('i0') && has('it')) return 'ln(i0/it)';
  const fl = ['ifluor', 'iff', 'if'].find(has);
  if (has('i0') && fl) return `${fl}/i0`;
  return undefined;
}

/** Parse what the user typed into a variable cell; blank → null, junk → undefined (rejected). */
export function parseVariableInput(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export function paramsFor(session: Session, index: number): XasParams {
  const e = session.xas.entries[index];
  return session.xas.shareParams || !e ? session.xas.shared : e.params;
}

/** Set one parameter: on the shared set, or on one spectrum (which then stops following the shared set). */
export function setParam(session: Session, index: number, key: keyof XasParams, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) return;
  const target = session.xas.shareParams ? session.xas.shared : session.xas.entries[index]?.params;
  if (!target) return;
  if (value === undefined) delete target[key];
  else (target[key] as number) = value;
}

export function addFile(session: Session, file: LoadedFile): void {
  const i = session.files.findIndex((f) => f.workspace === file.workspace && f.name === file.name);
  if (i >= 0) session.files[i] = file;
  else session.files.push(file);
  if (file.workspace === 'xas' && !session.xas.entries.some((e) => e.name === file.name) && !isAuxXasFile(file.name)) {
    session.xas.entries.push({ name: file.name, variable: null, params: { ...session.xas.shared }, isReference: false });
  }
}

export function removeFile(session: Session, workspace: Workspace, name: string): void {
  session.files = session.files.filter((f) => !(f.workspace === workspace && f.name === name));
  if (workspace === 'xas') {
    session.xas.entries = session.xas.entries.filter((e) => e.name !== name && e.source !== name);
    session.xas.selected = Math.min(session.xas.selected, Math.max(0, session.xas.entries.length - 1));
  }
  if (workspace === 'haadf') delete session.haadf.atoms[name];
}

export function entryFile(e: XasEntry): string {
  return e.source ?? e.name;
}

/**
 * A file holding several spectra (Athena groups, SPEC scans) becomes one entry per part, in place
 * of the file's single entry; parameters and the reference flag are copied to each part.
 */
export function expandEntry(session: Session, name: string, parts: readonly XasPart[]): void {
  const i = session.xas.entries.findIndex((e) => e.name === name && !e.source);
  if (i < 0 || parts.length < 2) return;
  const e = session.xas.entries[i];
  const expanded = parts.map((p) => ({ name: `${name}#${p.label}`, source: name, part: { ...p }, variable: null, params: { ...e.params }, isReference: e.isReference }));
  session.xas.entries.splice(i, 1, ...expanded);
}

/** Shell-fit models and FEFF path files travel with the XAS data but are not spectra. */
export function isAuxXasFile(name: string): boolean {
  return /\.model\.json$/i.test(name) || /^feff\d{4}\.dat$/i.test(name.split('/').pop() ?? name);
}

/** Entries sorted by the series variable (unknown last), keeping file order for ties. */
export function seriesOrder(entries: XasEntry[]): number[] {
  return entries
    .map((e, i) => ({ i, v: e.variable }))
    .sort((a, b) => (a.v === null ? 1 : 0) - (b.v === null ? 1 : 0) || (a.v ?? 0) - (b.v ?? 0) || a.i - b.i)
    .map((o) => o.i);
}

/** Move the selection with the keyboard, clamped to the list. */
export function moveSelection(current: number, delta: number, length: number): number {
  if (length <= 0) return 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

/**
 * A click on the image: remove the nearest atom when it lies within `radius` px of the click,
 * otherwise add an atom at the click. Returns a new array (the input is not modified).
 */
export function toggleAtom(atoms: readonly AtomXY[], click: AtomXY, radius: number): { atoms: AtomXY[]; action: 'added' | 'removed' } {
  let best = -1;
  let bestD = Infinity;
  atoms.forEach((a, i) => {
    const d = Math.hypot(a.x - click.x, a.y - click.y);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  if (best >= 0 && bestD <= radius) return { atoms: atoms.filter((_, i) => i !== best), action: 'removed' };
  return { atoms: [...atoms, { x: click.x, y: click.y }], action: 'added' };
}

/** The two atoms of every site the package classified as a pair (drawn as segments, listed for profiles). */
export function pairSegments(sites: readonly { type: string; atoms: number[] }[]): [number, number][] {
  return sites.filter((s) => s.type === 'pair' && s.atoms.length === 2).map((s) => [s.atoms[0], s.atoms[1]] as [number, number]);
}

// ------------------------------------------------------------------ tables → CSV / JSON

export type Cell = string | number | boolean | null | undefined;
export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(t: Table): string {
  return [t.columns.map(csvCell).join(','), ...t.rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

export function tableToJson(t: Table): string {
  return JSON.stringify(
    t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, typeof r[i] === 'number' && !Number.isFinite(r[i]) ? null : (r[i] ?? null)]))),
    null,
    2,
  );
}

// ------------------------------------------------------------------ session file

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function serializeSession(session: Session): string {
  return JSON.stringify({
    ...session,
    format: 'siteproof-viewer-session',
    files: session.files.map((f) => ({ workspace: f.workspace, name: f.name, base64: toBase64(f.bytes) })),
  });
}

export class SessionFormatError extends Error {}

/** Load a session file; anything malformed is rejected with a message naming what is wrong. */
export function deserializeSession(text: string): Session {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SessionFormatError(`session file is not JSON: ${(e as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  if (!o || o.format !== 'siteproof-viewer-session' || o.version !== 1) throw new SessionFormatError('not a siteproof viewer session (format/version missing)');
  if (!Array.isArray(o.files)) throw new SessionFormatError('session: files must be an array');
  const base = newSession();
  const files: LoadedFile[] = (o.files as Record<string, unknown>[]).map((f, i) => {
    if (typeof f?.name !== 'string' || typeof f?.base64 !== 'string' || !['xas', 'tofsims', 'haadf'].includes(f.workspace as string))
      throw new SessionFormatError(`session: files[${i}] needs workspace, name and base64`);
    return { workspace: f.workspace as Workspace, name: f.name, bytes: fromBase64(f.base64) };
  });
  const xas = { ...base.xas, ...((o.xas as object) ?? {}) } as Session['xas'];
  const tofsims = { ...base.tofsims, ...((o.tofsims as object) ?? {}) } as Session['tofsims'];
  const haadf = { ...base.haadf, ...((o.haadf as object) ?? {}) } as Session['haadf'];
  if (!Array.isArray(xas.entries) || !Array.isArray(tofsims.fragments)) throw new SessionFormatError('session: xas.entries and tofsims.fragments must be arrays');
  return { version: 1, files, xas, tofsims, haadf };
}
