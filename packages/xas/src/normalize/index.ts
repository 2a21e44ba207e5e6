// Public API of packages/xas/src/normalize: E0, pre-edge/post-edge normalization, flattening,
// and edge-shift tracking.
export * from './energyGrid';
export * from './findE0';
export * from './preEdge';
export { MIN_POINTS } from './validate';
export * from './edgeShift';
export * from './oxidationState';
