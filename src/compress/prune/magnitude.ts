// Magnitude pruning to CSR: keep the largest |w|, either over the whole tensor or per output row
// (every row keeps the same count, which balances SpMV work across rows).
import { Csr } from '../../formats/csr.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectCalibration, expectSparsity, expectWeights, keepLargest, range, selectByScore } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export interface MagnitudeOptions {
  /** Fraction of weights to remove, in [0, 1]. */
  sparsity: number;
  /** 'tensor' (default): one global threshold; 'row': the same fraction in every row. */
  scope?: 'tensor' | 'row';
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

/** Keeps the largest-magnitude weights of a dense [out, in] matrix; returns them as CSR. */
export function pruneMagnitude(w: ArrayLike<number>, shape: readonly [number, number], options: MagnitudeOptions): PruneResult<Csr> {
  const [rows, cols] = expectWeights('pruneMagnitude', w, shape);
  const { scope = 'tensor', calibration } = options ?? ({} as MagnitudeOptions);
  const sparsity = expectSparsity('pruneMagnitude', options?.sparsity);
  if (scope !== 'tensor' && scope !== 'row') throw new BitsieveError('E_RANGE', `pruneMagnitude scope: expected 'tensor' | 'row', received ${describe(scope)}`);
  expectCalibration('pruneMagnitude', calibration, cols, false);

  const magnitudes = Float64Array.from(w, Math.abs);
  let mask: Uint8Array;
  if (scope === 'row') mask = selectByScore(magnitudes, rows, cols, { kind: 'sparsity', sparsity });
  else keepLargest(magnitudes, range(0, rows * cols), Math.round((1 - sparsity) * rows * cols), (mask = new Uint8Array(rows * cols)));
  const pruned = Float32Array.from(w, (v, i) => (mask[i] ? v : 0));
  // Csr.fromDense drops zeros; a kept weight that is exactly 0 stays out of the index too.
  return { format: Csr.fromDense(pruned, [rows, cols]), ...pruneReport(w, pruned, mask, rows, cols, calibration) };
}
