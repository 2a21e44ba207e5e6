import { ValidationError } from '@siteproof/core';

/** Minimum number of points for normalization (Larch needs several on each side of the edge). */
export const MIN_POINTS = 10;

/** Equal lengths, ≥ MIN_POINTS points, finite values: else a ValidationError naming the array/index. */
export function assertSpectrumArrays(energy: ArrayLike<number>, mu: ArrayLike<number>, where: string): void {
  if (energy.length !== mu.length) {
    throw new ValidationError(`${where}: energy and mu differ in length (${energy.length} vs ${mu.length})`, { field: 'mu' });
  }
  if (energy.length < MIN_POINTS) {
    throw new ValidationError(`${where}: need at least ${MIN_POINTS} points, got ${energy.length}`, { field: 'energy' });
  }
  for (let i = 0; i < energy.length; i++) {
    if (!Number.isFinite(energy[i])) throw new ValidationError(`${where}: energy[${i}] is not finite (${energy[i]})`, { field: 'energy' });
    if (!Number.isFinite(mu[i])) throw new ValidationError(`${where}: mu[${i}] is not finite (${mu[i]})`, { field: 'mu' });
  }
}
