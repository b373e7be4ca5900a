// Block magnitude pruning to BSR: score every r×c block by its L2 norm and keep the
// round((1 − sparsity)·blocks) highest-scoring blocks of the whole tensor (ties go to the lower
// block index, row-major over blocks), so the layer has exactly that many stored blocks.
import { BSR16_MAX_BLOCK_COLS, Bsr, expectBsrBlock } from '../../formats/bsr.js';
import { BitsieveError } from '../../runtime/errors.js';
import { expectCalibration, expectSparsity, expectWeights, keepLargest, range } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export interface BlockPruneOptions {
  /** Block shape [r, c], one of BSR_BLOCK_SHAPES (e.g. [1, 8], [4, 4]). */
  block: readonly [number, number];
  /** Fraction of blocks to remove, in [0, 1]. */
  sparsity: number;
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

/** Keeps the largest-L2-norm r×c blocks of `w` ([rows, cols]); edge blocks count only their real entries. */
export function pruneBlock(w: ArrayLike<number>, shape: readonly [number, number], options: BlockPruneOptions): PruneResult<Bsr> {
  const [rows, cols] = expectWeights('pruneBlock', w, shape);
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_RANGE', 'pruneBlock: expected options { block, sparsity }');
  const [r, c] = expectBsrBlock('pruneBlock block', options.block);
  const sparsity = expectSparsity('pruneBlock', options.sparsity);
  expectCalibration('pruneBlock', options.calibration, cols, false);

  const blockRows = Math.ceil(rows / r);
  const blockCols = Math.ceil(cols / c);
  const total = blockRows * blockCols;
  const norms = new Float64Array(total); // squared norms rank the same as norms
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) norms[Math.floor(i / r) * blockCols + Math.floor(j / c)] += w[i * cols + j] ** 2;
  }
  const keep = new Uint8Array(total);
  keepLargest(norms, range(0, total), Math.round((1 - sparsity) * total), keep);

  // The kept blocks, stored even when all-zero, so the block count is exactly the requested one.
  const blockRowPtr = new Uint32Array(blockRows + 1);
  const cols16 = blockCols <= BSR16_MAX_BLOCK_COLS;
  const kept: number[] = [];
  for (let br = 0; br < blockRows; br++) {
    for (let bc = 0; bc < blockCols; bc++) if (keep[br * blockCols + bc]) kept.push(bc);
    blockRowPtr[br + 1] = kept.length;
  }
  const values = new Float32Array(kept.length * r * c);
  const mask = new Uint8Array(rows * cols);
  for (let br = 0; br < blockRows; br++) {
    for (let b = blockRowPtr[br]; b < blockRowPtr[br + 1]; b++) {
      for (let i = 0; i < r && br * r + i < rows; i++) {
        for (let j = 0; j < c && kept[b] * c + j < cols; j++) {
          const at = (br * r + i) * cols + kept[b] * c + j;
          mask[at] = 1;
          values[(b * r + i) * c + j] = w[at];
        }
      }
    }
  }
  const format = new Bsr([rows, cols], [r, c], blockRowPtr, cols16 ? Uint16Array.from(kept) : Uint32Array.from(kept), values);
  const pruned = Float32Array.from(w, (v, i) => (mask[i] ? v : 0));
  return { format, ...pruneReport(w, pruned, mask, rows, cols, options.calibration) };
}
