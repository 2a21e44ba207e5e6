// One entry point for every XAS text format: sniff the content (not the file name), read it
// into ColumnData, and (loadSpectrum) build mu(E) from it — the call the CLI makes.
import { z } from 'zod';
import { parseOptions } from '@siteproof/core';
import type { ColumnData, Spectrum } from './types';
import { parseAsciiText } from './ascii';
import { isXdi, parseXdiText } from './xdi';
import { isSpec, parseSpecText } from './spec';
import { athenaGroupToColumns, isAthenaProject, parseAthenaText } from './athena';
import { toText } from './text';
import { buildMu, BuildMuOptionsSchema } from './mu';

export const ReadOptionsSchema = z
  .object({
    /** SPEC: scan number (1, "3") or "n.m" for the m-th scan numbered n. Default: the first scan. */
    scan: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
    /** Athena project: group name (label or internal name). Default: the first group. */
    group: z.string().min(1).optional(),
    /** Largest accepted (decompressed) input size in bytes. */
    maxBytes: z.number().int().positive().optional(),
  })
  .strict();
export type ReadOptions = z.input<typeof ReadOptionsSchema>;

/** Which reader a text needs. */
export function sniffFormat(text: string): ColumnData['format'] {
  if (isXdi(text)) return 'xdi';
  if (isAthenaProject(text)) return 'athena';
  if (isSpec(text)) return 'spec';
  return 'ascii';
}

/** Read any supported XAS file (XDI, Athena project, SPEC, column ASCII; gzip allowed). */
export function readColumnFile(input: Uint8Array | string, file: string, opts?: ReadOptions): ColumnData {
  const o = parseOptions(ReadOptionsSchema, opts ?? {}, 'options');
  const text = toText(input, file, { maxBytes: o.maxBytes });
  switch (sniffFormat(text)) {
    case 'xdi':
      return parseXdiText(text, file);
    case 'athena': {
      const prj = parseAthenaText(text, file);
      return athenaGroupToColumns(prj, file, o.group);
    }
    case 'spec':
      return parseSpecText(text, file, o.scan);
    default:
      return parseAsciiText(text, file);
  }
}

export const LoadSpectrumOptionsSchema = ReadOptionsSchema.extend(BuildMuOptionsSchema.shape).strict();
export type LoadSpectrumOptions = z.input<typeof LoadSpectrumOptionsSchema>;

/** readColumnFile + buildMu: bytes → mu(E) Spectrum. */
export function loadSpectrum(input: Uint8Array | string, file: string, opts?: LoadSpectrumOptions): Spectrum {
  const o = parseOptions(LoadSpectrumOptionsSchema, opts ?? {}, 'options');
  const { scan, group, maxBytes, ...mu } = o;
  const data = readColumnFile(input, file, { scan, group, maxBytes });
  return buildMu(data, mu);
}
