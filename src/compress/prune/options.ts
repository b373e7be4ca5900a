// Argument checks shared by every pruner: weights + shape, the sparsity target (a fraction or
// an N:M pattern) and calibration activations.
import { Csr } from '../../formats/csr.js';
import { Nm, nmLayout } from '../../formats/nm.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInteger } from '../../runtime/validate.js';

export { expectCalibration, expectWeights } from '../inputs.js';

/** Remove this fraction of the weights (in [0, 1]). */
export interface SparsityTarget {
  sparsity: number;
  n?: never;
  m?: never;
}

/**
 * Keep at most `n` weights in every group of `m` consecutive inputs of a row: a pattern the Nm
 * format holds (1:2, 2:4, 1:4, 4:8; others → E_UNSUPPORTED). When `in` is not a multiple of m, the
 * last, shorter group keeps at most n too.
 */
export interface NmTarget {
  n: number;
  m: number;
  sparsity?: never;
}

export type PruneTarget = SparsityTarget | NmTarget;

export type ParsedTarget = { kind: 'sparsity'; sparsity: number } | { kind: 'nm'; n: number; m: number };

/** A fraction in [0, 1]. */
export function expectSparsity(fn: string, sparsity: unknown): number {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) {
    throw new BitsieveError('E_RANGE', `${fn} sparsity: expected a number in [0, 1], received ${describe(sparsity)}`);
  }
  return sparsity;
}

/** Exactly one of { sparsity } or { n, m } with 0 ≤ n ≤ m, m ≥ 1. */
export function parseTarget(fn: string, options: unknown): ParsedTarget {
  const { sparsity, n, m } = (options ?? {}) as Partial<Record<'sparsity' | 'n' | 'm', unknown>>;
  if (n === undefined && m === undefined) return { kind: 'sparsity', sparsity: expectSparsity(fn, sparsity) };
  if (sparsity !== undefined) throw new BitsieveError('E_RANGE', `${fn}: expected either sparsity or n and m, received both`);
  const groupSize = expectInteger(`${fn} m`, m, 1);
  const kept = expectInteger(`${fn} n`, n, 0, groupSize);
  nmLayout({ n: kept, m: groupSize }, `${fn} pattern`); // the result is an Nm: refuse patterns it cannot hold before any work
  return { kind: 'nm', n: kept, m: groupSize };
}

/** The pruned weights in the target's format: CSR for a sparsity target, Nm for an N:M one. */
export function formatFor(target: ParsedTarget, pruned: Float32Array, rows: number, cols: number): Csr | Nm {
  return target.kind === 'nm' ? Nm.fromDense(pruned, [rows, cols], target) : Csr.fromDense(pruned, [rows, cols]);
}

/**
 * Marks the `keep` largest scores among `indices` in mask (ties: lower index first, so results
 * are deterministic).
 */
export function keepLargest(scores: ArrayLike<number>, indices: number[], keep: number, mask: Uint8Array): void {
  indices.sort((a, b) => scores[b] - scores[a] || a - b);
  for (let i = 0; i < keep; i++) mask[indices[i]] = 1;
}

/** Keep mask of a target applied per row to [rows, cols] scores: larger score = more important. */
export function selectByScore(scores: ArrayLike<number>, rows: number, cols: number, target: ParsedTarget): Uint8Array {
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    if (target.kind === 'sparsity') {
      keepLargest(scores, range(start, cols), Math.round((1 - target.sparsity) * cols), mask);
    } else {
      for (let g = 0; g < cols; g += target.m) {
        const size = Math.min(target.m, cols - g);
        keepLargest(scores, range(start + g, size), Math.min(target.n, size), mask);
      }
    }
  }
  return mask;
}

export function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, i) => start + i);
}
