// GGUF's plain float tensor types F32, F16 and BF16 (lowbit.md §1.3): one little-endian element per "block".
// They move bit patterns, not JS numbers, so NaN payloads survive both directions (F16/BF16 quantization
// quiets NaN exactly as ggml's GGML_FP32_TO_FP16 / GGML_FP32_TO_BF16 do).
import { bf16ToFloatBits, floatBitsToBf16, floatBitsToHalf, halfToFloatBits } from '../half.js';
import { defineCodec } from './block-codec.js';
import { readU32 } from './block-fields.js';
import type { GgufCodec } from './codec.js';

/** The float32 bit patterns behind a Float32Array (same buffer, no copy). */
function bitsOf(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** A codec storing each float32 bit pattern as `width` little-endian bytes through `narrow`/`widen`. */
function floatCodec(type: 'F32' | 'F16' | 'BF16', width: 2 | 4, widen: (stored: number) => number, narrow: (bits: number) => number): GgufCodec {
  return defineCodec(type, {
    dequantize(src, at, dst, to, n) {
      const out = bitsOf(dst);
      for (let i = 0; i < n; i++) {
        const p = at + i * width;
        const stored = width === 2 ? src[p] | (src[p + 1] << 8) : readU32(src, p);
        out[to + i] = widen(stored);
      }
    },
    quantize(src, from, dst, at, n) {
      const bits = bitsOf(src);
      for (let i = 0; i < n; i++) {
        const stored = narrow(bits[from + i]);
        const p = at + i * width;
        for (let k = 0; k < width; k++) dst[p + k] = (stored >>> (8 * k)) & 0xff;
      }
    },
  });
}

const identity = (bits: number): number => bits;

export const F32 = floatCodec('F32', 4, identity, identity);
export const F16 = floatCodec('F16', 2, halfToFloatBits, floatBitsToHalf);
export const BF16 = floatCodec('BF16', 2, bf16ToFloatBits, floatBitsToBf16);

/** The float codecs, for the registry. */
export const FLOAT_CODECS: readonly GgufCodec[] = [F32, F16, BF16];
