// The XDI format's own test suite (../shared/data/xas/xdi): every good file reads; every bad file
// gives the outcome BadFiles.txt prescribes — 'error msg' → a typed SiteproofError naming the
// file and line; 'file read(N)' → a result (for note 1, "return value > 0, indicating Warning",
// with a warning that names the problem). BadFiles.txt is parsed here, not copied.
import { expect } from 'vitest';
import { isSiteproofError } from '@siteproof/core';
import { readXdi, readColumnFile } from '@siteproof/xas';
import { describeShared, itShared, listSharedFiles, readSharedBytes, readSharedText, hasShared } from '../helpers/shared';

interface Expectation {
  file: string;
  outcome: 'error' | 'read';
  note?: number;
  description: string;
}

function parseBadFiles(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split('\n')) {
    const m = /^(bad_\d+\.xdi)\s+(error msg|file read)(?:\((\d+)\))?\s+\S+\s+(.*)$/.exec(line.trim());
    if (m) out.push({ file: m[1], outcome: m[2] === 'error msg' ? 'error' : 'read', note: m[3] ? Number(m[3]) : undefined, description: m[4] });
  }
  return out;
}

/** Words of the description a warning must contain: field names like element.edge, else a topic. */
function keywords(desc: string): string[] {
  const fields = desc.match(/[A-Za-z_]+\.[A-Za-z_]+/g);
  if (fields) return fields.map((f) => f.toLowerCase());
  if (/date-time/i.test(desc)) return ['start_time'];
  if (/------/.test(desc)) return ['----'];
  return [];
}

describeShared('XDI test suite', () => {
  const table = hasShared() ? parseBadFiles(readSharedText('data/xas/xdi/bad/BadFiles.txt')) : [];
  itShared('BadFiles.txt lists all 36 bad files', () => {
    expect(table.length).toBe(36);
    const onDisk = listSharedFiles('data/xas/xdi/bad', (f) => f.endsWith('.xdi')).length;
    expect(onDisk).toBe(36);
  });
  for (const t of table) {
    itShared(`${t.file}: ${t.outcome}${t.note ? `(${t.note})` : ''} — ${t.description}`, () => {
      const bytes = readSharedBytes(`data/xas/xdi/bad/${t.file}`);
      if (t.outcome === 'error') {
        let err: unknown;
        try {
          readXdi(bytes, t.file);
        } catch (e) {
          err = e;
        }
        expect(isSiteproofError(err), `expected a typed error, got ${String(err)}`).toBe(true);
        if (isSiteproofError(err)) {
          expect(err.location.file).toBe(t.file);
          expect(err.location.line).toBeGreaterThan(0);
        }
        // the sniffing entry point behaves the same when the file announces itself as XDI
        // (bad_01 has no XDI line, so readColumnFile reads it as plain columns, as Larch does)
        if (new TextDecoder().decode(bytes.subarray(0, 8)).startsWith('# XDI/')) expect(() => readColumnFile(bytes, t.file)).toThrow();
      } else {
        const d = readXdi(bytes, t.file);
        expect(d.columns.length).toBeGreaterThan(0);
        expect(d.columns[0].length).toBeGreaterThan(0);
        if (t.note === 1 || t.note === 2 || t.note === 3 || t.note === 7) {
          expect(d.warnings.length, 'a warning is required').toBeGreaterThan(0);
          const text = d.warnings.join('\n').toLowerCase();
          for (const k of keywords(t.description)) expect(text, `warning should name '${k}'`).toContain(k);
        }
        if (t.note === 2) expect(d.labels.length).toBe(d.columns.length);
        if (t.note === 5) expect(d.metadata['XDI.extra_version']).toBe('');
      }
    });
  }
  const good = hasShared() ? listSharedFiles('data/xas/xdi/good', (f) => f.endsWith('.xdi')) : [];
  for (const rel of good) {
    itShared(`good: ${rel}`, () => {
      const d = readColumnFile(readSharedBytes(rel), rel);
      expect(d.format).toBe('xdi');
      expect(d.columns.length).toBeGreaterThanOrEqual(2);
      const n = d.columns[0].length;
      for (const c of d.columns) expect(c.length).toBe(n);
      expect(n).toBeGreaterThanOrEqual(10);
    });
  }
  itShared('good: cu_metal_rt.xdi keeps its metadata and column labels', () => {
    const d = readXdi(readSharedBytes('data/xas/xdi/good/cu_metal_rt.xdi'), 'cu_metal_rt.xdi');
    expect(d.labels).toEqual(['energy', 'i0', 'itrans', 'mutrans']);
    expect(d.metadata['Element.symbol']).toBe('Cu');
    expect(d.metadata['Mono.d_spacing']).toBe('3.13553');
    expect(d.metadata['XDI.comments']).toContain('Cu foil Room Temperature');
    expect(d.columns[0].length).toBe(408);
  });
});
