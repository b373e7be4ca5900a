// Sparse 1×1 convolution in XNNPACK's packed layout over NCHW activations (one image):
//   y[oc, p] = act(bias[oc] + Σ_ic w[oc, ic]·x[ic, p]),  x [K, HW], y [N, HW].
// Packed weights (src/formats/xnn-spmm.ts): `values` holds, per output-channel block, its NR biases and
// then NR interleaved weights per nonzero block; `incr` is the byte step of the input pointer after each
// nonzero block (channel diff · HW · 4, one chain over the whole matrix whose last entry wraps back, so
// the pointer is home again after every sweep); `counts` holds nonzero blocks per output-channel block.
// Channels left over (N mod NR) are NR = 1 blocks. `x` already points at the first nonzero's channel.
// SIMD runs across pixels: per nonzero block, one tile of the current input channel is loaded and
// reused for all NR output channels of the block (the reuse XNNPACK's wasm build leaves out).

import { f32x4_madd, f32x4_activate } from "../simd";

// Compile-time selector: with constant `i` the optimizer folds it to one local.
// @ts-ignore: decorator
@inline function pick4(i: i32, a: v128, b: v128, c: v128, d: v128): v128 {
  return i == 0 ? a : i == 1 ? b : i == 2 ? c : d;
}

/**
 * One output-channel block (`nr` rows) over a tile of `width` ≥ 4 pixels, with nr·width/4 ≤ 8 vector
 * accumulators; accumulator i holds row i % nr, pixels 4·(i / nr) .. +3, so the nr accumulators of one
 * input vector are adjacent (binaryen merges their repeated loads into one).
 * Returns the input pointer after the block's `cnt` nonzero blocks.
 */
// @ts-ignore: decorator
@inline function blockSimd(width: i32, nr: i32, w: usize, d: usize, cnt: u32, xp: usize, yp: usize, rowBytes: usize, relu: bool): usize {
  const n = nr * (width >> 2);
  const b0 = v128.load32_splat(w);
  const b1 = nr > 1 ? v128.load32_splat(w + 4) : b0;
  const b2 = nr > 2 ? v128.load32_splat(w + 8) : b0;
  const b3 = nr > 3 ? v128.load32_splat(w + 12) : b0;
  let a0 = pick4(0 % nr, b0, b1, b2, b3), a1 = pick4(1 % nr, b0, b1, b2, b3);
  let a2 = pick4(2 % nr, b0, b1, b2, b3), a3 = pick4(3 % nr, b0, b1, b2, b3);
  let a4 = pick4(4 % nr, b0, b1, b2, b3), a5 = pick4(5 % nr, b0, b1, b2, b3);
  let a6 = pick4(6 % nr, b0, b1, b2, b3), a7 = pick4(7 % nr, b0, b1, b2, b3);
  let wp = w + (<usize>nr << 2);
  const dEnd = d + (<usize>cnt << 2);
  for (; d < dEnd; d += 4) {
    const w0 = v128.load32_splat(wp);
    const w1 = nr > 1 ? v128.load32_splat(wp, 4) : w0;
    const w2 = nr > 2 ? v128.load32_splat(wp, 8) : w0;
    const w3 = nr > 3 ? v128.load32_splat(wp, 12) : w0;
    wp += <usize>nr << 2;
    // Repeated loads of one vector (nr > 1) are merged by the optimizer.
    a0 = f32x4_madd(pick4(0 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((0 / nr) << 4)), a0);
    if (n > 1) a1 = f32x4_madd(pick4(1 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((1 / nr) << 4)), a1);
    if (n > 2) a2 = f32x4_madd(pick4(2 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((2 / nr) << 4)), a2);
    if (n > 3) a3 = f32x4_madd(pick4(3 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((3 / nr) << 4)), a3);
    if (n > 4) a4 = f32x4_madd(pick4(4 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((4 / nr) << 4)), a4);
    if (n > 5) a5 = f32x4_madd(pick4(5 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((5 / nr) << 4)), a5);
    if (n > 6) a6 = f32x4_madd(pick4(6 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((6 / nr) << 4)), a6);
    if (n > 7) a7 = f32x4_madd(pick4(7 % nr, w0, w1, w2, w3), v128.load(xp + <usize>((7 / nr) << 4)), a7);
    xp += <usize>load<i32>(d); // wraps mod 2^32 for negative steps
  }
  v128.store(yp + <usize>(0 % nr) * rowBytes + <usize>((0 / nr) << 4), f32x4_activate(a0, relu));
  if (n > 1) v128.store(yp + <usize>(1 % nr) * rowBytes + <usize>((1 / nr) << 4), f32x4_activate(a1, relu));
  if (n > 2) v128.store(yp + <usize>(2 % nr) * rowBytes + <usize>((2 / nr) << 4), f32x4_activate(a2, relu));
  if (n > 3) v128.store(yp + <usize>(3 % nr) * rowBytes + <usize>((3 / nr) << 4), f32x4_activate(a3, relu));
  if (n > 4) v128.store(yp + <usize>(4 % nr) * rowBytes + <usize>((4 / nr) << 4), f32x4_activate(a4, relu));
  if (n > 5) v128.store(yp + <usize>(5 % nr) * rowBytes + <usize>((5 / nr) << 4), f32x4_activate(a5, relu));
  if (n > 6) v128.store(yp + <usize>(6 % nr) * rowBytes + <usize>((6 / nr) << 4), f32x4_activate(a6, relu));
  if (n > 7) v128.store(yp + <usize>(7 % nr) * rowBytes + <usize>((7 / nr) << 4), f32x4_activate(a7, relu));
  return xp;
}

/** One output-channel block at a single pixel. SIMD build: the block's rows share one vector (lanes =
 *  output channels), each input value is splat once; scalar build and NR = 1: one accumulator per row. */
// @ts-ignore: decorator
@inline function blockPixel(nr: i32, w: usize, d: usize, cnt: u32, xp: usize, yp: usize, rowBytes: usize, relu: bool): usize {
  let wp = w + (<usize>nr << 2);
  const dEnd = d + (<usize>cnt << 2);
  if (ASC_FEATURE_SIMD && nr > 1) {
    let acc = nr == 4 ? v128.load(w) : v128.load64_zero(w);
    for (; d < dEnd; d += 4) {
      const xs = v128.load32_splat(xp);
      xp += <usize>load<i32>(d);
      acc = f32x4_madd(nr == 4 ? v128.load(wp) : v128.load64_zero(wp), xs, acc);
      wp += <usize>nr << 2;
    }
    acc = f32x4_activate(acc, relu);
    store<f32>(yp, f32x4.extract_lane(acc, 0));
    store<f32>(yp + rowBytes, f32x4.extract_lane(acc, 1));
    if (nr == 4) {
      store<f32>(yp + 2 * rowBytes, f32x4.extract_lane(acc, 2));
      store<f32>(yp + 3 * rowBytes, f32x4.extract_lane(acc, 3));
    }
    return xp;
  }
  let s0 = load<f32>(w);
  let s1: f32 = nr > 1 ? load<f32>(w, 4) : 0;
  let s2: f32 = nr > 2 ? load<f32>(w, 8) : 0;
  let s3: f32 = nr > 3 ? load<f32>(w, 12) : 0;
  for (; d < dEnd; d += 4) {
    const xv = load<f32>(xp);
    xp += <usize>load<i32>(d);
    s0 += load<f32>(wp) * xv;
    if (nr > 1) s1 += load<f32>(wp, 4) * xv;
    if (nr > 2) s2 += load<f32>(wp, 8) * xv;
    if (nr > 3) s3 += load<f32>(wp, 12) * xv;
    wp += <usize>nr << 2;
  }
  store<f32>(yp, relu ? max<f32>(s0, 0) : s0);
  if (nr > 1) store<f32>(yp + rowBytes, relu ? max<f32>(s1, 0) : s1);
  if (nr > 2) store<f32>(yp + 2 * rowBytes, relu ? max<f32>(s2, 0) : s2);
  if (nr > 3) store<f32>(yp + 3 * rowBytes, relu ? max<f32>(s3, 0) : s3);
  return xp;
}

// @ts-ignore: decorator
@inline function block(width: i32, nr: i32, w: usize, d: usize, cnt: u32, xp: usize, yp: usize, rowBytes: usize, relu: bool): usize {
  if (ASC_FEATURE_SIMD && width > 1) return blockSimd(width, nr, w, d, cnt, xp, yp, rowBytes, relu);
  return blockPixel(nr, w, d, cnt, xp, yp, rowBytes, relu);
}

/** Every output channel over the pixel tile starting at x / y: whole NR blocks, then the NR = 1 tail. */
// @ts-ignore: decorator
@inline function tile(width: i32, nr: i32, values: usize, incr: usize, counts: usize, x: usize, y: usize, n: i32, rowBytes: usize, relu: bool): void {
  const full = n / nr;
  const blocks = full + n % nr;
  let w = values, d = incr, c = counts, xp = x, yp = y;
  for (let b = 0; b < blocks; b++) {
    const cnt = load<u32>(c);
    const rows = b < full ? nr : 1;
    xp = b < full ? block(width, nr, w, d, cnt, xp, yp, rowBytes, relu) : block(width, 1, w, d, cnt, xp, yp, rowBytes, relu);
    c += 4;
    d += <usize>cnt << 2;
    w += (<usize>rows * (<usize>cnt + 1)) << 2;
    yp += <usize>rows * rowBytes;
  }
}

/**
 * Pixel tiles, widest first, then single pixels. The widest tile is sized to x86's 16 xmm registers
 * (V8 keeps one as scratch and hoists a tile's loads ahead of its multiply-adds): NR = 1 runs 28 pixels
 * (7 accumulators + 7 input vectors + 1 weight; 32 spills an accumulator every step), NR = 2 16 pixels
 * and NR = 4 8 pixels (8 accumulators each). Then 16 / 8 / 4.
 */
// @ts-ignore: decorator
@inline function spmmChw(nr: i32, values: usize, incr: usize, counts: usize, x: usize, y: usize, n: i32, hw: i32, relu: bool): void {
  const rowBytes = <usize>hw << 2;
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    if (nr == 1) for (; p + 28 <= hw; p += 28) tile(28, nr, values, incr, counts, x + (<usize>p << 2), y + (<usize>p << 2), n, rowBytes, relu);
    if (nr <= 2) for (; p + 16 <= hw; p += 16) tile(16, nr, values, incr, counts, x + (<usize>p << 2), y + (<usize>p << 2), n, rowBytes, relu);
    for (; p + 8 <= hw; p += 8) tile(8, nr, values, incr, counts, x + (<usize>p << 2), y + (<usize>p << 2), n, rowBytes, relu);
    for (; p + 4 <= hw; p += 4) tile(4, nr, values, incr, counts, x + (<usize>p << 2), y + (<usize>p << 2), n, rowBytes, relu);
  }
  for (; p < hw; p++) tile(1, nr, values, incr, counts, x + (<usize>p << 2), y + (<usize>p << 2), n, rowBytes, relu);
}

export function f32_spmm_chw_nr1(values: usize, incr: usize, counts: usize, x: usize, y: usize, n: i32, hw: i32, relu: i32): void {
  spmmChw(1, values, incr, counts, x, y, n, hw, relu != 0);
}

export function f32_spmm_chw_nr2(values: usize, incr: usize, counts: usize, x: usize, y: usize, n: i32, hw: i32, relu: i32): void {
  spmmChw(2, values, incr, counts, x, y, n, hw, relu != 0);
}

export function f32_spmm_chw_nr4(values: usize, incr: usize, counts: usize, x: usize, y: usize, n: i32, hw: i32, relu: i32): void {
  spmmChw(4, values, incr, counts, x, y, n, hw, relu != 0);
}
