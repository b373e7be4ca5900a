// Ternary weight networks (Li et al. 2016, lowbit.md §4.2): threshold Δ = 0.7·mean|W|, the closed-form
// approximation of the optimal threshold; t = +1 where w > Δ, −1 where w < −Δ, else 0; α = mean |w| over
// the weights with |w| > Δ. Computed per row (default) or over the whole matrix (scope 'tensor', the
// paper's per-layer statistics).
import { TernaryWeights } from '../../formats/ternary.js';
import { expectFiniteScalar } from '../../runtime/validate.js';
import { expectCalibration, expectWeights } from '../inputs.js';
import { quantizeReport, type QuantizeResult } from './result.js';
import { expectScope, meanAbs, perScope, type QuantizeScope } from './scope.js';

export interface TwnOptions {
  /** 'row' (default): one Δ and α per output row; 'tensor': one for the matrix. */
  scope?: QuantizeScope;
  /** Δ = thresholdFactor · mean|w|; default 0.7 (TWN). Must be finite and ≥ 0. */
  thresholdFactor?: number;
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

export interface TwnResult extends QuantizeResult<TernaryWeights> {
  /** Δ of each row (the scope's Δ repeated for scope 'tensor'), float64. */
  readonly threshold: Float64Array;
}

/**
 * Ternarizes dense [out, in] weights with TWN's rule. Δ = thresholdFactor·mean|w| is evaluated in float64
 * (the mean summed in index order) and compared with |w| in float64; α is the float64 mean of the kept
 * |w|, rounded once to float32 (0 when nothing is kept).
 */
export function quantizeTwn(w: ArrayLike<number>, shape: readonly [number, number], options: TwnOptions = {}): TwnResult {
  const [rows, cols] = expectWeights('quantizeTwn', w, shape);
  const scope = expectScope('quantizeTwn', options?.scope);
  const factor = expectFiniteScalar('quantizeTwn thresholdFactor', options?.thresholdFactor ?? 0.7);
  expectCalibration('quantizeTwn', options?.calibration, cols, false);
  const groups = perScope(scope, rows, cols, (start, end) => {
    const delta = factor * meanAbs(w, start, end);
    let kept = 0;
    let sum = 0;
    for (let i = start; i < end; i++) {
      if (Math.abs(w[i]) > delta) {
        kept++;
        sum += Math.abs(w[i]);
      }
    }
    return { delta, alpha: kept ? sum / kept : 0 };
  });
  const threshold = Float64Array.from(groups, (g) => g.delta);
  const ternary = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const delta = threshold[Math.floor(i / cols)];
    ternary[i] = w[i] > delta ? 1 : w[i] < -delta ? -1 : 0;
  }
  const format = TernaryWeights.fromTernary([rows, cols], ternary, groups.map((g) => g.alpha));
  return { format, threshold, ...quantizeReport(w, format.toDense(), rows, cols, options?.calibration) };
}
