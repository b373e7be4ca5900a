// ONNX Runtime com.microsoft.MatMulNBits initializers (what transformers.js "q4"/"q4f16" ship;
// lowbit.md §2.5), for a weight with K inputs and N outputs in blocks of `block_size` inputs:
//   B            u8 [N, K/bs, bs·bits/8]  column-major over the weight: output n's K codes are
//                                         contiguous, consecutive codes LSB first (4-bit: even k in
//                                         the low nibble)
//   scales       [N, K/bs]                f32 or f16, the dtype of the activations
//   zero_points  u8 [N, ⌈(K/bs)·bits/8⌉]  optional, packed the same way per row (4-bit: even block
//                                         low nibble); absent means 2^(bits−1)
// Dequantization: w = (q − zp)·s. Scales may be negative or 0 (MLAS makes s = m / −8).
import { QuantizedWeights } from '../../compress/quantize/quantized-weights.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import { decodeScales, encodeScales, expectArrayType, expectBits, expectObject, readCode, writeCode, type StoredScales } from './packing.js';

/** The node attributes that decide the layout. */
export interface MatMulNBitsAttributes {
  readonly K: number;
  readonly N: number;
  /** 4 or 8 (2, 3, 5–7 exist in ORT but are not implemented here). */
  readonly bits: number;
  /** A power of two in [16, 256] that divides K (a padded last block is not supported). */
  readonly block_size: number;
}

/** The initializers: B, scales (f16 bits or f32) and, optionally, packed uint8 zero points. */
export interface MatMulNBitsTensors {
  readonly B: Uint8Array;
  readonly scales: StoredScales;
  readonly zero_points?: Uint8Array;
}

/** An initializer with its ONNX dims. */
export interface OrtInitializer<T> {
  readonly data: T;
  readonly dims: readonly number[];
}

export interface MatMulNBitsExport {
  readonly B: OrtInitializer<Uint8Array>;
  readonly scales: OrtInitializer<StoredScales>;
  /** Present when the weights store zero points (mode ≠ 'symmetric'). */
  readonly zero_points?: OrtInitializer<Uint8Array>;
  readonly attributes: MatMulNBitsAttributes;
}

export const MATMUL_NBITS_BITS = [4, 8] as const;

function checkAttributes(where: string, attributes: MatMulNBitsAttributes): { K: number; N: number; bits: number; blockSize: number; blocks: number } {
  expectObject(`${where} attributes`, attributes);
  const bits = expectBits(where, attributes.bits, MATMUL_NBITS_BITS);
  const { K, N, block_size: blockSize } = attributes;
  for (const [name, value] of [['K', K], ['N', N]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new BitsieveError('E_SHAPE', `${where} ${name}: expected a positive integer, received ${describe(value)}`);
  }
  if (K * N > 2 ** 30) throw new BitsieveError('E_RANGE', `${where}: expected at most 2^30 weights, received ${N}×${K}`);
  if (typeof blockSize !== 'number' || !Number.isInteger(blockSize) || blockSize < 16 || blockSize > 256 || (blockSize & (blockSize - 1)) !== 0) {
    throw new BitsieveError('E_RANGE', `${where} block_size: expected a power of two in [16, 256], received ${describe(blockSize)}`);
  }
  if (K % blockSize !== 0) throw new BitsieveError('E_UNSUPPORTED', `${where}: K = ${K} is not a multiple of block_size ${blockSize} (a padded last block is not supported)`);
  return { K, N, bits, blockSize, blocks: K / blockSize };
}

/** Bytes per row of packed zero points. */
const zeroRowBytes = (blocks: number, bits: number) => Math.ceil((blocks * bits) / 8);

/**
 * Imports a MatMulNBits weight into QuantizedWeights ([out, in] = [N, K], groups = blocks),
 * losslessly: `exportMatMulNBits` gives the same initializers back bit for bit. Without
 * zero_points the grid is 'symmetric' (zp 2^(bits−1)); with them 'asymmetric'. Negative or zero
 * scales set `signedScales`.
 *
 * @throws BitsieveError E_UNSUPPORTED (bits, K not a multiple of block_size), E_RANGE (block_size,
 *   non-finite scales), E_SHAPE / E_DTYPE (initializer sizes and types), E_FORMAT (nonzero padding
 *   nibble after the last zero point of a row).
 */
export function importMatMulNBits(tensors: MatMulNBitsTensors, attributes: MatMulNBitsAttributes): QuantizedWeights {
  const { K, N, bits, blockSize, blocks } = checkAttributes('MatMulNBits', attributes);
  expectObject('MatMulNBits tensors', tensors);
  const rowBytes = (K * bits) / 8;
  const B = expectArrayType('MatMulNBits B', tensors.B, Uint8Array, N * rowBytes);
  const { scales, scaleDtype, signed } = decodeScales('MatMulNBits', tensors.scales, N * blocks, (i) => i);
  const codes = new Uint8Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) codes[n * K + k] = readCode(B, n * rowBytes, 1, k, bits);

  let zeros: Uint8Array | undefined;
  if (tensors.zero_points !== undefined) {
    const zpBytes = zeroRowBytes(blocks, bits);
    const packed = expectArrayType('MatMulNBits zero_points', tensors.zero_points, Uint8Array, N * zpBytes);
    zeros = new Uint8Array(N * blocks);
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < blocks; b++) zeros[n * blocks + b] = readCode(packed, n * zpBytes, 1, b, bits);
      if ((blocks * bits) % 8 !== 0 && readCode(packed, n * zpBytes, 1, blocks, bits) !== 0) {
        throw new BitsieveError('E_FORMAT', `MatMulNBits zero_points row ${n}: expected the padding nibble after block ${blocks - 1} to be 0`);
      }
    }
  }
  return new QuantizedWeights({
    shape: [N, K],
    bits,
    groupSize: blockSize,
    mode: zeros ? 'asymmetric' : 'symmetric',
    scaleDtype,
    codes,
    scales,
    ...(signed && { signedScales: true }),
    ...(zeros && { zeros }),
  });
}

/**
 * Packs QuantizedWeights into MatMulNBits initializers (the inverse of importMatMulNBits):
 * block_size = groupSize, zero_points written unless the grid is symmetric.
 * @throws BitsieveError E_UNSUPPORTED for bits other than 4/8 or act-order weights, E_RANGE when
 *   groupSize is not a power of two in [16, 256].
 */
export function exportMatMulNBits(weights: QuantizedWeights): MatMulNBitsExport {
  weights.validate();
  if (weights.gIdx !== undefined) throw new BitsieveError('E_UNSUPPORTED', 'exportMatMulNBits: g_idx is deprecated in MatMulNBits; act-order weights cannot be written');
  const [N, K] = weights.shape;
  const attributes: MatMulNBitsAttributes = { K, N, bits: weights.bits, block_size: weights.groupSize };
  const { bits, blocks } = checkAttributes('exportMatMulNBits', attributes);
  const rowBytes = (K * bits) / 8;
  const B = new Uint8Array(N * rowBytes);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) writeCode(B, n * rowBytes, 1, k, bits, weights.codes[n * K + k]);
  const scales = encodeScales(weights.scales, weights.scaleDtype, (i) => i);
  const result = {
    B: { data: B, dims: [N, blocks, rowBytes / blocks] },
    scales: { data: scales, dims: [N, blocks] },
    attributes,
  };
  if (weights.zeros === undefined) return result;
  const zpBytes = zeroRowBytes(blocks, bits);
  const packed = new Uint8Array(N * zpBytes);
  for (let n = 0; n < N; n++) for (let b = 0; b < blocks; b++) writeCode(packed, n * zpBytes, 1, b, bits, weights.zeros[n * blocks + b]);
  return { ...result, zero_points: { data: packed, dims: [N, zpBytes] } };
}
