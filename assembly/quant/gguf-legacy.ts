// Dequantization of ggml's 32-element block types and plain half types (lowbit.md §1.3–1.9, §1.16, §1.20):
//   gguf_dequant_<type>(src, dst, blocks): `blocks` consecutive GGUF blocks at src → blocks·32 f32 at dst
//   (f16 / bf16: `blocks` elements). Bit-exact in every build: each element is ggml's reference expression,
//   one IEEE operation at a time in ggml's order (int code → f32, ·d, then +m where there is one), never fused.
//   So −0.0 appears where ggml's `(q − 8)·d` gives it. NaN: f16/bf16 keep every bit (integer path); a NaN
//   scale makes every element of its block a NaN (which NaN bits is the engine's; V8 keeps the scale's).

import {
  loadHalf, halfToF32, halfToF32x4, lowNibbles, highNibbles, nibbleAt, storeScaled16, storeAffine16, fifthBits16,
} from "./blocks";

const QK: i32 = 32;

/** ggml's kvalues_iq4nl and kvalues_mxfp4 (E2M1 doubled); the SIMD builds use them as swizzle tables. */
const IQ4NL_VALUES: StaticArray<i8> = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
const MXFP4_VALUES: StaticArray<i8> = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

/** ggml's GGML_E8M0_TO_FP32_HALF: 2^(e − 128) (e < 2: the subnormals 2^-128, 2^-127). */
// @ts-ignore: decorator
@inline function e8m0Half(e: u32): f32 {
  return reinterpret<f32>(e < 2 ? <u32>0x00200000 << e : (e - 1) << 23);
}

/** y = (q − zero)·d for 4- or 5-bit codes (Q4_0: zero 8, qh 0; Q5_0: zero 16, 5th bits at `qh`). */
// @ts-ignore: decorator
@inline function symmetricBlock(src: usize, dst: usize, qsAt: usize, qhAt: usize, zero: i32): void {
  const df = loadHalf(src);
  if (ASC_FEATURE_SIMD) {
    const d = f32x4.splat(df);
    const qs = v128.load(src + qsAt);
    let lo = lowNibbles(qs), hi = highNibbles(qs);
    if (qhAt != 0) {
      lo = v128.or(lo, fifthBits16(src + qhAt, false));
      hi = v128.or(hi, fifthBits16(src + qhAt, true));
    }
    const z = i8x16.splat(<i8>zero);
    storeScaled16(dst, i8x16.sub(lo, z), d);
    storeScaled16(dst + 64, i8x16.sub(hi, z), d);
    return;
  }
  const qh: u32 = qhAt != 0 ? load<u32>(src + qhAt) : 0;
  for (let e = 0; e < QK; e++) {
    const q = nibbleAt(src + qsAt, e) | <i32>(((qh >> <u32>e) & 1) << 4);
    store<f32>(dst + (<usize>e << 2), <f32>(q - zero) * df);
  }
}

/** y = f32(f32(q·d) + m) (Q4_1: qh 0; Q5_1: 5th bits at `qh`). */
// @ts-ignore: decorator
@inline function affineBlock(src: usize, dst: usize, qsAt: usize, qhAt: usize): void {
  const df = loadHalf(src), mf = loadHalf(src + 2);
  if (ASC_FEATURE_SIMD) {
    const d = f32x4.splat(df), m = f32x4.splat(mf);
    const qs = v128.load(src + qsAt);
    let lo = lowNibbles(qs), hi = highNibbles(qs);
    if (qhAt != 0) {
      lo = v128.or(lo, fifthBits16(src + qhAt, false));
      hi = v128.or(hi, fifthBits16(src + qhAt, true));
    }
    storeAffine16(dst, lo, d, m);
    storeAffine16(dst + 64, hi, d, m);
    return;
  }
  const qh: u32 = qhAt != 0 ? load<u32>(src + qhAt) : 0;
  for (let e = 0; e < QK; e++) {
    const q = nibbleAt(src + qsAt, e) | <i32>(((qh >> <u32>e) & 1) << 4);
    store<f32>(dst + (<usize>e << 2), <f32>q * df + mf);
  }
}

/** y = f32(value[q]·d) for a 16-entry int8 codebook (IQ4_NL, MXFP4); `d` is that type's block scale. */
// @ts-ignore: decorator
@inline function codebookBlock(src: usize, dst: usize, qsAt: usize, df: f32, mxfp4: bool): void {
  const values = mxfp4 ? MXFP4_VALUES : IQ4NL_VALUES;
  if (ASC_FEATURE_SIMD) {
    const table = mxfp4
      ? i8x16(0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12)
      : i8x16(-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113);
    const d = f32x4.splat(df);
    const qs = v128.load(src + qsAt);
    storeScaled16(dst, i8x16.swizzle(table, lowNibbles(qs)), d);
    storeScaled16(dst + 64, i8x16.swizzle(table, highNibbles(qs)), d);
    return;
  }
  for (let e = 0; e < QK; e++) {
    store<f32>(dst + (<usize>e << 2), <f32>unchecked(values[nibbleAt(src + qsAt, e)]) * df);
  }
}

export function gguf_dequant_q4_0(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 18, dst += 128) symmetricBlock(src, dst, 2, 0, 8);
}

export function gguf_dequant_q5_0(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 22, dst += 128) symmetricBlock(src, dst, 6, 2, 16);
}

export function gguf_dequant_q4_1(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 20, dst += 128) affineBlock(src, dst, 4, 0);
}

export function gguf_dequant_q5_1(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 24, dst += 128) affineBlock(src, dst, 8, 4);
}

export function gguf_dequant_q8_0(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 34, dst += 128) {
    const df = loadHalf(src);
    if (ASC_FEATURE_SIMD) {
      const d = f32x4.splat(df);
      storeScaled16(dst, v128.load(src, 2), d);
      storeScaled16(dst + 64, v128.load(src, 18), d);
    } else {
      for (let e = 0; e < QK; e++) store<f32>(dst + (<usize>e << 2), <f32>load<i8>(src + 2 + <usize>e) * df);
    }
  }
}

export function gguf_dequant_iq4_nl(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 18, dst += 128) codebookBlock(src, dst, 2, loadHalf(src), false);
}

export function gguf_dequant_mxfp4(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 17, dst += 128) codebookBlock(src, dst, 1, e8m0Half(<u32>load<u8>(src)), true);
}

/** IEEE binary16 elements → f32 (exact; every bit pattern, NaN payloads included). */
export function gguf_dequant_f16(src: usize, dst: usize, count: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= count; i += 8, src += 16, dst += 32) {
      const h = v128.load(src);
      v128.store(dst, halfToF32x4(i32x4.extend_low_i16x8_u(h)));
      v128.store(dst, halfToF32x4(i32x4.extend_high_i16x8_u(h)), 16);
    }
  }
  for (; i < count; i++, src += 2, dst += 4) store<f32>(dst, halfToF32(<u32>load<u16>(src)));
}

/** bfloat16 elements → f32: the bits shifted up 16 (exact; NaN payloads kept). */
export function gguf_dequant_bf16(src: usize, dst: usize, count: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    for (; i + 8 <= count; i += 8, src += 16, dst += 32) {
      const h = v128.load(src);
      v128.store(dst, i8x16.shuffle(zero, h, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
      v128.store(dst, i8x16.shuffle(zero, h, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 16);
    }
  }
  for (; i < count; i++, src += 2, dst += 4) store<u32>(dst, <u32>load<u16>(src) << 16);
}
