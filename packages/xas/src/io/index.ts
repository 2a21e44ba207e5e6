// Public API of packages/xas/src/io: readers (bytes → ColumnData) and the mu builder.
export type { ColumnData, Spectrum, XasFileFormat } from './types';
export { readColumnFile, loadSpectrum, sniffFormat, ReadOptionsSchema, LoadSpectrumOptionsSchema } from './columnfile';
export type { ReadOptions, LoadSpectrumOptions } from './columnfile';
export { readAscii, parseAsciiText, type AsciiOptions } from './ascii';
export { readXdi, parseXdiText, isXdi } from './xdi';
export { readSpec, listSpecScans, parseSpecText, isSpec, type SpecScanInfo } from './spec';
export { readAthenaProject, parseAthenaText, athenaGroupToColumns, isAthenaProject } from './athena';
export type { AthenaProject, AthenaGroup, PerlValue } from './athena';
export {
  buildMu,
  BuildMuOptionsSchema,
  evaluateColumns,
  findEnergyColumn,
  guessEnergyUnits,
  removeDups,
  TINY_ENERGY,
  MIN_POINTS,
  DEFAULT_MU_COLUMNS,
  type BuildMuOptions,
} from './mu';
export { parseExpr, evalExpr, exprColumns, type Expr } from './expr';
export { sumFluorChannels, SumFluorOptionsSchema, type SumFluorOptions } from './fluor';
export { toText, decodeBytes, gunzipCapped, isGzip, DEFAULT_MAX_BYTES, type DecodeOptions } from './text';
export { fixVarname, guessBeamlineLabels } from './labels';
