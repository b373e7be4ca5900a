// Element-wise reference dequantizers for the K-quant, IQ4_XS and ternary blocks, written from the
// lowbit.md §(a) "element ← bits" table one element at a time (no loops over sub-blocks, no shared code with
// src/formats/gguf). Each product in the table's parentheses is rounded to float32, in the table's order.
import { bitsToFloat, halfToFloat } from '../../src/formats/half.js';

const f = Math.fround;
const half = (b: Uint8Array, o: number): number => halfToFloat(b[o] | (b[o + 1] << 8));
const i8 = (v: number): number => (v > 127 ? v - 256 : v);
const bit = (b: Uint8Array, o: number, n: number): number => (b[o + (n >> 3)] >> (n & 7)) & 1;

/** The 6-bit k4 field (sc or m) of sub-block j, assembled bit by bit from its places in the 96-bit block. */
export function k4Field(b: Uint8Array, o: number, j: number, which: 'sc' | 'm'): number {
  const places: number[] = []; // places[k] = bit index (0..95) of the field's bit k
  for (let k = 0; k < 6; k++) {
    if (j < 4) places.push(8 * (which === 'sc' ? j : j + 4) + k);
    else if (k < 4) places.push(8 * (j + 4) + (which === 'sc' ? k : 4 + k));
    else places.push(8 * (which === 'sc' ? j - 4 : j) + 6 + (k - 4));
  }
  return places.reduce((v, p, k) => v | (bit(b, o, p) << k), 0);
}

/** The 16 signed Q3_K scales, unpacked the way ggml's dequantizer does it: four u32 words and masks. */
export function q3Scales(b: Uint8Array, o: number): number[] {
  const w = [0, 1, 2].map((i) => (b[o + 4 * i] | (b[o + 4 * i + 1] << 8) | (b[o + 4 * i + 2] << 16) | (b[o + 4 * i + 3] << 24)) >>> 0);
  const k1 = 0x03030303;
  const k2 = 0x0f0f0f0f;
  const words = [
    (w[0] & k2) | (((w[2] >>> 0) & k1) << 4),
    (w[1] & k2) | (((w[2] >>> 2) & k1) << 4),
    ((w[0] >>> 4) & k2) | (((w[2] >>> 4) & k1) << 4),
    ((w[1] >>> 4) & k2) | (((w[2] >>> 6) & k1) << 4),
  ];
  const out: number[] = [];
  for (const word of words) for (let k = 0; k < 4; k++) out.push(((word >>> (8 * k)) & 0xff) - 32);
  return out;
}

/** The two-bit code of element e in a 64-byte Q2_K / Q3_K / TQ2_0 code area at byte `q`. */
const low2 = (b: Uint8Array, q: number, e: number): number => (b[q + 32 * (e >> 7) + (e % 32)] >> (2 * ((e % 128) >> 5))) & 3;

/** The low nibble of element e in Q4_K / Q5_K's 128-byte qs at byte `q`. */
const nibble = (b: Uint8Array, q: number, e: number): number => {
  const byte = b[q + 32 * (e >> 6) + (e % 32)];
  return e % 64 < 32 ? byte & 0xf : byte >> 4;
};

const KV = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

/** Trit n of a TQ1_0 byte: digit n after the point of byte/256 written in base 3. */
const trit = (byte: number, n: number): number => Math.floor((byte * 3 ** (n + 1)) / 256) % 3;

/** The 256 elements of the block of `type` at byte `o`; the per-sub-block scale fields are unpacked once. */
export function referenceBlock(type: string, b: Uint8Array, o: number): Float32Array {
  const y = new Float32Array(256);
  const k4 = type === 'Q4_K' || type === 'Q5_K' ? [0, 1, 2, 3, 4, 5, 6, 7].map((j) => [k4Field(b, o + 4, j, 'sc'), k4Field(b, o + 4, j, 'm')]) : [];
  const s3 = type === 'Q3_K' ? q3Scales(b, o + 96) : [];
  const d = half(b, o + (D_AT[type] ?? 0));
  const dmin = half(b, o + (DMIN_AT[type] ?? 0));
  for (let e = 0; e < 256; e++) y[e] = element(type, b, o, e, k4, s3, d, dmin);
  return y;
}

/** Byte offsets of the fp16 super-block scale (and min) fields; Q8_K's f32 d is read in place. */
const D_AT: Record<string, number> = { Q2_K: 80, Q3_K: 108, Q4_K: 0, Q5_K: 0, Q6_K: 208, IQ4_XS: 0, TQ1_0: 52, TQ2_0: 64 };
const DMIN_AT: Record<string, number> = { Q2_K: 82, Q4_K: 2, Q5_K: 2 };

function element(type: string, b: Uint8Array, o: number, e: number, k4: number[][], s3: number[], d: number, dmin: number): number {
  switch (type) {
    case 'Q2_K': {
      const sc = b[o + (e >> 4)];
      return f(f(f(d * (sc & 0xf)) * low2(b, o + 16, e)) - f(dmin * (sc >> 4)));
    }
    case 'Q3_K': {
      const hbit = (b[o + (e % 32)] >> (e >> 5)) & 1;
      const q = low2(b, o + 32, e) + 4 * hbit - 4;
      return f(f(d * s3[e >> 4]) * q);
    }
    case 'Q4_K':
    case 'Q5_K': {
      const [sc, m] = k4[e >> 5];
      const hbit = type === 'Q5_K' ? (b[o + 16 + (e % 32)] >> (e >> 5)) & 1 : 0;
      const q = nibble(b, o + (type === 'Q5_K' ? 48 : 16), e) + 16 * hbit;
      return f(f(f(d * sc) * q) - f(dmin * m));
    }
    case 'Q6_K': {
      const h = e >> 7;
      const r = e % 128;
      const l = r % 32;
      const quarter = r >> 5;
      const lo4 = (b[o + 64 * h + 32 * (quarter & 1) + l] >> (4 * (quarter >> 1))) & 0xf;
      const hi2 = (b[o + 128 + 32 * h + l] >> (2 * quarter)) & 3;
      return f(f(d * i8(b[o + 192 + (e >> 4)])) * ((lo4 | (hi2 << 4)) - 32));
    }
    case 'Q8_K': {
      const d32 = bitsToFloat((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0);
      return f(d32 * i8(b[o + 4 + e]));
    }
    case 'IQ4_XS': {
      const ib = e >> 5;
      const t = e % 32;
      const idx = t < 16 ? b[o + 8 + 16 * ib + t] & 0xf : b[o + 8 + 16 * ib + t - 16] >> 4;
      const scalesH = b[o + 2] | (b[o + 3] << 8);
      const ls = ((b[o + 4 + (ib >> 1)] >> (4 * (ib % 2))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
      return f(f(d * (ls - 32)) * KV[idx]);
    }
    case 'TQ1_0': {
      let byte: number;
      let n: number;
      if (e < 160) [byte, n] = [e % 32, e >> 5];
      else if (e < 240) [byte, n] = [32 + ((e - 160) % 16), (e - 160) >> 4];
      else [byte, n] = [48 + ((e - 240) % 4), (e - 240) >> 2];
      return f((trit(b[o + byte], n) - 1) * d);
    }
    case 'TQ2_0':
      return f((low2(b, o, e) - 1) * d);
  }
  throw new Error(`no reference for ${type}`);
}
