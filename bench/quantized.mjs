// Quantized [N, K] weights the bench builds itself from a seed, in each format's public layout
// (lowbit.md §1.4, §1.8, §1.12, §(a)), independently of the library's quantizers, so every process
// regenerates the very same matrix cheaply and every library multiplies it. Random codes and scales
// time like real ones (no kernel branches on values) and keep |w| ≤ 1, as the dense cases do.
// The plain-JS dequantizers below are also the correctness reference (exact f32, ggml's order).
import { randomBytes } from './data.mjs';

/**
 * Format descriptors of the low-bit cases:
 *   { kind: 'gguf', type: 'Q4_0' | 'Q8_0' | 'Q4_K' }  ggml blocks along each row
 *   { kind: 'int', bits, groupSize? }                symmetric group-wise integers, f16 scales
 *                                                     (groupSize absent: one group per row)
 */
const GGUF = {
  Q4_0: { elems: 32, bytes: 18, bits: 4 },
  Q8_0: { elems: 32, bytes: 34, bits: 8 },
  Q4_K: { elems: 256, bytes: 144 },
};

const groupSizeOf = (f, k) => f.groupSize ?? k;

/** Bytes of the packed weights: GGUF blocks, or codes + one f16 scale per group. */
export function packedBytes(f, n, k) {
  if (f.kind === 'gguf') return (n * k * GGUF[f.type].bytes) / GGUF[f.type].elems;
  return (n * k * f.bits) / 8 + (n * k / groupSizeOf(f, k)) * 2;
}

/** Exact binary16 → number. */
export function halfToFloat(h) {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (exp ? 2 ** (exp - 15) * (1 + mant / 1024) : 2 ** -14 * (mant / 1024));
}

/** `count` f16 bit patterns with magnitude in [2^e, 2^(e+1)) (a random sign when `signed`). */
function randomHalves(count, e, signed, seed) {
  const r = randomBytes(2 * count, seed);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const sign = signed && r[2 * i] & 0x80 ? 0x8000 : 0;
    out[i] = sign | ((e + 15) << 10) | (((r[2 * i] << 8) | r[2 * i + 1]) & 0x3ff);
  }
  return out;
}

/**
 * Group-wise view shared by 'int' and the GGUF types that are one (Q4_0, Q8_0): unsigned codes
 * row-major [N, K], scale s per group of `groupSize` inputs, w = f32(s · (code − zero)), zero = 2^(bits−1).
 */
function randomGroupwise({ bits, groupSize, signedScales }, n, k, seed) {
  const codes = randomBytes(n * k, seed);
  if (bits < 8) for (let i = 0; i < codes.length; i++) codes[i] >>= 8 - bits;
  // |s| in [2^−bits, 2^(1−bits)): |w| ≤ 2^(bits−1) · 2^(1−bits) = 1.
  const halves = randomHalves((n * k) / groupSize, -bits, signedScales, seed + 1);
  const scales = Float32Array.from(halves, halfToFloat);
  return { bits, groupSize, codes, scales, halves, zero: 2 ** (bits - 1) };
}

/** Q4_0 / Q8_0 rows of blocks {d: f16, qs} from a group-wise view with groupSize 32. */
function packLegacy(type, { codes, halves }) {
  const { elems, bytes: size } = GGUF[type];
  const blocks = halves.length;
  const bytes = new Uint8Array(blocks * size);
  for (let b = 0; b < blocks; b++) {
    const at = b * size;
    const e0 = b * elems;
    bytes[at] = halves[b] & 0xff;
    bytes[at + 1] = halves[b] >> 8;
    if (type === 'Q4_0') {
      // element j in the low nibble of qs[j], element j + 16 in its high nibble
      for (let j = 0; j < 16; j++) bytes[at + 2 + j] = codes[e0 + j] | (codes[e0 + j + 16] << 4);
    } else {
      for (let j = 0; j < 32; j++) bytes[at + 2 + j] = (codes[e0 + j] - 128) & 0xff; // int8 qs = code − 128
    }
  }
  return bytes;
}

/** Q4_K: random super-blocks, d and dmin in [2^−11, 2^−10) so |w| < 1; 6-bit scales/mins and nibbles uniform. */
function randomQ4K(n, k, seed) {
  const blocks = (n * k) / 256;
  const bytes = randomBytes(blocks * 144, seed);
  const halves = randomHalves(2 * blocks, -11, false, seed + 1);
  for (let b = 0; b < blocks; b++) {
    for (let h = 0; h < 2; h++) {
      bytes[b * 144 + 2 * h] = halves[2 * b + h] & 0xff;
      bytes[b * 144 + 2 * h + 1] = halves[2 * b + h] >> 8;
    }
  }
  return bytes;
}

/** The seeded weights of format f: { groupwise?, bytes? } (bytes: the GGUF rows; groupwise: the view above). */
export function randomQuantized(f, n, k, seed) {
  if (f.kind === 'int') return { groupwise: randomGroupwise({ bits: f.bits, groupSize: groupSizeOf(f, k), signedScales: false }, n, k, seed) };
  if (f.type === 'Q4_K') return { bytes: randomQ4K(n, k, seed) };
  const groupwise = randomGroupwise({ bits: GGUF[f.type].bits, groupSize: 32, signedScales: true }, n, k, seed); // ggml's d is often < 0
  return { groupwise, bytes: packLegacy(f.type, groupwise) };
}

const f32 = Math.fround;

/** Q4_K super-block at `at` → 256 floats at out[o]: y = f32(f32(d·sc)·q − f32(dmin·m)) (lowbit.md §1.12, §0.1). */
function dequantizeQ4K(bytes, at, out, o) {
  const d = halfToFloat(bytes[at] | (bytes[at + 1] << 8));
  const dmin = halfToFloat(bytes[at + 2] | (bytes[at + 3] << 8));
  const s = at + 4;
  for (let j = 0; j < 8; j++) {
    const sc = j < 4 ? bytes[s + j] & 63 : (bytes[s + j + 4] & 0xf) | ((bytes[s + j - 4] >> 6) << 4);
    const m = j < 4 ? bytes[s + j + 4] & 63 : (bytes[s + j + 4] >> 4) | ((bytes[s + j] >> 6) << 4);
    const d1 = f32(d * sc);
    const m1 = f32(dmin * m);
    const qs = at + 16 + 32 * (j >> 1); // sub-blocks 2c and 2c+1 share 32 bytes: low, then high nibbles
    const shift = (j & 1) * 4;
    for (let l = 0; l < 32; l++) out[o + 32 * j + l] = f32(f32(d1 * ((bytes[qs + l] >> shift) & 0xf)) - m1);
  }
}

/**
 * `(row, out, at)` writing row `row` of the dequantized [N, K] matrix to out[at…at+K): what a plain-JS
 * user writes, and the reference every library is checked against.
 */
export function rowDequantizer(f, { groupwise, bytes }, k) {
  if (groupwise) {
    const { codes, scales, groupSize, zero } = groupwise;
    return (row, out, at) => {
      const base = row * k;
      for (let g = 0; g < k; g += groupSize) {
        const s = scales[(base + g) / groupSize];
        // (code − zero) is an exact integer, so the product has one rounding, the Float32Array
        // store's: f32(s · (q − z)), as ggml (Q4_0, Q8_0) and MLAS compute it.
        for (let j = g; j < g + groupSize; j++) out[at + j] = s * (codes[base + j] - zero);
      }
    };
  }
  if (f.type !== 'Q4_K') throw new Error(`no plain-JS dequantizer for ${JSON.stringify(f)}`);
  const rowBytes = (k / 256) * 144;
  return (row, out, at) => {
    for (let b = 0; b < k / 256; b++) dequantizeQ4K(bytes, row * rowBytes + b * 144, out, at + b * 256);
  };
}

/** The whole dequantized [N, K] matrix. */
export function dequantizeAll(f, q, n, k) {
  const w = new Float32Array(n * k);
  const row = rowDequantizer(f, q, k);
  for (let r = 0; r < n; r++) row(r, w, r * k);
  return w;
}
