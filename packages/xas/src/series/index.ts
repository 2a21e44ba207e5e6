// Public API of packages/xas/src/series (filled by the module owners).
export {};
