// Public API of packages/xas/src/normalize (filled by the module owners).
export {};
