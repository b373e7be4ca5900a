// N:M magnitude pruning: in every group of m consecutive weights along `in`, keep the n largest |w|
// (ties: the lower column wins, so the result is deterministic). A partial last group keeps
// min(n, its width). The result runs on the N:M kernels via bs.linear(result.format).
import { Nm, nmLayout, type NmPattern } from '../../formats/nm.js';
import { calibrationError, expectWeights, relativeError, type PruneResult } from './result.js';

export interface NmPruneOptions extends NmPattern {
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

export function pruneNM(w: ArrayLike<number>, shape: readonly [number, number], options: NmPruneOptions): PruneResult<Nm> {
  const [rows, cols] = expectWeights('pruneNM', w, shape);
  const { n, m } = nmLayout(options, 'pruneNM pattern');
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += m) {
      const base = r * cols + c0;
      const width = Math.min(m, cols - c0);
      // n passes of "largest |w| not yet kept" (m ≤ 8): strict > keeps the lowest column on ties.
      for (let kept = 0; kept < Math.min(n, width); kept++) {
        let best = -1;
        for (let p = 0; p < width; p++) {
          if (!mask[base + p] && (best < 0 || Math.abs(w[base + p]) > Math.abs(w[base + best]))) best = p;
        }
        mask[base + best] = 1;
      }
    }
  }
  const pruned = Float32Array.from(mask, (keep, i) => (keep ? w[i] : 0));
  const outputError = calibrationError('pruneNM', w, pruned, options.calibration, rows, cols);
  const removed = mask.length - mask.reduce((sum, keep) => sum + keep, 0);
  return {
    format: Nm.fromDense(pruned, [rows, cols], { n, m }),
    mask,
    weightError: relativeError(w, pruned),
    outputError,
    sparsity: mask.length ? removed / mask.length : 0,
  };
}
