// Magnitude pruning to CSR: keep the largest |w|, either over the whole tensor or per output row
// (every row keeps the same count, which balances SpMV work across rows).
import { Csr } from '../../formats/csr.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { calibrationError, expectWeights, relativeError, type PruneResult } from './result.js';

export interface MagnitudeOptions {
  /** Fraction of weights to remove, in [0, 1]. */
  sparsity: number;
  /** 'tensor' (default): one global threshold; 'row': the same fraction in every row. */
  scope?: 'tensor' | 'row';
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

export function pruneMagnitude(w: ArrayLike<number>, shape: readonly [number, number], options: MagnitudeOptions): PruneResult<Csr> {
  const [rows, cols] = expectWeights('pruneMagnitude', w, shape);
  const { sparsity, scope = 'tensor', calibration } = options ?? ({} as MagnitudeOptions);
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) {
    throw new BitsieveError('E_RANGE', `pruneMagnitude sparsity: expected a number in [0, 1], received ${describe(sparsity)}`);
  }
  if (scope !== 'tensor' && scope !== 'row') throw new BitsieveError('E_RANGE', `pruneMagnitude scope: expected 'tensor' | 'row', received ${describe(scope)}`);

  const mask = new Uint8Array(rows * cols);
  // Keep the `keep` largest |w| among indices [start, start + length); ties broken by index so the
  // result is deterministic.
  const keepLargest = (start: number, length: number, keep: number) => {
    const order = Array.from({ length }, (_, i) => start + i);
    order.sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b);
    for (let i = 0; i < keep; i++) mask[order[i]] = 1;
  };
  if (scope === 'tensor') keepLargest(0, rows * cols, Math.round((1 - sparsity) * rows * cols));
  else for (let r = 0; r < rows; r++) keepLargest(r * cols, cols, Math.round((1 - sparsity) * cols));

  const pruned = Float32Array.from(w, (v, i) => (mask[i] ? v : 0));
  // Csr.fromDense drops zeros; a kept weight that is exactly 0 stays out of the index too.
  const format = Csr.fromDense(pruned, [rows, cols]);
  const outputError = calibrationError('pruneMagnitude', w, pruned, calibration, rows, cols);
  const removed = mask.length - mask.reduce((n, m) => n + m, 0);
  return { format, mask, weightError: relativeError(w, pruned), outputError, sparsity: mask.length ? removed / mask.length : 0 };
}
