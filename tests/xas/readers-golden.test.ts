// Golden test: siteproof's readAscii names, shapes and fills the columns of every shared XAS file
// exactly as Larch's read_ascii does (../shared/reference/xas/readers_larch.json, Larch 2026.3.1).
// Tolerance: numbers equal to 1e-9 relative (both sides parse the same decimal text; the only
// differences can come from float formatting in the JSON).
import { expect } from 'vitest';
import { listSpecScans, readAscii, readColumnFile } from '@siteproof/xas';
import { describeShared, hasShared, itShared, loadReference, readSharedBytes } from '../helpers/shared';

interface LarchRead {
  labels: string[];
  shape: [number, number];
  first: number[];
  last: number[];
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

describeShared('readers vs Larch read_ascii (readers_larch.json)', () => {
  // no known deviations: every reference file matches (labels, shape, first and last rows)
  const ref = hasShared() ? loadReference<Record<string, LarchRead>>('xas/readers_larch.json') : {};
  const names = Object.keys(ref);
  itShared('covers all reference files', () => {
    expect(names.length).toBeGreaterThanOrEqual(50);
  });
  for (const rel of names) {
    const exp = ref[rel];
    itShared(rel, () => {
      const d = readAscii(readSharedBytes(`data/xas/${rel}`), rel);
      expect(d.labels).toEqual(exp.labels);
      expect([d.columns.length, d.columns[0].length]).toEqual(exp.shape);
      const n = d.columns[0].length;
      const first = d.columns.map((c) => c[0]);
      const last = d.columns.map((c) => c[n - 1]);
      first.forEach((v, i) => expect(close(v, exp.first[i]), `first[${i}] ${v} vs ${exp.first[i]}`).toBe(true));
      last.forEach((v, i) => expect(close(v, exp.last[i]), `last[${i}] ${v} vs ${exp.last[i]}`).toBe(true));
      // the sniffing entry point (XDI reader for .xdi, which labels from Column.N) agrees too;
      // an Athena project is read as a project there, not as columns
      if (!rel.endsWith('.prj')) {
        const bytes = readSharedBytes(`data/xas/${rel}`);
        let s = readColumnFile(bytes, rel);
        if (s.format === 'spec') {
          // SPEC files are read scan by scan with SPEC's two-space label rule ("Counter 27" is
          // one label); Larch's read_ascii sees only the last data block, i.e. the last scan
          const scans = listSpecScans(bytes, rel);
          s = readColumnFile(bytes, rel, { scan: scans[scans.length - 1].key });
          expect(s.labels.length).toBe(exp.labels.length);
          const m = s.columns[0].length;
          s.columns.forEach((c, i) => expect(close(c[m - 1], exp.last[i])).toBe(true));
        } else expect(s.labels).toEqual(exp.labels);
        expect([s.columns.length, s.columns[0].length]).toEqual(exp.shape);
      }
    });
  }
});
