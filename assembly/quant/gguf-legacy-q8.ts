// The integer path of ggml's fused dot (lowbit.md §1.9, §1.21): activations quantized once to Q8_0 / Q8_1
// blocks, then per block an exact integer dot and ggml's float combination.
//   gguf_quantize_q8_0 / gguf_quantize_q8_1(x, dst, blocks): ggml's quantize_row_q8_{0,1}_ref, byte for byte
//     for finite x: d = amax/127, id = d ? 1/d : 0, q = roundf(x·id) (half away from zero), d stored as f16;
//     Q8_1 also s = f16(f32(Σq)·d) with the unrounded d.
//   q8_gemv_<type>(w, bias, xq, y, out, k, relu): w as f32_gemv_<type>; xq = k/32 activation blocks
//     (Q8_0 for q4_0 and q8_0, Q8_1 for q4_1). Per row, ggml's generic order exactly:
//       Q4_0: sumf += f32(f32(sumi·dx)·dy)     Q8_0: sumf += f32(sumi·f32(dx·dy))
//       Q4_1: sumf += f32(f32(f32(dx·dy)·sumi) + f32(mx·sy))
//     then y = sumf + bias, ReLU. Integer sums are exact and no float op is fused, so every build gives the
//     same bits (the SIMD builds run 4 rows in the 4 lanes of one vector, 8 rows per pass).

import { loadHalf, halfToF32x4With, HALF_TO_F32_CONSTANTS, f32ToHalf, nibbleAt, groupRow, sum4RowsI32, addBias4, storeRows4, finishScalar } from "./blocks";

const QK: i32 = 32;
const Q4_0: i32 = 0;
const Q4_1: i32 = 1;
const Q8_0: i32 = 2;

/** C roundf (half away from zero) of one f32 lane set, as int32: trunc, then step away when |x − t| ≥ 0.5. */
// @ts-ignore: decorator
@inline function roundHalfAwayI32x4(v: v128): v128 {
  const t = f32x4.trunc(v);
  const up = f32x4.ge(f32x4.abs(f32x4.sub(v, t)), f32x4.splat(0.5));
  const away = v128.or(v128.and(v, i32x4.splat(<i32>0x80000000)), f32x4.splat(1)); // ±1 with x's sign
  return i32x4.trunc_sat_f32x4_s(f32x4.add(t, v128.and(away, up)));
}

// @ts-ignore: decorator
@inline function roundHalfAway(v: f32): i32 {
  const t = trunc<f32>(v);
  return <i32>(abs<f32>(v - t) >= 0.5 ? t + copysign<f32>(1, v) : t);
}

/** One activation block: codes at dst + qsAt; returns d (unrounded) and leaves Σq in `lastSum`. */
let lastSum: i32 = 0;

// @ts-ignore: decorator
@inline function quantizeBlock(x: usize, qs: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    const v0 = v128.load(x), v1 = v128.load(x, 16), v2 = v128.load(x, 32), v3 = v128.load(x, 48);
    const v4 = v128.load(x, 64), v5 = v128.load(x, 80), v6 = v128.load(x, 96), v7 = v128.load(x, 112);
    let m = f32x4.max(f32x4.max(f32x4.abs(v0), f32x4.abs(v1)), f32x4.max(f32x4.abs(v2), f32x4.abs(v3)));
    m = f32x4.max(m, f32x4.max(f32x4.max(f32x4.abs(v4), f32x4.abs(v5)), f32x4.max(f32x4.abs(v6), f32x4.abs(v7))));
    const amax = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
    const d = amax / 127;
    const id = f32x4.splat(d != 0 ? 1 / d : 0);
    const q0 = roundHalfAwayI32x4(f32x4.mul(v0, id)), q1 = roundHalfAwayI32x4(f32x4.mul(v1, id));
    const q2 = roundHalfAwayI32x4(f32x4.mul(v2, id)), q3 = roundHalfAwayI32x4(f32x4.mul(v3, id));
    const q4 = roundHalfAwayI32x4(f32x4.mul(v4, id)), q5 = roundHalfAwayI32x4(f32x4.mul(v5, id));
    const q6 = roundHalfAwayI32x4(f32x4.mul(v6, id)), q7 = roundHalfAwayI32x4(f32x4.mul(v7, id));
    v128.store(qs, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
    v128.store(qs, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q4, q5), i16x8.narrow_i32x4_s(q6, q7)), 16);
    const s = i32x4.add(i32x4.add(i32x4.add(q0, q1), i32x4.add(q2, q3)), i32x4.add(i32x4.add(q4, q5), i32x4.add(q6, q7)));
    lastSum = i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
    return d;
  }
  let amax: f32 = 0;
  for (let j = 0; j < QK; j++) {
    const a = abs<f32>(load<f32>(x + (<usize>j << 2)));
    amax = amax > a ? amax : a; // ggml's MAX macro
  }
  const d = amax / 127;
  const id: f32 = d != 0 ? 1 / d : 0;
  let sum = 0;
  for (let j = 0; j < QK; j++) {
    const q = roundHalfAway(load<f32>(x + (<usize>j << 2)) * id);
    store<i8>(qs + <usize>j, <i8>q);
    sum += q;
  }
  lastSum = sum;
  return d;
}

export function gguf_quantize_q8_0(x: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, x += 128, dst += 34) {
    store<u16>(dst, <u16>f32ToHalf(quantizeBlock(x, dst + 2)));
  }
}

export function gguf_quantize_q8_1(x: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, x += 128, dst += 36) {
    const d = quantizeBlock(x, dst + 4);
    store<u16>(dst, <u16>f32ToHalf(d));
    store<u16>(dst, <u16>f32ToHalf(<f32>lastSum * d), 2);
  }
}

// @ts-ignore: decorator
@inline function blockBytes(kind: i32): usize {
  return kind == Q4_0 ? 18 : kind == Q4_1 ? 20 : 34;
}

/** Sign-extended even (low byte) and odd (high byte) int8 lanes of 16 bytes, as i16x8. */
// @ts-ignore: decorator
@inline function evenI8(v: v128): v128 { return i16x8.shr_s(i16x8.shl(v, 8), 8); }
// @ts-ignore: decorator
@inline function oddI8(v: v128): v128 { return i16x8.shr_s(v, 8); }

/** The integer dot of one weight block at `w` with one activation block, as 4 exact partial sums; x0..x3 are
 *  the activation codes as i16 lanes, prepared once per block for all rows (activationLanes).
 *  4-bit types: the 16 code bytes read as i16 lanes hold, per lane l, the nibbles of elements 2l, 2l+16, 2l+1,
 *  2l+17 (bits 0, 4, 8, 12), so masks and shifts give them without a shuffle; x0..x3 are the even and odd
 *  elements of 0..15 and of 16..31. The nibbles stay unsigned (Q4_0's −8 is applied once per block to the
 *  sum, exactly). Q8_0: weights and x0..x3 are the codes widened in element order.
 *  (i32x4.relaxed_dot_i8x16_i7x16_add_s with the nibbles as the 7-bit operand would be exact by the spec, but
 *  V8 in Node 20 returns twice the dot and drops the accumulator, so no build uses it.) */
// @ts-ignore: decorator
@inline function blockDot(kind: i32, w: usize, x0: v128, x1: v128, x2: v128, x3: v128, f: v128): v128 {
  let w0: v128, w1: v128, w2: v128, w3: v128;
  if (kind == Q8_0) {
    const a = v128.load(w, 2), b = v128.load(w, 18);
    w0 = i16x8.extend_low_i8x16_s(a); w1 = i16x8.extend_high_i8x16_s(a);
    w2 = i16x8.extend_low_i8x16_s(b); w3 = i16x8.extend_high_i8x16_s(b);
  } else if (ASC_FEATURE_RELAXED_SIMD) {
    // x0, x1: the raw i8 activations of elements 0..15 and 16..31; the nibbles are the i7 operand, and no
    // i16 lane (two products ≤ 127·15 from each dot) can overflow.
    const q = v128.load(w + <usize>(kind == Q4_1 ? 4 : 2));
    const lo = v128.and(q, f), hi = v128.and(i16x8.shr_u(q, 4), f);
    return i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, lo), i16x8.relaxed_dot_i8x16_i7x16_s(x1, hi)));
  } else {
    const q = v128.load(w + <usize>(kind == Q4_1 ? 4 : 2));
    w0 = v128.and(q, f);                      // elements 2l
    w1 = v128.and(i16x8.shr_u(q, 8), f);      // 2l + 1
    w2 = v128.and(i16x8.shr_u(q, 4), f);      // 2l + 16
    w3 = i16x8.shr_u(q, 12);                  // 2l + 17
  }
  return i32x4.add(i32x4.add(i32x4.dot_i16x8_s(w0, x0), i32x4.dot_i16x8_s(w1, x1)),
                   i32x4.add(i32x4.dot_i16x8_s(w2, x2), i32x4.dot_i16x8_s(w3, x3)));
}

/** Activation codes `a` (elements 0..15) and `c` (16..31) as the i16 lanes blockDot pairs with the weights. */
// @ts-ignore: decorator
@inline function activationLanes(kind: i32, a: v128, c: v128, lane: i32): v128 {
  if (kind == Q8_0) {
    if (lane == 0) return i16x8.extend_low_i8x16_s(a);
    if (lane == 1) return i16x8.extend_high_i8x16_s(a);
    if (lane == 2) return i16x8.extend_low_i8x16_s(c);
    return i16x8.extend_high_i8x16_s(c);
  }
  if (ASC_FEATURE_RELAXED_SIMD) return lane == 0 ? a : c; // blockDot's relaxed form takes the raw codes
  if (lane == 0) return evenI8(a);
  if (lane == 1) return oddI8(a);
  if (lane == 2) return evenI8(c);
  return oddI8(c);
}

/** The fp16 at byte `at` of each of four rows' current block, as f32x4. */
// @ts-ignore: decorator
@inline function halves4(w0: usize, w1: usize, w2: usize, w3: usize, at: usize, c: usize): v128 {
  let h = v128.load16_lane(w0 + at, i32x4.splat(0), 0);
  h = v128.load16_lane(w1 + at, h, 2);
  h = v128.load16_lane(w2 + at, h, 4);
  h = v128.load16_lane(w3 + at, h, 6);
  return halfToF32x4With(h, v128.load(c), v128.load(c, 16), v128.load(c, 32), v128.load(c, 48), v128.load(c, 64));
}

/** One block's term for 4 rows in ggml's order (sumi exact; dx, mx per row; dy, sy of the activation block). */
// @ts-ignore: decorator
@inline function blockTerm(kind: i32, sumi: v128, w0: usize, w1: usize, w2: usize, w3: usize, dy: v128, sy: v128, c: usize): v128 {
  const fi = f32x4.convert_i32x4_s(sumi);
  const dx = halves4(w0, w1, w2, w3, 0, c);
  if (kind == Q4_0) return f32x4.mul(f32x4.mul(fi, dx), dy);
  if (kind == Q8_0) return f32x4.mul(fi, f32x4.mul(dx, dy));
  return f32x4.add(f32x4.mul(f32x4.mul(dx, dy), fi), f32x4.mul(halves4(w0, w1, w2, w3, 2, c), sy));
}

/** i16x8 splats of 0x0f (the nibble mask per i16 lane), 1, and 0x0f0f (per byte, the relaxed form's mask),
 *  read into values once per call: V8 rebuilds a splat constant at every use inside a loop (3 instructions); a
 *  loaded value stays in a register. */
const LOW_NIBBLE = memory.data<u16>([15, 15, 15, 15, 15, 15, 15, 15, 1, 1, 1, 1, 1, 1, 1, 1,
  0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f, 0x0f0f], 16);

/** Scratch for one group's 4 row dots (see gemvSimd). */
const ROW_DOTS = memory.data(64, 16);

/** Rows go 8 at a time (two vectors of 4 lanes) so the activation lanes and scales are prepared once per block
 *  for 8 rows; a partial last group recomputes its last row in the spare lanes (never stored). */
// @ts-ignore: decorator
@inline function gemvSimd(kind: i32, w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: bool): void {
  const nb = k >> 5;
  const bb = blockBytes(kind);
  const xb = <usize>(kind == Q4_1 ? 36 : 34);
  const xqs = xb - 32;
  const rowBytes = <usize>nb * bb;
  const c = HALF_TO_F32_CONSTANTS;
  const f = v128.load(LOW_NIBBLE + (ASC_FEATURE_RELAXED_SIMD ? 32 : 0)), one = v128.load(LOW_NIBBLE, 16);
  for (let row0 = 0; row0 < out; row0 += 8) {
    let w0 = w + <usize>groupRow(row0, 0, out) * rowBytes;
    let w1 = w + <usize>groupRow(row0, 1, out) * rowBytes;
    let w2 = w + <usize>groupRow(row0, 2, out) * rowBytes;
    let w3 = w + <usize>groupRow(row0, 3, out) * rowBytes;
    let w4 = w + <usize>groupRow(row0, 4, out) * rowBytes;
    let w5 = w + <usize>groupRow(row0, 5, out) * rowBytes;
    let w6 = w + <usize>groupRow(row0, 6, out) * rowBytes;
    let w7 = w + <usize>groupRow(row0, 7, out) * rowBytes;
    let sumA = f32x4.splat(0), sumB = sumA;
    let xp = xq;
    for (let b = 0; b < nb; b++, xp += xb) {
      const xa = v128.load(xp + xqs), xc = v128.load(xp + xqs, 16);
      const x0 = activationLanes(kind, xa, xc, 0), x1 = activationLanes(kind, xa, xc, 1);
      const x2 = activationLanes(kind, xa, xc, 2), x3 = activationLanes(kind, xa, xc, 3);
      // Each row's dot goes through memory: the store orders it before the next row's load, so TurboFan
      // cannot issue all 8 rows' loads first and keep their unpacked lanes live (which spills).
      const t = ROW_DOTS;
      v128.store(t, blockDot(kind, w0, x0, x1, x2, x3, f)); v128.store(t, blockDot(kind, w1, x0, x1, x2, x3, f), 16);
      v128.store(t, blockDot(kind, w2, x0, x1, x2, x3, f), 32); v128.store(t, blockDot(kind, w3, x0, x1, x2, x3, f), 48);
      let sA = sum4RowsI32(v128.load(t), v128.load(t, 16), v128.load(t, 32), v128.load(t, 48));
      v128.store(t, blockDot(kind, w4, x0, x1, x2, x3, f)); v128.store(t, blockDot(kind, w5, x0, x1, x2, x3, f), 16);
      v128.store(t, blockDot(kind, w6, x0, x1, x2, x3, f), 32); v128.store(t, blockDot(kind, w7, x0, x1, x2, x3, f), 48);
      let sB = sum4RowsI32(v128.load(t), v128.load(t, 16), v128.load(t, 32), v128.load(t, 48));
      if (kind == Q4_0) {
        // Σ(q − 8)·x = Σq·x − 8·Σx, all exact: |lane sums of x| ≤ 4·128 fit i16.
        const pairs = ASC_FEATURE_RELAXED_SIMD
          ? i16x8.add(i16x8.extadd_pairwise_i8x16_s(xa), i16x8.extadd_pairwise_i8x16_s(xc))
          : i16x8.add(i16x8.add(x0, x1), i16x8.add(x2, x3));
        let sx = i32x4.dot_i16x8_s(pairs, one);
        sx = i32x4.add(sx, v128.shuffle<i32>(sx, sx, 2, 3, 0, 1));
        sx = i32x4.shl(i32x4.add(sx, v128.shuffle<i32>(sx, sx, 1, 0, 3, 2)), 3);
        sA = i32x4.sub(sA, sx);
        sB = i32x4.sub(sB, sx);
      }
      const dy = f32x4.splat(loadHalf(xp));
      const sy = kind == Q4_1 ? f32x4.splat(loadHalf(xp + 2)) : dy;
      sumA = f32x4.add(sumA, blockTerm(kind, sA, w0, w1, w2, w3, dy, sy, c));
      sumB = f32x4.add(sumB, blockTerm(kind, sB, w4, w5, w6, w7, dy, sy, c));
      w0 += bb; w1 += bb; w2 += bb; w3 += bb; w4 += bb; w5 += bb; w6 += bb; w7 += bb;
    }
    storeRows4(y, row0, out, addBias4(sumA, bias, row0, out), relu);
    if (row0 + 4 < out) storeRows4(y, row0 + 4, out, addBias4(sumB, bias, row0 + 4, out), relu);
  }
}

/** Weight code j of the block at `w` (Q4_0 already minus 8). */
// @ts-ignore: decorator
@inline function codeAt(kind: i32, w: usize, j: i32): i32 {
  if (kind == Q8_0) return <i32>load<i8>(w + 2 + <usize>j);
  if (kind == Q4_1) return nibbleAt(w + 4, j);
  return nibbleAt(w + 2, j) - 8;
}

// @ts-ignore: decorator
@inline function gemvScalar(kind: i32, w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: bool): void {
  const nb = k >> 5;
  const bb = blockBytes(kind);
  const xb = <usize>(kind == Q4_1 ? 36 : 34);
  const xqs = xb - 32;
  for (let r = 0; r < out; r++) {
    let wp = w + <usize>r * <usize>nb * bb;
    let xp = xq;
    let sumf: f32 = 0;
    for (let b = 0; b < nb; b++, wp += bb, xp += xb) {
      let sumi = 0;
      for (let j = 0; j < QK; j++) sumi += codeAt(kind, wp, j) * <i32>load<i8>(xp + xqs + <usize>j);
      const dx = loadHalf(wp), dy = loadHalf(xp);
      if (kind == Q4_0) sumf += <f32>sumi * dx * dy;
      else if (kind == Q8_0) sumf += <f32>sumi * (dx * dy);
      else sumf += (dx * dy) * <f32>sumi + loadHalf(wp + 2) * loadHalf(xp + 2);
    }
    finishScalar(y, bias, r, sumf, relu);
  }
}

// @ts-ignore: decorator
@inline function gemv(kind: i32, w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  if (ASC_FEATURE_SIMD) gemvSimd(kind, w, bias, xq, y, out, k, relu != 0);
  else gemvScalar(kind, w, bias, xq, y, out, k, relu != 0);
}

export function q8_gemv_q4_0(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q4_0, w, bias, xq, y, out, k, relu);
}

export function q8_gemv_q4_1(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q4_1, w, bias, xq, y, out, k, relu);
}

export function q8_gemv_q8_0(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q8_0, w, bias, xq, y, out, k, relu);
}
