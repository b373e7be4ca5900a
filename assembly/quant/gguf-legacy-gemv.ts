// Fused dequant-GEMV over GGUF rows with f32 activations: y[r] = act(Σ_b d_b·Σ_j c_j·x_j (+ m_b·Σ_j x_j) + bias[r])
//   f32_gemv_<type>(w, bias, x, y, out, k, relu): w = `out` rows of k/32 blocks (the GGUF bytes), x f32[k],
//   y f32[out], bias f32[out] or 0 for none, relu 0/1. Types: q4_0, q4_1, q8_0.
// Codes are turned into f32 exactly (c = q − 8 for Q4_0, q for Q4_1, the int8 for Q8_0), multiplied by x and
// summed; the block scale is applied once per block. Accumulation order (SIMD builds): per row and block, lane
// l ∈ 0..3 sums c_j·x_j for j ≡ l (mod 4) in increasing j; then acc_l = acc_l + t_l·d (Q4_1: then + sx_l·m,
// sx_l the same lane sum of x); at the end (acc_0 + acc_2) + (acc_1 + acc_3), + bias, ReLU. The relaxed build
// may fuse those multiply-adds. Scalar build: per block t = Σ_j c_j·x_j in j order, acc += t·d (+ sx·m).
// Rows go 4 at a time so each x vector feeds 4 rows; a partial last group recomputes its last row.

import { f32x4_madd } from "../simd";
import { loadHalf, lowNibbles, highNibbles, nibbleAt, i8ToF32Quarter, groupRow, sum4RowsF32, addBias4, storeRows4, finishScalar } from "./blocks";

const Q4_0: i32 = 0;
const Q4_1: i32 = 1;
const Q8_0: i32 = 2;

// @ts-ignore: decorator
@inline function blockBytes(kind: i32): usize {
  return kind == Q4_0 ? 18 : kind == Q4_1 ? 20 : 34;
}

/** The 16 int8 codes of half `h` (elements 16h .. 16h+15) of the block at `w`. */
// @ts-ignore: decorator
@inline function halfCodes(kind: i32, w: usize, h: i32): v128 {
  if (kind == Q8_0) return v128.load(w + 2 + (<usize>h << 4));
  const qs = v128.load(w + (kind == Q4_1 ? 4 : 2));
  const q = h == 0 ? lowNibbles(qs) : highNibbles(qs);
  return kind == Q4_0 ? i8x16.sub(q, i8x16.splat(8)) : q;
}

/** t + Σ over the 16 codes of one half: lane l gets codes l, l+4, l+8, l+12 times x, in that order. */
// @ts-ignore: decorator
@inline function halfDot(codes: v128, x0: v128, x1: v128, x2: v128, x3: v128, t: v128): v128 {
  t = f32x4_madd(i8ToF32Quarter(codes, 0), x0, t);
  t = f32x4_madd(i8ToF32Quarter(codes, 1), x1, t);
  t = f32x4_madd(i8ToF32Quarter(codes, 2), x2, t);
  return f32x4_madd(i8ToF32Quarter(codes, 3), x3, t);
}

// @ts-ignore: decorator
@inline function gemvSimd(kind: i32, w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: bool): void {
  const nb = k >> 5;
  const bb = blockBytes(kind);
  const rowBytes = <usize>nb * bb;
  for (let row0 = 0; row0 < out; row0 += 4) {
    let w0 = w + <usize>groupRow(row0, 0, out) * rowBytes;
    let w1 = w + <usize>groupRow(row0, 1, out) * rowBytes;
    let w2 = w + <usize>groupRow(row0, 2, out) * rowBytes;
    let w3 = w + <usize>groupRow(row0, 3, out) * rowBytes;
    const zero = f32x4.splat(0);
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    let xp = x;
    for (let b = 0; b < nb; b++) {
      let t0 = zero, t1 = zero, t2 = zero, t3 = zero, sx = zero;
      for (let h = 0; h < 2; h++) {
        const x0 = v128.load(xp), x1 = v128.load(xp, 16), x2 = v128.load(xp, 32), x3 = v128.load(xp, 48);
        if (kind == Q4_1) sx = f32x4.add(f32x4.add(f32x4.add(f32x4.add(sx, x0), x1), x2), x3);
        t0 = halfDot(halfCodes(kind, w0, h), x0, x1, x2, x3, t0);
        t1 = halfDot(halfCodes(kind, w1, h), x0, x1, x2, x3, t1);
        t2 = halfDot(halfCodes(kind, w2, h), x0, x1, x2, x3, t2);
        t3 = halfDot(halfCodes(kind, w3, h), x0, x1, x2, x3, t3);
        xp += 64;
      }
      a0 = f32x4_madd(t0, f32x4.splat(loadHalf(w0)), a0);
      a1 = f32x4_madd(t1, f32x4.splat(loadHalf(w1)), a1);
      a2 = f32x4_madd(t2, f32x4.splat(loadHalf(w2)), a2);
      a3 = f32x4_madd(t3, f32x4.splat(loadHalf(w3)), a3);
      if (kind == Q4_1) {
        a0 = f32x4_madd(sx, f32x4.splat(loadHalf(w0 + 2)), a0);
        a1 = f32x4_madd(sx, f32x4.splat(loadHalf(w1 + 2)), a1);
        a2 = f32x4_madd(sx, f32x4.splat(loadHalf(w2 + 2)), a2);
        a3 = f32x4_madd(sx, f32x4.splat(loadHalf(w3 + 2)), a3);
      }
      w0 += bb; w1 += bb; w2 += bb; w3 += bb;
    }
    storeRows4(y, row0, out, addBias4(sum4RowsF32(a0, a1, a2, a3), bias, row0, out), relu);
  }
}

/** Code j of the block at `w` as an integer (scalar builds). */
// @ts-ignore: decorator
@inline function codeAt(kind: i32, w: usize, j: i32): i32 {
  if (kind == Q8_0) return <i32>load<i8>(w + 2 + <usize>j);
  if (kind == Q4_1) return nibbleAt(w + 4, j);
  return nibbleAt(w + 2, j) - 8;
}

// @ts-ignore: decorator
@inline function gemvScalar(kind: i32, w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: bool): void {
  const nb = k >> 5;
  const bb = blockBytes(kind);
  for (let r = 0; r < out; r++) {
    let wp = w + <usize>r * <usize>nb * bb;
    let acc: f32 = 0;
    for (let b = 0; b < nb; b++, wp += bb) {
      const xb = x + (<usize>b << 7);
      let t: f32 = 0, sx: f32 = 0;
      for (let j = 0; j < 32; j++) {
        const xv = load<f32>(xb + (<usize>j << 2));
        t += <f32>codeAt(kind, wp, j) * xv;
        if (kind == Q4_1) sx += xv;
      }
      acc += t * loadHalf(wp);
      if (kind == Q4_1) acc += sx * loadHalf(wp + 2);
    }
    finishScalar(y, bias, r, acc, relu);
  }
}

// @ts-ignore: decorator
@inline function gemv(kind: i32, w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  if (ASC_FEATURE_SIMD) gemvSimd(kind, w, bias, x, y, out, k, relu != 0);
  else gemvScalar(kind, w, bias, x, y, out, k, relu != 0);
}

export function f32_gemv_q4_0(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q4_0, w, bias, x, y, out, k, relu);
}

export function f32_gemv_q4_1(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q4_1, w, bias, x, y, out, k, relu);
}

export function f32_gemv_q8_0(w: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemv(Q8_0, w, bias, x, y, out, k, relu);
}
