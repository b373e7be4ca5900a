// What every pruner returns: the compressed format, the keep-mask it applied, and how much it cost.
import type { MatrixFormat } from '../../formats/format.js';
import { BitsieveError, describe } from '../../runtime/errors.js';

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

/** ‖a − b‖ / ‖a‖ in float64. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += a[i] * a[i];
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** Y = X·Wᵀ in float64 for calibration-error reports (small calibration sets only). */
export function outputs(w: ArrayLike<number>, x: ArrayLike<number>, out: number, inF: number): Float64Array {
  const batch = inF === 0 ? 0 : x.length / inF;
  const y = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let k = 0; k < inF; k++) s += x[b * inF + k] * w[o * inF + k];
      y[b * out + o] = s;
    }
  }
  return y;
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
