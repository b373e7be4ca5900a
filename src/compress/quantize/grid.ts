// A group-wise integer quantization grid along the inputs of [out, in] weights (the reduction
// dimension of y = x·Wᵀ), the grid GPTQ, AWQ, MLX, ORT MatMulNBits and ggml's Q4_0/Q4_1 all store
// in some layout: every row is cut into groups of `groupSize` consecutive inputs, each group has
// one scale s (and, for asymmetric groups, an integer zero point z), and a weight is the integer
// code q ∈ [0, 2^bits − 1] with value f32(s · (q − z)).
//
// Symmetric groups use z = 2^(bits−1) implicitly, i.e. the signed code q − z ∈ [−2^(b−1), 2^(b−1)−1]
// and w = s·(q − z): code 2^(b−1) is exactly 0. Codes are stored unsigned in every mode so a
// format can pack them without knowing the mode.
//
// Granularity: groupSize = in is per-channel (one group per output row). Per-tensor (one scale
// for the whole matrix) is the same grid over the weights viewed as one row: quantize shape
// [1, out·in] with groupSize = out·in (the codes are row-major either way, so they are unchanged).
import { floatToHalf, halfToFloat } from '../../formats/half.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInteger } from '../../runtime/validate.js';

/**
 * - 'symmetric': s = 2·max|w| / (2^b − 1), z = 2^(b−1) (not stored). 0 is exact.
 * - 'asymmetric': the range [min(w, 0), max(w, 0)] is spread over the 2^b codes:
 *   s = (max − min)/(2^b − 1), z = round(−min/s) stored per group. 0 is exact.
 * - 'hybrid': per group, whichever of the two reconstructs that group with the smaller squared
 *   error (ties: symmetric, the cheaper one to apply); see `fitGroup`.
 */
export type QuantMode = 'symmetric' | 'asymmetric' | 'hybrid';

/** Dtype the scales are stored in; the quantizer fits codes against the stored (rounded) scale. */
export type ScaleDtype = 'f32' | 'f16';

export interface GridOptions {
  /** Bits per weight, 1–8 (default 4). Symmetric and hybrid grids need ≥ 2 bits. */
  bits?: number;
  /**
   * Consecutive inputs sharing one scale (and zero point): a divisor of `in` (default 128).
   * `in` = per-channel; see the file comment for per-tensor.
   */
  groupSize?: number;
  /** Default 'asymmetric'. */
  mode?: QuantMode;
  /** Default 'f16' (what GPTQ, AWQ, MLX and ORT checkpoints store). */
  scaleDtype?: ScaleDtype;
}

/** Grid options checked against a matrix's `in`. */
export interface Grid {
  readonly bits: number;
  /** Largest code, 2^bits − 1. */
  readonly maxq: number;
  readonly groupSize: number;
  /** Groups per row, in / groupSize. */
  readonly groups: number;
  readonly mode: QuantMode;
  readonly scaleDtype: ScaleDtype;
}

/** One group's parameters: the stored scale (exactly representable in the scale dtype) and zero. */
export interface GroupParams {
  readonly scale: number;
  readonly zero: number;
  readonly symmetric: boolean;
}

const MODES: readonly QuantMode[] = ['symmetric', 'asymmetric', 'hybrid'];
const SCALE_DTYPES: readonly ScaleDtype[] = ['f32', 'f16'];

/** Validates grid options for a matrix with `cols` inputs (E_DTYPE / E_RANGE / E_SHAPE / E_UNSUPPORTED). */
export function parseGrid(fn: string, options: GridOptions | undefined, cols: number): Grid {
  const { bits = 4, groupSize = 128, mode = 'asymmetric', scaleDtype = 'f16' } = options ?? {};
  expectInteger(`${fn} bits`, bits, 1, 8);
  expectInteger(`${fn} groupSize`, groupSize, 1);
  if (cols % groupSize !== 0) {
    throw new BitsieveError('E_SHAPE', `${fn} groupSize: expected a divisor of in = ${cols} (in itself for per-channel), received ${groupSize}`);
  }
  if (!MODES.includes(mode)) throw new BitsieveError('E_RANGE', `${fn} mode: expected ${MODES.map((m) => `'${m}'`).join(' | ')}, received ${describe(mode)}`);
  if (!SCALE_DTYPES.includes(scaleDtype)) {
    throw new BitsieveError('E_RANGE', `${fn} scaleDtype: expected 'f32' | 'f16', received ${describe(scaleDtype)}`);
  }
  if (bits === 1 && mode !== 'asymmetric') {
    throw new BitsieveError('E_UNSUPPORTED', `${fn}: a ${mode} 1-bit grid is {−s, 0} and cannot hold a positive weight; use mode 'asymmetric' or bits ≥ 2`);
  }
  return { bits, maxq: 2 ** bits - 1, groupSize, groups: cols / groupSize, mode, scaleDtype };
}

/** torch.round: to the nearest integer, halves to even (GPTQ, AWQ, HQQ, KIVI; lowbit.md §0.4). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // halves toward +∞
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Smallest and largest stored scale: the smallest subnormal, and the largest value whose every
 * code decodes to a finite f32 (|q − z| < 2^8: f32 scales stop at 2^119; f16's 65504 is safe).
 */
const SCALE_RANGE: Record<ScaleDtype, readonly [number, number]> = {
  f32: [2 ** -149, 2 ** 119],
  f16: [2 ** -24, 65504],
};

/**
 * The value a scale has once stored: clamped into SCALE_RANGE (a group of tiny weights gets the
 * smallest subnormal rather than 0, an absurdly large one saturates its codes rather than
 * decoding to ∞), then rounded to nearest even.
 */
export function storedScale(scale: number, dtype: ScaleDtype): number {
  const [min, max] = SCALE_RANGE[dtype];
  const clamped = Math.min(Math.max(scale, min), max);
  return dtype === 'f16' ? halfToFloat(floatToHalf(clamped)) : Math.fround(clamped);
}

/** The code of x: clamp(round(x/s) + z, 0, maxq). */
export function quantizeValue(x: number, params: GroupParams, maxq: number): number {
  const q = roundHalfEven(x / params.scale) + params.zero;
  return q < 0 ? 0 : q > maxq ? maxq : q;
}

/** The stored weight of a code: f32(s·(q − z)) (q − z is converted first: signed zeros as kernels make them). */
export function dequantizeCode(code: number, params: GroupParams): number {
  return Math.fround(params.scale * (code - params.zero));
}

/**
 * Min/max parameters of values[start, start + length) for the grid's mode, as AutoGPTQ's
 * Quantizer.find_params (lowbit.md §2.2): the range always includes 0, an all-zero group uses
 * [−1, 1]. One deliberate difference: AutoGPTQ's symmetric rule leaves an all-non-negative group
 * at [0, max] with z = 2^(b−1), which clips its upper half; here symmetric is always [−max|w|, max|w|].
 *
 * Hybrid (InnerQ, lowbit.md §3.2): the paper states only that each group picks symmetric or
 * asymmetric "based on local statistics" and keeps a 1-bit choice per group. The statistic here
 * is derived, not the paper's: the squared reconstruction error of the group under each grid,
 * the smaller wins (ties → symmetric). So a hybrid group is never worse than either pure grid
 * under round-to-nearest.
 */
export function fitGroup(values: ArrayLike<number>, start: number, length: number, grid: Grid): GroupParams {
  let lo = 0;
  let hi = 0;
  for (let i = start; i < start + length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (grid.mode === 'symmetric') return fitSymmetric(lo, hi, grid);
  if (grid.mode === 'asymmetric') return fitAsymmetric(lo, hi, grid);
  const symmetric = fitSymmetric(lo, hi, grid);
  const asymmetric = fitAsymmetric(lo, hi, grid);
  return groupError(values, start, length, asymmetric, grid.maxq) < groupError(values, start, length, symmetric, grid.maxq) ? asymmetric : symmetric;
}

function fitSymmetric(lo: number, hi: number, grid: Grid): GroupParams {
  const amax = Math.max(-lo, hi);
  const scale = storedScale(amax === 0 ? 2 / grid.maxq : (2 * amax) / grid.maxq, grid.scaleDtype);
  return { scale, zero: 2 ** (grid.bits - 1), symmetric: true };
}

function fitAsymmetric(lo: number, hi: number, grid: Grid): GroupParams {
  if (lo === 0 && hi === 0) [lo, hi] = [-1, 1];
  const scale = storedScale((hi - lo) / grid.maxq, grid.scaleDtype);
  const zero = Math.min(Math.max(roundHalfEven(-lo / scale), 0), grid.maxq);
  return { scale, zero, symmetric: false };
}

/** Σ (w − ŵ)² over a group under the given parameters. */
function groupError(values: ArrayLike<number>, start: number, length: number, params: GroupParams, maxq: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += (values[i] - dequantizeCode(quantizeValue(values[i], params, maxq), params)) ** 2;
  return sum;
}
