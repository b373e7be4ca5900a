// Dense f32 GEMV (batch 1) over panel-packed weights (see pack.ts): y[n] = act(W[n, k] · x[k] + bias[n]).
// Memory-bound: the weights are streamed once. Three consecutive panels run side by side so each x
// splat feeds three panels: the weight stream evicts x from L1, and re-fetching x once per panel cost
// ≈25% at 4096² (x loads from a fixed address ran at pure streaming speed). Four panels would exceed
// the xmm registers (V8 issues all loads of an iteration first), so the loop would spill.

import { f32x4_madd } from "../simd";
import { tileScalar, storeRow } from "./gemm";

const NP: i32 = 3;

export function f32_gemv_dense_nr8(wp: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, relu: i32): void {
  const act = relu != 0;
  const panels = (n + 7) >> 3;
  if (ASC_FEATURE_SIMD) {
    let p = 0;
    for (; p + NP <= panels; p += NP) panelsSimd(NP, wp, bias, x, y, n, k, p, act);
    const rest = panels - p;
    if (rest == 2) panelsSimd(2, wp, bias, x, y, n, k, p, act);
    else if (rest == 1) panelsSimd(1, wp, bias, x, y, n, k, p, act);
    return;
  }
  for (let p = 0; p < panels; p++) {
    const n0 = p << 3;
    tileScalar(wp + (<usize>p * <usize>k << 5), bias + (<usize>n0 << 2), x, y + (<usize>n0 << 2), k, min(8, n - n0), act);
  }
}

/** Panels p .. p+np-1 (np ≤ 3, a compile-time constant after inlining), one x splat per k for all. */
// @ts-ignore: decorator
@inline function panelsSimd(np: i32, wp: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, p: i32, relu: bool): void {
  const n0 = p << 3;
  const b = bias + (<usize>n0 << 2);
  let a0 = v128.load(b), a1 = v128.load(b, 16), b0 = a0, b1 = a1, c0 = a0, c1 = a1;
  if (np > 1) { b0 = v128.load(b, 32); b1 = v128.load(b, 48); }
  if (np > 2) { c0 = v128.load(b, 64); c1 = v128.load(b, 80); }
  const ps = <usize>k << 5; // panel stride in bytes
  let w = wp + <usize>p * ps;
  const xEnd = x + (<usize>k << 2);
  for (let xp = x; xp < xEnd; xp += 4, w += 32) {
    const a = v128.load32_splat(xp);
    a0 = f32x4_madd(a, v128.load(w), a0); a1 = f32x4_madd(a, v128.load(w, 16), a1);
    if (np > 1) { b0 = f32x4_madd(a, v128.load(w + ps), b0); b1 = f32x4_madd(a, v128.load(w + ps, 16), b1); }
    if (np > 2) { c0 = f32x4_madd(a, v128.load(w + 2 * ps), c0); c1 = f32x4_madd(a, v128.load(w + 2 * ps, 16), c1); }
  }
  const yp = y + (<usize>n0 << 2);
  storeRow(yp, a0, a1, min(8, n - n0), relu);
  if (np > 1) storeRow(yp + 32, b0, b1, min(8, n - n0 - 8), relu);
  if (np > 2) storeRow(yp + 64, c0, c1, min(8, n - n0 - 16), relu);
}
