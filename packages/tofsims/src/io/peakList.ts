// Peak lists as CSV/TSV: a name row with an m/z column (m/z, mz, mass, centroid…) and
// optionally an area/counts/intensity column and a label/assignment column.
import { z } from 'zod';
import { parseOptions, ParseError } from '@siteproof/core';
import { decodeText } from './asciiSpectrum';

export interface PeakList {
  mz: Float64Array;
  /** Areas (1 when the list has none). */
  area: Float64Array;
  labels?: string[];
}

export const PeakListOptions = z.object({ maxBytes: z.number().int().positive().default(256 * 1024 * 1024) });

export function readPeakList(input: Uint8Array | string, file = '<string>', options?: z.input<typeof PeakListOptions>): PeakList {
  const o = parseOptions(PeakListOptions, options, 'options');
  const lines = decodeText(input, o.maxBytes, file).split(/\r?\n/);
  let i = 0;
  while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('#'))) i++;
  if (i >= lines.length) throw new ParseError('empty peak list', { file });
  const first = lines[i];
  const sep = first.includes('\t') ? '\t' : first.includes(';') ? ';' : ',';
  const names = first.split(sep).map((s) => s.trim().toLowerCase().replace(/^"|"$/g, ''));
  const mzCol = names.findIndex((n) => /^(m\/z|mz|mass|centroid|cmass|m\/z \(u\))/.test(n));
  if (mzCol < 0) throw new ParseError(`no m/z column in '${first.trim()}'`, { file, line: i + 1 });
  const areaCol = names.findIndex((n) => /area|counts|intens|height/.test(n));
  const labelCol = names.findIndex((n) => /label|assign|formula|ion|name|desc/.test(n));
  const mz: number[] = [];
  const area: number[] = [];
  const labels: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t === '' || t.startsWith('#')) continue;
    const cells = t.split(sep).map((s) => s.trim().replace(/^"|"$/g, ''));
    const m = Number(cells[mzCol]);
    if (!Number.isFinite(m) || m <= 0) throw new ParseError(`bad m/z '${cells[mzCol] ?? ''}'`, { file, line: j + 1, column: mzCol + 1 });
    mz.push(m);
    if (areaCol >= 0) {
      const a = Number(cells[areaCol]);
      if (!Number.isFinite(a)) throw new ParseError(`bad area '${cells[areaCol] ?? ''}'`, { file, line: j + 1, column: areaCol + 1 });
      area.push(a);
    } else area.push(1);
    if (labelCol >= 0) labels.push(cells[labelCol] ?? '');
  }
  if (mz.length === 0) throw new ParseError('peak list has no rows', { file });
  return { mz: Float64Array.from(mz), area: Float64Array.from(area), labels: labelCol >= 0 ? labels : undefined };
}
