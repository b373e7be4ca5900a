// Exponent-arithmetic linear kernels for power-of-two weights (src/formats/pow2.ts):
//   y[b, o] = act(f32(2^e0[o] · S[b, o]) + bias[o]),  S = Σ_j term(x[b, j], code[o, j]).
// A term is x·(±2^−k) computed without a multiply: k is subtracted from x's biased exponent field and the
// weight's sign bit is XORed in. Guards, per lane (the bit-level model is exponentAddTerm in
// test/reference/lowbit-linear.ts): zero code → +0; x's exponent field ≤ k (x is ±0 or subnormal, or x·2^−k
// would be subnormal) → +0; x is ±inf or NaN → x itself, sign-flipped. Otherwise the term equals f32(x·w)
// bit for bit, and the row's 2^e0 (built from its bits) is applied once at the end.
//
// Codes are read as the format packs them: b-bit codes (b ∈ [2, 6]) LSB first, row r at byte r·⌈k·b/8⌉,
// possibly straddling bytes. Four codes (4b ≤ 24 bits) come from one unaligned u32 read shifted by the
// bit offset; the operator leaves 4 readable bytes after the last row. GEMV (and the 1–3 samples left by
// the GEMM): WASM SIMD has no per-lane variable shift, so the four codes are spread into lanes by an
// i32x4.mul with the constants 2^(3b−ib) (a shift of the codes, never a multiply of an activation), then a
// shift right by 3b. GEMM, 4 samples at a time: per-block term tables (see tableTile).

const ABS: u32 = 0x7FFF_FFFF;
const SIGN: u32 = 0x8000_0000;
const EXP: u32 = 0x7F80_0000;
const MANT: u32 = 0x007F_FFFF;

/** The four codes at columns j … j+3 of the row at rp, one per i32 lane. */
// @ts-ignore: decorator
@inline function codes4(rp: usize, j: i32, bits: i32, spread: v128, mask: v128): v128 {
  const bit = j * bits;
  const w = load<u32>(rp + <usize>(bit >> 3)) >> <u32>(bit & 7);
  return v128.and(i32x4.shr_u(i32x4.mul(i32x4.splat(w), spread), 3 * bits), mask);
}

/** The lane constants, read from memory once per row: as v128.const inside the loop V8 rebuilds each one
 *  at every use (three instructions apiece), which more than doubled the cost of a term. */
const LANE_CONSTANTS = memory.data<u32>([ABS, ABS, ABS, ABS, EXP, EXP, EXP, EXP, SIGN, SIGN, SIGN, SIGN, MANT, MANT, MANT, MANT], 16);

/** Four terms of one activation vector; k23 = k << 23, zero = lanes with the zero code, wsign = sign bits. */
// @ts-ignore: decorator
@inline function terms(xv: v128, k23: v128, zero: v128, wsign: v128, cAbs: v128, cExp: v128, cSign: v128, cMant: v128): v128 {
  const special = i32x4.eq(v128.and(xv, cExp), cExp); // ±inf / NaN: keep as is
  const d = i32x4.sub(v128.and(xv, cAbs), v128.andnot(k23, special));
  const keep = v128.andnot(i32x4.gt_s(d, cMant), zero); // exponent field still ≥ 1
  return v128.and(v128.xor(v128.or(d, v128.and(xv, cSign)), wsign), keep);
}

/** The same term in scalar code, on the bits of x; `code` is the b-bit code, E = b − 1, Z = 2^E − 1. */
// @ts-ignore: decorator
@inline function termScalar(xv: f32, code: u32, e: u32, z: u32): f32 {
  const k = code & z;
  if (k == z) return 0;
  const xb = reinterpret<u32>(xv);
  const ws = (code >> e) << 31;
  if ((xb & EXP) == EXP) return reinterpret<f32>(xb ^ ws);
  const d = <i32>(xb & ABS) - <i32>(k << 23);
  if (d <= <i32>MANT) return 0;
  return reinterpret<f32>((<u32>d | (xb & SIGN)) ^ ws);
}

/** Adds the terms of columns [from, k) of the code row rp and activation row xp, one by one. */
// @ts-ignore: decorator
@inline function tailScalar(sum: f32, rp: usize, xp: usize, from: i32, k: i32, bits: i32): f32 {
  const e = <u32>(bits - 1);
  const z = (<u32>1 << e) - 1;
  const mask = (<u32>1 << <u32>bits) - 1;
  for (let j = from; j < k; j++) {
    const bit = j * bits;
    const code = (load<u32>(rp + <usize>(bit >> 3)) >> <u32>(bit & 7)) & mask;
    sum += termScalar(load<f32>(xp + (<usize>j << 2)), code, e, z);
  }
  return sum;
}

/** y = act(f32(2^e0 · sum) + bias), 2^e0 from its float bits (e0 ≥ −126 + Z − 1 keeps it normal). */
// @ts-ignore: decorator
@inline function finish(yp: usize, e0: i32, add: f32, sum: f32, relu: bool): void {
  const v = reinterpret<f32>(<u32>(e0 + 127) << 23) * sum + add;
  store<f32>(yp, relu ? max<f32>(v, 0) : v);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** One code row against `rb` (1..4, compile-time) activation rows x, x + ldx, …; outputs at yp, yp + ldy, …. */
// @ts-ignore: decorator
@inline function rowTile(rb: i32, rp: usize, bits: i32, x: usize, ldx: usize, k: i32, yp: usize, ldy: usize, e0: i32, add: f32, relu: bool): void {
  const e = bits - 1;
  const spread = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(1 << (3 * bits)), 1, 1 << (2 * bits)), 2, 1 << bits), 3, 1);
  const mask = i32x4.splat((1 << bits) - 1);
  const zcode = i32x4.splat((1 << e) - 1);
  const cAbs = v128.load(LANE_CONSTANTS), cExp = v128.load(LANE_CONSTANTS, 16);
  const cSign = v128.load(LANE_CONSTANTS, 32), cMant = v128.load(LANE_CONSTANTS, 48);
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, h0 = a0;
  let j = 0;
  for (; j + 8 <= k; j += 8) {
    const xp = x + (<usize>j << 2);
    let c = codes4(rp, j, bits, spread, mask);
    let kk = v128.and(c, zcode);
    let zero = i32x4.eq(kk, zcode);
    let k23 = i32x4.shl(kk, 23);
    let ws = i32x4.shl(i32x4.shr_u(c, e), 31);
    a0 = f32x4.add(a0, terms(v128.load(xp), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 1) a1 = f32x4.add(a1, terms(v128.load(xp + ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 2) a2 = f32x4.add(a2, terms(v128.load(xp + 2 * ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 3) a3 = f32x4.add(a3, terms(v128.load(xp + 3 * ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    c = codes4(rp, j + 4, bits, spread, mask);
    kk = v128.and(c, zcode);
    zero = i32x4.eq(kk, zcode);
    k23 = i32x4.shl(kk, 23);
    ws = i32x4.shl(i32x4.shr_u(c, e), 31);
    if (rb == 1) h0 = f32x4.add(h0, terms(v128.load(xp, 16), k23, zero, ws, cAbs, cExp, cSign, cMant));
    else a0 = f32x4.add(a0, terms(v128.load(xp, 16), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 1) a1 = f32x4.add(a1, terms(v128.load(xp + ldx, 16), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 2) a2 = f32x4.add(a2, terms(v128.load(xp + 2 * ldx, 16), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 3) a3 = f32x4.add(a3, terms(v128.load(xp + 3 * ldx, 16), k23, zero, ws, cAbs, cExp, cSign, cMant));
  }
  if (j + 4 <= k) {
    const xp = x + (<usize>j << 2);
    const c = codes4(rp, j, bits, spread, mask);
    const kk = v128.and(c, zcode);
    const zero = i32x4.eq(kk, zcode);
    const k23 = i32x4.shl(kk, 23);
    const ws = i32x4.shl(i32x4.shr_u(c, e), 31);
    a0 = f32x4.add(a0, terms(v128.load(xp), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 1) a1 = f32x4.add(a1, terms(v128.load(xp + ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 2) a2 = f32x4.add(a2, terms(v128.load(xp + 2 * ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    if (rb > 3) a3 = f32x4.add(a3, terms(v128.load(xp + 3 * ldx), k23, zero, ws, cAbs, cExp, cSign, cMant));
    j += 4;
  }
  finish(yp, e0, add, tailScalar(hsum(f32x4.add(a0, h0)), rp, x, j, k, bits), relu);
  if (rb > 1) finish(yp + ldy, e0, add, tailScalar(hsum(a1), rp, x + ldx, j, k, bits), relu);
  if (rb > 2) finish(yp + 2 * ldy, e0, add, tailScalar(hsum(a2), rp, x + 2 * ldx, j, k, bits), relu);
  if (rb > 3) finish(yp + 3 * ldy, e0, add, tailScalar(hsum(a3), rp, x + 3 * ldx, j, k, bits), relu);
}

/** Batch rows [b0, b0 + rb) against every code row. */
// @ts-ignore: decorator
@inline function batchTile(rb: i32, codes: usize, e0: usize, e0Stride: i32, bits: i32, bias: usize, x: usize, y: usize, out: i32, k: i32, b0: i32, relu: bool): void {
  const rowBytes = <usize>((k * bits + 7) >> 3);
  const ldx = <usize>k << 2, ldy = <usize>out << 2;
  const xb = x + <usize>b0 * ldx, yb = y + <usize>b0 * ldy;
  for (let r = 0; r < out; r++) {
    const ro = <usize>r << 2;
    const e = <i32>load<i8>(e0 + <usize>(r * e0Stride));
    rowTile(rb, codes + <usize>r * rowBytes, bits, xb, ldx, k, yb + ro, ldy, e, load<f32>(bias + ro), relu);
  }
}

/** Scratch of the GEMM from 4 samples on (SIMD builds): one block's term table, then 16 bytes per output row. */
export const POW2_GEMM_TABLE_BYTES: i32 = 16 << 10;

/**
 * Batch rows b0 … b0+3, block by block of 1024 >> bits columns: for each column, the terms of all 2^bits
 * codes are computed once for the 4 samples (batch in lanes, the same `terms` as the direct path, so the
 * same bits); each weight is then one table load and one add for 4 samples. acc (after the table) holds
 * each output row's 4 partial sums between blocks.
 */
// @ts-ignore: decorator
@inline function tableTile(codes: usize, e0: usize, e0Stride: i32, bits: i32, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, b0: i32, relu: bool): void {
  const rowBytes = <usize>((k * bits + 7) >> 3);
  const ldx = <usize>k << 2, ldy = <usize>out << 2;
  const xb = x + <usize>b0 * ldx, yb = y + <usize>b0 * ldy;
  const acc = scratch + <usize>POW2_GEMM_TABLE_BYTES;
  const cAbs = v128.load(LANE_CONSTANTS), cExp = v128.load(LANE_CONSTANTS, 16);
  const cSign = v128.load(LANE_CONSTANTS, 32), cMant = v128.load(LANE_CONSTANTS, 48);
  const e = bits - 1, z = (1 << e) - 1, codeCount = 1 << bits, mask = <u32>(codeCount - 1);
  const columnBytes = <usize>codeCount << 4; // one column's table
  const blockCols = 1024 >> bits;
  const cols4 = k & ~3; // columns in whole groups of 4; the rest run scalar
  for (let r = 0; r < out; r++) v128.store(acc + (<usize>r << 4), f32x4.splat(0));
  for (let j0 = 0; j0 < cols4; j0 += blockCols) {
    const n = min(blockCols, cols4 - j0);
    for (let j = 0; j < n; j++) {
      const xo = <usize>(j0 + j) << 2;
      let c = v128.load32_zero(xb + xo);
      c = v128.load32_lane(xb + ldx + xo, c, 1);
      c = v128.load32_lane(xb + 2 * ldx + xo, c, 2);
      c = v128.load32_lane(xb + 3 * ldx + xo, c, 3);
      const tp = scratch + <usize>j * columnBytes;
      for (let code = 0; code < codeCount; code++) {
        const kk = code & z;
        const t = terms(c, i32x4.splat(kk << 23), i32x4.splat(kk == z ? -1 : 0), i32x4.splat((code >> e) << 31), cAbs, cExp, cSign, cMant);
        v128.store(tp + (<usize>code << 4), t);
      }
    }
    for (let r = 0; r < out; r++) {
      const rp = codes + <usize>r * rowBytes;
      const ap = acc + (<usize>r << 4);
      let a = v128.load(ap), h = f32x4.splat(0);
      let tp = scratch;
      for (let j = 0; j < n; j += 4, tp += columnBytes << 2) {
        const bit = (j0 + j) * bits;
        const w = load<u32>(rp + <usize>(bit >> 3)) >> <u32>(bit & 7); // four codes
        a = f32x4.add(a, v128.load(tp + (<usize>(w & mask) << 4)));
        h = f32x4.add(h, v128.load(tp + columnBytes + (<usize>((w >> <u32>bits) & mask) << 4)));
        a = f32x4.add(a, v128.load(tp + 2 * columnBytes + (<usize>((w >> <u32>(2 * bits)) & mask) << 4)));
        h = f32x4.add(h, v128.load(tp + 3 * columnBytes + (<usize>((w >> <u32>(3 * bits)) & mask) << 4)));
      }
      v128.store(ap, f32x4.add(a, h));
    }
  }
  for (let r = 0; r < out; r++) {
    const rp = codes + <usize>r * rowBytes;
    const ro = <usize>r << 2;
    const ex = <i32>load<i8>(e0 + <usize>(r * e0Stride));
    const add = load<f32>(bias + ro);
    const v = v128.load(acc + (<usize>r << 4));
    const yp = yb + ro;
    finish(yp, ex, add, tailScalar(f32x4.extract_lane(v, 0), rp, xb, cols4, k, bits), relu);
    finish(yp + ldy, ex, add, tailScalar(f32x4.extract_lane(v, 1), rp, xb + ldx, cols4, k, bits), relu);
    finish(yp + 2 * ldy, ex, add, tailScalar(f32x4.extract_lane(v, 2), rp, xb + 2 * ldx, cols4, k, bits), relu);
    finish(yp + 3 * ldy, ex, add, tailScalar(f32x4.extract_lane(v, 3), rp, xb + 3 * ldx, cols4, k, bits), relu);
  }
}

// @ts-ignore: decorator
@inline function gemm(codes: usize, e0: usize, e0Stride: i32, bits: i32, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: bool): void {
  if (ASC_FEATURE_SIMD) {
    let b0 = 0;
    for (; b0 + 4 <= batch; b0 += 4) tableTile(codes, e0, e0Stride, bits, bias, x, y, scratch, out, k, b0, relu);
    const rest = batch - b0;
    if (rest == 3) batchTile(3, codes, e0, e0Stride, bits, bias, x, y, out, k, b0, relu);
    else if (rest == 2) batchTile(2, codes, e0, e0Stride, bits, bias, x, y, out, k, b0, relu);
    else if (rest == 1) batchTile(1, codes, e0, e0Stride, bits, bias, x, y, out, k, b0, relu);
    return;
  }
  const rowBytes = <usize>((k * bits + 7) >> 3);
  for (let b = 0; b < batch; b++) {
    const xp = x + <usize>b * (<usize>k << 2);
    for (let r = 0; r < out; r++) {
      const ro = <usize>r << 2;
      const sum = tailScalar(0, codes + <usize>r * rowBytes, xp, 0, k, bits);
      finish(y + (<usize>(b * out) << 2) + ro, <i32>load<i8>(e0 + <usize>(r * e0Stride)), load<f32>(bias + ro), sum, relu);
    }
  }
}

/**
 * Power-of-two weights, batch 1. codes: out rows of ⌈k·bits/8⌉ bytes followed by ≥ 4 readable bytes;
 * e0: i8 base exponents, row r's at e0 + r·e0Stride (stride 1: per row, 0: per tensor).
 */
export function f32_gemv_pow2(codes: usize, e0: usize, e0Stride: i32, bits: i32, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemm(codes, e0, e0Stride, bits, bias, x, y, 0, out, k, 1, relu != 0);
}

/** Power-of-two weights, x [batch, k] → y [batch, out]; scratch: POW2_GEMM_TABLE_BYTES + 16·out bytes when batch ≥ 4 (SIMD builds). */
export function f32_gemm_pow2(codes: usize, e0: usize, e0Stride: i32, bits: i32, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(codes, e0, e0Stride, bits, bias, x, y, scratch, out, k, batch, relu != 0);
}
