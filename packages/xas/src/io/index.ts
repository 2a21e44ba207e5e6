// Public API of packages/xas/src/io: readers (bytes → ColumnData) and the mu builder.
//   loadSpectrum(bytes, file, { mu?, reference?, scan?, group?, energyPolicy? }) — the one call
//   readColumnFile — sniffs XDI / Athena project (Perl or JSON, gz or plain) / SPEC / column ASCII
//   buildMu — mu from a column or an expression ("ln(i0/itrans)", "sum_fe_ka/i0"), energy in eV,
//     strictly increasing. energyPolicy 'strict' (default) reports a repeated or backwards energy
//     at its line; 'larch' sorts and applies Larch's remove_dups (+0.0005 eV). Among the shared
//     real files, APS10BM_2019.dat (first energy written 3×), SLS_PHOENIX_2023.dat (one
//     backwards step) and PF9A_2022.dat (repeated angles) need 'larch'; the others increase
//     strictly. Strict stays the default: a repeat or a step back usually means a stalled
//     monochromator or concatenated scans, which the scientist should see, not have repaired.
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
