// Activation-sparse (zero-skipping) linear kernels over dense column-major weights (column j of W,
// input j's n weights, is contiguous; columns `ld` floats apart): y = act(bias + Σ_{x_j ≠ 0} W[:, j]·x_j).
// Per activation row: (1) compact the nonzero activations into (index u32, value f32) pairs, found
// 16 at a time with f32x4.ne + i32x4.bitmask and walked with ctz; (2) add the columns of those
// pairs eight at a time into y (y is read and written once per 8 columns), one output chunk at a time.
// Weight traffic is (nonzeros / k) of the dense matrix and every fetched byte is used: each column
// chunk is one contiguous stream. Batch > 1 repeats this per row (weights streamed once per row).
// x_j = ±0 is skipped (its products are exact zeros); NaN and ±Inf are not zero, so they are multiplied.

import { f32x4_madd, f32x4_activate } from "../simd";

/** Outputs per chunk: 16 KiB of y stays in L1 beside the 8 column streams; long chunks keep the streams
 *  long enough for the hardware prefetcher (1024 and 2048 were 10–25 % slower at 4096², 90 % zeros). */
const CHUNK: i32 = 4096;

/** Writes the (index, value) pairs of the nonzero x[0..k) to `list` (8 bytes each); returns their count. */
export function f32_find_nonzeros(x: usize, k: i32, list: usize): i32 {
  let count = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 16 <= k; i += 16) {
      const p = x + (<usize>i << 2);
      let mask = i32x4.bitmask(f32x4.ne(v128.load(p), zero))
        | (i32x4.bitmask(f32x4.ne(v128.load(p, 16), zero)) << 4)
        | (i32x4.bitmask(f32x4.ne(v128.load(p, 32), zero)) << 8)
        | (i32x4.bitmask(f32x4.ne(v128.load(p, 48), zero)) << 12);
      while (mask != 0) {
        const j = i + ctz(mask);
        count = push(list, count, j, load<f32>(x + (<usize>j << 2)));
        mask &= mask - 1;
      }
    }
  }
  for (; i < k; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != 0) count = push(list, count, i, v);
  }
  return count;
}

// @ts-ignore: decorator
@inline function push(list: usize, count: i32, j: i32, v: f32): i32 {
  const p = list + (<usize>count << 3);
  store<u32>(p, j);
  store<f32>(p, v, 4);
  return count + 1;
}

/** y[0..n) = act(bias + Σ over the `count` pairs (j, v) of `list` of v·wT[j·ld .. j·ld + n)). */
export function f32_gemv_zero_skip(wT: usize, ld: i32, bias: usize, list: usize, count: i32, y: usize, n: i32, relu: i32): void {
  const act = relu != 0;
  const stride = <usize>ld << 2;
  for (let r0 = 0; r0 < n; r0 += CHUNK) {
    const len = min(CHUNK, n - r0);
    const off = <usize>r0 << 2;
    const yc = y + off;
    memory.copy(yc, bias + off, <usize>len << 2);
    let i = 0;
    for (; i + 8 <= count; i += 8) addColumns(8, wT + off, stride, list + (<usize>i << 3), yc, len);
    if (i + 4 <= count) {
      addColumns(4, wT + off, stride, list + (<usize>i << 3), yc, len);
      i += 4;
    }
    const rest = count - i;
    const p = list + (<usize>i << 3);
    if (rest == 3) addColumns(3, wT + off, stride, p, yc, len);
    else if (rest == 2) addColumns(2, wT + off, stride, p, yc, len);
    else if (rest == 1) addColumns(1, wT + off, stride, p, yc, len);
    if (act) activate(yc, len);
  }
}

/**
 * Y[m, n] = act(X[m, k]·Wᵀ + bias), one zero-skipping GEMV per row; `list` is scratch of 8·k bytes.
 * Each row skips its own zeros (a union over rows would dilute the sparsity). Letting the rows take turns
 * on L2-sized output chunks, so they share fetched columns, measured slower (batch 8 × 4096², 90 %
 * zeros: 1.6×) or no better (batch 64 × 1024²) than whole rows, whose long column streams prefetch well.
 */
export function f32_gemm_zero_skip(wT: usize, ld: i32, bias: usize, x: usize, y: usize, list: usize, m: i32, n: i32, k: i32, relu: i32): void {
  for (let r = 0; r < m; r++) {
    const count = f32_find_nonzeros(x + <usize>r * (<usize>k << 2), k, list);
    f32_gemv_zero_skip(wT, ld, bias, list, count, y + <usize>r * (<usize>n << 2), n, relu);
  }
}

/** yc[0..len) += Σ_{g < cols} v_g·(column j_g of the chunk at wc) for the `cols` (1..8, compile-time) pairs at `p`. */
// @ts-ignore: decorator
@inline function addColumns(cols: i32, wc: usize, stride: usize, p: usize, yc: usize, len: i32): void {
  const c0 = column(wc, stride, p, 0), c1 = column(wc, stride, p, cols > 1 ? 1 : 0);
  const c2 = column(wc, stride, p, cols > 2 ? 2 : 0), c3 = column(wc, stride, p, cols > 3 ? 3 : 0);
  const c4 = column(wc, stride, p, cols > 4 ? 4 : 0), c5 = column(wc, stride, p, cols > 5 ? 5 : 0);
  const c6 = column(wc, stride, p, cols > 6 ? 6 : 0), c7 = column(wc, stride, p, cols > 7 ? 7 : 0);
  const v0 = value(p, 0), v1 = value(p, cols > 1 ? 1 : 0), v2 = value(p, cols > 2 ? 2 : 0), v3 = value(p, cols > 3 ? 3 : 0);
  const v4 = value(p, cols > 4 ? 4 : 0), v5 = value(p, cols > 5 ? 5 : 0), v6 = value(p, cols > 6 ? 6 : 0), v7 = value(p, cols > 7 ? 7 : 0);
  let o: usize = 0;
  const end = <usize>len << 2;
  if (ASC_FEATURE_SIMD) {
    const s0 = f32x4.splat(v0), s1 = f32x4.splat(v1), s2 = f32x4.splat(v2), s3 = f32x4.splat(v3);
    const s4 = f32x4.splat(v4), s5 = f32x4.splat(v5), s6 = f32x4.splat(v6), s7 = f32x4.splat(v7);
    // Two output vectors per step: independent FMA chains, and one address add per column feeds both.
    for (; o + 32 <= end; o += 32) {
      const y0 = yc + o;
      const w0 = c0 + o, w1 = c1 + o, w2 = c2 + o, w3 = c3 + o, w4 = c4 + o, w5 = c5 + o, w6 = c6 + o, w7 = c7 + o;
      v128.store(y0, dot(cols, v128.load(y0), w0, w1, w2, w3, w4, w5, w6, w7, s0, s1, s2, s3, s4, s5, s6, s7));
      v128.store(y0 + 16, dot(cols, v128.load(y0 + 16), w0 + 16, w1 + 16, w2 + 16, w3 + 16, w4 + 16, w5 + 16, w6 + 16, w7 + 16, s0, s1, s2, s3, s4, s5, s6, s7));
    }
    if (o + 16 <= end) {
      const y0 = yc + o;
      v128.store(y0, dot(cols, v128.load(y0), c0 + o, c1 + o, c2 + o, c3 + o, c4 + o, c5 + o, c6 + o, c7 + o, s0, s1, s2, s3, s4, s5, s6, s7));
      o += 16;
    }
  }
  for (; o < end; o += 4) {
    let a = load<f32>(yc + o);
    a += load<f32>(c0 + o) * v0;
    if (cols > 1) a += load<f32>(c1 + o) * v1;
    if (cols > 2) a += load<f32>(c2 + o) * v2;
    if (cols > 3) a += load<f32>(c3 + o) * v3;
    if (cols > 4) a += load<f32>(c4 + o) * v4;
    if (cols > 5) a += load<f32>(c5 + o) * v5;
    if (cols > 6) a += load<f32>(c6 + o) * v6;
    if (cols > 7) a += load<f32>(c7 + o) * v7;
    store<f32>(yc + o, a);
  }
}

/** a + Σ_{g < cols} w_g[0..4)·s_g. */
// @ts-ignore: decorator
@inline function dot(cols: i32, a: v128, w0: usize, w1: usize, w2: usize, w3: usize, w4: usize, w5: usize, w6: usize, w7: usize,
  s0: v128, s1: v128, s2: v128, s3: v128, s4: v128, s5: v128, s6: v128, s7: v128): v128 {
  a = f32x4_madd(v128.load(w0), s0, a);
  if (cols > 1) a = f32x4_madd(v128.load(w1), s1, a);
  if (cols > 2) a = f32x4_madd(v128.load(w2), s2, a);
  if (cols > 3) a = f32x4_madd(v128.load(w3), s3, a);
  if (cols > 4) a = f32x4_madd(v128.load(w4), s4, a);
  if (cols > 5) a = f32x4_madd(v128.load(w5), s5, a);
  if (cols > 6) a = f32x4_madd(v128.load(w6), s6, a);
  if (cols > 7) a = f32x4_madd(v128.load(w7), s7, a);
  return a;
}

/** Start of this chunk in the weight column of pair g at `p`. (Unused pairs read pair 0: never past the list.) */
// @ts-ignore: decorator
@inline function column(wc: usize, stride: usize, p: usize, g: i32): usize {
  return wc + <usize>load<u32>(p + (<usize>g << 3)) * stride;
}

/** Activation value of pair g at `p`. */
// @ts-ignore: decorator
@inline function value(p: usize, g: i32): f32 {
  return load<f32>(p + (<usize>g << 3), 4);
}

/** ReLU in place over len outputs (NaN stays NaN, -0 becomes +0, as in the dense kernels). */
// @ts-ignore: decorator
@inline function activate(yc: usize, len: i32): void {
  let o: usize = 0;
  const end = <usize>len << 2;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= end; o += 16) v128.store(yc + o, f32x4_activate(v128.load(yc + o), true));
  }
  for (; o < end; o += 4) store<f32>(yc + o, max<f32>(load<f32>(yc + o), 0));
}
