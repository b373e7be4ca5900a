// What every weight quantizer returns: the format and how much the rounding cost.
import type { MatrixFormat } from '../../formats/format.js';
import { outputs, relativeError } from '../prune/result.js';

export interface QuantizeResult<F extends MatrixFormat> {
  readonly format: F;
  /** ‖W − Ŵ‖_F / ‖W‖_F, Ŵ = format.toDense() (0 for W = Ŵ = 0). */
  readonly weightError: number;
  /** ‖X·Wᵀ − X·Ŵᵀ‖_F / ‖X·Wᵀ‖_F when calibration activations X were given. */
  readonly outputError?: number;
  /** Fraction of weights whose quantized value is exactly 0. */
  readonly sparsity: number;
}

/** Everything in a QuantizeResult but the format, from the original and the dequantized weights. */
export function quantizeReport(
  w: ArrayLike<number>,
  quantized: Float32Array,
  rows: number,
  cols: number,
  calibration?: Float32Array,
): Omit<QuantizeResult<never>, 'format'> {
  const outputError = calibration === undefined ? undefined : relativeError(outputs(w, calibration, rows, cols), outputs(quantized, calibration, rows, cols));
  let zeros = 0;
  for (let i = 0; i < quantized.length; i++) if (quantized[i] === 0) zeros++;
  return { weightError: relativeError(w, quantized), outputError, sparsity: quantized.length ? zeros / quantized.length : 0 };
}
