export * from './errors';
export * from './validate';
export * from './numeric';
export * from './random';
export * from './distributions';
