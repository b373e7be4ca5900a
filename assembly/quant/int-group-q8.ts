// Integer-activation GEMV of group-wise integer weights (int-group.ts layout): the activations are quantized
// once per call to ggml's Q8_0 blocks (gguf_quantize_q8_0: 32 int8 codes and an fp16 scale dy per chunk of 32
// inputs, x zero-padded to whole chunks), and each chunk's dot is exact integer arithmetic.
//
//   q8_gemv_int_group(codes, scales, zeros, bias, xq, y, out, k, groupSize, bits, f16, relu)
// Grids: no codebook, groups of a multiple of 32 elements (or one group per row). Per row, in every build:
//   sum = 0; for each chunk c, in order (its group's scale s and zero point z, or 2^(bits−1) when zeros = 0):
//     sum = sum + f32(Σ_j q_j·xq_j − z·Σ_j xq_j) · (s · dy_c)
//   y = sum + bias, then ReLU.
// Integer sums are exact and no float op is fused, so scalar, simd and relaxed give the same bits (the SIMD
// builds run four rows in the four lanes of one vector).

import { loadHalf, halfToF32x4With, HALF_TO_F32_CONSTANTS, groupRow, sum4RowsI32, addBias4, storeRows4, finishScalar } from "./blocks";
import { chunkBytes, chunks, scaleAt, zeroAt, codeAt, chunkCodes } from "./int-group";

/** Scratch for one chunk's four row dots (see gemvSimd). */
const ROW_DOTS = memory.data(64, 16);

/** Bytes of one Q8_0 activation block: fp16 dy, then 32 int8 codes. */
const XB: usize = 34;

/** Splats of 0x0f bytes and i16 ones, loaded once per call (V8 rebuilds a splat constant at every use). */
const CONSTANTS = memory.data<u16>([0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 1, 1, 1, 1, 1, 1, 1, 1], 16);

// @ts-ignore: decorator
@inline function chunksPerGroup(k: i32, groupSize: i32): i32 {
  return groupSize >= k ? max(chunks(k), 1) : groupSize >> 5;
}

/** Whether the relaxed build dots the raw int8 activations against the codes as its 7-bit operand. */
// @ts-ignore: decorator
@inline function rawDot(bits: i32): bool {
  return ASC_FEATURE_RELAXED_SIMD && bits <= 7;
}

/**
 * Σ q·xq over the chunk at c as 4 exact i32 partial sums. xa, xc: the int8 activations of elements 0…15 and
 * 16…31; x0…x3 the same widened to i16 (elements 0…7, 8…15, 16…23, 24…31; used unless rawDot).
 * Relaxed, bits ≤ 7: i16x8.relaxed_dot_i8x16_i7x16_s with the codes (< 128) as the 7-bit operand is exact;
 * each of its i16 lanes holds two products (|·| ≤ 2·127·127), and two dots add in i16 only when the codes
 * are < 64 (bits ≤ 6: |·| ≤ 4·63·127 < 2^15).
 */
// @ts-ignore: decorator
@inline function chunkDot(bits: i32, c: usize, xa: v128, xc: v128, x0: v128, x1: v128, x2: v128, x3: v128, m: v128, one: v128): v128 {
  let lo: v128, hi: v128;
  if (bits == 4) {
    const q = v128.load(c); // one load: V8 does not merge two loads of the same address
    lo = v128.and(q, m);
    hi = v128.and(i16x8.shr_u(q, 4), m);
  } else {
    lo = chunkCodes(bits, c, false);
    hi = chunkCodes(bits, c, true);
  }
  if (ASC_FEATURE_RELAXED_SIMD) if (bits <= 7) { // (the feature test first: the simd build must not see the op)
    const a = i16x8.relaxed_dot_i8x16_i7x16_s(xa, lo), b = i16x8.relaxed_dot_i8x16_i7x16_s(xc, hi);
    if (bits <= 6) return i32x4.dot_i16x8_s(i16x8.add(a, b), one);
    return i32x4.add(i32x4.dot_i16x8_s(a, one), i32x4.dot_i16x8_s(b, one));
  }
  return i32x4.add(
    i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(lo), x0), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(lo), x1)),
    i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(hi), x2), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(hi), x3)));
}

/** Σ xq over one activation block, splatted to 4 i32 lanes. */
// @ts-ignore: decorator
@inline function blockSum(bits: i32, xa: v128, xc: v128, x0: v128, x1: v128, x2: v128, x3: v128, one: v128): v128 {
  const pairs = rawDot(bits)
    ? i16x8.add(i16x8.extadd_pairwise_i8x16_s(xa), i16x8.extadd_pairwise_i8x16_s(xc))
    : i16x8.add(i16x8.add(x0, x1), i16x8.add(x2, x3)); // |lanes| ≤ 4·128
  let s = i32x4.dot_i16x8_s(pairs, one);
  s = i32x4.add(s, v128.shuffle<i32>(s, s, 2, 3, 0, 1));
  return i32x4.add(s, v128.shuffle<i32>(s, s, 1, 0, 3, 2));
}

/** Scales of cells a, b, c, d as f32x4 (binary16 widened exactly; hc: HALF_TO_F32_CONSTANTS). */
// @ts-ignore: decorator
@inline function scales4(scales: usize, a: usize, b: usize, c: usize, d: usize, f16: bool, hc: usize): v128 {
  if (f16) {
    let h = v128.load16_lane(scales + (a << 1), i32x4.splat(0), 0);
    h = v128.load16_lane(scales + (b << 1), h, 2);
    h = v128.load16_lane(scales + (c << 1), h, 4);
    h = v128.load16_lane(scales + (d << 1), h, 6);
    return halfToF32x4With(h, v128.load(hc), v128.load(hc, 16), v128.load(hc, 32), v128.load(hc, 48), v128.load(hc, 64));
  }
  let s = v128.load32_lane(scales + (a << 2), f32x4.splat(0), 0);
  s = v128.load32_lane(scales + (b << 2), s, 1);
  s = v128.load32_lane(scales + (c << 2), s, 2);
  return v128.load32_lane(scales + (d << 2), s, 3);
}

/** Zero points of cells a, b, c, d as i32x4 (mid when there are none). */
// @ts-ignore: decorator
@inline function zeros4(zeros: usize, a: usize, b: usize, c: usize, d: usize, mid: v128): v128 {
  if (zeros == 0) return mid;
  let z = v128.load8_lane(zeros + a, i32x4.splat(0), 0);
  z = v128.load8_lane(zeros + b, z, 4);
  z = v128.load8_lane(zeros + c, z, 8);
  return v128.load8_lane(zeros + d, z, 12);
}

/** Exact Σ(q − z)·xq of one chunk for four rows (pointers p + i·step... given separately). */
// @ts-ignore: decorator
@inline function chunk4(bits: i32, p0: usize, p1: usize, p2: usize, p3: usize, xa: v128, xc: v128, x0: v128, x1: v128, x2: v128, x3: v128, m: v128, one: v128, z: v128, sx: v128): v128 {
  // Each row's dot goes through memory: the store orders it before the next row's loads, so TurboFan cannot
  // issue all rows' loads first and keep their unpacked codes live (which spills).
  const t = ROW_DOTS;
  v128.store(t, chunkDot(bits, p0, xa, xc, x0, x1, x2, x3, m, one));
  v128.store(t, chunkDot(bits, p1, xa, xc, x0, x1, x2, x3, m, one), 16);
  v128.store(t, chunkDot(bits, p2, xa, xc, x0, x1, x2, x3, m, one), 32);
  v128.store(t, chunkDot(bits, p3, xa, xc, x0, x1, x2, x3, m, one), 48);
  return i32x4.sub(sum4RowsI32(v128.load(t), v128.load(t, 16), v128.load(t, 32), v128.load(t, 48)), i32x4.mul(z, sx));
}

/** Rows eight at a time, two vectors of four lanes sharing each chunk's activation preparation (the last pass
 *  repeats the last row in the spare lanes, which are not stored). */
// @ts-ignore: decorator
@inline function gemvSimd(bits: i32, codes: usize, scales: usize, zeros: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, groupSize: i32, f16: bool, relu: bool): void {
  const nch = chunks(k);
  const per = chunksPerGroup(k, groupSize);
  const groups = (nch + per - 1) / per;
  const cb = chunkBytes(bits);
  const rb = <usize>nch * cb;
  const gs = <usize>groups;
  const hc = HALF_TO_F32_CONSTANTS;
  const m = v128.load(CONSTANTS), one = v128.load(CONSTANTS, 16);
  const mid = i32x4.splat(1 << (bits - 1));
  const zero = f32x4.splat(0);
  for (let row0 = 0; row0 < out; row0 += 8) {
    const r0 = <usize>groupRow(row0, 0, out), r1 = <usize>groupRow(row0, 1, out);
    const r2 = <usize>groupRow(row0, 2, out), r3 = <usize>groupRow(row0, 3, out);
    const r4 = <usize>groupRow(row0, 4, out), r5 = <usize>groupRow(row0, 5, out);
    const r6 = <usize>groupRow(row0, 6, out), r7 = <usize>groupRow(row0, 7, out);
    let p0 = codes + r0 * rb, p1 = codes + r1 * rb, p2 = codes + r2 * rb, p3 = codes + r3 * rb;
    let p4 = codes + r4 * rb, p5 = codes + r5 * rb, p6 = codes + r6 * rb, p7 = codes + r7 * rb;
    const b0 = r0 * gs, b1 = r1 * gs, b2 = r2 * gs, b3 = r3 * gs, b4 = r4 * gs, b5 = r5 * gs, b6 = r6 * gs, b7 = r7 * gs;
    let sumA = zero, sumB = zero;
    let xp = xq;
    let c = 0;
    for (let g: usize = 0; g < gs; g++) {
      const zA = zeros4(zeros, b0 + g, b1 + g, b2 + g, b3 + g, mid), zB = zeros4(zeros, b4 + g, b5 + g, b6 + g, b7 + g, mid);
      const sA = scales4(scales, b0 + g, b1 + g, b2 + g, b3 + g, f16, hc), sB = scales4(scales, b4 + g, b5 + g, b6 + g, b7 + g, f16, hc);
      for (let end = min(nch, c + per); c < end; c++, xp += XB) {
        const xa = v128.load(xp, 2), xc = v128.load(xp, 18);
        let x0 = xa, x1 = xa, x2 = xc, x3 = xc;
        if (!rawDot(bits)) {
          x0 = i16x8.extend_low_i8x16_s(xa); x1 = i16x8.extend_high_i8x16_s(xa);
          x2 = i16x8.extend_low_i8x16_s(xc); x3 = i16x8.extend_high_i8x16_s(xc);
        }
        const sx = blockSum(bits, xa, xc, x0, x1, x2, x3, one);
        const dy = f32x4.splat(loadHalf(xp));
        sumA = f32x4.add(sumA, f32x4.mul(f32x4.convert_i32x4_s(chunk4(bits, p0, p1, p2, p3, xa, xc, x0, x1, x2, x3, m, one, zA, sx)), f32x4.mul(sA, dy)));
        sumB = f32x4.add(sumB, f32x4.mul(f32x4.convert_i32x4_s(chunk4(bits, p4, p5, p6, p7, xa, xc, x0, x1, x2, x3, m, one, zB, sx)), f32x4.mul(sB, dy)));
        p0 += cb; p1 += cb; p2 += cb; p3 += cb; p4 += cb; p5 += cb; p6 += cb; p7 += cb;
      }
    }
    storeRows4(y, row0, out, addBias4(sumA, bias, row0, out), relu);
    if (row0 + 4 < out) storeRows4(y, row0 + 4, out, addBias4(sumB, bias, row0 + 4, out), relu);
  }
}

// @ts-ignore: decorator
@inline function gemvScalar(bits: i32, codes: usize, scales: usize, zeros: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, groupSize: i32, f16: bool, relu: bool): void {
  const nch = chunks(k);
  const per = chunksPerGroup(k, groupSize);
  const groups = (nch + per - 1) / per;
  const mid = 1 << (bits - 1);
  for (let r = 0; r < out; r++) {
    const row = codes + <usize>r * <usize>nch * chunkBytes(bits);
    let sum: f32 = 0;
    let c = 0;
    for (let g = 0; g < groups; g++) {
      const cell = <usize>r * <usize>groups + <usize>g;
      const z = zeroAt(zeros, cell, mid);
      const sg = scaleAt(scales, cell, f16);
      for (let end = min(nch, c + per); c < end; c++) {
        const xp = xq + <usize>c * XB;
        let dot = 0, sx = 0;
        for (let j = 0; j < 32; j++) {
          const v = <i32>load<i8>(xp + 2 + <usize>j);
          dot += codeAt(row, (c << 5) + j, bits) * v;
          sx += v;
        }
        sum += <f32>(dot - z * sx) * (sg * loadHalf(xp));
      }
    }
    finishScalar(y, bias, r, sum, relu);
  }
}

/**
 * y[out] = act(W·x + bias) with x given as Q8_0 blocks (xq, k rounded up to 32 inputs, zero-padded).
 * Other arguments as f32_gemv_int_group; grids as described at the top of this file.
 */
export function q8_gemv_int_group(codes: usize, scales: usize, zeros: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, groupSize: i32, bits: i32, f16: i32, relu: i32): void {
  const half = f16 != 0, act = relu != 0;
  if (ASC_FEATURE_SIMD) {
    if (bits == 4) gemvSimd(4, codes, scales, zeros, bias, xq, y, out, k, groupSize, half, act);
    else if (bits == 8) gemvSimd(8, codes, scales, zeros, bias, xq, y, out, k, groupSize, half, act);
    else gemvSimd(bits, codes, scales, zeros, bias, xq, y, out, k, groupSize, half, act);
  } else gemvScalar(bits, codes, scales, zeros, bias, xq, y, out, k, groupSize, half, act);
}
