// Wanda (Sun et al. 2023, "A Simple and Effective Pruning Approach for Large Language Models"):
// score each weight by |W_ij|·‖X_j‖₂, the size of its contribution to the outputs on the
// calibration set, and keep the highest scores of every output row (or of every N:M group).
// No weight is changed, only removed.
import type { Csr } from '../../formats/csr.js';
import type { Nm } from '../../formats/nm.js';
import { expectCalibration, expectWeights, parseTarget, selectByScore, type PruneTarget, type SparsityTarget, type NmTarget, formatFor } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export type WandaOptions = PruneTarget & {
  /** Calibration activations [batch, in] (batch ≥ 1): inputs the layer sees in practice. */
  calibration: Float32Array;
};

/** Wanda pruning of a dense [out, in] matrix, per row ({ sparsity }) or per group ({ n, m }). */
export function pruneWanda(w: ArrayLike<number>, shape: readonly [number, number], options: WandaOptions & SparsityTarget): PruneResult<Csr>;
export function pruneWanda(w: ArrayLike<number>, shape: readonly [number, number], options: WandaOptions & NmTarget): PruneResult<Nm>;
export function pruneWanda(w: ArrayLike<number>, shape: readonly [number, number], options: WandaOptions): PruneResult<Csr | Nm>;
export function pruneWanda(w: ArrayLike<number>, shape: readonly [number, number], options: WandaOptions): PruneResult<Csr | Nm> {
  const [rows, cols] = expectWeights('pruneWanda', w, shape);
  const target = parseTarget('pruneWanda', options);
  const calibration = options.calibration;
  const batch = expectCalibration('pruneWanda', calibration, cols, true);

  const norms = new Float64Array(cols);
  for (let b = 0; b < batch; b++) for (let j = 0; j < cols; j++) norms[j] += calibration[b * cols + j] ** 2;
  for (let j = 0; j < cols; j++) norms[j] = Math.sqrt(norms[j]);
  const scores = Float64Array.from(w, (v, i) => Math.abs(v) * norms[i % cols]);
  const mask = selectByScore(scores, rows, cols, target);
  const pruned = Float32Array.from(w, (v, i) => (mask[i] ? v : 0));
  return { format: formatFor(target, pruned, rows, cols), ...pruneReport(w, pruned, mask, rows, cols, calibration) };
}
