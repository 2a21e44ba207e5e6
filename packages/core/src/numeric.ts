import { NumericalError } from './errors';

/**
 * Throw a NumericalError if any element is NaN or ±Infinity: outputs must never carry NaN.
 * `what` names the array in the message ("chi(k)", "norm").
 */
export function assertFiniteArray(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new NumericalError(`${what} has a non-finite value (${values[i]}) at index ${i}`, { field: what });
    }
  }
}
