// Public API of packages/xas/src/math (filled by the module owners).
export {};
