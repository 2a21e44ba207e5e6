// File discovery: walk the experiment folder and sort every file into XAS spectra, ToF-SIMS
// spectra, HAADF images, shell-fit models, FEFF path files, the config — or "ignored". Kinds are
// decided by name first (images, FEFF files, JSON) and by a look at the first bytes for text
// files (XDI/Athena/SPEC headers, an m/z column), so a misnamed file still lands right; whether
// it really parses is decided later by the reader, and failures become "skipped files".
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export type FileKind = 'xas' | 'tofsims' | 'haadf' | 'model' | 'feff' | 'config' | 'ignored';

export interface FoundFile {
  /** Path relative to the experiment folder, with '/' separators. */
  rel: string;
  abs: string;
  kind: FileKind;
  /** Why a file was ignored (or how its kind was decided). */
  note?: string;
}

const IMAGE_EXT = /\.(tif|tiff|dm3|dm4|emd|h5|hdf5|ser|mrc)$/i;
const XAS_EXT = /\.(xdi|xmu|chik|prj|spec|dat|nor|txt|csv|tsv|asc|gz|\d{3,4})$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'report']);

async function walk(dir: string, root: string, out: string[], depth: number): Promise<void> {
  if (depth > 6) return;
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, root, out, depth + 1);
    } else if (e.isFile()) out.push(full);
  }
}

/** Classify by name and the first 4 kB of text. */
export function classify(rel: string, head: string): { kind: FileKind; note?: string } {
  const base = path.posix.basename(rel).toLowerCase();
  if (base === 'siteproof.json') return { kind: 'config' };
  if (/^feff\d{4}\.dat$/.test(base) || base === 'feff.inp' || base === 'paths.dat' || base === 'files.dat') return { kind: 'feff' };
  if (IMAGE_EXT.test(base)) return { kind: 'haadf' };
  if (base.endsWith('.json')) {
    if (/"paths"\s*:/.test(head) || /"datasets"\s*:/.test(head)) return { kind: 'model' };
    return { kind: 'ignored', note: 'JSON file that is not a shell-fit model (no "paths" or "datasets")' };
  }
  if (/\.(md|pdf|docx?|xlsx?|pptx?|py|ipynb|log|png|jpg|jpeg|gif|svg|html)$/i.test(base)) return { kind: 'ignored', note: 'not a data format siteproof reads' };
  if (/^#\s*XDI\//m.test(head) || /^#S \d+/m.test(head) || /^#F /m.test(head) || /^# Athena project file/m.test(head)) return { kind: 'xas' };
  if (/(^|[\t ,;#])(m\/z|mass\s*\(u\)|mass\s*\[u\])/im.test(head) || /#\s*binning\s*:/i.test(head)) return { kind: 'tofsims' };
  if (/\benergy\b|\bi0\b|\bmu\w*\b|\bitrans\b|\bifluor\b/i.test(head)) return { kind: 'xas' };
  if (XAS_EXT.test(base)) return { kind: 'xas', note: 'guessed from the file name' };
  return { kind: 'ignored', note: 'unknown file type' };
}

export async function discoverFiles(root: string): Promise<FoundFile[]> {
  const files: string[] = [];
  await walk(root, root, files, 0);
  const out: FoundFile[] = [];
  for (const abs of files) {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    let head = '';
    try {
      const fh = await fs.open(abs, 'r');
      try {
        const buf = Buffer.alloc(4096);
        const { bytesRead } = await fh.read(buf, 0, 4096, 0);
        head = buf.subarray(0, bytesRead).toString('latin1');
      } finally {
        await fh.close();
      }
    } catch (e) {
      out.push({ rel, abs, kind: 'ignored', note: `cannot read: ${(e as Error).message}` });
      continue;
    }
    // gzip: the reader decides (XAS readers take .gz)
    if (head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0x8b) {
      out.push({ rel, abs, kind: IMAGE_EXT.test(rel) ? 'haadf' : 'xas', note: 'gzip-compressed' });
      continue;
    }
    out.push({ rel, abs, ...classify(rel, head) });
  }
  return out;
}
