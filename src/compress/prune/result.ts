// What every pruner returns: the compressed format, the keep-mask it applied, and how much it cost.
import type { MatrixFormat } from '../../formats/format.js';
import { outputs, relativeError } from '../metrics.js';

export interface PruneResult<F extends MatrixFormat> {
  readonly format: F;
  /** 1 where a weight was kept, 0 where it was pruned; row-major [out, in]. */
  readonly mask: Uint8Array;
  /** ‖W − Ŵ‖_F / ‖W‖_F (0 for an all-zero W). */
  readonly weightError: number;
  /** ‖X·Wᵀ − X·Ŵᵀ‖_F / ‖X·Wᵀ‖_F when calibration activations were given. */
  readonly outputError?: number;
  /** Fraction of weights pruned. */
  readonly sparsity: number;
}

/** Everything in a PruneResult but the format: mask, errors (outputError when X is given), sparsity. */
export function pruneReport(
  w: ArrayLike<number>,
  pruned: Float32Array,
  mask: Uint8Array,
  rows: number,
  cols: number,
  calibration?: Float32Array,
): Omit<PruneResult<never>, 'format'> {
  const outputError = calibration === undefined ? undefined : relativeError(outputs(w, calibration, rows, cols), outputs(pruned, calibration, rows, cols));
  let removed = 0;
  for (let i = 0; i < mask.length; i++) removed += 1 - mask[i];
  return { mask, weightError: relativeError(w, pruned), outputError, sparsity: mask.length ? removed / mask.length : 0 };
}
