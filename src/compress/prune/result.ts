// What every pruner returns: the compressed format, the keep-mask it applied, and how much it cost.
import type { MatrixFormat } from '../../formats/format.js';
import { errorReport, type ErrorReport } from '../metrics.js';

export interface PruneResult<F extends MatrixFormat> extends ErrorReport {
  readonly format: F;
  /** 1 where a weight was kept, 0 where it was pruned; row-major [out, in]. */
  readonly mask: Uint8Array;
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
  let removed = 0;
  for (let i = 0; i < mask.length; i++) removed += 1 - mask[i];
  return { mask, ...errorReport(w, pruned, rows, cols, calibration), sparsity: mask.length ? removed / mask.length : 0 };
}
