// Dense f32 GEMV (batch 1) over panel-packed weights (see pack.ts): y[n] = act(W[n, k] · x[k] + bias[n]).
// Memory-bound: each panel is streamed once; four independent accumulator chains (k even / k odd)
// hide the add latency so the loop runs at load bandwidth.

import { f32x4_madd, f32x4_store_partial, f32x4_activate } from "../simd";
import { tileScalar } from "./gemm";

export function f32_gemv_dense_nr8(wp: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, relu: i32): void {
  const act = relu != 0;
  const panels = (n + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const n0 = p << 3;
    const cols = min(8, n - n0);
    const w = wp + (<usize>p * <usize>k << 5);
    const b = bias + (<usize>n0 << 2);
    const yp = y + (<usize>n0 << 2);
    if (ASC_FEATURE_SIMD) panelSimd(w, b, x, yp, k, cols, act);
    else tileScalar(w, b, x, yp, k, cols, act);
  }
}

// @ts-ignore: decorator
@inline function panelSimd(w: usize, bias: usize, x: usize, y: usize, k: i32, cols: i32, relu: bool): void {
  let e0 = v128.load(bias), e1 = v128.load(bias, 16);
  let o0 = f32x4.splat(0), o1 = f32x4.splat(0);
  let kk = 0;
  for (; kk + 2 <= k; kk += 2) {
    const xe = v128.load32_splat(x + (<usize>kk << 2));
    const xo = v128.load32_splat(x + (<usize>kk << 2), 4);
    const wk = w + (<usize>kk << 5);
    e0 = f32x4_madd(xe, v128.load(wk), e0);
    e1 = f32x4_madd(xe, v128.load(wk, 16), e1);
    o0 = f32x4_madd(xo, v128.load(wk, 32), o0);
    o1 = f32x4_madd(xo, v128.load(wk, 48), o1);
  }
  if (kk < k) {
    const xe = v128.load32_splat(x + (<usize>kk << 2));
    const wk = w + (<usize>kk << 5);
    e0 = f32x4_madd(xe, v128.load(wk), e0);
    e1 = f32x4_madd(xe, v128.load(wk, 16), e1);
  }
  const lo = f32x4_activate(f32x4.add(e0, o0), relu);
  const hi = f32x4_activate(f32x4.add(e1, o1), relu);
  if (cols == 8) {
    v128.store(y, lo);
    v128.store(y, hi, 16);
  } else {
    f32x4_store_partial(y, lo, cols);
    f32x4_store_partial(y + 16, hi, cols - 4);
  }
}
