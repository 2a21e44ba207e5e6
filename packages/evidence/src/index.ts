// @siteproof/evidence: "single or dual atom?" — the evidence of each technique side by side,
// each with an effect size, a test and its limits, and a summary no stronger than its weakest row.
export * from './row';
// Special functions (F, χ², Poisson, normal) live in @siteproof/core.
export { fCdf, fQuantile, fSurvival, gammaP, gammaQ, lnGamma, normalSurvival, poissonCdf, poissonInterval, regularizedBeta } from '@siteproof/core';
export * from './exafs';
export * from './wavelet';
export * from './synthetic';
export * from './haadf';
export * from './tofsims';
export * from './verdict';
export * from './config';
export * from './xanes';
export * from './run';
