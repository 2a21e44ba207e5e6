// Owned by the module author; see ../index.ts.
export {};
