// Standard-deviation-based base-2 logarithmic quantization, after Ardakani et al. 2022 ("Standard
// Deviation-Based Quantization for Deep Neural Networks", arXiv 2202.12422; lowbit.md §4.1).
//
// Stated publicly (abstract only; the full text was not available): the quantization intervals are derived
// from the weight distribution, namely its standard deviation; a base-2 logarithmic quantizer maps weights
// to power-of-two values; pruning happens in the same quantizer, with an adjustable pruning ratio.
//
// Derived here (lowbit.md §4.1 marks these PROPOSED; they are this project's post-training reading, not the
// paper's equations): the paper learns the clip multiplier λ by training, a post-training library cannot,
// so λ is a fixed option. The rule implemented, per scope (row or matrix):
//   1. σ = population standard deviation of the scope's weights, float64, two passes (mean, then
//      mean squared deviation);
//   2. clip threshold α = λ·σ;
//   3. the top level is α's nearest power of two in the log domain, e0 = round(log2 α) (the format stores
//      pure powers of two, so α itself is rounded in the same way as the weights), clamped to the format's
//      range; if σ = 0 (all weights of the scope equal) e0 = round(log2 max|w|) instead, 0 if they are 0;
//   4. every weight goes to its nearest power in the log domain: |w| ≥ 2^(e0+½) clips to ±2^e0, and
//      |w| < 2^(e0 − k_max − ½) is pruned to 0 (k_max = 2^(bits−1) − 2), so the pruning ratio follows λσ.
import { PowerOfTwoWeights, pow2Layout } from '../../formats/pow2.js';
import { expectFiniteScalar } from '../../runtime/validate.js';
import { expectCalibration, expectWeights } from '../inputs.js';
import { nearestLog2 } from './log2-round.js';
import { encodePow2, maxAbs } from './pow2-codes.js';
import type { Pow2Options } from './pow2-rtn.js';
import { quantizeReport, type QuantizeResult } from './result.js';
import { expectScope, perScope } from './scope.js';

/**
 * Default λ, chosen by measurement, not taken from the paper: relative weight error on 256 × 512 rows of
 * Gaussian / Laplace weights (random per-row scales, one seeded draw) at 3 bits was 0.247 / 0.326 for
 * λ = 2, 0.275 / 0.306 for λ = 3, 0.360 / 0.354 for λ = 4; at 4 bits λ ≥ 3 is within 0.02 of the
 * max-anchored quantizePow2 (0.204 / 0.206), while λ = 2 loses 0.02 / 0.10. λ = 3 is the compromise.
 */
export const SD_LOG2_DEFAULT_LAMBDA = 3;

export interface SdLog2Options extends Pow2Options {
  /** Clip multiplier: α = lambda·σ. Finite and > 0; default SD_LOG2_DEFAULT_LAMBDA. */
  lambda?: number;
}

export interface SdLog2Result extends QuantizeResult<PowerOfTwoWeights> {
  /** σ of each row's scope (repeated for scope 'tensor'), float64. */
  readonly sigma: Float64Array;
}

/** Population standard deviation of w[start, end) in float64 (two passes; 0 when empty). */
export function standardDeviation(w: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += w[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = start; i < end; i++) squares += (w[i] - mean) ** 2;
  return Math.sqrt(squares / n);
}

/** Quantizes dense [out, in] weights to ±2^(e0 − k) or 0 with e0 set by λ·σ (rule above). */
export function quantizeSdLog2(w: ArrayLike<number>, shape: readonly [number, number], options: SdLog2Options = {}): SdLog2Result {
  const [rows, cols] = expectWeights('quantizeSdLog2', w, shape);
  const { bits } = pow2Layout(options?.bits ?? 4, 'quantizeSdLog2 bits');
  const scope = expectScope('quantizeSdLog2', options?.scope);
  const lambda = expectFiniteScalar('quantizeSdLog2 lambda', options?.lambda ?? SD_LOG2_DEFAULT_LAMBDA, true);
  expectCalibration('quantizeSdLog2', options?.calibration, cols, false);
  const sigma = Float64Array.from(perScope(scope, rows, cols, (start, end) => standardDeviation(w, start, end)));
  const format = encodePow2(w, rows, cols, bits, scope, (start, end) => {
    const alpha = lambda * sigma[Math.floor(start / Math.max(cols, 1))];
    if (alpha > 0 && alpha < Infinity) return nearestLog2(alpha);
    const top = maxAbs(w, start, end);
    return top > 0 ? nearestLog2(top) : 0;
  });
  return { format, sigma, ...quantizeReport(w, format.toDense(), rows, cols, options?.calibration) };
}
