// ggml's legacy 32-element block types Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 and Q8_1 (lowbit.md §1.4–1.9, §(a)).
// Dequantization follows ggml's `dequantize_row_*` and quantization its `quantize_row_*_ref`, operation by
// operation in float32: codes come from the unrounded f32 scale d (and id = 1/d), the block stores f16(d).
import { blockCodec, scaleCodes } from './block-codec.js';
import { fiveBitCodes, nibbleCodes, readHalf, writeHalf, type CodeField } from './block-fields.js';
import type { GgufCodec } from './codec.js';
import { macroAbsMax, minMax, roundHalfAway, signedAbsMax, toInt8, toUint8 } from './ggml-arith.js';

const QK = 32;
const f32 = Math.fround;
const codes = new Uint8Array(QK); // one block's codes, reused (every call is synchronous)

/** value(q) = q − zero for q = 0 … 2·zero − 1. */
function offsetTable(zero: number): Float64Array {
  return Float64Array.from({ length: 2 * zero }, (_, q) => q - zero);
}

/** Q4_0 / Q5_0: y = (q − zero)·d. The quantizer maps the signed largest-magnitude value to −zero:
 *  d = max / −zero, q = min(2·zero − 1, (int8_t)(x·id + zero + 0.5)). */
function symmetricCodec(type: 'Q4_0' | 'Q5_0', zero: number, field: CodeField): GgufCodec {
  const values = offsetTable(zero);
  const top = 2 * zero - 1;
  const bias = zero + 0.5; // 8.5f / 16.5f
  return blockCodec(type, {
    dequantizeBlock(src, at, dst, to) {
      field.read(src, at, codes);
      scaleCodes(values, codes, readHalf(src, at), dst, to);
    },
    quantizeBlock(src, from, dst, at) {
      const d = f32(signedAbsMax(src, from, QK) / -zero);
      const id = d !== 0 ? f32(1 / d) : 0; // C's `d ? …` is true for NaN too: hence !== 0, not truthiness
      writeHalf(dst, at, d);
      for (let j = 0; j < QK; j++) codes[j] = Math.min(top, toInt8(f32(f32(src[from + j] * id) + bias)));
      field.write(codes, dst, at);
    },
  });
}

/** Q4_1 / Q5_1: y = f32(f32(q·d) + m), ggml's unfused order (q·d is exact for an f16 d, so a fused build
 *  agrees here). The quantizer spans [min, max]:
 *  d = (max − min) / top, q = cast((x − min)·id + 0.5). */
function affineCodec(type: 'Q4_1' | 'Q5_1', top: number, cast: (v: number) => number, field: CodeField): GgufCodec {
  return blockCodec(type, {
    dequantizeBlock(src, at, dst, to) {
      const d = readHalf(src, at);
      const m = readHalf(src, at + 2);
      field.read(src, at, codes);
      for (let j = 0; j < QK; j++) dst[to + j] = f32(f32(codes[j] * d) + m);
    },
    quantizeBlock(src, from, dst, at) {
      const { min, max } = minMax(src, from, QK);
      const d = f32(f32(max - min) / top);
      const id = d !== 0 ? f32(1 / d) : 0;
      writeHalf(dst, at, d);
      writeHalf(dst, at + 2, min);
      for (let j = 0; j < QK; j++) codes[j] = cast(f32(f32(f32(src[from + j] - min) * id) + 0.5));
      field.write(codes, dst, at);
    },
  });
}

/** int8 value of each byte. */
const INT8 = Int8Array.from({ length: 256 }, (_, b) => b);

/** The shared part of Q8_0/Q8_1 quantization: qs = roundf(x·id) with d = amax/127; returns d and Σqs. */
function quantizeQ8(src: Float32Array, from: number, dst: Uint8Array, qsAt: number): { d: number; sum: number } {
  const d = f32(macroAbsMax(src, from, QK) / 127);
  const id = d !== 0 ? f32(1 / d) : 0;
  let sum = 0;
  for (let j = 0; j < QK; j++) {
    const q = toInt8(roundHalfAway(f32(src[from + j] * id)));
    dst[qsAt + j] = q;
    sum += q;
  }
  return { d, sum };
}

/** Q8_0 and Q8_1: y = qs·d. ggml has no dequantizer for Q8_1 (an activation type); §(a)'s qs·d is used. */
function q8Codec(type: 'Q8_0' | 'Q8_1', qsAt: number): GgufCodec {
  return blockCodec(type, {
    dequantizeBlock(src, at, dst, to) {
      scaleCodes(INT8, src.subarray(at + qsAt, at + qsAt + QK), readHalf(src, at), dst, to);
    },
    quantizeBlock(src, from, dst, at) {
      const { d, sum } = quantizeQ8(src, from, dst, at + qsAt);
      writeHalf(dst, at, d);
      if (type === 'Q8_1') writeHalf(dst, at + 2, f32(sum * d)); // s = f16(Σqs · d) with the unrounded d
    },
  });
}

export const Q4_0 = symmetricCodec('Q4_0', 8, nibbleCodes(2));
export const Q4_1 = affineCodec('Q4_1', 15, (v) => Math.min(15, toInt8(v)), nibbleCodes(4));
export const Q5_0 = symmetricCodec('Q5_0', 16, fiveBitCodes(2, 6));
export const Q5_1 = affineCodec('Q5_1', 31, toUint8, fiveBitCodes(4, 8)); // the C has no clamp here
export const Q8_0 = q8Codec('Q8_0', 2);
export const Q8_1 = q8Codec('Q8_1', 4);

/** The legacy block codecs, for the registry. */
export const LEGACY_CODECS: readonly GgufCodec[] = [Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1];
