// Public API of packages/xas/src/feff (filled by the module owners).
export {};
