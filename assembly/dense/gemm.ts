// Dense f32 GEMM over panel-packed weights (see pack.ts):
//   Y[m, n] = act(X[m, k] · W[n, k]ᵀ + bias[n])
// SIMD builds: 4×8 register tile (8 f32x4 accumulators, X broadcast by load-splat).
// Cache blocking: a block of panels (≈512 KiB of weights) stays in L2 while every 4-row strip of X
// (in L1) sweeps over it, so 1024³ keeps the same rate as 256³.
// `bias` must hold a multiple of 8 floats (the op pads it), `relu` is 0 or 1.

import { f32x4_madd, f32x4_store_partial, f32x4_activate } from "../simd";

const MR: i32 = 4;
const PANEL_BLOCK_BYTES: i32 = 512 << 10;

// @ts-ignore: decorator
@inline function panelsPerBlock(k: i32): i32 {
  const panelBytes = max(k, 1) << 5;
  return max(1, PANEL_BLOCK_BYTES / panelBytes);
}

/** Stores one output row of a tile (lanes past `cols` untouched); shared with gemv.ts. */
// @ts-ignore: decorator
@inline export function storeRow(y: usize, lo: v128, hi: v128, cols: i32, relu: bool): void {
  lo = f32x4_activate(lo, relu);
  hi = f32x4_activate(hi, relu);
  if (cols == 8) {
    v128.store(y, lo);
    v128.store(y, hi, 16);
  } else {
    f32x4_store_partial(y, lo, cols);
    f32x4_store_partial(y + 16, hi, cols - 4);
  }
}

/** One mr×8 output tile (mr ≤ 4 is a compile-time constant after inlining). */
// @ts-ignore: decorator
@inline export function tileSimd(mr: i32, w: usize, bias: usize, x: usize, y: usize, k: i32, ldy: usize, cols: i32, relu: bool): void {
  const ldx = <usize>k << 2;
  const b0 = v128.load(bias);
  const b1 = v128.load(bias, 16);
  let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
  const wEnd = w + (<usize>k << 5);
  let xp = x;
  while (w < wEnd) {
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    let a = v128.load32_splat(xp);
    c00 = f32x4_madd(a, w0, c00);
    c01 = f32x4_madd(a, w1, c01);
    if (mr > 1) {
      a = v128.load32_splat(xp + ldx);
      c10 = f32x4_madd(a, w0, c10);
      c11 = f32x4_madd(a, w1, c11);
    }
    if (mr > 2) {
      a = v128.load32_splat(xp + 2 * ldx);
      c20 = f32x4_madd(a, w0, c20);
      c21 = f32x4_madd(a, w1, c21);
    }
    if (mr > 3) {
      a = v128.load32_splat(xp + 3 * ldx);
      c30 = f32x4_madd(a, w0, c30);
      c31 = f32x4_madd(a, w1, c31);
    }
    xp += 4;
    w += 32;
  }
  storeRow(y, c00, c01, cols, relu);
  if (mr > 1) storeRow(y + ldy, c10, c11, cols, relu);
  if (mr > 2) storeRow(y + 2 * ldy, c20, c21, cols, relu);
  if (mr > 3) storeRow(y + 3 * ldy, c30, c31, cols, relu);
}

/** One 1×8 output tile, scalar build (also the scalar GEMV panel). */
// @ts-ignore: decorator
@inline export function tileScalar(w: usize, bias: usize, x: usize, y: usize, k: i32, cols: i32, relu: bool): void {
  let a0 = load<f32>(bias), a1 = load<f32>(bias, 4), a2 = load<f32>(bias, 8), a3 = load<f32>(bias, 12);
  let a4 = load<f32>(bias, 16), a5 = load<f32>(bias, 20), a6 = load<f32>(bias, 24), a7 = load<f32>(bias, 28);
  for (let kk = 0; kk < k; kk++) {
    const xv = load<f32>(x + (<usize>kk << 2));
    const wk = w + (<usize>kk << 5);
    a0 += xv * load<f32>(wk); a1 += xv * load<f32>(wk, 4);
    a2 += xv * load<f32>(wk, 8); a3 += xv * load<f32>(wk, 12);
    a4 += xv * load<f32>(wk, 16); a5 += xv * load<f32>(wk, 20);
    a6 += xv * load<f32>(wk, 24); a7 += xv * load<f32>(wk, 28);
  }
  storeScalar(y, 0, a0, cols, relu); storeScalar(y, 1, a1, cols, relu);
  storeScalar(y, 2, a2, cols, relu); storeScalar(y, 3, a3, cols, relu);
  storeScalar(y, 4, a4, cols, relu); storeScalar(y, 5, a5, cols, relu);
  storeScalar(y, 6, a6, cols, relu); storeScalar(y, 7, a7, cols, relu);
}

// @ts-ignore: decorator
@inline function storeScalar(y: usize, j: i32, v: f32, cols: i32, relu: bool): void {
  if (j < cols) store<f32>(y + (<usize>j << 2), relu ? max<f32>(v, 0) : v);
}

// @ts-ignore: decorator
@inline function stripSimd(mr: i32, wp: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, p0: i32, p1: i32, relu: bool): void {
  const ldy = <usize>n << 2;
  for (let p = p0; p < p1; p++) {
    const n0 = p << 3;
    tileSimd(mr, wp + (<usize>p * <usize>k << 5), bias + (<usize>n0 << 2), x, y + (<usize>n0 << 2), k, ldy, min(8, n - n0), relu);
  }
}

export function f32_gemm_dense_4x8(wp: usize, bias: usize, x: usize, y: usize, m: i32, n: i32, k: i32, relu: i32): void {
  const act = relu != 0;
  const panels = (n + 7) >> 3;
  const block = panelsPerBlock(k);
  const ldx = <usize>k << 2;
  const ldy = <usize>n << 2;
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(p0 + block, panels);
    if (ASC_FEATURE_SIMD) {
      let r = 0;
      for (; r + MR <= m; r += MR) stripSimd(4, wp, bias, x + <usize>r * ldx, y + <usize>r * ldy, n, k, p0, p1, act);
      const rest = m - r;
      const xr = x + <usize>r * ldx, yr = y + <usize>r * ldy;
      if (rest == 3) stripSimd(3, wp, bias, xr, yr, n, k, p0, p1, act);
      else if (rest == 2) stripSimd(2, wp, bias, xr, yr, n, k, p0, p1, act);
      else if (rest == 1) stripSimd(1, wp, bias, xr, yr, n, k, p0, p1, act);
    } else {
      for (let r = 0; r < m; r++) {
        for (let p = p0; p < p1; p++) {
          const n0 = p << 3;
          tileScalar(wp + (<usize>p * <usize>k << 5), bias + (<usize>n0 << 2), x + <usize>r * ldx, y + <usize>r * ldy + (<usize>n0 << 2), k, min(8, n - n0), act);
        }
      }
    }
  }
}
