// Multi-element fluorescence: the dead-time-corrected sum Σ ROI·ICR/(OCR·LTIME) of Larch's
// sum_fluor_channels (larch/io/columnfile.py), optionally divided by I0. Channels are given by
// column name; a missing ICR/OCR/LTIME list means 1 for every channel.
import { z } from 'zod';
import { NumericalError, ValidationError, parseOptions } from '@siteproof/core';
import type { ColumnData } from './types';

export const SumFluorOptionsSchema = z
  .object({
    roi: z.array(z.string().min(1)).min(1),
    icr: z.array(z.string().min(1)).optional(),
    ocr: z.array(z.string().min(1)).optional(),
    ltime: z.array(z.string().min(1)).optional(),
    /** Divide the sum by this column (e.g. 'i0') to get mu. */
    i0: z.string().min(1).optional(),
  })
  .strict();
export type SumFluorOptions = z.input<typeof SumFluorOptionsSchema>;

export function sumFluorChannels(data: ColumnData, opts: SumFluorOptions): Float64Array {
  const o = parseOptions(SumFluorOptionsSchema, opts, 'options');
  const n = data.columns[0]?.length ?? 0;
  const col = (name: string, field: string): Float64Array => {
    const i = data.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
    if (i < 0) throw new ValidationError(`unknown column '${name}'; available columns: ${data.labels.join(', ')}`, { file: data.file, field });
    return data.columns[i];
  };
  for (const k of ['icr', 'ocr', 'ltime'] as const) {
    const l = o[k];
    if (l && l.length !== o.roi.length) {
      throw new ValidationError(`${k} lists ${l.length} columns for ${o.roi.length} ROI columns`, { file: data.file, field: `options.${k}` });
    }
  }
  const sum = new Float64Array(n);
  o.roi.forEach((r, c) => {
    const roi = col(r, 'options.roi');
    const icr = o.icr ? col(o.icr[c], 'options.icr') : undefined;
    const ocr = o.ocr ? col(o.ocr[c], 'options.ocr') : undefined;
    const lt = o.ltime ? col(o.ltime[c], 'options.ltime') : undefined;
    for (let i = 0; i < n; i++) sum[i] += (roi[i] * (icr ? icr[i] : 1)) / ((ocr ? ocr[i] : 1) * (lt ? lt[i] : 1));
  });
  if (o.i0) {
    const i0 = col(o.i0, 'options.i0');
    for (let i = 0; i < n; i++) sum[i] /= i0[i];
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(sum[i])) {
      throw new NumericalError(`dead-time-corrected sum is not finite at data row ${i + 1} (zero OCR, live time or I0?)`, {
        file: data.file,
        line: data.rowLines?.[i],
      });
    }
  }
  return sum;
}
