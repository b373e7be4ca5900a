// The integer path of the K-quant GEMV, as ggml runs it: activations quantized to Q8_K, then integer
// sub-block dots.
//
// gguf_quantize_q8_k(x, dst, blocks): ggml's quantize_row_q8_K_ref, byte for byte: max = the first
// largest-|x| value, iscale = −127/max, q = min(127, nearest_int(iscale·x)) stored as int8 (wrapping like
// the C store), bsums[g] = Σ of 16 codes, d = 1/iscale (f32). An all-zero block is all zero bytes.
// nearest_int is ggml's magic-number rounding (add 1.5·2^23, take the mantissa), reproduced bit for bit,
// so NaN / ±inf / huge inputs give the same bytes as the C code.
//
// q8_gemv_<type>(w, bias, xq, y, out, k, relu): per super-block and row, integers first (exact):
//   isum = Σ_j sc_j · Σ_l q_l·xq_l           (lanes; Q6_K's q is the signed code −32..31)
//   msum = Σ_j m_j · (bsums[2j] + bsums[2j+1])   (Q4_K / Q5_K, ggml's min term)
// then floats: acc += f32(d·dx)·isum − f32(dmin·dx)·msum lane-wise, y[r] = bias[r] + hsum(acc), ReLU.
// The relaxed build may fuse those multiply-adds; the integer sums are identical in every build.

import { f32x4_madd } from "../simd";
import { loadHalf, k4Scale, k4Min, k4Unpack } from "./k-scales";
import { startRows, finishRows, hsum } from "./k-gemv-common";
import { fifthBit } from "./gguf-k-gemv";

const SC16 = memory.data(16 * 2, 16); // this super-block's sub-block scales as i16

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

/** Σ over lane pairs of q·xq for 16 codes (i16 lanes, each the sum of two products). */
// @ts-ignore: decorator
@inline function prod16(q: v128, xq: v128): v128 {
  return i16x8.add(i16x8.extmul_low_i8x16_s(q, xq), i16x8.extmul_high_i8x16_s(q, xq));
}

/** isum += sc_j · (i16 partial sums of sub-block j), sc_j read as an i16 splat from SC16. */
// @ts-ignore: decorator
@inline function scaled(p: v128, j: i32, isum: v128): v128 {
  return i32x4.add(isum, i32x4.dot_i16x8_s(p, v128.load16_splat(SC16 + (<usize>j << 1))));
}

/** One Q4_K / Q5_K row against Q8_K activations over `nb` super-blocks. */
// @ts-ignore: decorator
@inline function rowK4(w: usize, xq: usize, nb: i32, five: bool): f32 {
  const bytes: usize = five ? 176 : 144;
  const qsAt: usize = five ? 48 : 16;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let b = 0; b < nb; b++, w += bytes, xq += 292) {
      const s = k4Unpack(w + 4);
      v128.store(SC16, i16x8.extend_low_i8x16_u(s));
      // Min term: [m0, m0, m1, m1, …] (i16) dotted with bsums pairs 0..7, then m4..7 with 8..15.
      const z = i32x4.splat(0);
      const mlo = i8x16.shuffle(s, z, 8, 16, 8, 16, 9, 16, 9, 16, 10, 16, 10, 16, 11, 16, 11, 16);
      const mhi = i8x16.shuffle(s, z, 12, 16, 12, 16, 13, 16, 13, 16, 14, 16, 14, 16, 15, 16, 15, 16);
      const msum = i32x4.add(i32x4.dot_i16x8_s(mlo, v128.load(xq + 260)), i32x4.dot_i16x8_s(mhi, v128.load(xq + 276)));
      let isum = i32x4.splat(0);
      for (let c = 0; c < 4; c++) {
        const q = w + qsAt + <usize>(c << 5);
        const v0 = v128.load(q);
        const v1 = v128.load(q, 16);
        let a0 = v128.and(v0, i8x16.splat(15));
        let a1 = v128.and(v1, i8x16.splat(15));
        let b0 = i8x16.shr_u(v0, 4);
        let b1 = i8x16.shr_u(v1, 4);
        if (five) {
          const h0 = v128.load(w + 16);
          const h1 = v128.load(w + 32);
          a0 = v128.or(a0, fifthBit(h0, 2 * c));
          a1 = v128.or(a1, fifthBit(h1, 2 * c));
          b0 = v128.or(b0, fifthBit(h0, 2 * c + 1));
          b1 = v128.or(b1, fifthBit(h1, 2 * c + 1));
        }
        const x = xq + 4 + <usize>(c << 6);
        isum = scaled(i16x8.add(prod16(a0, v128.load(x)), prod16(a1, v128.load(x, 16))), 2 * c, isum);
        isum = scaled(i16x8.add(prod16(b0, v128.load(x, 32)), prod16(b1, v128.load(x, 48))), 2 * c + 1, isum);
      }
      const dx = load<f32>(xq);
      acc = f32x4_madd(f32x4.splat(loadHalf(w) * dx), f32x4.convert_i32x4_s(isum), acc);
      acc = f32x4_madd(f32x4.splat(-(loadHalf(w + 2) * dx)), f32x4.convert_i32x4_s(msum), acc);
    }
    return hsum(acc);
  }
  let acc: f32 = 0;
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
    const dx = load<f32>(xq);
    acc += (loadHalf(w) * dx) * <f32>isum - (loadHalf(w + 2) * dx) * <f32>msum;
  }
  return acc;
}

/** One Q6_K row against Q8_K activations over `nb` super-blocks. */
function rowQ6K(w: usize, xq: usize, nb: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    const m3 = i8x16.splat(3);
    const m15 = i8x16.splat(15);
    const m32 = i8x16.splat(32);
    for (let b = 0; b < nb; b++, w += 210, xq += 292) {
      const sc = v128.load(w + 192);
      v128.store(SC16, i16x8.extend_low_i8x16_s(sc));
      v128.store(SC16, i16x8.extend_high_i8x16_s(sc), 16);
      let isum = i32x4.splat(0);
      for (let h = 0; h < 2; h++) {
        const ql = w + <usize>(h << 6);
        const qh = w + 128 + <usize>(h << 5);
        const xh = xq + 4 + <usize>(h << 7);
        for (let t = 0; t < 2; t++) {
          const o = <usize>(t << 4);
          const a = v128.load(ql + o);
          const c = v128.load(ql + 32 + o);
          const hv = v128.load(qh + o);
          const q1 = i8x16.sub(v128.or(v128.and(a, m15), i8x16.shl(v128.and(hv, m3), 4)), m32);
          const q2 = i8x16.sub(v128.or(v128.and(c, m15), i8x16.shl(v128.and(i8x16.shr_u(hv, 2), m3), 4)), m32);
          const q3 = i8x16.sub(v128.or(i8x16.shr_u(a, 4), i8x16.shl(v128.and(i8x16.shr_u(hv, 4), m3), 4)), m32);
          const q4 = i8x16.sub(v128.or(i8x16.shr_u(c, 4), i8x16.shl(i8x16.shr_u(hv, 6), 4)), m32);
          const x = xh + o;
          const j = 8 * h + t;
          isum = scaled(prod16(q1, v128.load(x)), j, isum);
          isum = scaled(prod16(q2, v128.load(x, 32)), j + 2, isum);
          isum = scaled(prod16(q3, v128.load(x, 64)), j + 4, isum);
          isum = scaled(prod16(q4, v128.load(x, 96)), j + 6, isum);
        }
      }
      acc = f32x4_madd(f32x4.splat(loadHalf(w + 208) * load<f32>(xq)), f32x4.convert_i32x4_s(isum), acc);
    }
    return hsum(acc);
  }
  let acc: f32 = 0;
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
    acc += (loadHalf(w + 208) * load<f32>(xq)) * <f32>isum;
  }
  return acc;
}

// @ts-ignore: decorator
@inline function gemv(w: usize, bias: usize, xq: usize, y: usize, out: i32, k: i32, relu: i32, type: i32): void {
  const bytes: usize = type == 4 ? 144 : type == 5 ? 176 : 210;
  const nb = k >> 8;
  const rowBytes = <usize>nb * bytes;
  startRows(bias, y, out);
  for (let r = 0; r < out; r++) {
    const yp = y + (<usize>r << 2);
    const row = w + <usize>r * rowBytes;
    const dot = type == 4 ? rowK4(row, xq, nb, false) : type == 5 ? rowK4(row, xq, nb, true) : rowQ6K(row, xq, nb);
    store<f32>(yp, load<f32>(yp) + dot);
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
