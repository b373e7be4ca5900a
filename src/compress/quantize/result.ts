// What every weight quantizer returns: what it produced (a storage format, or QuantizedWeights'
// integer codes and group parameters) and how much the rounding cost.
import { errorReport, type ErrorReport } from '../metrics.js';

export interface QuantizeResult<F> extends ErrorReport {
  readonly format: F;
  /** Fraction of weights whose quantized value is exactly 0. */
  readonly sparsity: number;
}

/** Everything in a QuantizeResult but the format, from the original and the dequantized [rows, cols] weights. */
export function quantizeReport(
  w: ArrayLike<number>,
  quantized: Float32Array,
  rows: number,
  cols: number,
  calibration?: Float32Array,
): Omit<QuantizeResult<never>, 'format'> {
  let zeros = 0;
  for (let i = 0; i < quantized.length; i++) if (quantized[i] === 0) zeros++;
  return { ...errorReport(w, quantized, rows, cols, calibration), sparsity: quantized.length ? zeros / quantized.length : 0 };
}
