// Public API of packages/xas/src/normalize: E0, pre-edge/post-edge normalization, flattening,
// and edge-shift tracking. (removeDups/TINY_ENERGY/MIN_POINTS are exported by ../io.)
export { findEnergyStep, orderedIndices, roundHalfEven } from './energyGrid';
export * from './findE0';
export * from './preEdge';
export * from './edgeShift';
export * from './oxidationState';
