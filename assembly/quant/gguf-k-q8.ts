// The integer path of the K-quant GEMV, as ggml runs it: activations quantized to Q8_K, then integer
// sub-block dots.
//
// gguf_quantize_q8_k(x, dst, blocks): ggml's quantize_row_q8_K_ref, byte for byte: max = the first
// largest-|x| value, iscale = −127/max, q = min(127, nearest_int(iscale·x)) stored as int8 (wrapping like
// the C store), bsums[g] = Σ of 16 codes, d = 1/iscale (f32). An all-zero block is all zero bytes.
// nearest_int is ggml's magic-number rounding (add 1.5·2^23, take the mantissa), reproduced bit for bit,
// so NaN / ±inf / huge inputs give the same bytes as the C code.
//
// q8_gemv_<type>(w, bias, xq, y, out, k, relu): xq = k/256 Q8_K blocks. Per super-block and row, integers
// first (exact):
//   isum = Σ_j sc_j · Σ_l q_l·xq_l               (Q6_K: q the signed code −32..31, sc signed)
//   msum = Σ_j m_j · (bsums[2j] + bsums[2j+1])    (Q4_K / Q5_K: ggml's min term)
// then one float step per super-block, acc = f32(acc + f32(f32(f32(d·dx)·isum) − f32(f32(dmin·dx)·msum)))
// (Q6_K: acc + f32(f32(d·dx)·isum)), y[r] = bias[r] + acc (input panels of 32768 add in turn), then ReLU.
// The integer sums are exact in every build and the float steps are the same scalar operations, so all
// three builds give the same bits, provided bsums are the sums of the codes (as gguf_quantize_q8_k and
// ggml write them): the SIMD builds use them for Q6_K's −32 offset, the scalar build the codes.

import { k4Scale, k4Min, k4Unpack } from "./k-scales";
import { loadHalf } from "./blocks";
import { startRows, finishRows } from "./k-gemv-common";
import { k4Codes } from "./gguf-k-gemv";

/** ggml's nearest_int: round half to even through the mantissa of x + 1.5·2^23. */
// @ts-ignore: decorator
@inline function nearestInt(x: f32): i32 {
  return (reinterpret<i32>(x + 12582912.0) & 0x007fffff) - 0x00400000;
}

export function gguf_quantize_q8_k(x: usize, dst: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++, x += 1024, dst += 292) {
    let vmax: f32 = 0;
    let amax: f32 = 0;
    for (let j = 0; j < 256; j++) {
      const v = load<f32>(x + (<usize>j << 2));
      const a = abs<f32>(v);
      if (a > amax) {
        amax = a;
        vmax = v;
      }
    }
    if (amax == 0) {
      memory.fill(dst, 0, 292);
      continue;
    }
    const iscale = <f32>-127 / vmax;
    const qs = dst + 4;
    if (ASC_FEATURE_SIMD) {
      const s = f32x4.splat(iscale);
      const magic = f32x4.splat(12582912.0);
      const mant = i32x4.splat(0x007fffff);
      const bias = i32x4.splat(0x00400000);
      const top = i32x4.splat(127);
      for (let j = 0; j < 256; j += 4) {
        const t = f32x4.add(f32x4.mul(s, v128.load(x + (<usize>j << 2))), magic);
        const q = i32x4.min_s(i32x4.sub(v128.and(t, mant), bias), top);
        store<i32>(qs + <usize>j, i32x4.extract_lane(i8x16.shuffle(q, q, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12), 0));
      }
    } else {
      for (let j = 0; j < 256; j++) store<i8>(qs + <usize>j, <i8>min(127, nearestInt(iscale * load<f32>(x + (<usize>j << 2)))));
    }
    for (let g = 0; g < 16; g++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) sum += <i32>load<i8>(qs + <usize>(16 * g + i));
      store<i16>(dst + 260 + <usize>(2 * g), <i16>sum);
    }
    store<f32>(dst, <f32>1 / iscale);
  }
}

// Activations staged for the simd build: per super-block and 16-byte group g of xq, the even and the odd
// elements widened to i16 (32 bytes), so each row's dot is two i32x4.dot_i16x8_s per 16 codes.
// The relaxed build needs no staging (see dot32).
const STAGE_BLOCKS: i32 = 128; // super-blocks per input panel (64 KB of staged activations)
const STAGE = memory.data(STAGE_BLOCKS * 512, 16);
const SC32 = memory.data(16 * 4, 16); // this super-block's sub-block scales: i32 (simd), i16 (relaxed)

function stage(xq: usize, nb: i32): void {
  if (!ASC_FEATURE_SIMD || ASC_FEATURE_RELAXED_SIMD) return;
  for (let b = 0; b < nb; b++, xq += 292) {
    for (let g = 0; g < 16; g++) {
      const v = v128.load(xq + 4 + <usize>(g << 4));
      const s = STAGE + (<usize>b << 9) + (<usize>g << 5);
      v128.store(s, i16x8.shr_s(i16x8.shl(v, 8), 8));
      v128.store(s, i16x8.shr_s(v, 8), 16);
    }
  }
}

/** acc + Σ code·x over 16 codes 0..63 (`c`, u8 lanes) and staged activation group g at `st`. */
// @ts-ignore: decorator
@inline function dot16(c: v128, st: usize, g: i32, acc: v128): v128 {
  const s = st + (<usize>g << 5);
  const even = i32x4.dot_i16x8_s(v128.and(c, i16x8.splat(0xff)), v128.load(s));
  return i32x4.add(acc, i32x4.add(even, i32x4.dot_i16x8_s(i16x8.shr_u(c, 8), v128.load(s, 16))));
}

/** acc + Σ code·x over two groups of 16 codes (c0 ↔ activation group g, c1 ↔ g + 1). The relaxed build
 *  dots the i8 activations directly (i16x8.relaxed_dot_i8x16_i7x16_s: the codes are 0..63, inside its
 *  deterministic i7 range, and no i16 sum here can exceed ±32767), the simd build the staged i16 ones. */
// @ts-ignore: decorator
@inline function dot32(c0: v128, c1: v128, xq: usize, st: usize, g: i32): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const x = xq + 4 + <usize>(g << 4);
    return i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(x), c0), i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(x, 16), c1));
  }
  return dot16(c1, st, g + 1, dot16(c0, st, g, i32x4.splat(0)));
}

/** Σ code·x over one group of 16 codes (Q6_K's sub-block). */
// @ts-ignore: decorator
@inline function dot16only(c: v128, xq: usize, st: usize, g: i32): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(xq + 4 + <usize>(g << 4)), c);
  return dot16(c, st, g, i32x4.splat(0));
}

/** isum + sc_j · d: d from dot32 / dot16only (relaxed: i16 lanes, scaled and widened by one
 *  i32x4.dot_i16x8_s with an i16 splat of sc_j, |sums| ≤ 2·16128·128; simd: i32 lanes times sc_j). */
// @ts-ignore: decorator
@inline function scaled(d: v128, j: i32, isum: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.add(isum, i32x4.dot_i16x8_s(d, v128.load16_splat(SC32 + (<usize>j << 1))));
  return i32x4.add(isum, i32x4.mul(d, v128.load32_splat(SC32 + (<usize>j << 2))));
}

/** The float step of every build, per super-block: acc + (f32(d·dx)·isum − f32(dmin·dx)·msum). */
// @ts-ignore: decorator
@inline function blockTerm(acc: f32, d: f32, dmin: f32, dx: f32, isum: i32, msum: i32, hasMin: bool): f32 {
  const a = (d * dx) * <f32>isum;
  return acc + (hasMin ? a - (dmin * dx) * <f32>msum : a);
}

// ---- SIMD builds: per super-block, the integer sums as i32x4 lanes, then the horizontal sums and
// blockTerm in scalar, exactly as the scalar build. (Four rows per pass, with the float step as one
// vector across the rows, measured slower here.)

/** Q4_K / Q5_K super-block at `w` against the Q8_K block at `xq` (staged at `st`): isum and msum, as
 *  lanes whose pairs (0, 1) and (2, 3) add up to them. */
// @ts-ignore: decorator
@inline function blockK4(w: usize, xq: usize, st: usize, five: bool): v128 {
  const qsAt: usize = five ? 48 : 16;
  const s = k4Unpack(w + 4);
  const sc = i16x8.extend_low_i8x16_u(s);
  if (ASC_FEATURE_RELAXED_SIMD) {
    v128.store(SC32, sc);
  } else {
    v128.store(SC32, i32x4.extend_low_i16x8_u(sc));
    v128.store(SC32, i32x4.extend_high_i16x8_u(sc), 16);
  }
  // Min term: [m0, m0, m1, m1, …] (i16) dotted with bsums 0..7, then m4..7 with bsums 8..15.
  const z = i32x4.splat(0);
  const mlo = i8x16.shuffle(s, z, 8, 16, 8, 16, 9, 16, 9, 16, 10, 16, 10, 16, 11, 16, 11, 16);
  const mhi = i8x16.shuffle(s, z, 12, 16, 12, 16, 13, 16, 13, 16, 14, 16, 14, 16, 15, 16, 15, 16);
  const msum = i32x4.add(i32x4.dot_i16x8_s(mlo, v128.load(xq + 260)), i32x4.dot_i16x8_s(mhi, v128.load(xq + 276)));
  let isum = z;
  const h0 = five ? v128.load(w + 16) : z; // Q5_K's fifth bits, qh[0..31]
  const h1 = five ? v128.load(w + 32) : z;
  for (let c = 0; c < 4; c++) {
    const q = w + qsAt + <usize>(c << 5);
    const v0 = v128.load(q);
    const v1 = v128.load(q, 16);
    const a0 = k4Codes(v0, h0, c, false, five), a1 = k4Codes(v1, h1, c, false, five);
    const b0 = k4Codes(v0, h0, c, true, five), b1 = k4Codes(v1, h1, c, true, five);
    const g = c << 2;
    isum = scaled(dot32(a0, a1, xq, st, g), 2 * c, isum);
    isum = scaled(dot32(b0, b1, xq, st, g + 2), 2 * c + 1, isum);
  }
  // [isum lanes 0+2, 1+3, msum lanes 0+2, 1+3]
  return i32x4.add(i32x4.shuffle(isum, msum, 0, 1, 4, 5), i32x4.shuffle(isum, msum, 2, 3, 6, 7));
}

/** Q6_K super-block: isum of the signed codes, in four lanes (dotted as 0..63, minus 32·Σ_j sc_j·bsums[j]). */
// @ts-ignore: decorator
@inline function blockQ6K(w: usize, xq: usize, st: usize): v128 {
  const m3 = i8x16.splat(3);
  const m15 = i8x16.splat(15);
  const z = i32x4.splat(0);
  const sc = v128.load(w + 192);
  const lo = i16x8.extend_low_i8x16_s(sc);
  const hi = i16x8.extend_high_i8x16_s(sc);
  if (ASC_FEATURE_RELAXED_SIMD) {
    v128.store(SC32, lo);
    v128.store(SC32, hi, 16);
  } else {
    v128.store(SC32, i32x4.extend_low_i16x8_s(lo));
    v128.store(SC32, i32x4.extend_high_i16x8_s(lo), 16);
    v128.store(SC32, i32x4.extend_low_i16x8_s(hi), 32);
    v128.store(SC32, i32x4.extend_high_i16x8_s(hi), 48);
  }
  const offset = i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(xq + 260)), i32x4.dot_i16x8_s(hi, v128.load(xq + 276)));
  let isum = i32x4.sub(z, i32x4.shl(offset, 5));
  for (let h = 0; h < 2; h++) {
    const ql = w + <usize>(h << 6);
    const qh = w + 128 + <usize>(h << 5);
    for (let t = 0; t < 2; t++) {
      const o = <usize>(t << 4);
      const a = v128.load(ql + o);
      const c = v128.load(ql + 32 + o);
      const hv = v128.load(qh + o);
      const q1 = v128.or(v128.and(a, m15), i8x16.shl(v128.and(hv, m3), 4));
      const q2 = v128.or(v128.and(c, m15), i8x16.shl(v128.and(i8x16.shr_u(hv, 2), m3), 4));
      const q3 = v128.or(i8x16.shr_u(a, 4), i8x16.shl(v128.and(i8x16.shr_u(hv, 4), m3), 4));
      const q4 = v128.or(i8x16.shr_u(c, 4), i8x16.shl(i8x16.shr_u(hv, 6), 4));
      const j = 8 * h + t;
      isum = scaled(dot16only(q1, xq, st, j), j, isum);
      isum = scaled(dot16only(q2, xq, st, j + 2), j + 2, isum);
      isum = scaled(dot16only(q3, xq, st, j + 4), j + 4, isum);
      isum = scaled(dot16only(q4, xq, st, j + 6), j + 6, isum);
    }
  }
  return isum;
}

/** One row, SIMD builds. */
// @ts-ignore: decorator
@inline function row1(w: usize, xq: usize, nb: i32, type: i32): f32 {
  const bytes: usize = type == 4 ? 144 : type == 5 ? 176 : 210;
  let acc: f32 = 0;
  let st = STAGE;
  for (let b = 0; b < nb; b++, xq += 292, st += 512, w += bytes) {
    if (type == 6) {
      acc = blockTerm(acc, loadHalf(w + 208), 0, load<f32>(xq), isum4(blockQ6K(w, xq, st)), 0, false);
    } else {
      const v = blockK4(w, xq, st, type == 5);
      const isum = i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1);
      const msum = i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
      acc = blockTerm(acc, loadHalf(w), loadHalf(w + 2), load<f32>(xq), isum, msum, true);
    }
  }
  return acc;
}

// @ts-ignore: decorator
@inline function isum4(v: v128): i32 {
  const s = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1);
}

/** One row, scalar build: the same integers and float steps as rows4, one element at a time. */
// @ts-ignore: decorator
@inline function rowScalar(w: usize, xq: usize, nb: i32, type: i32): f32 {
  let acc: f32 = 0;
  if (type == 6) {
    for (let b = 0; b < nb; b++, w += 210, xq += 292) {
      let isum = 0;
      for (let j = 0; j < 16; j++) {
        const h = j >> 3;
        const u = (j >> 1) & 3;
        const t = j & 1;
        let dot = 0;
        for (let i = 0; i < 16; i++) {
          const l = <usize>(16 * t + i);
          const low = (<i32>load<u8>(w + <usize>(64 * h + 32 * (u & 1)) + l) >> (4 * (u >> 1))) & 15;
          const high = (<i32>load<u8>(w + 128 + <usize>(32 * h) + l) >> (2 * u)) & 3;
          dot += ((low | (high << 4)) - 32) * <i32>load<i8>(xq + 4 + <usize>(16 * j + i));
        }
        isum += <i32>load<i8>(w + 192 + <usize>j) * dot;
      }
      acc = blockTerm(acc, loadHalf(w + 208), 0, load<f32>(xq), isum, 0, false);
    }
    return acc;
  }
  const five = type == 5;
  const bytes: usize = five ? 176 : 144;
  const qsAt: usize = five ? 48 : 16;
  for (let b = 0; b < nb; b++, w += bytes, xq += 292) {
    let isum = 0;
    let msum = 0;
    for (let j = 0; j < 8; j++) {
      const q = w + qsAt + <usize>((j >> 1) << 5);
      const shift = 4 * (j & 1);
      let dot = 0;
      for (let l = 0; l < 32; l++) {
        let code = (<i32>load<u8>(q + <usize>l) >> shift) & 15;
        if (five) code |= ((<i32>load<u8>(w + 16 + <usize>l) >> j) & 1) << 4;
        dot += code * <i32>load<i8>(xq + 4 + <usize>(32 * j + l));
      }
      isum += k4Scale(w + 4, j) * dot;
      msum += k4Min(w + 4, j) * (<i32>load<i16>(xq + 260 + <usize>(4 * j)) + <i32>load<i16>(xq + 262 + <usize>(4 * j)));
    }
    acc = blockTerm(acc, loadHalf(w), loadHalf(w + 2), load<f32>(xq), isum, msum, true);
  }
  return acc;
}

// @ts-ignore: decorator
@inline function gemv(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32, type: i32): void {
  const bytes: usize = type == 4 ? 144 : type == 5 ? 176 : 210;
  const nb = k >> 8;
  const rowBytes = <usize>nb * bytes;
  startRows(bias, y, out);
  for (let p = 0; p < nb; p += STAGE_BLOCKS) {
    const pb = min(STAGE_BLOCKS, nb - p);
    const xp = xq + <usize>p * 292;
    const wp = w + <usize>p * bytes;
    if (ASC_FEATURE_SIMD) {
      stage(xp, pb);
      for (let r = 0; r < out; r++) {
        const yp = y + (<usize>r << 2);
        store<f32>(yp, load<f32>(yp) + row1(wp + <usize>r * rowBytes, xp, pb, type));
      }
    } else {
      for (let r = 0; r < out; r++) {
        const yp = y + (<usize>r << 2);
        store<f32>(yp, load<f32>(yp) + rowScalar(wp + <usize>r * rowBytes, xp, pb, type));
      }
    }
  }
  finishRows(y, out, relu);
}

export function q8_gemv_q4_k(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(w, bias, xq, y, out, k, relu, 4);
}

export function q8_gemv_q5_k(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(w, bias, xq, y, out, k, relu, 5);
}

export function q8_gemv_q6_k(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(w, bias, xq, y, out, k, relu, 6);
}
