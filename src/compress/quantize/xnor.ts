// XNOR-Net / BWN binarization (Rastegari et al. 2016, lowbit.md §4.2): B = sign(W) with sign(0) = +1,
// α = ‖W‖₁ / n = mean |W| over each row (or the whole matrix), the closed-form minimizer of ‖W − αB‖².
import { BinaryWeights } from '../../formats/binary.js';
import { expectCalibration, expectWeights } from '../inputs.js';
import { quantizeReport, type QuantizeResult } from './result.js';
import { expectScope, meanAbs, perScope, type QuantizeScope } from './scope.js';

export interface XnorOptions {
  /** 'row' (default): one α per output row; 'tensor': one α for the matrix. */
  scope?: QuantizeScope;
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

/**
 * Binarizes dense [out, in] weights: w → +α if w ≥ 0 (including −0), −α otherwise, with α the mean |w| of
 * the scope, summed in float64 in index order and rounded once to float32.
 */
export function quantizeXnor(w: ArrayLike<number>, shape: readonly [number, number], options: XnorOptions = {}): QuantizeResult<BinaryWeights> {
  const [rows, cols] = expectWeights('quantizeXnor', w, shape);
  const scope = expectScope('quantizeXnor', options?.scope);
  expectCalibration('quantizeXnor', options?.calibration, cols, false);
  const alpha = perScope(scope, rows, cols, (start, end) => meanAbs(w, start, end));
  const signs = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) signs[i] = w[i] >= 0 ? 1 : -1;
  const format = BinaryWeights.fromSigns([rows, cols], signs, alpha);
  return { format, ...quantizeReport(w, format.toDense(), rows, cols, options?.calibration) };
}
