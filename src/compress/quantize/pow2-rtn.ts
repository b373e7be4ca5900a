// Power-of-two round-to-nearest: the top level 2^e0 is the nearest power (log domain) of the scope's
// largest |w|, so the largest weight gets index 0 and nothing clips; every weight then goes to its nearest
// power of two in the log domain, and those below the ladder's last rung to 0 (src/compress/quantize/pow2-codes.ts).
import type { PowerOfTwoWeights } from '../../formats/pow2.js';
import { pow2Layout } from '../../formats/pow2.js';
import { expectCalibration, expectWeights } from '../inputs.js';
import { encodePow2, maxAbs } from './pow2-codes.js';
import { nearestLog2 } from './log2-round.js';
import { quantizeReport, type QuantizeResult } from './result.js';
import { expectScope, type QuantizeScope } from './scope.js';

export interface Pow2Options {
  /** Bits per weight code: 1 sign + (bits − 1) exponent-index bits, in [2, 6]; default 4. */
  bits?: number;
  /** 'row' (default): e0 per output row; 'tensor': one e0 for the matrix. */
  scope?: QuantizeScope;
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

/**
 * Quantizes dense [out, in] weights to ±2^(e0 − k) or 0 by rounding in the log domain.
 * e0 = round(log2 max|w|) per scope, clamped to the format's range (0 for an all-zero scope);
 * |w| < 2^(e0 − k_max − ½) → 0, with k_max = 2^(bits−1) − 2.
 */
export function quantizePow2(w: ArrayLike<number>, shape: readonly [number, number], options: Pow2Options = {}): QuantizeResult<PowerOfTwoWeights> {
  const [rows, cols] = expectWeights('quantizePow2', w, shape);
  const { bits } = pow2Layout(options?.bits ?? 4, 'quantizePow2 bits');
  const scope = expectScope('quantizePow2', options?.scope);
  expectCalibration('quantizePow2', options?.calibration, cols, false);
  const format = encodePow2(w, rows, cols, bits, scope, (start, end) => {
    const top = maxAbs(w, start, end);
    return top > 0 ? nearestLog2(top) : 0;
  });
  return { format, ...quantizeReport(w, format.toDense(), rows, cols, options?.calibration) };
}
