// What every quantizer returns: the quantized weights and how much they cost.
import { outputs, relativeError } from '../metrics.js';
import type { QuantizedWeights } from './quantized-weights.js';

export interface QuantizeResult {
  readonly weights: QuantizedWeights;
  /** ‖W − Ŵ‖_F / ‖W‖_F with Ŵ = weights.dequantize() (0 for an all-zero W). */
  readonly weightError: number;
  /** ‖X·Wᵀ − X·Ŵᵀ‖_F / ‖X·Wᵀ‖_F when calibration activations X were given. */
  readonly outputError?: number;
}

/** Errors of `weights` against the original w, on the calibration set when given. */
export function quantizeReport(w: ArrayLike<number>, weights: QuantizedWeights, calibration?: Float32Array): QuantizeResult {
  const [rows, cols] = weights.shape;
  const approx = weights.dequantize();
  const weightError = relativeError(w, approx);
  if (calibration === undefined) return { weights, weightError };
  return { weights, weightError, outputError: relativeError(outputs(w, calibration, rows, cols), outputs(approx, calibration, rows, cols)) };
}
