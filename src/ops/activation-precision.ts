// How a batch-1 quantized GEMV takes its input: as f32, or quantized once per call to int8 blocks (ggml's Q8_0 /
// Q8_1 / Q8_K) so each block's dot is exact integer arithmetic. Shared by the GGUF and group-wise int layers.
import { BitsieveError, describe } from '../runtime/errors.js';

export type ActivationPrecision = 'f32' | 'q8';

export function checkActivationPrecision(value: unknown, op: string): ActivationPrecision {
  if (value === undefined || value === 'f32') return 'f32';
  if (value === 'q8') return 'q8';
  throw new BitsieveError('E_RANGE', `${op} activations: expected 'f32' | 'q8', received ${describe(value)}`);
}

/** 'q8' activations need finite inputs: a block's scale is its max |x| / 127. */
export function expectFiniteActivations(values: Float32Array, op: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new BitsieveError('E_RANGE', `${op} forward x: 'q8' activations need finite values, received ${values[i]} at index ${i}`);
    }
  }
}
