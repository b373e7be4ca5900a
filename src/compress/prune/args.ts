// Argument checks shared by the pruners: dense weights matching their shape, and a sparsity fraction.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectFinite, expectShape2 } from '../../runtime/validate.js';

/** Checks `shape` and that `w` holds rows·cols finite numbers; returns [rows, cols]. */
export function expectPruneWeights(name: string, w: ArrayLike<number>, shape: readonly [number, number]): [number, number] {
  const [rows, cols] = expectShape2(`${name} shape`, shape);
  if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
    throw new BitsieveError('E_SHAPE', `${name}: shape [${rows}, ${cols}] needs ${rows * cols} weights, received ${describe(w)}`);
  }
  expectFinite(`${name} weights`, w);
  return [rows, cols];
}

/** A fraction of weights (or blocks) to remove, in [0, 1]. */
export function expectSparsity(name: string, sparsity: unknown): number {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) {
    throw new BitsieveError('E_RANGE', `${name} sparsity: expected a number in [0, 1], received ${describe(sparsity)}`);
  }
  return sparsity;
}
