// Numerical building blocks shared by the XAS stages (each file one concept).
export * from './indexOf';
export * from './interp';
export * from './polyfit';
export * from './gradient';
export * from './smooth';
export * from './spline';
export * from './fft';
export * from './levenbergMarquardt';
