// Fused GEMV over K-quant weights with f32 activations: y[r] = act(bias[r] + Σ_i w[r, i]·x[i]), where
// row r is k/256 consecutive GGUF blocks (Q4_K 144 B, Q5_K 176 B, Q6_K 210 B), exactly as stored.
//
// Nothing is dequantized to memory. Per super-block and row, the scale fields are unpacked once (d·sc and
// dmin·m rounded to f32 as in ggml's dequantizer), then each sub-block's codes are widened to f32 in
// registers and dotted with x. Order of the float operations (documented, tested with a tolerance):
//   P_j  = Σ_l q_l·x_l over sub-block j, kept as 4 lane sums (two chains, added at the end),
//   acc += (d·sc_j) · P_j                              per sub-block, lane-wise,
//   acc −= (dmin·m_j) · X_j   (Q4_K/Q5_K)              X_j = Σ x over sub-block j, computed once per call,
//   y[r] = bias[r] + hsum(acc)  (input panels of 131072 add in turn), then ReLU.
// Folding the min through X_j is ggml's own reorganisation (its bsums); Q6_K's −32 offset stays exact in
// the integer code. The relaxed build may fuse the multiply-adds (f32x4_madd); the scalar build runs the
// same sums one element at a time.

import { f32x4_madd } from "../simd";
import { k4Scale, k4Min, k4Unpack } from "./k-scales";
import { loadHalf } from "./blocks";
import { startRows, finishRows, hsum } from "./k-gemv-common";

const PANEL_BLOCKS: i32 = 512; // super-blocks per input panel: X_j of 4096 sub-blocks fit XSUM
const XSUM = memory.data(4096 * 4, 16);
const SCALES = memory.data(16 * 4, 16); // this super-block's d·sc_j (Q6_K: 16, Q4_K/Q5_K: 8)

/** XSUM[j] = Σ x over each of the `n` 32-element sub-blocks at x. */
function subBlockSums(x: usize, n: i32): void {
  for (let j = 0; j < n; j++, x += 128) {
    if (ASC_FEATURE_SIMD) {
      let s = f32x4.add(v128.load(x), v128.load(x, 16));
      s = f32x4.add(s, f32x4.add(v128.load(x, 32), v128.load(x, 48)));
      s = f32x4.add(s, f32x4.add(f32x4.add(v128.load(x, 64), v128.load(x, 80)), f32x4.add(v128.load(x, 96), v128.load(x, 112))));
      store<f32>(XSUM + (<usize>j << 2), hsum(s));
    } else {
      let s: f32 = 0;
      for (let l = 0; l < 32; l++) s += load<f32>(x + (<usize>l << 2));
      store<f32>(XSUM + (<usize>j << 2), s);
    }
  }
}

/** Σ over 4 codes (i32 lanes) · x[0..3]: the widened codes in `c` times the floats at `xp`. */
// @ts-ignore: decorator
@inline function mul4(c: v128, xp: usize): v128 {
  return f32x4.mul(f32x4.convert_i32x4_s(c), v128.load(xp));
}

// @ts-ignore: decorator
@inline function madd4(c: v128, xp: usize, acc: v128): v128 {
  return f32x4_madd(f32x4.convert_i32x4_s(c), v128.load(xp), acc);
}

/** Lane sums of Σ_l q_l·x_l for 16 signed codes (i8 lanes of `q`) and x[0..15] at `xp`. */
// @ts-ignore: decorator
@inline function dot16(q: v128, xp: usize): v128 {
  const lo = i16x8.extend_low_i8x16_s(q);
  const hi = i16x8.extend_high_i8x16_s(q);
  const a = madd4(i32x4.extend_low_i16x8_s(hi), xp + 32, mul4(i32x4.extend_low_i16x8_s(lo), xp));
  const b = madd4(i32x4.extend_high_i16x8_s(hi), xp + 48, mul4(i32x4.extend_high_i16x8_s(lo), xp + 16));
  return f32x4.add(a, b);
}

/** Lane sums of Σ_l q_l·x_l for 32 codes (0..31; `a` then `b`) and x[0..31] at `xp`. */
// @ts-ignore: decorator
@inline function dot32(a: v128, b: v128, xp: usize): v128 {
  const al = i16x8.extend_low_i8x16_u(a);
  const ah = i16x8.extend_high_i8x16_u(a);
  const bl = i16x8.extend_low_i8x16_u(b);
  const bh = i16x8.extend_high_i8x16_u(b);
  let s0 = mul4(i32x4.extend_low_i16x8_u(al), xp);
  let s1 = mul4(i32x4.extend_high_i16x8_u(al), xp + 16);
  s0 = madd4(i32x4.extend_low_i16x8_u(ah), xp + 32, s0);
  s1 = madd4(i32x4.extend_high_i16x8_u(ah), xp + 48, s1);
  s0 = madd4(i32x4.extend_low_i16x8_u(bl), xp + 64, s0);
  s1 = madd4(i32x4.extend_high_i16x8_u(bl), xp + 80, s1);
  s0 = madd4(i32x4.extend_low_i16x8_u(bh), xp + 96, s0);
  s1 = madd4(i32x4.extend_high_i16x8_u(bh), xp + 112, s1);
  return f32x4.add(s0, s1);
}

/** 16 in each byte whose bit `bit` (0..7) is set in `hv`, else 0 (Q5_K's fifth bit). The 16-bit shifts
 *  are cheaper than byte shifts; the bits they carry across bytes are masked off. */
// @ts-ignore: decorator
@inline export function fifthBit(hv: v128, bit: i32): v128 {
  return v128.and(i16x8.shl(i16x8.shr_u(hv, bit), 4), i8x16.splat(16));
}

/** 16 Q4_K / Q5_K codes of sub-block 2c (`high` false: low nibbles) or 2c + 1 (high nibbles) from the
 *  32 code bytes `v` of chunk c, with Q5_K's fifth bits from `hv` (one of qh's two 16-byte halves). */
// @ts-ignore: decorator
@inline export function k4Codes(v: v128, hv: v128, c: i32, high: bool, five: bool): v128 {
  const q = high ? i8x16.shr_u(v, 4) : v128.and(v, i8x16.splat(15));
  return five ? v128.or(q, fifthBit(hv, 2 * c + (high ? 1 : 0))) : q;
}

/** One Q4_K / Q5_K row over `nb` super-blocks: Σ_i w[i]·x[i], with XSUM holding this panel's X_j. */
// @ts-ignore: decorator
@inline function rowK4(w: usize, x: usize, nb: i32, five: bool): f32 {
  const bytes: usize = five ? 176 : 144;
  const qsAt: usize = five ? 48 : 16;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    let mins = f32x4.splat(0);
    for (let b = 0; b < nb; b++, w += bytes, x += 1024) {
      const s = k4Unpack(w + 4);
      const sc = i16x8.extend_low_i8x16_u(s);
      const m = i16x8.extend_high_i8x16_u(s);
      const d = f32x4.splat(loadHalf(w));
      const dmin = f32x4.splat(loadHalf(w + 2));
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(sc))));
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(sc))), 16);
      const xs = XSUM + (<usize>b << 5);
      mins = f32x4_madd(f32x4.mul(dmin, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(m))), v128.load(xs), mins);
      mins = f32x4_madd(f32x4.mul(dmin, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(m))), v128.load(xs, 16), mins);
      const h0 = five ? v128.load(w + 16) : acc; // Q5_K's fifth bits, qh[0..31]
      const h1 = five ? v128.load(w + 32) : acc;
      for (let c = 0; c < 4; c++) {
        const q = w + qsAt + <usize>(c << 5);
        const v0 = v128.load(q);
        const v1 = v128.load(q, 16);
        const a0 = k4Codes(v0, h0, c, false, five), a1 = k4Codes(v1, h1, c, false, five);
        const b0 = k4Codes(v0, h0, c, true, five), b1 = k4Codes(v1, h1, c, true, five);
        const xc = x + (<usize>c << 8);
        acc = f32x4_madd(v128.load32_splat(SCALES + (<usize>c << 3)), dot32(a0, a1, xc), acc);
        acc = f32x4_madd(v128.load32_splat(SCALES + (<usize>c << 3) + 4), dot32(b0, b1, xc + 128), acc);
      }
    }
    return hsum(f32x4.sub(acc, mins));
  }
  let acc: f32 = 0;
  for (let b = 0; b < nb; b++, w += bytes, x += 1024) {
    const d = loadHalf(w);
    const dmin = loadHalf(w + 2);
    for (let j = 0; j < 8; j++) {
      const c = j >> 1;
      const shift = 4 * (j & 1);
      const q = w + qsAt + <usize>(c << 5);
      const xp = x + (<usize>j << 7);
      let p: f32 = 0;
      for (let l = 0; l < 32; l++) {
        let code = (<i32>load<u8>(q + <usize>l) >> shift) & 15;
        if (five) code |= ((<i32>load<u8>(w + 16 + <usize>l) >> j) & 1) << 4;
        p += <f32>code * load<f32>(xp + (<usize>l << 2));
      }
      acc += (d * <f32>k4Scale(w + 4, j)) * p - (dmin * <f32>k4Min(w + 4, j)) * load<f32>(XSUM + (<usize>(b * 8 + j) << 2));
    }
  }
  return acc;
}

// @ts-ignore: decorator
@inline function gemvK4(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32, five: bool): void {
  const bytes: usize = five ? 176 : 144;
  const nb = k >> 8;
  const rowBytes = <usize>nb * bytes;
  startRows(bias, y, out);
  for (let p = 0; p < nb; p += PANEL_BLOCKS) {
    const pb = min(PANEL_BLOCKS, nb - p);
    const xp = x + (<usize>p << 10);
    subBlockSums(xp, pb * 8);
    const wp = w + <usize>p * bytes;
    for (let r = 0; r < out; r++) {
      const yp = y + (<usize>r << 2);
      store<f32>(yp, load<f32>(yp) + rowK4(wp + <usize>r * rowBytes, xp, pb, five));
    }
  }
  finishRows(y, out, relu);
}

export function f32_gemv_q4_k(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemvK4(w, bias, x, y, out, k, relu, false);
}

export function f32_gemv_q5_k(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemvK4(w, bias, x, y, out, k, relu, true);
}

/** One Q6_K row over `nb` super-blocks. */
function rowQ6K(w: usize, x: usize, nb: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let b = 0; b < nb; b++, w += 210, x += 1024) {
      const d = f32x4.splat(loadHalf(w + 208));
      const sc = v128.load(w + 192);
      const lo = i16x8.extend_low_i8x16_s(sc);
      const hi = i16x8.extend_high_i8x16_s(sc);
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo))));
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo))), 16);
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi))), 32);
      v128.store(SCALES, f32x4.mul(d, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi))), 48);
      const m3 = i8x16.splat(3);
      const m15 = i8x16.splat(15);
      const m32 = i8x16.splat(32);
      for (let h = 0; h < 2; h++) {
        const ql = w + <usize>(h << 6);
        const qh = w + 128 + <usize>(h << 5);
        const xh = x + <usize>(h << 9);
        const sh = SCALES + <usize>(h << 5);
        for (let t = 0; t < 2; t++) {
          const o = <usize>(t << 4);
          const a = v128.load(ql + o);
          const c = v128.load(ql + 32 + o);
          const hv = v128.load(qh + o);
          const q1 = i8x16.sub(v128.or(v128.and(a, m15), i8x16.shl(v128.and(hv, m3), 4)), m32);
          const q2 = i8x16.sub(v128.or(v128.and(c, m15), i8x16.shl(v128.and(i8x16.shr_u(hv, 2), m3), 4)), m32);
          const q3 = i8x16.sub(v128.or(i8x16.shr_u(a, 4), i8x16.shl(v128.and(i8x16.shr_u(hv, 4), m3), 4)), m32);
          const q4 = i8x16.sub(v128.or(i8x16.shr_u(c, 4), i8x16.shl(i8x16.shr_u(hv, 6), 4)), m32);
          const xo = xh + (o << 2);
          const so = sh + (<usize>t << 2);
          acc = f32x4_madd(v128.load32_splat(so), dot16(q1, xo), acc);
          acc = f32x4_madd(v128.load32_splat(so + 8), dot16(q2, xo + 128), acc);
          acc = f32x4_madd(v128.load32_splat(so + 16), dot16(q3, xo + 256), acc);
          acc = f32x4_madd(v128.load32_splat(so + 24), dot16(q4, xo + 384), acc);
        }
      }
    }
    return hsum(acc);
  }
  let acc: f32 = 0;
  for (let b = 0; b < nb; b++, w += 210, x += 1024) {
    const d = loadHalf(w + 208);
    for (let j = 0; j < 16; j++) {
      // Sub-block j = elements 16j..16j+15: half h, quarter u, l-half t.
      const h = j >> 3;
      const u = (j >> 1) & 3;
      const t = j & 1;
      let p: f32 = 0;
      for (let i = 0; i < 16; i++) {
        const l = <usize>(16 * t + i);
        const low = (<i32>load<u8>(w + <usize>(64 * h + 32 * (u & 1)) + l) >> (4 * (u >> 1))) & 15;
        const high = (<i32>load<u8>(w + 128 + <usize>(32 * h) + l) >> (2 * u)) & 3;
        p += <f32>((low | (high << 4)) - 32) * load<f32>(x + (<usize>(16 * j + i) << 2));
      }
      acc += (d * <f32>load<i8>(w + 192 + <usize>j)) * p;
    }
  }
  return acc;
}

export function f32_gemv_q6_k(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  const nb = k >> 8;
  const rowBytes = <usize>nb * 210;
  startRows(bias, y, out);
  for (let r = 0; r < out; r++) {
    const yp = y + (<usize>r << 2);
    store<f32>(yp, load<f32>(yp) + rowQ6K(w + <usize>r * rowBytes, x, nb));
  }
  finishRows(y, out, relu);
}
