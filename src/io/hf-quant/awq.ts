// AWQ "GEMM" checkpoints (AutoAWQ / transformers, quant_method "awq", version "gemm"; lowbit.md
// §2.3), for a Linear(in = K, out = N), 4-bit codes, groups of g inputs:
//   qweight i32 [K, N/8]    row k packs outputs 8c..8c+7 into word c with an interleave: output
//                           8c + j sits in nibble slot AWQ_REVERSE_ORDER[j] (bits 4·slot..4·slot+3)
//   qzeros  i32 [K/g, N/8]  the same interleave; the true zero point (no GPTQ-style minus one)
//   scales  f16 [K/g, N]
// Dequantization: w = (q − z)·s.
import { QuantizedWeights } from '../../compress/quantize/quantized-weights.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { SafetensorsTensorInput } from '../safetensors.js';
import { allMidpoint, decodeScales, encodeScales, expectArrayType, expectBits, expectGroupSize, expectLinearShape, expectObject, readCode, writeCode, zerosOf, type StoredScales } from './packing.js';

/** Nibble slot of output 8c + j within word c. */
export const AWQ_REVERSE_ORDER = [0, 4, 1, 5, 2, 6, 3, 7] as const;

/** The `quantization_config` fields of an AWQ checkpoint that decide its layout. */
export interface AwqConfig {
  /** Only 4. */
  readonly bits: number;
  readonly group_size: number;
  /** Only the "gemm" layout (any case) is implemented; default "gemm". */
  readonly version?: string;
  /** AWQ without zero points is not implemented (E_UNSUPPORTED when false). */
  readonly zero_point?: boolean;
}

/** An AWQ layer's tensors as safetensors gives them (`.array()`): f16 scales as their bits. */
export interface AwqTensors {
  readonly qweight: Int32Array;
  readonly qzeros: Int32Array;
  readonly scales: StoredScales;
}

const BITS = 4;
const PER_WORD = 8;

/** Stream index (LSB-first nibbles) of output n within its row's words. */
const slotOf = (n: number) => n - (n % PER_WORD) + AWQ_REVERSE_ORDER[n % PER_WORD];

function checkConfig(where: string, config: AwqConfig): void {
  expectObject(`${where} config`, config);
  expectBits(where, config.bits, [BITS]);
  const version = config.version ?? 'gemm';
  if (typeof version !== 'string' || version.toLowerCase() !== 'gemm') throw new BitsieveError('E_UNSUPPORTED', `${where} version: only "gemm" is implemented, received ${describe(version)}`);
  if (config.zero_point === false) throw new BitsieveError('E_UNSUPPORTED', `${where}: zero_point false is not implemented`);
}

/**
 * Imports one AWQ-GEMM Linear into QuantizedWeights ([out, in] codes, scales and zeros as
 * [out, groups]), losslessly: `exportAwq` gives the same tensors back bit for bit. The grid is
 * 'symmetric' when every zero point is 8, else 'asymmetric'.
 *
 * @param shape [out, in] = [N, K].
 * @throws BitsieveError E_UNSUPPORTED (bits ≠ 4, version, zero_point false, in not a multiple of
 *   group_size), E_SHAPE / E_DTYPE (tensor sizes and types), E_RANGE (non-finite scales).
 */
export function importAwq(tensors: AwqTensors, config: AwqConfig, shape: readonly [number, number]): QuantizedWeights {
  checkConfig('AWQ', config);
  const [N, K] = expectLinearShape('AWQ', shape, { out: PER_WORD, in: 1 });
  const groupSize = expectGroupSize('AWQ', config.group_size, K);
  expectObject('AWQ tensors', tensors);
  const groups = K / groupSize;
  const words = N / PER_WORD;
  const qweight = expectArrayType('AWQ qweight', tensors.qweight, Int32Array, K * words);
  const qzeros = expectArrayType('AWQ qzeros', tensors.qzeros, Int32Array, groups * words);
  const { scales, scaleDtype, signed } = decodeScales('AWQ', tensors.scales, N * groups, (i) => (i % groups) * N + Math.floor(i / groups));

  const codes = new Uint8Array(N * K);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) codes[n * K + k] = readCode(qweight, k * words, 1, slotOf(n), BITS);
  const zeros = new Uint8Array(N * groups);
  for (let g = 0; g < groups; g++) for (let n = 0; n < N; n++) zeros[n * groups + g] = readCode(qzeros, g * words, 1, slotOf(n), BITS);
  const symmetric = allMidpoint(zeros, BITS);
  return new QuantizedWeights({
    shape: [N, K],
    bits: BITS,
    groupSize,
    mode: symmetric ? 'symmetric' : 'asymmetric',
    scaleDtype,
    codes,
    scales,
    ...(signed && { signedScales: true }),
    ...(!symmetric && { zeros }),
  });
}

/** What exportAwq writes, keyed by the tensor names' last component, ready for writeSafetensors. */
export interface AwqExport {
  readonly qweight: SafetensorsTensorInput;
  readonly qzeros: SafetensorsTensorInput;
  readonly scales: SafetensorsTensorInput;
}

/**
 * Packs 4-bit QuantizedWeights into AWQ-GEMM tensors (the inverse of importAwq).
 * @throws BitsieveError E_UNSUPPORTED for bits ≠ 4 or act-order weights (AWQ has no g_idx),
 *   E_SHAPE when out is not a multiple of 8.
 */
export function exportAwq(weights: QuantizedWeights): AwqExport {
  weights.validate();
  expectBits('exportAwq', weights.bits, [BITS]);
  if (weights.gIdx !== undefined) throw new BitsieveError('E_UNSUPPORTED', 'exportAwq: AWQ stores no g_idx; act-order weights cannot be written');
  const [N, K] = expectLinearShape('exportAwq', [...weights.shape], { out: PER_WORD, in: 1 });
  const groups = K / weights.groupSize;
  const words = N / PER_WORD;
  const qweight = new Int32Array(K * words);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) writeCode(qweight, k * words, 1, slotOf(n), BITS, weights.codes[n * K + k]);
  const zeros = zerosOf(weights);
  const qzeros = new Int32Array(groups * words);
  for (let g = 0; g < groups; g++) for (let n = 0; n < N; n++) writeCode(qzeros, g * words, 1, slotOf(n), BITS, zeros[n * groups + g]);
  const scales = encodeScales(weights.scales, weights.scaleDtype, (i) => (i % groups) * N + Math.floor(i / groups));
  return {
    qweight: { dtype: 'I32', shape: [K, words], data: qweight },
    qzeros: { dtype: 'I32', shape: [groups, words], data: qzeros },
    scales: { dtype: scales instanceof Uint16Array ? 'F16' : 'F32', shape: [groups, N], data: scales },
  };
}
