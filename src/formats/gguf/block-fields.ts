// The byte fields ggml blocks are built from (lowbit.md §(a)), little-endian and unaligned: fp16 and float32
// scales, u32 bit planes, 4-bit codes stored as split halves (element j < 16 in the low nibble of qs[j],
// element j + 16 in its high nibble), and the 5th-bit plane of Q5_0/Q5_1 (bit j of a u32 belongs to element j).
import { bitsToFloat, floatToBits, floatToHalf, halfToFloat } from '../half.js';

/** The value of the fp16 field at byte `at` (exact widening). */
export function readHalf(src: Uint8Array, at: number): number {
  return halfToFloat(src[at] | (src[at + 1] << 8));
}

/** Stores `value` (a float32) as fp16 at byte `at`, rounded as ggml's GGML_FP32_TO_FP16. */
export function writeHalf(dst: Uint8Array, at: number, value: number): void {
  const h = floatToHalf(value);
  dst[at] = h & 0xff;
  dst[at + 1] = h >>> 8;
}

/** The unsigned 32-bit field at byte `at`. */
export function readU32(src: Uint8Array, at: number): number {
  return (src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24)) >>> 0;
}

/** Stores the low 32 bits of `bits` at byte `at`. */
export function writeU32(dst: Uint8Array, at: number, bits: number): void {
  dst[at] = bits & 0xff;
  dst[at + 1] = (bits >>> 8) & 0xff;
  dst[at + 2] = (bits >>> 16) & 0xff;
  dst[at + 3] = (bits >>> 24) & 0xff;
}

/** The float32 field at byte `at`. */
export function readFloat(src: Uint8Array, at: number): number {
  return bitsToFloat(readU32(src, at));
}

/** Stores `value` (a float32) at byte `at`. */
export function writeFloat(dst: Uint8Array, at: number, value: number): void {
  writeU32(dst, at, floatToBits(value));
}

/** Where a block keeps its 32 codes: unpack into `codes` (0..31 each) and pack them back. */
export interface CodeField {
  read(src: Uint8Array, block: number, codes: Uint8Array): void;
  /** `codes` hold the uint8 values the C quantizer computed; the bits are combined exactly as the C does. */
  write(codes: Uint8Array, dst: Uint8Array, block: number): void;
}

/** 4-bit codes at byte `qs` of the block (Q4_0, Q4_1, IQ4_NL, MXFP4). */
export function nibbleCodes(qs: number): CodeField {
  return {
    read(src, block, codes) {
      for (let j = 0; j < 16; j++) {
        const b = src[block + qs + j];
        codes[j] = b & 0x0f;
        codes[j + 16] = b >> 4;
      }
    },
    write(codes, dst, block) {
      for (let j = 0; j < 16; j++) dst[block + qs + j] = codes[j] | (codes[j + 16] << 4); // `qs[j] = x0 | x1 << 4`
    },
  };
}

/** 5-bit codes: low nibbles at byte `qs`, 5th bits in the u32 at byte `qh` (Q5_0, Q5_1). */
export function fiveBitCodes(qh: number, qs: number): CodeField {
  const low = nibbleCodes(qs);
  return {
    read(src, block, codes) {
      low.read(src, block, codes);
      const bits = readU32(src, block + qh);
      for (let j = 0; j < 32; j++) codes[j] |= ((bits >>> j) & 1) << 4;
    },
    write(codes, dst, block) {
      let bits = 0;
      for (let j = 0; j < 16; j++) {
        dst[block + qs + j] = (codes[j] & 0x0f) | ((codes[j + 16] & 0x0f) << 4);
        bits |= ((codes[j] & 0x10) >> 4) << j;
        bits |= ((codes[j + 16] & 0x10) >> 4) << (j + 16);
      }
      writeU32(dst, block + qh, bits);
    },
  };
}
