// The second-order statistics OBS-style compressors (SparseGPT, GPTQ) work from, in float64:
// the layer-wise Hessian H = 2/batch · XᵀX of ‖X·Wᵀ − X·Ŵᵀ‖² and the upper Cholesky factor of H⁻¹.
import { BitsieveError } from '../runtime/errors.js';

/** in × in float64 matrices (three of them live at once) stay ≤ 512 MiB each. */
export const MAX_HESSIAN_INPUTS = 8192;

/** H = 2/batch · XᵀX for X [batch, cols] (row-major, cols × cols, symmetric). */
export function hessian(x: ArrayLike<number>, batch: number, cols: number): Float64Array {
  // Dot products of the columns of X, read as contiguous rows of Xᵀ; four rows of H per pass
  // over a column so each load feeds four multiply-adds.
  const xt = new Float64Array(cols * batch);
  for (let b = 0; b < batch; b++) for (let j = 0; j < cols; j++) xt[j * batch + b] = x[b * cols + j];
  const h = new Float64Array(cols * cols);
  const scale = batch ? 2 / batch : 0;
  for (let i = 0; i < cols; i += 4) {
    const rows = Math.min(4, cols - i);
    const a0 = i * batch;
    const a1 = (i + Math.min(1, rows - 1)) * batch;
    const a2 = (i + Math.min(2, rows - 1)) * batch;
    const a3 = (i + rows - 1) * batch;
    for (let j = i; j < cols; j++) {
      const c = j * batch;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let b = 0; b < batch; b++) {
        const v = xt[c + b];
        s0 += xt[a0 + b] * v;
        s1 += xt[a1 + b] * v;
        s2 += xt[a2 + b] * v;
        s3 += xt[a3 + b] * v;
      }
      const sums = [s0, s1, s2, s3];
      for (let r = 0; r < rows && i + r <= j; r++) {
        h[(i + r) * cols + j] = sums[r] * scale;
        h[j * cols + i + r] = sums[r] * scale;
      }
    }
  }
  return h;
}

/**
 * Makes H safely invertible in place: an input that is always 0 on the calibration set ("dead",
 * zero diagonal, hence zero row and column) gets H_ii = 1 so it decouples from the others, then
 * λ = dampening · mean(diag H) is added to the diagonal. Returns the dead inputs.
 */
export function dampen(h: Float64Array, cols: number, dampening: number): Uint8Array {
  const dead = new Uint8Array(cols);
  let trace = 0;
  for (let i = 0; i < cols; i++) {
    if (h[i * cols + i] === 0) {
      dead[i] = 1;
      h[i * cols + i] = 1;
    }
    trace += h[i * cols + i];
  }
  const lambda = cols ? (dampening * trace) / cols : 0;
  for (let i = 0; i < cols; i++) h[i * cols + i] += lambda;
  return dead;
}

/**
 * The upper-triangular U with H⁻¹ = UᵀU (positive diagonal), without forming H⁻¹: factor
 * H = V·Vᵀ with V upper (Cholesky in reverse index order), then U = V⁻¹. Throws E_RANGE when H
 * is not numerically positive definite. `h` is left untouched.
 */
export function inverseCholeskyUpper(h: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n * n);
  const t = new Float64Array(PANEL);
  // V[i, c] = (H[i, c] − Σ_{k>c} V[i, k]·V[c, k]) / V[c, c]. Columns go right to left in panels
  // of four: the part of each sum right of the panel is four dot products in one pass over row
  // i (the matrix is streamed once per panel, not once per column), the rest is a small
  // triangle inside the panel.
  for (let j1 = n; j1 > 0; j1 -= PANEL) {
    const j0 = Math.max(0, j1 - PANEL);
    for (let i = j1 - 1; i >= 0; i--) {
      tailDots(v, n, i, j0, j1, t);
      for (let c = j1 - 1; c >= Math.max(j0, i); c--) {
        let s = h[i * n + c] - t[c - j0];
        for (let k = c + 1; k < j1; k++) s -= v[i * n + k] * v[c * n + k];
        if (c > i) {
          v[i * n + c] = s / v[c * n + c];
        } else if (s > PIVOT_FLOOR * h[i * n + i] && Number.isFinite(s)) {
          v[i * n + i] = Math.sqrt(s);
        } else {
          throw new BitsieveError('E_RANGE', `calibration Hessian is not positive definite (pivot ${s} at input ${i}); raise dampening`);
        }
      }
    }
  }
  // U = V⁻¹ row by row from U·V = I: row i of U is built left to right, each new entry adding
  // its multiple of a row of V to an accumulator. Four rows of U share each pass over a row of V.
  const u = new Float64Array(n * n);
  const acc = new Float64Array(PANEL * n);
  for (let i0 = 0; i0 < n; i0 += PANEL) {
    const rows = Math.min(PANEL, n - i0);
    acc.fill(0);
    for (let k = i0; k < n; k++) {
      const rowV = k * n;
      const pivot = v[rowV + k];
      for (let r = 0; r < rows && i0 + r <= k; r++) u[(i0 + r) * n + k] = ((i0 + r === k ? 1 : 0) - acc[r * n + k]) / pivot;
      if (k + 1 === n) break;
      const last = Math.min(rows - 1, k - i0);
      const u0 = u[i0 * n + k];
      const u1 = last >= 1 ? u[(i0 + 1) * n + k] : 0;
      const u2 = last >= 2 ? u[(i0 + 2) * n + k] : 0;
      const u3 = last >= 3 ? u[(i0 + 3) * n + k] : 0;
      for (let j = k + 1; j < n; j++) {
        const vj = v[rowV + j];
        acc[j] += u0 * vj;
        acc[n + j] += u1 * vj;
        acc[2 * n + j] += u2 * vj;
        acc[3 * n + j] += u3 * vj;
      }
    }
  }
  return u;
}

const PANEL = 4;
/** A pivot this small relative to its diagonal entry means H is singular to working precision. */
const PIVOT_FLOOR = 1e-13;

/** t[c − j0] = Σ_{k ≥ j1} V[i, k]·V[c, k] for the panel columns c ∈ [j0, j1). */
function tailDots(v: Float64Array, n: number, i: number, j0: number, j1: number, t: Float64Array): void {
  const width = j1 - j0;
  const a = i * n;
  // Missing panel rows (only in the last, narrower panel) repeat row j0; their sums are unused.
  const r0 = j0 * n;
  const r1 = (j0 + Math.min(1, width - 1)) * n;
  const r2 = (j0 + Math.min(2, width - 1)) * n;
  const r3 = (j0 + width - 1) * n;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let k = j1; k < n; k++) {
    const x = v[a + k];
    s0 += x * v[r0 + k];
    s1 += x * v[r1 + k];
    s2 += x * v[r2 + k];
    s3 += x * v[r3 + k];
  }
  t[0] = s0;
  t[1] = s1;
  t[2] = s2;
  t[3] = s3;
}
