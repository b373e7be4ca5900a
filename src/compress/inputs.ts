// Argument checks shared by every compressor (pruners, quantizers): dense [out, in] weights and
// calibration activations [batch, in].
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectFinite, expectFloat32Array, expectShape2 } from '../runtime/validate.js';

/** Checks w against shape; returns [rows, cols]. */
export function expectWeights(fn: string, w: ArrayLike<number>, shape: readonly [number, number]): [number, number] {
  const [rows, cols] = expectShape2(`${fn} shape`, shape);
  if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
    throw new BitsieveError('E_SHAPE', `${fn}: shape [${rows}, ${cols}] needs ${rows * cols} weights, received ${describe(w)}`);
  }
  expectFinite(`${fn} weights`, w);
  return [rows, cols];
}

/**
 * Calibration activations [batch, cols], finite, batch ≥ 1 when required. Returns the batch size
 * (0 when absent and optional).
 */
export function expectCalibration(fn: string, x: unknown, cols: number, required: boolean): number {
  if (x === undefined && !required) return 0;
  const array = expectFloat32Array(`${fn} calibration`, x);
  if (cols === 0 || array.length % cols !== 0 || (required && array.length === 0)) {
    throw new BitsieveError('E_SHAPE', `${fn} calibration: expected [batch ≥ 1, ${cols}] activations, received ${array.length} values`);
  }
  expectFinite(`${fn} calibration`, array);
  return array.length / cols;
}
