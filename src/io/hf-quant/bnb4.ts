// bitsandbytes 4-bit weights (Linear4bit / load_in_4bit, NF4 or FP4; lowbit.md §2.1) as
// transformers saves them, per weight tensor `…weight`:
//   weight                               u8, the tensor flattened row-major, two codes per byte,
//                                        element 2i in the HIGH nibble (opposite of ggml and ORT)
//   weight.absmax                        f32 per block of `blocksize` elements, or, when double
//                                        quantized, u8 codes into nested_quant_map
//   weight.quant_map                     the 16-entry f32 codebook
//   weight.nested_absmax                 (nested) f32 per `nested_blocksize` absmax codes
//   weight.nested_quant_map              (nested) the 256-entry f32 codebook of the absmax codes
//   weight.quant_state.bitsandbytes__nf4 (or __fp4) u8 UTF-8 JSON: quant_type, blocksize, dtype,
//                                        shape, and nested_blocksize, nested_dtype, nested_offset
// Dequantization: w[f] = f32(codebook[q_f] · absmax[⌊f / blocksize⌋]), with a nested absmax
// rebuilt as f32(f32(nested_map[a_i] · nested_absmax[⌊i / nested_blocksize⌋]) + nested_offset).
// A codebook format, so it does not fit QuantizedWeights' affine grid: Bnb4Weights keeps the codes,
// the per-block absmax and the codebook (and the nested state, so export is byte-identical).
import { GroupwiseInt } from '../../formats/groupwise-int.js';
import { packCodes } from '../../formats/int-planes.js';
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { SafetensorsTensorInput } from '../safetensors.js';
import { decodeUtf8, encodeUtf8 } from '../text.js';
import { expectArrayType, expectObject } from './packing.js';

const f = Math.fround;

/** bitsandbytes' NF4 codebook (code 7 = 0, code 15 = 1, code 0 = −1), as f32. */
export const NF4_CODEBOOK: Float32Array = Float32Array.of(
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
  0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
);

/** bitsandbytes' FP4 codebook in bit-pattern order: bit 3 = sign, {0, 0.0625, 8, 12, 4, 6, 2, 3} / 12. */
export const FP4_CODEBOOK: Float32Array = Float32Array.from([0, 0.0625, 8, 12, 4, 6, 2, 3, -0, -0.0625, -8, -12, -4, -6, -2, -3], (v) => f(v / 12));

export type Bnb4QuantType = 'nf4' | 'fp4';

/** Block sizes bitsandbytes' 4-bit quantizer accepts. */
export const BNB4_BLOCK_SIZES = [32, 64, 128, 256, 512, 1024, 2048, 4096] as const;

/** Double quantization of the absmax values (bnb_4bit_use_double_quant). */
export interface Bnb4NestedAbsmax {
  /** One u8 code per 4-bit block, into `codebook`. */
  readonly codes: Uint8Array;
  /** f32 per `blockSize` codes. */
  readonly absmax: Float32Array;
  /** 256 f32 values (bitsandbytes' signed dynamic map). */
  readonly codebook: Float32Array;
  readonly blockSize: number;
  /** f32 mean of the original absmax values, added back after scaling. */
  readonly offset: number;
}

/** A layer's tensors as safetensors gives them (`.array()`), names relative to `…weight`. */
export interface Bnb4Tensors {
  readonly weight: Uint8Array;
  /** f32 values, or u8 codes when nested. */
  readonly absmax: Float32Array | Uint8Array;
  readonly quant_map: Float32Array;
  readonly nested_absmax?: Float32Array;
  readonly nested_quant_map?: Float32Array;
  /** The bytes of `weight.quant_state.bitsandbytes__<type>`. */
  readonly quant_state: Uint8Array;
}

/**
 * bitsandbytes 4-bit weights, decoded: one code per element (flattened row-major `shape`), the
 * f32 absmax per block, and the 16-entry codebook. Plain data plus `dequantize()`.
 */
export interface Bnb4Weights {
  readonly quantType: Bnb4QuantType;
  /** The original tensor's shape (Linear: [out, in]). */
  readonly shape: readonly number[];
  readonly blockSize: number;
  /** One code in [0, 15] per element. */
  readonly codes: Uint8Array;
  /** Per block, f32 (rebuilt from `nested` when double quantized). */
  readonly absmax: Float32Array;
  readonly codebook: Float32Array;
  readonly nested?: Bnb4NestedAbsmax;
  /** The quant_state JSON text, verbatim (so export writes the same bytes). */
  readonly quantState: string;
  /** w[f] = f32(codebook[codes[f]] · absmax[⌊f / blockSize⌋]), flattened row-major; f32, before bnb's cast to its compute dtype. */
  dequantize(): Float32Array;
}

interface QuantState {
  quantType: Bnb4QuantType;
  blockSize: number;
  shape: number[];
  nested?: { blockSize: number; offset: number };
}

function format(message: string): BitsieveError {
  return new BitsieveError('E_FORMAT', `bnb4 quant_state: ${message}`);
}

function parseQuantState(text: string): QuantState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw format(`expected JSON, received ${describe(text)}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw format(`expected a JSON object, received ${describe(text)}`);
  const o = json as Record<string, unknown>;
  const quantType = o.quant_type;
  if (quantType !== 'nf4' && quantType !== 'fp4') throw new BitsieveError('E_UNSUPPORTED', `bnb4 quant_state quant_type: expected "nf4" or "fp4", received ${describe(quantType)}`);
  const blockSize = o.blocksize;
  if (!(BNB4_BLOCK_SIZES as readonly unknown[]).includes(blockSize)) throw new BitsieveError('E_RANGE', `bnb4 quant_state blocksize: expected one of ${BNB4_BLOCK_SIZES.join(', ')}, received ${describe(blockSize)}`);
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((n) => Number.isSafeInteger(n) && n > 0)) throw new BitsieveError('E_SHAPE', `bnb4 quant_state shape: expected positive integers, received ${describe(shape)}`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (elements > 2 ** 30) throw new BitsieveError('E_RANGE', `bnb4 quant_state shape: expected at most 2^30 elements, received ${elements}`);
  const state: QuantState = { quantType, blockSize: blockSize as number, shape: shape as number[] };
  if (!('nested_blocksize' in o) && !('nested_offset' in o)) return state;
  const nestedBlockSize = o.nested_blocksize;
  const offset = o.nested_offset;
  if (typeof nestedBlockSize !== 'number' || !Number.isInteger(nestedBlockSize) || nestedBlockSize < 1 || nestedBlockSize > 4096) throw new BitsieveError('E_RANGE', `bnb4 quant_state nested_blocksize: expected an integer in [1, 4096], received ${describe(nestedBlockSize)}`);
  if (typeof offset !== 'number' || !Number.isFinite(f(offset))) throw new BitsieveError('E_RANGE', `bnb4 quant_state nested_offset: expected a finite f32 number, received ${describe(offset)}`);
  if (o.nested_dtype !== undefined && o.nested_dtype !== 'float32') throw new BitsieveError('E_UNSUPPORTED', `bnb4 quant_state nested_dtype: expected "float32", received ${describe(o.nested_dtype)}`);
  return { ...state, nested: { blockSize: nestedBlockSize, offset: f(offset) } };
}

function expectFinite(name: string, values: Float32Array): void {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new BitsieveError('E_RANGE', `${name}[${bad}]: expected a finite value, received ${values[bad]}`);
}

/**
 * Imports one bitsandbytes 4-bit weight losslessly (`exportBnb4` writes the same bytes back).
 * @throws BitsieveError E_FORMAT (quant_state not JSON, nested tensors present without nested
 *   state or the reverse, nonzero padding nibble), E_UNSUPPORTED (quant_type), E_RANGE (blocksize,
 *   non-finite absmax/codebook), E_SHAPE / E_DTYPE (tensor sizes and types).
 */
export function importBnb4(tensors: Bnb4Tensors): Bnb4Weights {
  expectObject('bnb4 tensors', tensors);
  if (!(tensors.quant_state instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `bnb4 quant_state: expected a Uint8Array of UTF-8 JSON, received ${describe(tensors.quant_state)}`);
  const quantState = decodeUtf8(tensors.quant_state, 'bnb4 quant_state');
  const state = parseQuantState(quantState);
  const n = state.shape.reduce((a, b) => a * b, 1);
  const blocks = Math.ceil(n / state.blockSize);
  const packed = expectArrayType('bnb4 weight', tensors.weight, Uint8Array, Math.ceil(n / 2));
  const codebook = Float32Array.from(expectArrayType('bnb4 quant_map', tensors.quant_map, Float32Array, 16));
  expectFinite('bnb4 quant_map', codebook);
  const codes = unpackHighFirst('bnb4 weight', packed, n);

  const hasNestedTensors = tensors.nested_absmax !== undefined || tensors.nested_quant_map !== undefined;
  if (hasNestedTensors && (tensors.nested_absmax === undefined || tensors.nested_quant_map === undefined)) throw new BitsieveError('E_FORMAT', 'bnb4: expected both nested_absmax and nested_quant_map, or neither');
  if (hasNestedTensors !== (state.nested !== undefined)) throw new BitsieveError('E_FORMAT', `bnb4: nested_absmax/nested_quant_map ${hasNestedTensors ? 'present' : 'absent'} but quant_state ${state.nested ? 'has' : 'has no'} nested_blocksize/nested_offset`);
  let absmax: Float32Array;
  let nested: Bnb4NestedAbsmax | undefined;
  if (state.nested) {
    const { blockSize, offset } = state.nested;
    const absmaxCodes = Uint8Array.from(expectArrayType('bnb4 absmax (nested codes)', tensors.absmax, Uint8Array, blocks));
    const nestedAbsmax = Float32Array.from(expectArrayType('bnb4 nested_absmax', tensors.nested_absmax, Float32Array, Math.ceil(blocks / blockSize)));
    const nestedCodebook = Float32Array.from(expectArrayType('bnb4 nested_quant_map', tensors.nested_quant_map, Float32Array, 256));
    expectFinite('bnb4 nested_absmax', nestedAbsmax);
    expectFinite('bnb4 nested_quant_map', nestedCodebook);
    absmax = Float32Array.from(absmaxCodes, (q, i) => f(f(nestedCodebook[q] * nestedAbsmax[Math.floor(i / blockSize)]) + offset));
    nested = { codes: absmaxCodes, absmax: nestedAbsmax, codebook: nestedCodebook, blockSize, offset };
  } else {
    absmax = Float32Array.from(expectArrayType('bnb4 absmax', tensors.absmax, Float32Array, blocks));
  }
  expectFinite('bnb4 absmax', absmax);
  return makeBnb4Weights({ quantType: state.quantType, shape: state.shape, blockSize: state.blockSize, codes, absmax, codebook, quantState, ...(nested && { nested }) });
}

/** The n codes of bnb's packing (element 2i in the high nibble of byte i); E_FORMAT for a nonzero padding nibble. */
export function unpackHighFirst(where: string, packed: Uint8Array, n: number): Uint8Array {
  if (n % 2 === 1 && (packed[packed.length - 1] & 0x0f) !== 0) throw new BitsieveError('E_FORMAT', `${where}: expected the padding nibble after the last (odd) element to be 0`);
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) codes[i] = (packed[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
  return codes;
}

/** The inverse of unpackHighFirst. */
export function packHighFirst(codes: Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) packed[i >> 1] |= (codes[i] & 0x0f) << (i % 2 === 0 ? 4 : 0);
  return packed;
}

/** Bnb4Weights from its plain data, with `dequantize()`; frozen. */
export function makeBnb4Weights(data: Omit<Bnb4Weights, 'dequantize'>): Bnb4Weights {
  return Object.freeze({
    ...data,
    dequantize(): Float32Array {
      const { codes, codebook, absmax, blockSize } = data;
      return Float32Array.from(codes, (q, i) => f(codebook[q] * absmax[Math.floor(i / blockSize)]));
    },
  });
}

/** Tensor names exportBnb4 writes, relative to the module (prefix them with e.g. "model.layers.0.mlp.up_proj."). */
export type Bnb4Export = Readonly<Record<string, SafetensorsTensorInput>>;

/**
 * Writes bitsandbytes' tensors back (the inverse of importBnb4): `weight`, `weight.absmax`,
 * `weight.quant_map`, with `weight.nested_absmax` and `weight.nested_quant_map` when nested, and
 * `weight.quant_state.bitsandbytes__<type>` holding `quantState` verbatim.
 */
export function exportBnb4(weights: Bnb4Weights): Bnb4Export {
  const { nested } = weights;
  const packed = packHighFirst(weights.codes);
  const state = encodeUtf8(weights.quantState, 'exportBnb4 quantState');
  const out: Record<string, SafetensorsTensorInput> = {
    weight: { dtype: 'U8', shape: [packed.length, 1], data: packed },
    'weight.quant_map': { dtype: 'F32', shape: [weights.codebook.length], data: weights.codebook },
    [`weight.quant_state.bitsandbytes__${weights.quantType}`]: { dtype: 'U8', shape: [state.length], data: state },
  };
  if (nested) {
    out['weight.absmax'] = { dtype: 'U8', shape: [nested.codes.length], data: nested.codes };
    out['weight.nested_absmax'] = { dtype: 'F32', shape: [nested.absmax.length], data: nested.absmax };
    out['weight.nested_quant_map'] = { dtype: 'F32', shape: [nested.codebook.length], data: nested.codebook };
  } else {
    out['weight.absmax'] = { dtype: 'F32', shape: [weights.absmax.length], data: weights.absmax };
  }
  return out;
}

/** A bnb 4-bit [out, in] weight seen as row groups: w[r, k] = f32(scales[r, g] · codebook[codes[r, k]]), g = ⌊k / groupSize⌋. */
export interface Bnb4RowGroups {
  readonly shape: readonly [number, number];
  readonly bits: 4;
  readonly groupSize: number;
  /** One code per weight, row-major [out, in]. */
  readonly codes: Uint8Array;
  /** [out, in / groupSize] f32: the absmax of each block. */
  readonly scales: Float32Array;
  readonly codebook: Float32Array;
}

/**
 * The weights as a group-wise codebook grid along the inputs (what a codebook GEMV kernel reads):
 * bnb's blocks run over the flattened tensor, so they are row groups exactly when the tensor is
 * 2-D [out, in] with in a multiple of blockSize (E_UNSUPPORTED otherwise). The values are unchanged:
 * absmax·code[q] and scale·codebook[q] are the same single f32 product.
 */
export function bnb4RowGroups(weights: Bnb4Weights): Bnb4RowGroups {
  const { shape, blockSize } = weights;
  if (shape.length !== 2 || shape[1] % blockSize !== 0) {
    throw new BitsieveError('E_UNSUPPORTED', `bnb4RowGroups: expected a 2-D [out, in] weight with in a multiple of blocksize ${blockSize}, received [${shape.join(', ')}]`);
  }
  return { shape: [shape[0], shape[1]], bits: 4, groupSize: blockSize, codes: weights.codes, scales: weights.absmax, codebook: weights.codebook };
}

/** The weights as the library's generic group-wise format (a 4-bit codebook grid), ready for
 *  `bs.linear()`: lossless, same f32 values as `dequantize()`. E_UNSUPPORTED as bnb4RowGroups. */
export function bnb4ToGroupwiseInt(weights: Bnb4Weights): GroupwiseInt {
  const g = bnb4RowGroups(weights);
  const [rows, cols] = g.shape;
  return new GroupwiseInt({ shape: g.shape, bits: 4, groupSize: g.groupSize, codes: packCodes(g.codes, rows, cols, 4), scales: g.scales, codebook: g.codebook });
}
