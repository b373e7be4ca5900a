// ONNX Runtime com.microsoft.MatMulBnb4 initializers (transformers.js "bnb4"; lowbit.md §2.1, §(a)):
// bitsandbytes' NF4/FP4 codebooks and high-nibble-first packing of the flattened [N, K] weight,
// with the per-block absmax as a plain input (no double quantization, no quant_state tensor):
//   B       u8 [⌈N·K/2⌉]
//   absmax  [⌈N·K/block_size⌉], the dtype of A (f32 or f16)
//   attributes K, N, block_size (a power of two ≥ 16), quant_type (0 = FP4, 1 = NF4)
import { floatToHalf, halfToFloat } from '../../formats/half.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { FP4_CODEBOOK, makeBnb4Weights, NF4_CODEBOOK, packHighFirst, unpackHighFirst, type Bnb4Weights } from './bnb4.js';
import type { OrtInitializer } from './matmul-nbits.js';
import { expectArrayType, expectLength, expectObject } from './packing.js';

export interface MatMulBnb4Attributes {
  readonly K: number;
  readonly N: number;
  readonly block_size: number;
  /** 0 = FP4, 1 = NF4. */
  readonly quant_type: number;
}

export interface MatMulBnb4Tensors {
  readonly B: Uint8Array;
  /** f32 values or f16 bits. */
  readonly absmax: Float32Array | Uint16Array;
}

export interface MatMulBnb4Export {
  readonly B: OrtInitializer<Uint8Array>;
  readonly absmax: OrtInitializer<Float32Array | Uint16Array>;
  readonly attributes: MatMulBnb4Attributes;
}

const QUANT_TYPES = ['fp4', 'nf4'] as const;

function checkAttributes(where: string, a: MatMulBnb4Attributes): { K: number; N: number; blockSize: number; quantType: 'fp4' | 'nf4' } {
  expectObject(`${where} attributes`, a);
  for (const [name, value] of [['K', a.K], ['N', a.N]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new BitsieveError('E_SHAPE', `${where} ${name}: expected a positive integer, received ${describe(value)}`);
  }
  if (a.K * a.N > 2 ** 30) throw new BitsieveError('E_RANGE', `${where}: expected at most 2^30 weights, received ${a.N}×${a.K}`);
  const bs = a.block_size;
  if (typeof bs !== 'number' || !Number.isInteger(bs) || bs < 16 || bs > 4096 || (bs & (bs - 1)) !== 0) throw new BitsieveError('E_RANGE', `${where} block_size: expected a power of two in [16, 4096], received ${describe(bs)}`);
  if (a.quant_type !== 0 && a.quant_type !== 1) throw new BitsieveError('E_UNSUPPORTED', `${where} quant_type: expected 0 (FP4) or 1 (NF4), received ${describe(a.quant_type)}`);
  return { K: a.K, N: a.N, blockSize: bs, quantType: QUANT_TYPES[a.quant_type] };
}

/**
 * Imports MatMulBnb4 initializers as Bnb4Weights (shape [N, K], the built-in codebook of the
 * quant_type, absmax widened to f32). Its `quantState` is written here in bitsandbytes' JSON
 * spelling, so `exportBnb4` can save the layer as a transformers checkpoint too.
 * @throws BitsieveError E_SHAPE / E_DTYPE (sizes and types), E_RANGE (block_size, non-finite
 *   absmax), E_UNSUPPORTED (quant_type), E_FORMAT (nonzero padding nibble).
 */
export function importMatMulBnb4(tensors: MatMulBnb4Tensors, attributes: MatMulBnb4Attributes): Bnb4Weights {
  const { K, N, blockSize, quantType } = checkAttributes('MatMulBnb4', attributes);
  expectObject('MatMulBnb4 tensors', tensors);
  const n = N * K;
  const B = expectArrayType('MatMulBnb4 B', tensors.B, Uint8Array, Math.ceil(n / 2));
  const stored = tensors.absmax;
  if (!(stored instanceof Float32Array || stored instanceof Uint16Array)) throw new BitsieveError('E_DTYPE', `MatMulBnb4 absmax: expected a Float32Array or f16 bits (Uint16Array), received ${describe(stored)}`);
  expectLength('MatMulBnb4 absmax', stored, Math.ceil(n / blockSize));
  const absmax = stored instanceof Uint16Array ? Float32Array.from(stored, halfToFloat) : Float32Array.from(stored);
  const bad = absmax.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new BitsieveError('E_RANGE', `MatMulBnb4 absmax[${bad}]: expected a finite value, received ${absmax[bad]}`);
  const dtype = stored instanceof Uint16Array ? 'float16' : 'float32';
  return makeBnb4Weights({
    quantType,
    shape: [N, K],
    blockSize,
    codes: unpackHighFirst('MatMulBnb4 B', B, n),
    absmax,
    codebook: Float32Array.from(quantType === 'nf4' ? NF4_CODEBOOK : FP4_CODEBOOK),
    quantState: `{"quant_type": "${quantType}", "blocksize": ${blockSize}, "dtype": "${dtype}", "shape": [${N}, ${K}]}`,
  });
}

/**
 * Writes Bnb4Weights as MatMulBnb4 initializers (absmax as f32, or f16 with `absmaxDtype: 'f16'`).
 * A nested absmax is written as its rebuilt f32 values (MatMulBnb4 has no double quantization).
 * @throws BitsieveError E_UNSUPPORTED when the weights are not 2-D or their codebook is not the
 *   built-in NF4/FP4 one (the operator has no codebook input), E_RANGE when an absmax is not an
 *   f16 value under 'f16'.
 */
export function exportMatMulBnb4(weights: Bnb4Weights, options: { absmaxDtype?: 'f32' | 'f16' } = {}): MatMulBnb4Export {
  if (weights.shape.length !== 2) throw new BitsieveError('E_UNSUPPORTED', `exportMatMulBnb4: expected a 2-D [N, K] weight, received [${weights.shape.join(', ')}]`);
  const builtin = weights.quantType === 'nf4' ? NF4_CODEBOOK : FP4_CODEBOOK;
  if (!builtin.every((v, i) => Object.is(v, weights.codebook[i])) || weights.codebook.length !== 16) throw new BitsieveError('E_UNSUPPORTED', `exportMatMulBnb4: the codebook differs from bitsandbytes' ${weights.quantType}; MatMulBnb4 cannot carry another`);
  const [N, K] = weights.shape;
  const attributes = { K, N, block_size: weights.blockSize, quant_type: QUANT_TYPES.indexOf(weights.quantType) };
  checkAttributes('exportMatMulBnb4', attributes);
  let absmax: Float32Array | Uint16Array = Float32Array.from(weights.absmax);
  if (options.absmaxDtype === 'f16') {
    absmax = Uint16Array.from(weights.absmax, floatToHalf);
    const bad = absmax.findIndex((h, i) => !Object.is(halfToFloat(h), weights.absmax[i]));
    if (bad >= 0) throw new BitsieveError('E_RANGE', `exportMatMulBnb4 absmax[${bad}]: ${weights.absmax[bad]} is not an f16 value`);
  }
  return { B: { data: packHighFirst(weights.codes), dims: [Math.ceil((N * K) / 2)] }, absmax: { data: absmax, dims: [absmax.length] }, attributes };
}
