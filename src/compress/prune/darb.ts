// Block-max weight masking with DARB density adaptation (Ren et al., AAAI 2020) → Darb.
//
// Rule (deterministic; ties go to the lower index):
//  1. Irregular magnitude pruning first: the K = round((1 − sparsity)·out·in) largest |w| of the whole
//     matrix; d_r = how many of them fall in row r (the row's density after irregular pruning).
//  2. Per-block budget: B = round((1 − sparsity)·out·b) weights-per-block to share among the rows,
//     k_r ∝ d_r (uniform when every d_r is 0), clamped to [0, b] by water-filling (rows that would
//     exceed b get b, the rest is re-shared in proportion), then rounded by largest remainder so that
//     Σ k_r = B exactly. When b divides in, the layer keeps exactly (in/b)·B weights.
//  3. Block-max weight masking: in every block of row r keep the k_r largest |w| (the last, partial
//     block keeps min(k_r, its width)).
import { Darb, DARB_MAX_BLOCK, DARB_MIN_BLOCK } from '../../formats/darb.js';
import { BitsieveError } from '../../runtime/errors.js';
import { expectInteger } from '../../runtime/validate.js';
import { expectCalibration, expectSparsity, expectWeights } from './options.js';
import { pruneReport, type PruneResult } from './result.js';

export interface DarbPruneOptions {
  /** Columns per block b: a power of two in [2, 128]. */
  blockSize: number;
  /** Fraction of weights to remove, in [0, 1]. */
  sparsity: number;
  /** Calibration activations [batch, in] for the output-error report. */
  calibration?: Float32Array;
}

export function pruneDarb(w: ArrayLike<number>, shape: readonly [number, number], options: DarbPruneOptions): PruneResult<Darb> {
  const [rows, cols] = expectWeights('pruneDarb', w, shape);
  const { blockSize, calibration } = options ?? ({} as DarbPruneOptions);
  const b = expectInteger('pruneDarb blockSize', blockSize, DARB_MIN_BLOCK, DARB_MAX_BLOCK);
  if ((b & (b - 1)) !== 0) throw new BitsieveError('E_RANGE', `pruneDarb blockSize: expected a power of two, received ${b}`);
  const sparsity = expectSparsity('pruneDarb', options?.sparsity);
  expectCalibration('pruneDarb', calibration, cols, false);

  const keep = darbKeepCounts(w, rows, cols, b, sparsity);
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += b) keepLargest(w, mask, r * cols + c0, Math.min(b, cols - c0), keep[r]);
  }
  const pruned = new Float32Array(rows * cols);
  for (let i = 0; i < pruned.length; i++) if (mask[i]) pruned[i] = w[i];
  // The mask (not the values) decides the structure, so a kept weight that is exactly 0 keeps its slot.
  return { format: Darb.fromDense(pruned, [rows, cols], b, mask), ...pruneReport(w, pruned, mask, rows, cols, calibration) };
}

/** Whether |w[p]| ranks above |w[q]| (ties: the lower index wins). */
function beats(w: ArrayLike<number>, p: number, q: number): boolean {
  const a = Math.abs(w[p]);
  const c = Math.abs(w[q]);
  return a > c || (a === c && p < q);
}

/**
 * Sets mask for the min(k, width) top-ranked entries of w[start, start + width): k passes that each
 * pick the best unmarked entry, or, when fewer are dropped than kept, all but the worst width − k.
 */
function keepLargest(w: ArrayLike<number>, mask: Uint8Array, start: number, width: number, k: number): void {
  const keep = Math.min(k, width);
  const pickBest = keep <= width - keep;
  if (!pickBest) mask.fill(1, start, start + width);
  for (let n = pickBest ? keep : width - keep; n > 0; n--) {
    let pick = -1;
    for (let i = start; i < start + width; i++) {
      if (mask[i] !== (pickBest ? 0 : 1)) continue;
      if (pick < 0 || (pickBest ? beats(w, i, pick) : beats(w, pick, i))) pick = i;
    }
    mask[pick] = pickBest ? 1 : 0;
  }
}

/** k_r per row (steps 1–2 of the rule above). */
export function darbKeepCounts(w: ArrayLike<number>, rows: number, cols: number, b: number, sparsity: number): Uint8Array {
  const total = rows * cols;
  const kept = Math.round((1 - sparsity) * total);
  // The kept-th largest magnitude; entries above it are kept, ties at it go to the lower indices.
  const magnitudes = new Float64Array(total);
  for (let i = 0; i < total; i++) magnitudes[i] = Math.abs(w[i]);
  const threshold = kept > 0 ? select(magnitudes, total - kept) : Infinity;
  let tiesLeft = kept;
  for (let i = 0; i < total; i++) if (Math.abs(w[i]) > threshold) tiesLeft--;
  const density = new Float64Array(rows);
  for (let i = 0; i < total; i++) {
    const a = Math.abs(w[i]);
    if (a > threshold || (a === threshold && tiesLeft-- > 0)) density[Math.floor(i / cols)]++;
  }

  const budget = Math.round((1 - sparsity) * rows * b);
  const quota = new Float64Array(rows);
  const capped = new Uint8Array(rows);
  for (;;) {
    let rest = budget;
    let weight = 0;
    let active = 0;
    for (let r = 0; r < rows; r++) {
      if (capped[r]) rest -= b;
      else {
        weight += density[r];
        active++;
      }
    }
    let changed = false;
    for (let r = 0; r < rows; r++) {
      if (capped[r]) continue;
      quota[r] = weight > 0 ? (rest * density[r]) / weight : rest / active;
      if (quota[r] > b) {
        capped[r] = 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const keep = new Uint8Array(rows);
  let assigned = 0;
  for (let r = 0; r < rows; r++) {
    keep[r] = capped[r] ? b : Math.min(b, Math.floor(quota[r]));
    assigned += keep[r];
  }
  // Largest remainder (then denser row, then lower row) gets the rounding leftovers.
  const byRemainder = Array.from({ length: rows }, (_, r) => r).filter((r) => keep[r] < b);
  const frac = (r: number) => (capped[r] ? 0 : quota[r] - keep[r]);
  byRemainder.sort((p, q) => frac(q) - frac(p) || density[q] - density[p] || p - q);
  // Σ frac = budget − assigned and every frac < 1, so one pass suffices; the outer loop only guards rounding.
  while (assigned < budget) {
    for (let i = 0; assigned < budget && i < byRemainder.length; i++) {
      if (keep[byRemainder[i]] < b) {
        keep[byRemainder[i]]++;
        assigned++;
      }
    }
  }
  return keep;
}

/** The k-th smallest value of a (0-based), by in-place quickselect (Hoare partition, middle pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
