// The χ² tail used by the isotope-pattern test lives with the other special functions in
// @siteproof/core; re-exported here because it is part of this package's public API.
export { chiSquareSurvival, gammaQ } from '@siteproof/core';
