// FEFF scattering paths: the feffNNNN.dat reader and the EXAFS path equation.
export { readFeffPath, type FeffPathData, type FeffAtom, type FeffPotential } from './feffPath';
export * from './pathModel';
export { atomicMass, atomicNumber, elementSymbol } from './elements';
