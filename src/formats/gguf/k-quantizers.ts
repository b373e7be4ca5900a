// ggml's reference K-quant quantizers (quantize_row_q2_K_ref … q6_K_ref, quantize_row_q8_K_ref), ported in
// float32 (see k-search.ts for the rules). Byte-identical to ggml built without FMA contraction. As in ggml,
// codes are recomputed from the stored fp16 super-scales; a sub-block whose stored scale is 0 keeps the codes
// of its search.
import { readHalf, writeFloat, writeHalf } from './block-fields.js';
import { GROUP_MAX_EPS, nearestInt, signedAbsMax, toInt8 } from './ggml-arith.js';
import { k4Min, k4Scale, packK4, packQ3, q3Scale } from './k-scales.js';
import { clamp, makeQ3Quants, makeQkx2Quants, makeQxQuants } from './k-search.js';

const f = Math.fround;
const QK_K = 256;

// Scratch shared by all quantizers (single-threaded, never re-entered).
const L = new Uint8Array(QK_K);
const Ls = new Int8Array(QK_K);
const laux = new Uint8Array(32);
const weights = new Float32Array(32);
const scales = new Float32Array(16);
const mins = new Float32Array(16);
const packedScales = new Uint8Array(16);
const packedMins = new Uint8Array(16);

/** Packs four 2-bit codes per byte: byte 32h + l holds elements 128h + l, +32, +64, +96 (Q2_K, Q3_K). */
function pack2(codes: Uint8Array, dst: Uint8Array, o: number): void {
  for (let h = 0; h < 2; h++) {
    for (let l = 0; l < 32; l++) {
      const e = 128 * h + l;
      dst[o + 32 * h + l] = codes[e] | (codes[e + 32] << 2) | (codes[e + 64] << 4) | (codes[e + 96] << 6);
    }
  }
}

/** quantize_row_q2_K_ref: 84-byte blocks. */
export function quantizeQ2K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  const rmin = f(-0.5);
  const rdelta = f(0.1);
  dst.fill(0, o, o + 84);
  let maxScale = 0;
  let maxMin = 0;
  for (let j = 0; j < 16; j++) {
    for (let l = 0; l < 16; l++) weights[l] = Math.abs(src[xo + 16 * j + l]);
    scales[j] = makeQkx2Quants(16, 3, src, xo + 16 * j, weights, L, 16 * j, mins, j, laux, rmin, rdelta, 15, true);
    if (scales[j] > maxScale) maxScale = scales[j];
    if (mins[j] > maxMin) maxMin = mins[j];
  }
  if (maxScale > 0) {
    const iscale = f(15 / maxScale);
    for (let j = 0; j < 16; j++) dst[o + j] = nearestInt(f(iscale * scales[j]));
    writeHalf(dst, o + 80, f(maxScale / 15));
  }
  if (maxMin > 0) {
    const iscale = f(15 / maxMin);
    for (let j = 0; j < 16; j++) dst[o + j] |= nearestInt(f(iscale * mins[j])) << 4;
    writeHalf(dst, o + 82, f(maxMin / 15));
  }
  const d = readHalf(dst, o + 80);
  const dmin = readHalf(dst, o + 82);
  for (let j = 0; j < 16; j++) {
    const dl = f(d * (dst[o + j] & 0xf));
    if (dl === 0) continue;
    const ml = f(dmin * (dst[o + j] >> 4));
    for (let i = 0; i < 16; i++) L[16 * j + i] = clamp(nearestInt(f(f(src[xo + 16 * j + i] + ml) / dl)), 0, 3);
  }
  pack2(L, dst, o + 16);
}

/** quantize_row_q3_K_ref: 110-byte blocks. */
export function quantizeQ3K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  dst.fill(0, o, o + 110);
  let maxScale = 0;
  let amax = 0;
  for (let j = 0; j < 16; j++) {
    scales[j] = makeQ3Quants(16, 4, src, xo + 16 * j, Ls, 16 * j);
    const s = Math.abs(scales[j]);
    if (s > amax) {
      amax = s;
      maxScale = scales[j];
    }
  }
  if (maxScale !== 0) {
    const iscale = f(-32 / maxScale);
    for (let j = 0; j < 16; j++) packedScales[j] = clamp(toInt8(nearestInt(f(iscale * scales[j]))), -32, 31) + 32;
    packQ3(dst, o + 96, packedScales);
    writeHalf(dst, o + 108, f(1 / iscale));
  }
  const d = readHalf(dst, o + 108);
  for (let j = 0; j < 16; j++) {
    const dl = f(d * q3Scale(dst, o + 96, j));
    if (dl === 0) continue;
    for (let i = 0; i < 16; i++) Ls[16 * j + i] = clamp(nearestInt(f(src[xo + 16 * j + i] / dl)), -4, 3) + 4;
  }
  // High bit of element e in hmask[e % 32], bit e / 32; the low two bits go to qs like Q2_K.
  for (let e = 0; e < QK_K; e++) {
    let q = Ls[e];
    if (q > 3) {
      dst[o + (e % 32)] |= 1 << (e >> 5);
      q -= 4;
    }
    L[e] = q;
  }
  pack2(L, dst, o + 32);
}

/**
 * The part Q4_K and Q5_K share: per 32-element sub-block make_qkx2_quants with weights av_x + |x|, 6-bit
 * scales and mins relative to the block maxima, then codes 0..nmax from the stored values into L.
 */
function quantizeK4Header(
  src: Float32Array,
  xo: number,
  dst: Uint8Array,
  o: number,
  nmax: number,
  rmin: number,
  nstep: number,
): void {
  const rdelta = f(0.1);
  let maxScale = 0;
  let maxMin = 0;
  for (let j = 0; j < 8; j++) {
    const so = xo + 32 * j;
    let sumX2 = 0;
    for (let l = 0; l < 32; l++) sumX2 = f(sumX2 + f(src[so + l] * src[so + l]));
    const avX = f(Math.sqrt(f(sumX2 / 32)));
    for (let l = 0; l < 32; l++) weights[l] = f(avX + Math.abs(src[so + l]));
    scales[j] = makeQkx2Quants(32, nmax, src, so, weights, L, 32 * j, mins, j, laux, rmin, rdelta, nstep, false);
    if (scales[j] > maxScale) maxScale = scales[j];
    if (mins[j] > maxMin) maxMin = mins[j];
  }
  const invScale = maxScale > 0 ? f(63 / maxScale) : 0;
  const invMin = maxMin > 0 ? f(63 / maxMin) : 0;
  for (let j = 0; j < 8; j++) {
    packedScales[j] = Math.min(63, nearestInt(f(invScale * scales[j])) & 0xff); // C: uint8_t, then MIN(63, ·)
    packedMins[j] = Math.min(63, nearestInt(f(invMin * mins[j])) & 0xff);
  }
  packK4(dst, o + 4, packedScales, packedMins);
  writeHalf(dst, o, f(maxScale / 63));
  writeHalf(dst, o + 2, f(maxMin / 63));
  const d = readHalf(dst, o);
  const dmin = readHalf(dst, o + 2);
  for (let j = 0; j < 8; j++) {
    const dl = f(d * k4Scale(dst, o + 4, j));
    if (dl === 0) continue;
    const ml = f(dmin * k4Min(dst, o + 4, j));
    for (let i = 0; i < 32; i++) L[32 * j + i] = clamp(nearestInt(f(f(src[xo + 32 * j + i] + ml) / dl)), 0, nmax);
  }
}

/** quantize_row_q4_K_ref: 144-byte blocks. */
export function quantizeQ4K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  dst.fill(0, o, o + 144);
  quantizeK4Header(src, xo, dst, o, 15, f(-1), 20);
  for (let c = 0; c < 4; c++) {
    for (let l = 0; l < 32; l++) dst[o + 16 + 32 * c + l] = L[64 * c + l] | (L[64 * c + 32 + l] << 4);
  }
}

/** quantize_row_q5_K_ref: 176-byte blocks. */
export function quantizeQ5K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  dst.fill(0, o, o + 176);
  quantizeK4Header(src, xo, dst, o, 31, f(-0.5), 15);
  for (let c = 0; c < 4; c++) {
    for (let l = 0; l < 32; l++) {
      const lo = L[64 * c + l];
      const hi = L[64 * c + 32 + l];
      dst[o + 48 + 32 * c + l] = (lo & 0xf) | ((hi & 0xf) << 4);
      dst[o + 16 + l] |= ((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1));
    }
  }
}

/** quantize_row_q6_K_ref: 210-byte blocks. */
export function quantizeQ6K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  dst.fill(0, o, o + 210);
  let maxScale = 0;
  let maxAbsScale = 0;
  for (let j = 0; j < 16; j++) {
    scales[j] = makeQxQuants(16, 32, src, xo + 16 * j, L, 16 * j);
    const a = Math.abs(scales[j]);
    if (a > maxAbsScale) {
      maxAbsScale = a;
      maxScale = scales[j];
    }
  }
  if (maxAbsScale < GROUP_MAX_EPS) return; // an all-zero block: every byte 0
  const iscale = f(-128 / maxScale);
  writeHalf(dst, o + 208, f(1 / iscale));
  for (let j = 0; j < 16; j++) dst[o + 192 + j] = Math.min(127, nearestInt(f(iscale * scales[j]))); // int8 store
  const d = readHalf(dst, o + 208);
  for (let j = 0; j < 16; j++) {
    const dl = f(d * toInt8(dst[o + 192 + j]));
    if (dl === 0) continue;
    for (let i = 0; i < 16; i++) L[16 * j + i] = clamp(nearestInt(f(src[xo + 16 * j + i] / dl)), -32, 31) + 32;
  }
  for (let h = 0; h < 2; h++) {
    for (let l = 0; l < 32; l++) {
      const e = 128 * h + l;
      const [q1, q2, q3, q4] = [L[e], L[e + 32], L[e + 64], L[e + 96]];
      dst[o + 64 * h + l] = (q1 & 0xf) | ((q3 & 0xf) << 4);
      dst[o + 64 * h + 32 + l] = (q2 & 0xf) | ((q4 & 0xf) << 4);
      dst[o + 128 + 32 * h + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
    }
  }
}

/** quantize_row_q8_K_ref: 292-byte blocks (f32 d, 256 int8 codes, 16 int16 group sums). */
export function quantizeQ8K(src: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  dst.fill(0, o, o + 292);
  const max = signedAbsMax(src, xo, QK_K);
  if (max === 0) return; // d = 0 and zero codes; ggml leaves bsums unwritten here, this port zeroes them
  const iscale = f(-127 / max);
  for (let j = 0; j < QK_K; j++) dst[o + 4 + j] = Math.min(127, nearestInt(f(iscale * src[xo + j])));
  for (let g = 0; g < 16; g++) {
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += toInt8(dst[o + 4 + 16 * g + i]);
    dst[o + 260 + 2 * g] = sum & 0xff;
    dst[o + 261 + 2 * g] = (sum >> 8) & 0xff;
  }
  writeFloat(dst, o, f(1 / iscale));
}
