// The column sweep SparseGPT and GPTQ share (Frantar & Alistarh; Frantar et al.): weights are
// fixed one input column at a time, left to right; fixing weight (r, i) to a value v costs
// ((w − v)/U_ii)² on the calibration outputs, and the Optimal Brain Surgeon update that
// compensates it is W[r, i+1:] −= (w − v)/U_ii · U[i, i+1:], with U the upper Cholesky factor of
// H⁻¹ (hessian.ts). Lazy batch updates: inside a block of columns the update is applied at once,
// but only to the block; the columns right of it receive the block's accumulated errors in one
// pass when the block ends. The result equals the unblocked sweep's up to round-off as long as a
// visitor only reads columns of the current block (or, at a block's first column, any column).
// All arithmetic is float64.

export interface SweepVisitor {
  /**
   * Called when the sweep reaches column i, before any of its weights is fixed; [i1, i2) is the
   * current block. W is up to date in columns [i, i2) (and everywhere when i = i1).
   */
  column?(i: number, i1: number, i2: number): void;
  /** The value weight (r, i) is fixed to, given its current, already compensated value w. */
  fix(r: number, i: number, w: number): number;
}

/**
 * Sweeps W [rows, cols] (row-major, updated in place: on return column i holds the fixed values)
 * with u = the upper Cholesky factor of H⁻¹ [cols, cols], in blocks of `block` columns.
 * Returns Σ ((w − v)/U_ii)² / 2 over all weights, GPTQ's reported loss.
 */
export function obsSweep(W: Float64Array, rows: number, cols: number, u: Float64Array, block: number, visitor: SweepVisitor): number {
  const errors = new Float64Array(rows * block);
  let loss = 0;
  for (let i1 = 0; i1 < cols; i1 += block) {
    const i2 = Math.min(i1 + block, cols);
    const width = i2 - i1;
    for (let i = i1; i < i2; i++) {
      visitor.column?.(i, i1, i2);
      const d = u[i * cols + i];
      const uRow = i * cols;
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        const w = W[base + i];
        const fixed = visitor.fix(r, i, w);
        const err = (w - fixed) / d;
        errors[r * block + (i - i1)] = err;
        W[base + i] = fixed;
        if (err === 0) continue;
        loss += (err * err) / 2;
        for (let j = i + 1; j < i2; j++) W[base + j] -= err * u[uRow + j];
      }
    }
    // Lazy batch update of the columns right of the block.
    if (i2 < cols) {
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        for (let k = 0; k < width; k++) {
          const err = errors[r * block + k];
          if (err === 0) continue;
          const uRow = (i1 + k) * cols;
          for (let j = i2; j < cols; j++) W[base + j] -= err * u[uRow + j];
        }
      }
    }
  }
  return loss;
}
