// EXAFS shell fitting (Larch's feffit): parameters and expressions, transforms, the fit, reports.
export * from './expression';
export * from './params';
export * from './transform';
export * from './feffit';
export * from './report';
export * from './model';
export * from './plotTransform';
