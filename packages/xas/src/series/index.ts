// Public API of packages/xas/src/series: calibration, alignment, merge, deglitch, truncate,
// rebin, linear-combination fitting and PCA for series of spectra.
export * from './lcf';
export * from './lcfCombinations';
export * from './lcfSeries';
export * from './align';
