// Public API of packages/xas/src/io (filled by the module owners).
export {};
export type { ColumnData, Spectrum, XasFileFormat } from './types';
