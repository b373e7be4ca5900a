// SparseGPT (Frantar & Alistarh 2023, "SparseGPT: Massive Language Models Can Be Accurately
// Pruned in One-Shot"): prune column by column and, after each column, move its pruning error
// onto the not-yet-processed weights of the same row with the Optimal Brain Surgeon update for
// H = 2/batch·XᵀX, so the layer's outputs on the calibration set change as little as possible.
// The column sweep with its lazy batch updates is obs.ts (shared with GPTQ); pruning weight
// (r, i) fixes it to 0 at a cost (w/U_ii)². Unstructured targets choose the mask per block, over
// all rows at once, by the score w²/U_ii² (adaptive mask selection); N:M targets choose it per
// group of m columns when the group is reached. All arithmetic is float64.
import type { Csr } from '../../formats/csr.js';
import type { Nm } from '../../formats/nm.js';
import { BitsieveError } from '../../runtime/errors.js';
import { expectFiniteScalar, expectInteger } from '../../runtime/validate.js';
import { dampen, hessian, inverseCholeskyUpper, MAX_HESSIAN_INPUTS } from '../hessian.js';
import { obsSweep } from '../obs.js';
import { expectCalibration, expectWeights, keepLargest, parseTarget, type ParsedTarget, type PruneTarget, type SparsityTarget, type NmTarget, formatFor } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export type SparseGptOptions = PruneTarget & {
  /** Calibration activations [batch, in] (batch ≥ 1). */
  calibration: Float32Array;
  /** Columns per lazy-update block (default 128; rounded up to a multiple of m for N:M). */
  blockSize?: number;
  /** λ = dampening · mean(diag H) is added to H's diagonal (default 0.01). */
  dampening?: number;
};

/**
 * SparseGPT pruning of a dense [out, in] matrix. Unlike magnitude and Wanda it also changes the
 * kept weights (to compensate for the removed ones); the result's errors are those of the
 * updated matrix. Cost: O(in³) for the Hessian inverse + O(out·in²) for the updates.
 */
export function pruneSparseGpt(w: ArrayLike<number>, shape: readonly [number, number], options: SparseGptOptions & SparsityTarget): PruneResult<Csr>;
export function pruneSparseGpt(w: ArrayLike<number>, shape: readonly [number, number], options: SparseGptOptions & NmTarget): PruneResult<Nm>;
export function pruneSparseGpt(w: ArrayLike<number>, shape: readonly [number, number], options: SparseGptOptions): PruneResult<Csr | Nm>;
export function pruneSparseGpt(w: ArrayLike<number>, shape: readonly [number, number], options: SparseGptOptions): PruneResult<Csr | Nm> {
  const [rows, cols] = expectWeights('pruneSparseGpt', w, shape);
  const target = parseTarget('pruneSparseGpt', options);
  const { calibration, blockSize = 128, dampening = 0.01 } = options;
  const batch = expectCalibration('pruneSparseGpt', calibration, cols, true);
  if (cols > MAX_HESSIAN_INPUTS) {
    throw new BitsieveError('E_RANGE', `pruneSparseGpt: expected at most ${MAX_HESSIAN_INPUTS} inputs (the float64 in × in Hessian and its factors), received ${cols}`);
  }
  expectInteger('pruneSparseGpt blockSize', blockSize, 1);
  expectFiniteScalar('pruneSparseGpt dampening', dampening);
  const h = hessian(calibration, batch, cols);
  const dead = dampen(h, cols, dampening);
  const u = inverseCholeskyUpper(h, cols);
  const { pruned, mask } = obsPrune(Float64Array.from(w), rows, cols, u, dead, target, blockSize);
  return { format: formatFor(target, pruned, rows, cols), ...pruneReport(w, pruned, mask, rows, cols, calibration) };
}

/** The blocked OBS sweep over W (float64, updated in place) with SparseGPT's mask selection. */
function obsPrune(W: Float64Array, rows: number, cols: number, u: Float64Array, dead: Uint8Array, target: ParsedTarget, blockSize: number) {
  const mask = new Uint8Array(rows * cols);
  // A group of m columns must lie in one block: its scores need the block's in-block updates.
  const block = target.kind === 'nm' ? Math.ceil(blockSize / target.m) * target.m : blockSize;
  const scores = new Float64Array(rows * cols);
  // Importance of weight (r, j) given the current W: the output error its removal would cost.
  // Dead inputs never reach the outputs, so their weights are free to remove.
  const score = (r: number, j: number) => {
    if (dead[j]) return 0;
    const d = u[j * cols + j];
    return (W[r * cols + j] / d) ** 2;
  };
  // Mark the `keep` highest scores among the given columns of the given rows.
  const choose = (rowFrom: number, rowTo: number, c0: number, c1: number, keep: number) => {
    const indices: number[] = [];
    for (let r = rowFrom; r < rowTo; r++) {
      for (let j = c0; j < c1; j++) {
        scores[r * cols + j] = score(r, j);
        indices.push(r * cols + j);
      }
    }
    keepLargest(scores, indices, keep, mask);
  };

  obsSweep(W, rows, cols, u, block, {
    column(i, i1, i2) {
      if (target.kind === 'sparsity' && i === i1) {
        // Cumulative rounding: the blocks together remove exactly round(s·rows·cols) weights.
        const removed = Math.round(target.sparsity * rows * i2) - Math.round(target.sparsity * rows * i1);
        choose(0, rows, i1, i2, rows * (i2 - i1) - removed);
      }
      if (target.kind === 'nm' && (i - i1) % target.m === 0) {
        const end = Math.min(i + target.m, cols);
        for (let r = 0; r < rows; r++) choose(r, r + 1, i, end, Math.min(target.n, end - i));
      }
    },
    fix: (r, i, w) => (mask[r * cols + i] ? w : 0),
  });
  return { pruned: Float32Array.from(W), mask };
}
