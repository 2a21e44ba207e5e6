// Public API of packages/xas/src/exafs: AUTOBK background removal, XAFS Fourier transforms,
// wavelet maps and the noise estimate, with Larch's conventions.
export * from './ftwindow';
export * from './xftf';
export * from './xftr';
export * from './autobk';
export * from './wavelet';
export * from './noise';
export * from './pipeline';
