// ggml's reference dequantizers of the K-quants, IQ4_XS and the ternary types (lowbit.md §1.10–1.19, §(a)):
// `gguf_dequant_<type>(src, dst, blocks)` turns `blocks` consecutive 256-element blocks into f32.
//
// Bit-exact in all three builds and equal to ggml's C: each sub-block's products d·sc and dmin·m are
// rounded to f32 once (scalar), then every element is y = f32(f32(dl·q) − ml) (or f32(dl·q) for the types
// without a min), with the code q converted to float first, so a zero code times a negative scale is −0.0.
// No fused multiply-add anywhere. The SIMD builds decode 16 codes at a time into an i8x16 vector and run
// the same two IEEE operations per lane; the scalar build runs them one element at a time.

import { k4Scale, k4Min, q3Scale, iq4xsScale } from "./k-scales";
import { loadHalf } from "./blocks";

const IQ4_VALUES = memory.data<i8>([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]);

/** y[0..3] from four i32 codes: f32(dl·q), then − ml when `min` (a compile-time constant after inlining). */
// @ts-ignore: decorator
@inline function emit4(y: usize, q: v128, d: v128, m: v128, min: bool): void {
  let v = f32x4.mul(d, f32x4.convert_i32x4_s(q));
  if (min) v = f32x4.sub(v, m);
  v128.store(y, v);
}

/** y[0..15] from the 16 signed codes in the lanes of `q` (SIMD builds only). */
// @ts-ignore: decorator
@inline export function emit16(y: usize, q: v128, dl: f32, ml: f32, min: bool): void {
  const d = f32x4.splat(dl);
  const m = f32x4.splat(ml);
  const lo = i16x8.extend_low_i8x16_s(q);
  const hi = i16x8.extend_high_i8x16_s(q);
  emit4(y, i32x4.extend_low_i16x8_s(lo), d, m, min);
  emit4(y + 16, i32x4.extend_high_i16x8_s(lo), d, m, min);
  emit4(y + 32, i32x4.extend_low_i16x8_s(hi), d, m, min);
  emit4(y + 48, i32x4.extend_high_i16x8_s(hi), d, m, min);
}

/** One element, the scalar build's version of emit16's lanes. */
// @ts-ignore: decorator
@inline function emit1(y: usize, q: i32, dl: f32, ml: f32, min: bool): void {
  const v = dl * <f32>q;
  store<f32>(y, min ? v - ml : v);
}

const LOW4: i8 = 0x0f;

/** Q2_K (84 B): scales[16] · qs[64] · d · dmin; sub-block 8h + 2j + k holds the 2-bit fields j of
 *  qs[32h + 16k ..+16], scale = low nibble, min = high nibble of scales[sub]. */
export function gguf_dequant_q2_k(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 84, dst += 1024) {
    const d = loadHalf(src + 80);
    const dmin = loadHalf(src + 82);
    for (let h = 0; h < 2; h++) {
      for (let j = 0; j < 4; j++) {
        for (let k = 0; k < 2; k++) {
          const sc = <i32>load<u8>(src + <usize>(8 * h + 2 * j + k));
          const dl = d * <f32>(sc & 0xf);
          const ml = dmin * <f32>(sc >> 4);
          const q = src + 16 + <usize>(32 * h + 16 * k);
          const y = dst + (<usize>(128 * h + 32 * j + 16 * k) << 2);
          if (ASC_FEATURE_SIMD) {
            emit16(y, v128.and(i8x16.shr_u(v128.load(q), 2 * j), i8x16.splat(3)), dl, ml, true);
          } else {
            for (let l = 0; l < 16; l++) emit1(y + (<usize>l << 2), (<i32>load<u8>(q + <usize>l) >> (2 * j)) & 3, dl, ml, true);
          }
        }
      }
    }
  }
}

/** Q3_K (110 B): hmask[32] · qs[64] · scales[12] · d; q = low2 − (high bit clear ? 4 : 0). */
export function gguf_dequant_q3_k(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 110, dst += 1024) {
    const d = loadHalf(src + 108);
    for (let h = 0; h < 2; h++) {
      for (let j = 0; j < 4; j++) {
        const mask = 1 << (4 * h + j);
        for (let k = 0; k < 2; k++) {
          const dl = d * <f32>q3Scale(src + 96, 8 * h + 2 * j + k);
          const q = src + 32 + <usize>(32 * h + 16 * k);
          const hm = src + <usize>(16 * k);
          const y = dst + (<usize>(128 * h + 32 * j + 16 * k) << 2);
          if (ASC_FEATURE_SIMD) {
            const low = v128.and(i8x16.shr_u(v128.load(q), 2 * j), i8x16.splat(3));
            const clear = i8x16.eq(v128.and(v128.load(hm), i8x16.splat(<i8>mask)), i8x16.splat(0));
            emit16(y, i8x16.sub(low, v128.and(clear, i8x16.splat(4))), dl, 0, false);
          } else {
            for (let l = 0; l < 16; l++) {
              const low = (<i32>load<u8>(q + <usize>l) >> (2 * j)) & 3;
              emit1(y + (<usize>l << 2), low - (<i32>load<u8>(hm + <usize>l) & mask ? 0 : 4), dl, 0, false);
            }
          }
        }
      }
    }
  }
}

/** Q4_K (144 B) and Q5_K (176 B, `five`): d · dmin · scales[12] · [qh[32]] · qs[128]. Chunk c of 64
 *  elements: low nibbles of qs[32c ..+32] → sub-block 2c, high nibbles → 2c + 1; Q5_K adds 16 for bit
 *  2c / 2c + 1 of qh[l]. */
// @ts-ignore: decorator
@inline function dequantK4(src: usize, dst: usize, blocks: i32, five: bool): void {
  const bytes: usize = five ? 176 : 144;
  const qsAt: usize = five ? 48 : 16;
  for (let b = 0; b < blocks; b++, src += bytes, dst += 1024) {
    const d = loadHalf(src);
    const dmin = loadHalf(src + 2);
    for (let c = 0; c < 4; c++) {
      const d1 = d * <f32>k4Scale(src + 4, 2 * c);
      const m1 = dmin * <f32>k4Min(src + 4, 2 * c);
      const d2 = d * <f32>k4Scale(src + 4, 2 * c + 1);
      const m2 = dmin * <f32>k4Min(src + 4, 2 * c + 1);
      const q = src + qsAt + <usize>(32 * c);
      const y = dst + (<usize>(64 * c) << 2);
      for (let t = 0; t < 2; t++) {
        const o = <usize>(16 * t);
        if (ASC_FEATURE_SIMD) {
          const v = v128.load(q + o);
          let lo = v128.and(v, i8x16.splat(LOW4));
          let hi = i8x16.shr_u(v, 4);
          if (five) {
            const hv = v128.load(src + 16 + o);
            lo = v128.or(lo, v128.and(i8x16.shl(i8x16.shr_u(hv, 2 * c), 4), i8x16.splat(16)));
            hi = v128.or(hi, v128.and(i8x16.shl(i8x16.shr_u(hv, 2 * c + 1), 4), i8x16.splat(16)));
          }
          emit16(y + (o << 2), lo, d1, m1, true);
          emit16(y + 128 + (o << 2), hi, d2, m2, true);
        } else {
          for (let l = 0; l < 16; l++) {
            const v = <i32>load<u8>(q + o + <usize>l);
            let lo = v & LOW4;
            let hi = v >> 4;
            if (five) {
              const hv = <i32>load<u8>(src + 16 + o + <usize>l);
              lo += ((hv >> (2 * c)) & 1) << 4;
              hi += ((hv >> (2 * c + 1)) & 1) << 4;
            }
            emit1(y + ((o + <usize>l) << 2), lo, d1, m1, true);
            emit1(y + 128 + ((o + <usize>l) << 2), hi, d2, m2, true);
          }
        }
      }
    }
  }
}

export function gguf_dequant_q4_k(src: usize, dst: usize, blocks: i32): void {
  dequantK4(src, dst, blocks, false);
}

export function gguf_dequant_q5_k(src: usize, dst: usize, blocks: i32): void {
  dequantK4(src, dst, blocks, true);
}

/** Q6_K (210 B): ql[128] · qh[64] · scales[16] (int8) · d. Half h, l < 32: four quarters of 32 elements
 *  take ql[64h + l] / ql[64h + 32 + l] low then high nibbles, and bit pairs 0, 2, 4, 6 of qh[32h + l]. */
export function gguf_dequant_q6_k(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 210, dst += 1024) {
    const d = loadHalf(src + 208);
    for (let h = 0; h < 2; h++) {
      const ql = src + <usize>(64 * h);
      const qh = src + 128 + <usize>(32 * h);
      const sc = src + 192 + <usize>(8 * h);
      const y = dst + (<usize>(128 * h) << 2);
      for (let t = 0; t < 2; t++) {
        const o = <usize>(16 * t);
        const d1 = d * <f32>load<i8>(sc + <usize>t);
        const d2 = d * <f32>load<i8>(sc + <usize>t + 2);
        const d3 = d * <f32>load<i8>(sc + <usize>t + 4);
        const d4 = d * <f32>load<i8>(sc + <usize>t + 6);
        if (ASC_FEATURE_SIMD) {
          const a = v128.load(ql + o);
          const c = v128.load(ql + 32 + o);
          const hv = v128.load(qh + o);
          const m3 = i8x16.splat(3);
          const m32 = i8x16.splat(32);
          const low4 = i8x16.splat(LOW4);
          emit16(y + (o << 2), i8x16.sub(v128.or(v128.and(a, low4), i8x16.shl(v128.and(hv, m3), 4)), m32), d1, 0, false);
          emit16(y + 128 + (o << 2), i8x16.sub(v128.or(v128.and(c, low4), i8x16.shl(v128.and(i8x16.shr_u(hv, 2), m3), 4)), m32), d2, 0, false);
          emit16(y + 256 + (o << 2), i8x16.sub(v128.or(i8x16.shr_u(a, 4), i8x16.shl(v128.and(i8x16.shr_u(hv, 4), m3), 4)), m32), d3, 0, false);
          emit16(y + 384 + (o << 2), i8x16.sub(v128.or(i8x16.shr_u(c, 4), i8x16.shl(i8x16.shr_u(hv, 6), 4)), m32), d4, 0, false);
        } else {
          for (let l = 0; l < 16; l++) {
            const i = o + <usize>l;
            const a = <i32>load<u8>(ql + i);
            const c = <i32>load<u8>(ql + 32 + i);
            const hb = <i32>load<u8>(qh + i);
            emit1(y + (i << 2), ((a & LOW4) | ((hb & 3) << 4)) - 32, d1, 0, false);
            emit1(y + 128 + (i << 2), ((c & LOW4) | (((hb >> 2) & 3) << 4)) - 32, d2, 0, false);
            emit1(y + 256 + (i << 2), ((a >> 4) | (((hb >> 4) & 3) << 4)) - 32, d3, 0, false);
            emit1(y + 384 + (i << 2), ((c >> 4) | (((hb >> 6) & 3) << 4)) - 32, d4, 0, false);
          }
        }
      }
    }
  }
}

/** Q8_K (292 B): d (f32) · qs[256] (int8) · bsums[16] (unused here); y = f32(d·q). */
export function gguf_dequant_q8_k(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 292, dst += 1024) {
    const d = load<f32>(src);
    for (let g = 0; g < 16; g++) {
      const q = src + 4 + <usize>(16 * g);
      const y = dst + (<usize>(16 * g) << 2);
      if (ASC_FEATURE_SIMD) emit16(y, v128.load(q), d, 0, false);
      else for (let l = 0; l < 16; l++) emit1(y + (<usize>l << 2), <i32>load<i8>(q + <usize>l), d, 0, false);
    }
  }
}

/** IQ4_XS (136 B): d · scales_h · scales_l[4] · qs[128]; sub-block ib: qs[16ib ..+16] low nibbles →
 *  elements 32ib + t, high → 32ib + 16 + t, each an index into kvalues_iq4nl. */
export function gguf_dequant_iq4_xs(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 136, dst += 1024) {
    const d = loadHalf(src);
    for (let ib = 0; ib < 8; ib++) {
      const dl = d * <f32>iq4xsScale(src, ib);
      const q = src + 8 + <usize>(16 * ib);
      const y = dst + (<usize>(32 * ib) << 2);
      if (ASC_FEATURE_SIMD) {
        const kv = v128.load(IQ4_VALUES);
        const v = v128.load(q);
        emit16(y, i8x16.swizzle(kv, v128.and(v, i8x16.splat(LOW4))), dl, 0, false);
        emit16(y + 64, i8x16.swizzle(kv, i8x16.shr_u(v, 4)), dl, 0, false);
      } else {
        for (let t = 0; t < 16; t++) {
          const v = <i32>load<u8>(q + <usize>t);
          emit1(y + (<usize>t << 2), <i32>load<i8>(IQ4_VALUES + <usize>(v & LOW4)), dl, 0, false);
          emit1(y + 64 + (<usize>t << 2), <i32>load<i8>(IQ4_VALUES + <usize>(v >> 4)), dl, 0, false);
        }
      }
    }
  }
}

/** TQ2_0 (66 B): qs[64] · d; byte 32g + l, bits 2n..2n+1 → element 128g + 32n + l; y = f32((code − 1)·d). */
export function gguf_dequant_tq2_0(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 66, dst += 1024) {
    const d = loadHalf(src + 64);
    for (let g = 0; g < 2; g++) {
      for (let n = 0; n < 4; n++) {
        for (let t = 0; t < 2; t++) {
          const q = src + <usize>(32 * g + 16 * t);
          const y = dst + (<usize>(128 * g + 32 * n + 16 * t) << 2);
          if (ASC_FEATURE_SIMD) {
            emit16(y, i8x16.sub(v128.and(i8x16.shr_u(v128.load(q), 2 * n), i8x16.splat(3)), i8x16.splat(1)), d, 0, false);
          } else {
            for (let l = 0; l < 16; l++) emit1(y + (<usize>l << 2), ((<i32>load<u8>(q + <usize>l) >> (2 * n)) & 3) - 1, d, 0, false);
          }
        }
      }
    }
  }
}

/** Trit n of a TQ1_0 byte, as ggml decodes it: ((byte·3^n mod 256)·3) >> 8. */
// @ts-ignore: decorator
@inline function tq1Trit(byte: i32, pow3: i32): i32 {
  return (((byte * pow3) & 0xff) * 3) >> 8;
}

/** The 16 trits − 1 of the bytes in `v`, lane i using the power of three in lane i of (powLo, powHi). */
// @ts-ignore: decorator
@inline function tq1Codes(v: v128, powLo: v128, powHi: v128): v128 {
  const ff = i16x8.splat(0xff);
  const three = i16x8.splat(3);
  const lo = i16x8.shr_u(i16x8.mul(v128.and(i16x8.mul(i16x8.extend_low_i8x16_u(v), powLo), ff), three), 8);
  const hi = i16x8.shr_u(i16x8.mul(v128.and(i16x8.mul(i16x8.extend_high_i8x16_u(v), powHi), ff), three), 8);
  return i8x16.sub(i8x16.narrow_i16x8_u(lo, hi), i8x16.splat(1));
}

/** TQ1_0 (54 B): qs[48] · qh[4] · d; five trits per byte (lowbit.md §1.19): qs[m < 32] trit n → element
 *  32n + m, qs[32 + m] trit n → 160 + 16n + m, qh[j] trit n (n < 4) → 240 + 4n + j. */
export function gguf_dequant_tq1_0(src: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, src += 54, dst += 1024) {
    const d = loadHalf(src + 52);
    let pow3 = 1;
    for (let n = 0; n < 5; n++, pow3 *= 3) {
      for (let t = 0; t < 3; t++) {
        // t = 0, 1: qs[16t ..+16] → elements 32n + 16t; t = 2: qs[32 ..+16] → elements 160 + 16n.
        const q = src + <usize>(16 * t);
        const y = dst + (<usize>(t < 2 ? 32 * n + 16 * t : 160 + 16 * n) << 2);
        if (ASC_FEATURE_SIMD) {
          const p = i16x8.splat(<i16>pow3);
          emit16(y, tq1Codes(v128.load(q), p, p), d, 0, false);
        } else {
          for (let l = 0; l < 16; l++) emit1(y + (<usize>l << 2), tq1Trit(<i32>load<u8>(q + <usize>l), pow3) - 1, d, 0, false);
        }
      }
    }
    const y = dst + (240 << 2);
    if (ASC_FEATURE_SIMD) {
      // Lane 4n + j = byte qh[j], trit n: the four bytes repeated, powers 1, 3, 9, 27 per group of four.
      emit16(y, tq1Codes(v128.load32_splat(src + 48), i16x8(1, 1, 1, 1, 3, 3, 3, 3), i16x8(9, 9, 9, 9, 27, 27, 27, 27)), d, 0, false);
    } else {
      let p = 1;
      for (let n = 0; n < 4; n++, p *= 3) {
        for (let j = 0; j < 4; j++) emit1(y + (<usize>(4 * n + j) << 2), tq1Trit(<i32>load<u8>(src + 48 + <usize>j), p) - 1, d, 0, false);
      }
    }
  }
}
