// Public API of packages/xas/src/exafs (filled by the module owners).
export {};
