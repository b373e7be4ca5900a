// ggml's reference dequantizers of the K-quants (dequantize_row_q2_K … q8_K), in float32 and in ggml's
// order: each sub-block's products d·sc and dmin·m are rounded once, then y = f32(f32(dl·q) − ml) (no fused
// multiply-add); q is converted to float before the multiply, so a zero code times a negative scale gives
// −0.0 exactly as in C. Also the registry entries that pair them with the reference quantizers.
import { blockCodec } from './block-codec.js';
import { readFloat, readHalf } from './block-fields.js';
import { toInt8 } from './ggml-arith.js';
import { k4Min, k4Scale, q3Scale } from './k-scales.js';
import { quantizeQ2K, quantizeQ3K, quantizeQ4K, quantizeQ5K, quantizeQ6K, quantizeQ8K } from './k-quantizers.js';

const f = Math.fround;

/** Q2_K (84 B): scales[16] · qs[64] · d · dmin. Sub-block of 16 = 2-bit field of qs, scale/min nibbles. */
function dequantizeQ2K(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so + 80);
  const dmin = readHalf(src, so + 82);
  for (let h = 0; h < 2; h++) {
    for (let j = 0; j < 4; j++) {
      for (let k = 0; k < 2; k++) {
        const sc = src[so + 8 * h + 2 * j + k];
        const dl = f(d * (sc & 0xf));
        const ml = f(dmin * (sc >> 4));
        const q = so + 16 + 32 * h + 16 * k;
        const e = yo + 128 * h + 32 * j + 16 * k;
        for (let l = 0; l < 16; l++) y[e + l] = f(f(dl * ((src[q + l] >> (2 * j)) & 3)) - ml);
      }
    }
  }
}

/** Q3_K (110 B): hmask[32] · qs[64] · scales[12] · d. q = low2 + 4·hbit − 4, signed 6-bit scales. */
function dequantizeQ3K(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so + 108);
  for (let h = 0; h < 2; h++) {
    for (let j = 0; j < 4; j++) {
      const mask = 1 << (4 * h + j);
      for (let k = 0; k < 2; k++) {
        const dl = f(d * q3Scale(src, so + 96, 8 * h + 2 * j + k));
        const q = so + 32 + 32 * h + 16 * k;
        const hm = so + 16 * k;
        const e = yo + 128 * h + 32 * j + 16 * k;
        for (let l = 0; l < 16; l++) {
          y[e + l] = f(dl * (((src[q + l] >> (2 * j)) & 3) - (src[hm + l] & mask ? 0 : 4)));
        }
      }
    }
  }
}

/**
 * Q4_K (144 B): d · dmin · scales[12] · qs[128]. Chunk c of 64: low nibbles then high nibbles.
 * Q5_K (176 B): d · dmin · scales[12] · qh[32] · qs[128]. Q4_K plus a fifth bit, qh[l] bit 2c / 2c+1.
 */
function k4Dequantizer(fifthBit: boolean): (src: Uint8Array, so: number, y: Float32Array, yo: number) => void {
  const qs = fifthBit ? 48 : 16;
  return (src, so, y, yo) => {
    const d = readHalf(src, so);
    const dmin = readHalf(src, so + 2);
    for (let c = 0; c < 4; c++) {
      const d1 = f(d * k4Scale(src, so + 4, 2 * c));
      const m1 = f(dmin * k4Min(src, so + 4, 2 * c));
      const d2 = f(d * k4Scale(src, so + 4, 2 * c + 1));
      const m2 = f(dmin * k4Min(src, so + 4, 2 * c + 1));
      const q = so + qs + 32 * c;
      const e = yo + 64 * c;
      for (let l = 0; l < 32; l++) {
        const h = fifthBit ? src[so + 16 + l] >> (2 * c) : 0;
        y[e + l] = f(f(d1 * ((src[q + l] & 0xf) + ((h & 1) << 4))) - m1);
        y[e + 32 + l] = f(f(d2 * ((src[q + l] >> 4) + ((h & 2) << 3))) - m2);
      }
    }
  };
}
const dequantizeQ4K = k4Dequantizer(false);
const dequantizeQ5K = k4Dequantizer(true);

/** Q6_K (210 B): ql[128] · qh[64] · scales[16] (int8) · d. y = (d·sc)·q, q = 6 bits − 32. */
function dequantizeQ6K(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so + 208);
  for (let h = 0; h < 2; h++) {
    const ql = so + 64 * h;
    const qh = so + 128 + 32 * h;
    const sc = so + 192 + 8 * h;
    const e = yo + 128 * h;
    for (let l = 0; l < 32; l++) {
      const is = l >> 4;
      const hb = src[qh + l];
      const q1 = ((src[ql + l] & 0xf) | ((hb & 3) << 4)) - 32;
      const q2 = ((src[ql + 32 + l] & 0xf) | (((hb >> 2) & 3) << 4)) - 32;
      const q3 = ((src[ql + l] >> 4) | (((hb >> 4) & 3) << 4)) - 32;
      const q4 = ((src[ql + 32 + l] >> 4) | (((hb >> 6) & 3) << 4)) - 32;
      y[e + l] = f(f(d * toInt8(src[sc + is])) * q1);
      y[e + 32 + l] = f(f(d * toInt8(src[sc + is + 2])) * q2);
      y[e + 64 + l] = f(f(d * toInt8(src[sc + is + 4])) * q3);
      y[e + 96 + l] = f(f(d * toInt8(src[sc + is + 6])) * q4);
    }
  }
}

/** Q8_K (292 B): d (f32) · qs[256] (int8) · bsums[16] (int16, not needed to dequantize). */
function dequantizeQ8K(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readFloat(src, so);
  for (let j = 0; j < 256; j++) y[yo + j] = f(d * toInt8(src[so + 4 + j]));
}

export const Q2_K_CODEC = blockCodec('Q2_K', { dequantizeBlock: dequantizeQ2K, quantizeBlock: quantizeQ2K });
export const Q3_K_CODEC = blockCodec('Q3_K', { dequantizeBlock: dequantizeQ3K, quantizeBlock: quantizeQ3K });
export const Q4_K_CODEC = blockCodec('Q4_K', { dequantizeBlock: dequantizeQ4K, quantizeBlock: quantizeQ4K });
export const Q5_K_CODEC = blockCodec('Q5_K', { dequantizeBlock: dequantizeQ5K, quantizeBlock: quantizeQ5K });
export const Q6_K_CODEC = blockCodec('Q6_K', { dequantizeBlock: dequantizeQ6K, quantizeBlock: quantizeQ6K });
export const Q8_K_CODEC = blockCodec('Q8_K', { dequantizeBlock: dequantizeQ8K, quantizeBlock: quantizeQ8K });
