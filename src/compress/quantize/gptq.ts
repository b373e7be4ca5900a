// GPTQ (Frantar, Ashkboos, Hoefler & Alistarh 2022, "GPTQ: Accurate Post-Training Quantization
// for Generative Pre-trained Transformers"; lowbit.md §5.1 after AutoGPTQ's fasterquant):
// quantize the input columns one at a time and, after each, move its rounding error onto the
// not-yet-quantized weights of the same row with the Optimal Brain Surgeon update for
// H = 2/batch·XᵀX (hessian.ts; the sweep and its lazy batch updates are obs.ts, shared with
// SparseGPT). The grid is grid.ts; group parameters are fitted by min/max when the sweep reaches a
// group's first column, from the weights as already compensated (or once up front from the
// original weights with staticGroups). All arithmetic is float64.
//
// AutoGPTQ steps kept: dead inputs (H_ii = 0) get H_ii = 1 and their weights zeroed (they never
// reach the outputs), λ = dampening·mean(diag H), act-order (desc_act) by diag(H) descending with
// g_idx recorded, static_groups. One deliberate difference: AutoGPTQ fits a group that starts
// inside a lazy block from weights that miss that block's pending updates, so its result depends
// on the block size; here blocks are sized so every group is fitted from up-to-date weights, and
// the result is the unblocked algorithm's (identical to AutoGPTQ's for groupSize = blockSize = 128).
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectFiniteScalar, expectInteger } from '../../runtime/validate.js';
import { dampen, hessian, inverseCholeskyUpper, MAX_HESSIAN_INPUTS } from '../hessian.js';
import { expectCalibration, expectWeights } from '../inputs.js';
import { obsSweep } from '../obs.js';
import { dequantizeCode, fitGroup, parseGrid, quantizeValue, type Grid, type GridOptions, type GroupParams } from './grid.js';
import { QuantizedWeightsBuilder, type QuantizedWeights } from './quantized-weights.js';
import { quantizeReport, type QuantizeResult } from './result.js';

export interface GptqOptions extends GridOptions {
  /** Calibration activations [batch, in] (batch ≥ 1). */
  calibration: Float32Array;
  /**
   * Columns per lazy-update block (default 128). Adjusted so no group is fitted across a block
   * boundary: rounded down to a multiple of groupSize when groupSize ≤ blockSize, else to the
   * largest divisor of groupSize ≤ blockSize (per-channel and static groups: unchanged).
   */
  blockSize?: number;
  /** λ = dampening · mean(diag H) is added to H's diagonal (AutoGPTQ's percdamp, default 0.01). */
  dampening?: number;
  /**
   * Act-order (desc_act): quantize inputs in order of decreasing H_ii (the most active first, so
   * the least active absorb the compensation). Groups are then formed in that order and
   * `format.gIdx` maps each input to its group. Default false.
   */
  actOrder?: boolean;
  /**
   * Fit every group's parameters up front from the original weights (AutoGPTQ static_groups):
   * with actOrder, groups stay contiguous ranges of inputs (gIdx[k] = ⌊k / groupSize⌋). Default false.
   */
  staticGroups?: boolean;
}

export interface GptqResult extends QuantizeResult<QuantizedWeights> {
  /**
   * GPTQ's own loss, Σ (w − ŵ)² / (2·U_ii²) over the sweep (what AutoGPTQ logs as "error"):
   * ½·tr(ΔHΔᵀ) for the dampened H, Δ = W − Ŵ with dead inputs' weights zeroed.
   */
  readonly loss: number;
}

/**
 * GPTQ quantization of a dense [out, in] matrix on a group-wise integer grid. Cost: O(in²·batch)
 * for the Hessian, O(in³) for its inverse factor, O(out·in²) for the sweep; float64 in × in
 * matrices limit `in` to 8192.
 */
export function quantizeGptq(w: ArrayLike<number>, shape: readonly [number, number], options: GptqOptions): GptqResult {
  const fn = 'quantizeGptq';
  const [rows, cols] = expectWeights(fn, w, shape);
  const grid = parseGrid(fn, options, cols);
  const { calibration, blockSize = 128, dampening = 0.01, actOrder = false, staticGroups = false } = options ?? ({} as GptqOptions);
  const batch = expectCalibration(fn, calibration, cols, true);
  if (cols > MAX_HESSIAN_INPUTS) {
    throw new BitsieveError('E_RANGE', `${fn}: expected at most ${MAX_HESSIAN_INPUTS} inputs (the float64 in × in Hessian and its factors), received ${cols}`);
  }
  expectInteger(`${fn} blockSize`, blockSize, 1);
  expectFiniteScalar(`${fn} dampening`, dampening);
  expectBoolean(`${fn} actOrder`, actOrder);
  expectBoolean(`${fn} staticGroups`, staticGroups);

  const h = hessian(calibration, batch, cols);
  const dead = dampen(h, cols, dampening);
  const W = Float64Array.from(w);
  for (let k = 0; k < cols; k++) if (dead[k]) for (let r = 0; r < rows; r++) W[r * cols + k] = 0;

  const out = new QuantizedWeightsBuilder(rows, cols, grid);
  const fixed = staticGroups ? staticParams(W, rows, cols, grid, out) : undefined;
  // Sweep position i holds input perm[i]; W and H are permuted to sweep order.
  const perm = actOrder ? descendingDiagonal(h, cols) : Int32Array.from({ length: cols }, (_, k) => k);
  const u = inverseCholeskyUpper(actOrder ? permuteSymmetric(h, cols, perm) : h, cols);
  const Wp = actOrder ? permuteColumns(W, rows, cols, perm) : W;

  const { groupSize, groups, maxq } = grid;
  const current: GroupParams[] = [];
  const loss = obsSweep(Wp, rows, cols, u, fixed ? blockSize : lazyBlock(blockSize, groupSize, cols), {
    column(i) {
      if (fixed || i % groupSize !== 0) return;
      for (let r = 0; r < rows; r++) {
        current[r] = fitGroup(Wp, r * cols + i, groupSize, grid);
        out.setGroup(r, i / groupSize, current[r]);
      }
    },
    fix(r, i, value) {
      const params = fixed ? fixed[r * groups + Math.floor(perm[i] / groupSize)] : current[r];
      const code = quantizeValue(value, params, maxq);
      out.codes[r * cols + perm[i]] = code;
      return dequantizeCode(code, params);
    },
  });

  let gIdx: Int32Array | undefined;
  if (actOrder) {
    gIdx = new Int32Array(cols);
    for (let i = 0; i < cols; i++) gIdx[perm[i]] = Math.floor((staticGroups ? perm[i] : i) / groupSize);
  }
  const format = out.build(gIdx);
  return { format, ...quantizeReport(w, format.dequantize(), rows, cols, calibration), loss };
}

/**
 * The lazy block size: a group fitted at its first column must see up-to-date weights, so it
 * either starts a block or lies inside one.
 */
function lazyBlock(blockSize: number, groupSize: number, cols: number): number {
  if (groupSize >= cols) return blockSize; // one group per row, fitted at column 0
  if (groupSize <= blockSize) return groupSize * Math.floor(blockSize / groupSize);
  for (let b = blockSize; b > 1; b--) if (groupSize % b === 0) return b;
  return 1;
}

/** Every group's parameters from the original (dead-zeroed) weights, recorded in `out`. */
function staticParams(W: Float64Array, rows: number, cols: number, grid: Grid, out: QuantizedWeightsBuilder): GroupParams[] {
  const params: GroupParams[] = [];
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < grid.groups; g++) {
      const p = fitGroup(W, r * cols + g * grid.groupSize, grid.groupSize, grid);
      params.push(p);
      out.setGroup(r, g, p);
    }
  }
  return params;
}

/** Inputs by decreasing H_ii (ties: lower index first). */
function descendingDiagonal(h: Float64Array, n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => h[b * n + b] - h[a * n + a] || a - b);
}

/** P·H·Pᵀ: entry (a, b) = H[perm[a], perm[b]]. */
function permuteSymmetric(h: Float64Array, n: number, perm: Int32Array): Float64Array {
  const p = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) p[a * n + b] = h[perm[a] * n + perm[b]];
  return p;
}

/** Column i of the result is column perm[i] of W. */
function permuteColumns(W: Float64Array, rows: number, cols: number, perm: Int32Array): Float64Array {
  const p = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) p[r * cols + i] = W[r * cols + perm[i]];
  return p;
}

function expectBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new BitsieveError('E_DTYPE', `${name}: expected a boolean, received ${describe(value)}`);
}
