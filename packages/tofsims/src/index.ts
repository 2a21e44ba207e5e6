// @siteproof/tofsims public API: ToF-SIMS spectra → exact masses, calibration, peaks,
// fragment assignments with isotope-pattern evidence, formula search, quantities.
export * from './spectrum';
export * from './formula/elements';
export * from './formula/parseFormula';
export * from './formula/exactMass';
export * from './formula/isotopePattern';
export * from './calibration/tofCalibration';
export * from './peaks/baseline';
export * from './peaks/pickPeaks';
export * from './peaks/integrate';
export * from './match/chiSquare';
export * from './match/isotopeScore';
export * from './match/matchFragments';
export * from './match/interferences';
export * from './match/matchSpectrum';
export * from './syntheticSpectrum';
export * from './search/formulaSearch';
export * from './search/rankCandidates';
export * from './io/asciiSpectrum';
export * from './io/peakList';
export * from './io/xml';
export * from './io/imzml';
export * from './io/imzmlStream';
export * from './io/mzml';
export * from './quant/normalize';
export * from './quant/compare';
