// @siteproof/xas — beamline XAS data reduction. One folder per stage; each re-exports its API.
export * from './io';
export * from './math';
export * from './normalize';
export * from './exafs';
export * from './feff';
export * from './fit';
export * from './series';
