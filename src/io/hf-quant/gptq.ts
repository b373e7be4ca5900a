// GPTQ checkpoints as AutoGPTQ / GPTQModel / transformers store them (lowbit.md §2.2), for a
// Linear(in = K, out = N) with b-bit codes and groups of g inputs:
//   qweight i32 [K·b/32, N]  codes packed along K: column n is an LSB-first stream of b-bit codes
//                            over the words qweight[0, n], qweight[1, n], … (b = 3 straddles words)
//   qzeros  i32 [G, N·b/32]  zero points packed along N the same way, row gi a stream over its words
//   scales  f16 [G, N]       per (group, output)
//   g_idx   i32 [K]          group of each input (act-order scatters them)
// checkpoint_format "gptq" (v1) stores z − 1 (AutoGPTQ's packer subtracts one); readers add it back
// and mask to b bits, so z = (stored + 1) & (2^b − 1). "gptq_v2" stores z itself.
import { QuantizedWeights } from '../../compress/quantize/quantized-weights.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { SafetensorsTensorInput } from '../safetensors.js';
import { allMidpoint, decodeScales, encodeScales, expectArrayType, expectBits, expectGroupSize, expectLinearShape, expectObject, readCode, writeCode, zerosOf, type StoredScales } from './packing.js';

/** The `quantization_config` fields of a GPTQ checkpoint's config.json that decide its layout. */
export interface GptqConfig {
  /** 2, 3, 4 or 8. */
  readonly bits: number;
  /** Inputs per group; −1 = all of them (one group per output). */
  readonly group_size: number;
  /** Act-order; only informative (g_idx carries the grouping). */
  readonly desc_act?: boolean;
  /** When true, every zero point must be 2^(bits−1) (E_FORMAT otherwise: usually a wrong checkpoint_format). */
  readonly sym?: boolean;
  /** Default "gptq" (v1, zero points stored minus one). */
  readonly checkpoint_format?: 'gptq' | 'gptq_v2';
}

/** A GPTQ layer's tensors as safetensors gives them (`.array()`): f16 scales as their bits. */
export interface GptqTensors {
  readonly qweight: Int32Array;
  readonly qzeros: Int32Array;
  readonly scales: StoredScales;
  /** Absent: input k is in group ⌊k / g⌋. */
  readonly g_idx?: Int32Array;
}

export const GPTQ_BITS = [2, 3, 4, 8] as const;

interface Layout {
  bits: number;
  groupSize: number;
  groups: number;
  v2: boolean;
}

function configBits(config: GptqConfig): number {
  expectObject('GPTQ config', config);
  return expectBits('GPTQ', config.bits, GPTQ_BITS);
}

function parseConfig(config: GptqConfig, inputs: number): Layout {
  const bits = configBits(config);
  const groupSize = expectGroupSize('GPTQ', config.group_size, inputs);
  const format = config.checkpoint_format ?? 'gptq';
  if (format !== 'gptq' && format !== 'gptq_v2') throw new BitsieveError('E_UNSUPPORTED', `GPTQ checkpoint_format: expected "gptq" or "gptq_v2", received ${describe(format)}`);
  return { bits, groupSize, groups: inputs / groupSize, v2: format === 'gptq_v2' };
}

/** Both packed dimensions must hold whole int32 words of codes. */
const multiplesFor = (bits: number) => ({ out: 32 / gcd(32, bits), in: 32 / gcd(32, bits) });
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Imports one GPTQ-quantized Linear into QuantizedWeights ([out, in] codes, scales and zeros
 * transposed to [out, groups]), losslessly: `exportGptq` gives the same tensors back bit for bit.
 * The grid is 'symmetric' when every zero point is 2^(bits−1), else 'asymmetric'; g_idx is kept
 * only when it differs from ⌊k / g⌋.
 *
 * @param shape [out, in] = [N, K], PyTorch's Linear.weight orientation.
 * @throws BitsieveError E_UNSUPPORTED (bits, checkpoint_format, in not a multiple of group_size),
 *   E_SHAPE / E_DTYPE (tensor sizes and types), E_RANGE (non-finite scales), E_FORMAT (g_idx
 *   groups out of range or unequal, zeros not 2^(bits−1) under sym).
 */
export function importGptq(tensors: GptqTensors, config: GptqConfig, shape: readonly [number, number]): QuantizedWeights {
  const [N, K] = expectLinearShape('GPTQ', shape, multiplesFor(configBits(config)));
  const layout = parseConfig(config, K);
  expectObject('GPTQ tensors', tensors);
  const { bits, groups, groupSize } = layout;
  const zeroWords = (N * bits) / 32;
  const qweight = expectArrayType('GPTQ qweight', tensors.qweight, Int32Array, ((K * bits) / 32) * N);
  const qzeros = expectArrayType('GPTQ qzeros', tensors.qzeros, Int32Array, groups * zeroWords);
  const { scales, scaleDtype, signed } = decodeScales('GPTQ', tensors.scales, N * groups, (i) => (i % groups) * N + Math.floor(i / groups));

  const codes = new Uint8Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) codes[n * K + k] = readCode(qweight, n, N, k, bits);
  const maxq = 2 ** bits - 1;
  const zeros = new Uint8Array(N * groups);
  for (let g = 0; g < groups; g++) {
    for (let n = 0; n < N; n++) {
      const stored = readCode(qzeros, g * zeroWords, 1, n, bits);
      zeros[n * groups + g] = layout.v2 ? stored : (stored + 1) & maxq;
    }
  }
  const symmetric = allMidpoint(zeros, bits);
  if (config.sym === true && !symmetric) {
    throw new BitsieveError('E_FORMAT', `GPTQ: sym is true but not every zero point is ${2 ** (bits - 1)} (checkpoint_format ${config.checkpoint_format ?? '"gptq"'} — is it right?)`);
  }
  const gIdx = tensors.g_idx === undefined ? undefined : expectArrayType('GPTQ g_idx', tensors.g_idx, Int32Array, K);
  const trivial = gIdx === undefined || gIdx.every((g, k) => g === Math.floor(k / groupSize));
  return new QuantizedWeights({
    shape: [N, K],
    bits,
    groupSize,
    mode: symmetric ? 'symmetric' : 'asymmetric',
    scaleDtype,
    codes,
    scales,
    ...(signed && { signedScales: true }),
    ...(!symmetric && { zeros }),
    ...(!trivial && { gIdx: Int32Array.from(gIdx) }),
  });
}

/** What exportGptq writes, keyed by the tensor names' last component, ready for writeSafetensors. */
export interface GptqExport {
  readonly qweight: SafetensorsTensorInput;
  readonly qzeros: SafetensorsTensorInput;
  readonly scales: SafetensorsTensorInput;
  readonly g_idx: SafetensorsTensorInput;
}

/**
 * Packs QuantizedWeights into GPTQ tensors (the inverse of importGptq; g_idx is always written,
 * ⌊k / g⌋ when the weights have none). Scales are written as F16 (scaleDtype 'f16') or F32.
 * @throws BitsieveError E_UNSUPPORTED for bit widths GPTQ does not pack, E_SHAPE when out or in
 *   do not fill whole int32 words.
 */
export function exportGptq(weights: QuantizedWeights, options: { checkpoint_format?: 'gptq' | 'gptq_v2' } = {}): GptqExport {
  weights.validate();
  const { bits, groupSize } = weights;
  expectBits('exportGptq', bits, GPTQ_BITS);
  const [N, K] = expectLinearShape('exportGptq', [...weights.shape], multiplesFor(bits));
  const format = options.checkpoint_format ?? 'gptq';
  if (format !== 'gptq' && format !== 'gptq_v2') throw new BitsieveError('E_UNSUPPORTED', `exportGptq checkpoint_format: expected "gptq" or "gptq_v2", received ${describe(format)}`);
  const groups = K / groupSize;
  const zeroWords = (N * bits) / 32;
  const qweight = new Int32Array(((K * bits) / 32) * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) writeCode(qweight, n, N, k, bits, weights.codes[n * K + k]);
  const maxq = 2 ** bits - 1;
  const zeros = zerosOf(weights);
  const qzeros = new Int32Array(groups * zeroWords);
  for (let g = 0; g < groups; g++) {
    for (let n = 0; n < N; n++) {
      const z = zeros[n * groups + g];
      writeCode(qzeros, g * zeroWords, 1, n, bits, format === 'gptq_v2' ? z : (z - 1) & maxq);
    }
  }
  const scales = encodeScales(weights.scales, weights.scaleDtype, (i) => (i % groups) * N + Math.floor(i / groups));
  const gIdx = Int32Array.from({ length: K }, (_, k) => weights.groupOf(k));
  return {
    qweight: { dtype: 'I32', shape: [(K * bits) / 32, N], data: qweight },
    qzeros: { dtype: 'I32', shape: [groups, zeroWords], data: qzeros },
    scales: { dtype: scales instanceof Uint16Array ? 'F16' : 'F32', shape: [groups, N], data: scales },
    g_idx: { dtype: 'I32', shape: [K], data: gIdx },
  };
}
