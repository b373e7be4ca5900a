// Straightforward float64 Optimal Brain Surgeon pruning, the definition SparseGPT computes
// faster: no Cholesky factor, no blocks of lazy updates. Columns are eliminated left to right;
// G is the explicit inverse of H restricted to the columns not yet eliminated. Removing w_rj
// moves its error onto the row's remaining weights by δw = −(w_rj / G_jj)·G[j, :]; after column
// j, G is downdated to the inverse of the remaining block: G ← G − G[:, j]·G[j, :] / G_jj.

export type Target = { sparsity: number } | { n: number; m: number };

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan elimination. */
export function invert(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= p;
      inv[c * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

/** H = 2/batch·XᵀX with dead inputs (H_ii = 0) set to 1, then λ = damp·mean(diag) on the diagonal. */
export function dampedHessian(x: ArrayLike<number>, cols: number, dampening: number): { h: Float64Array; dead: boolean[] } {
  const batch = x.length / cols;
  const h = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let b = 0; b < batch; b++) s += x[b * cols + i] * x[b * cols + j];
      h[i * cols + j] = (2 / batch) * s;
    }
  }
  const dead = Array.from({ length: cols }, (_, i) => h[i * cols + i] === 0);
  dead.forEach((d, i) => d && (h[i * cols + i] = 1));
  let mean = 0;
  for (let i = 0; i < cols; i++) mean += h[i * cols + i] / cols;
  for (let i = 0; i < cols; i++) h[i * cols + i] += dampening * mean;
  return { h, dead };
}

/** Indices (into `items`) of the `keep` largest scores; ties keep the earlier item. */
function topIndices(scores: number[], keep: number): Set<number> {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return new Set(order.slice(0, keep));
}

/**
 * Prunes W [rows, cols] (float64 result) with calibration X [batch, cols]. Masks: unstructured
 * targets pick, at the start of each block of `blockSize` columns, the weights with the largest
 * w²/G_jj (G as it will be when column j is reached) over the whole block, removing
 * round(s·rows·end) − round(s·rows·start) of them; N:M targets pick per row and per group of m
 * columns when the group is reached. Inputs never active in X score 0.
 */
export function obsReference(w: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>, target: Target, blockSize: number, dampening: number) {
  const { h, dead } = dampedHessian(x, cols, dampening);

  // G_jj at the time column j is eliminated (independent of W): run the downdates once ahead.
  const pivots = new Float64Array(cols);
  {
    const g = invert(h, cols);
    for (let j = 0; j < cols; j++) {
      pivots[j] = g[j * cols + j];
      downdate(g, cols, j);
    }
  }
  const W = Float64Array.from(w);
  const keep = new Uint8Array(rows * cols);
  const score = (r: number, j: number) => (dead[j] ? 0 : W[r * cols + j] ** 2 / pivots[j]);
  const g = invert(h, cols);
  for (let j = 0; j < cols; j++) {
    if ('sparsity' in target && j % blockSize === 0) {
      const end = Math.min(j + blockSize, cols);
      const cells: [number, number][] = [];
      for (let r = 0; r < rows; r++) for (let c = j; c < end; c++) cells.push([r, c]);
      const removed = Math.round(target.sparsity * rows * end) - Math.round(target.sparsity * rows * j);
      // Row-major cell order = flat index order, so ties match "earlier index kept first".
      for (const i of topIndices(cells.map(([r, c]) => score(r, c)), cells.length - removed)) keep[cells[i][0] * cols + cells[i][1]] = 1;
    }
    if ('n' in target && j % target.m === 0) {
      const end = Math.min(j + target.m, cols);
      for (let r = 0; r < rows; r++) {
        const columns = Array.from({ length: end - j }, (_, i) => j + i);
        for (const i of topIndices(columns.map((c) => score(r, c)), Math.min(target.n, end - j))) keep[r * cols + columns[i]] = 1;
      }
    }
    for (let r = 0; r < rows; r++) {
      if (keep[r * cols + j]) continue;
      const e = W[r * cols + j] / g[j * cols + j];
      for (let k = j; k < cols; k++) W[r * cols + k] -= e * g[j * cols + k];
      W[r * cols + j] = 0;
    }
    downdate(g, cols, j);
  }
  return { w: W, keep };
}

/** G ← G − G[:, j]·G[j, :] / G_jj, which leaves row and column j zero. */
function downdate(g: Float64Array, n: number, j: number): void {
  const p = g[j * n + j];
  const col = Array.from({ length: n }, (_, i) => g[i * n + j]);
  const row = Array.from({ length: n }, (_, k) => g[j * n + k]);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) g[i * n + k] -= (col[i] * row[k]) / p;
}
