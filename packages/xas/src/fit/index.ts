// Public API of packages/xas/src/fit (filled by the module owners).
export {};
