// FORMS' polarization constraint (Yuan et al., ISCA 2021, arXiv 2106.09144): within every column fragment of
// `fragmentRows` consecutive inputs of one output neuron, all weights share a sign. This is the projection step of
// FORMS' ADMM training: in each fragment keep the sign with the larger total magnitude (ties keep the positive
// weights) and zero the weights of the other sign. Fragments start at input 0, like the crossbar's row tiles.
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInt } from '../runtime/validate.js';

/**
 * Projects a [out, in] matrix onto the polarized constraint used by `bs.mac.crossbar(..., { mapping: 'polarized' })`.
 * Default fragmentRows 8. Returns a new array; the input is not changed.
 *
 * @example
 * ```ts
 * const p = polarize(new Float32Array([1, -3, 2, 0.5]), [1, 4], 2); // → [0, -3, 2, 0.5]
 * ```
 */
export function polarize(weights: Float32Array, shape: readonly [number, number], fragmentRows = 8): Float32Array {
  if (!(weights instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `polarize weights: expected a Float32Array, received ${describe(weights)}`);
  if (!Array.isArray(shape) || shape.length !== 2) throw new BitsieveError('E_SHAPE', `polarize shape: expected [out, in], received ${describe(shape)}`);
  const [out, inF] = shape;
  expectInt('polarize shape out', out, 1, 2 ** 24);
  expectInt('polarize shape in', inF, 1, 2 ** 24);
  expectInt('polarize fragmentRows', fragmentRows, 1, 2 ** 24);
  if (weights.length !== out * inF) throw new BitsieveError('E_SHAPE', `polarize weights: expected ${out * inF} values, received ${weights.length}`);
  const result = weights.slice();
  for (let o = 0; o < out; o++) {
    for (let start = 0; start < inF; start += fragmentRows) {
      const end = Math.min(inF, start + fragmentRows);
      let pos = 0, neg = 0;
      for (let i = start; i < end; i++) {
        const v = weights[o * inF + i];
        if (v > 0) pos += v;
        else neg -= v;
      }
      const keepPositive = pos >= neg;
      for (let i = start; i < end; i++) {
        const v = result[o * inF + i];
        if (keepPositive ? v < 0 : v > 0) result[o * inF + i] = 0;
      }
    }
  }
  return result;
}
