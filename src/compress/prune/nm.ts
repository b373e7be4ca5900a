// N:M magnitude pruning: in every group of m consecutive weights along `in`, keep the n largest |w|
// (ties: the lower column wins, so the result is deterministic). A partial last group keeps
// min(n, its width). The result runs on the N:M kernels via bs.linear(result.format).
import { Nm, nmLayout, type NmPattern } from '../../formats/nm.js';
import { expectCalibration, expectWeights, selectByScore } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export interface NmPruneOptions extends NmPattern {
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

export function pruneNM(w: ArrayLike<number>, shape: readonly [number, number], options: NmPruneOptions): PruneResult<Nm> {
  const [rows, cols] = expectWeights('pruneNM', w, shape);
  const { n, m } = nmLayout(options, 'pruneNM pattern');
  const calibration = options.calibration;
  expectCalibration('pruneNM', calibration, cols, false);
  const mask = selectByScore(Float64Array.from(w, Math.abs), rows, cols, { kind: 'nm', n, m });
  const pruned = Float32Array.from(mask, (keep, i) => (keep ? w[i] : 0));
  return { format: Nm.fromDense(pruned, [rows, cols], { n, m }), ...pruneReport(w, pruned, mask, rows, cols, calibration) };
}
