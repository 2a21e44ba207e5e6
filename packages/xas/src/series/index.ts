// Public API of packages/xas/src/series: calibration, alignment, merge, deglitch, truncate,
// rebin, linear-combination fitting and PCA for series of spectra.
export * from './lcf';
export * from './lcfCombinations';
export * from './lcfSeries';
export * from './align';
export * from './merge';
export * from './deglitch';
export * from './truncate';
export * from './rebin';
export * from './pca';
export * from './edgeEnergies';
export * from './calibrate';
export * from './seriesSummary';
export * from './spectrumSignal';
export * from './seriesOps';
