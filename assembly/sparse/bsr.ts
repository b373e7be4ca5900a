// Block-sparse (BSR) linear kernels: y = act(W·x + bias) with W cut into R×C blocks, stored as
// blockRowPtr u32[ceil(n/R)+1], blockCol (u16 | u32)[nBlocks] in units of C columns, and values
// f32[nBlocks·R·C], row-major inside a block. One generic body per kernel; R and C are compile-time
// constants after inlining, and the exported entries switch once over the supported shapes.
// Caller contract: activations are zero-padded to a multiple of C columns (edge blocks read them),
// bias holds ceil(n/R)·R floats; outputs past row n are never written.
//
// GEMV (batch 1): a block is R·C/4 weight vectors; each is multiplied by the matching x lanes
// (4 contiguous x for C ≥ 4, x pair repeated for C = 2, x splat for C = 1), accumulated across the
// block row and reduced once at its end, so there is no per-block horizontal sum. Small blocks
// (1 or 2 vectors) run 4 or 2 blocks per step into separate accumulators to hide madd latency.
// GEMM (batch > 1) picks a layout per shape (each measured at 64×1024→1024, 90 % block sparsity):
//  - 1×C (C = 4, 8): dot-product tiles straight on X[batch, k]: C contiguous weights · C contiguous x
//    for 4 batch rows at a time (L1-resident), one 4-way horizontal reduction per output row.
//  - 8×1: column tiles straight on X: a block is 8 weights of one input column, times that column's
//    x splat for 4 batch rows; accumulators are contiguous outputs, stored as vectors.
//  - others (4×4, 4×1, 2×2) and the scalar build: activations transposed to xT[k, batch] (SIMD across the
//    batch, like CSR); each block row's weights stay in L1 while batch strips sized for 8
//    accumulators (R·S/4 = 8) pass over them, and results go straight into y through 4×4 register
//    transposes, so no output transpose is needed.

import { f32x4_madd, f32x4_activate, f32x4_store_partial } from "../simd";
import { f32_transpose } from "../transpose";

// @ts-ignore: decorator
@inline function blockColAt(col: usize, i: u32, wide: bool): usize {
  return wide ? <usize>load<u32>(col + (<usize>i << 2)) : <usize>load<u16>(col + (<usize>i << 1));
}

/** One of up to 8 values chosen by an index that is constant after inlining (folds to a plain local). */
// @ts-ignore: decorator
@inline function pick(m: i32, v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, v6: v128, v7: v128): v128 {
  return m == 0 ? v0 : m == 1 ? v1 : m == 2 ? v2 : m == 3 ? v3 : m == 4 ? v4 : m == 5 ? v5 : m == 6 ? v6 : v7;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function finish(s: f32, bias: usize, y: usize, row: i32, n: i32, relu: bool): void {
  if (row < n) {
    s += load<f32>(bias + (<usize>row << 2));
    store<f32>(y + (<usize>row << 2), relu ? max<f32>(s, 0) : s);
  }
}

// ---------------------------------------------------------------------------------------------
// GEMV

/** The x lanes that line up with weight vector q of a block whose first input column is at xb. */
// @ts-ignore: decorator
@inline function xLanes(C: i32, xb: usize, q: i32): v128 {
  if (C >= 4) return v128.load(xb + (<usize>q << 4));
  if (C == 2) return v128.load64_splat(xb);
  return v128.load32_splat(xb);
}

/** Accumulator m (of U blocks × T vectors) after one step over blocks i .. i+U-1; unused m pass through. */
// @ts-ignore: decorator
@inline function gemvAcc(m: i32, U: i32, T: i32, XV: i32, wb: usize, blockBytes: usize,
  x0: v128, x1: v128, x2: v128, x3: v128, a: v128): v128 {
  if (m >= U * T) return a;
  const u = m / T, t = m % T;
  const xv = pick(u * XV + t % XV, x0, x1, x2, x3, x0, x0, x0, x0);
  return f32x4_madd(v128.load(wb + <usize>u * blockBytes + (<usize>t << 4)), xv, a);
}

/** Row i of the block row from the folded accumulators a0 .. a(T-1). */
// @ts-ignore: decorator
@inline function gemvRow(i: i32, C: i32, a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128): f32 {
  if (C >= 4) {
    const V = C >> 2;
    let v = pick(i * V, a0, a1, a2, a3, a4, a5, a6, a7);
    if (V > 1) v = f32x4.add(v, pick(i * V + 1, a0, a1, a2, a3, a4, a5, a6, a7));
    return hsum(v);
  }
  const v = pick((i * C) >> 2, a0, a1, a2, a3, a4, a5, a6, a7);
  const lane = (i * C) & 3;
  if (C == 2) return lane == 0 ? f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) : f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
  return lane == 0 ? f32x4.extract_lane(v, 0) : lane == 1 ? f32x4.extract_lane(v, 1) : lane == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function gemvSimd(R: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  const T = (R * C) >> 2; // weight vectors per block (1 .. 8)
  const U = T >= 4 ? 1 : 4 / T; // blocks per step
  const XV = C >= 8 ? 2 : 1; // distinct x vectors per block
  const blockBytes = <usize>(R * C) << 2;
  const xStep = <usize>C << 2;
  const zero = f32x4.splat(0);
  const blockRows = (n + R - 1) / R;
  for (let br = 0; br < blockRows; br++) {
    let i = load<u32>(rowPtr + (<usize>br << 2));
    const end = load<u32>(rowPtr + (<usize>br << 2), 4);
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    if (U > 1) {
      for (; i + <u32>U <= end; i += U) {
        const wb = val + <usize>i * blockBytes;
        const x0 = xLanes(C, x + blockColAt(col, i, wide) * xStep, 0);
        const x1 = XV > 1 ? xLanes(C, x + blockColAt(col, i, wide) * xStep, 1) : xLanes(C, x + blockColAt(col, i + 1, wide) * xStep, 0);
        const x2 = U > 2 ? xLanes(C, x + blockColAt(col, i + 2, wide) * xStep, 0) : (XV > 1 ? xLanes(C, x + blockColAt(col, i + 1, wide) * xStep, 0) : zero);
        const x3 = U > 2 ? xLanes(C, x + blockColAt(col, i + 3, wide) * xStep, 0) : (XV > 1 ? xLanes(C, x + blockColAt(col, i + 1, wide) * xStep, 1) : zero);
        a0 = gemvAcc(0, U, T, XV, wb, blockBytes, x0, x1, x2, x3, a0);
        a1 = gemvAcc(1, U, T, XV, wb, blockBytes, x0, x1, x2, x3, a1);
        a2 = gemvAcc(2, U, T, XV, wb, blockBytes, x0, x1, x2, x3, a2);
        a3 = gemvAcc(3, U, T, XV, wb, blockBytes, x0, x1, x2, x3, a3);
      }
    }
    for (; i < end; i++) {
      const wb = val + <usize>i * blockBytes;
      const xb = x + blockColAt(col, i, wide) * xStep;
      const x0 = xLanes(C, xb, 0);
      const x1 = XV > 1 ? xLanes(C, xb, 1) : zero;
      a0 = gemvAcc(0, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a0);
      a1 = gemvAcc(1, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a1);
      a2 = gemvAcc(2, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a2);
      a3 = gemvAcc(3, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a3);
      a4 = gemvAcc(4, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a4);
      a5 = gemvAcc(5, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a5);
      a6 = gemvAcc(6, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a6);
      a7 = gemvAcc(7, 1, T, XV, wb, blockBytes, x0, x1, zero, zero, a7);
    }
    // Fold the U accumulator sets into the first T accumulators.
    if (U == 4) { a0 = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)); }
    if (U == 2) { a0 = f32x4.add(a0, a2); a1 = f32x4.add(a1, a3); }
    const row0 = br * R;
    if (R > 0) finish(gemvRow(0, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 0, n, relu);
    if (R > 1) finish(gemvRow(1, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 1, n, relu);
    if (R > 2) finish(gemvRow(2, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 2, n, relu);
    if (R > 3) finish(gemvRow(3, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 3, n, relu);
    if (R > 4) finish(gemvRow(4, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 4, n, relu);
    if (R > 5) finish(gemvRow(5, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 5, n, relu);
    if (R > 6) finish(gemvRow(6, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 6, n, relu);
    if (R > 7) finish(gemvRow(7, C, a0, a1, a2, a3, a4, a5, a6, a7), bias, y, row0 + 7, n, relu);
  }
}

/** Scalar GEMV (scalar build, and blocks smaller than one vector). */
// @ts-ignore: decorator
@inline function gemvScalar(R: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  const blockRows = (n + R - 1) / R;
  for (let br = 0; br < blockRows; br++) {
    const start = load<u32>(rowPtr + (<usize>br << 2));
    const end = load<u32>(rowPtr + (<usize>br << 2), 4);
    for (let r = 0; r < R; r++) {
      let s: f32 = 0;
      for (let i = start; i < end; i++) {
        const wp = val + ((<usize>i * <usize>(R * C) + <usize>(r * C)) << 2);
        const xp = x + ((blockColAt(col, i, wide) * <usize>C) << 2);
        for (let j = 0; j < C; j++) s += load<f32>(wp + (<usize>j << 2)) * load<f32>(xp + (<usize>j << 2));
      }
      finish(s, bias, y, br * R + r, n, relu);
    }
  }
}

// @ts-ignore: decorator
@inline function gemv(R: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (ASC_FEATURE_SIMD && R * C >= 4 && R * C <= 32) gemvSimd(R, C, rowPtr, col, val, bias, x, y, n, relu, wide);
  else gemvScalar(R, C, rowPtr, col, val, bias, x, y, n, relu, wide);
}

// ---------------------------------------------------------------------------------------------
// GEMM over transposed activations

/** Accumulator m = row i · V + vector q after one block column: a += splat(w[i]) · xT strip q. */
// @ts-ignore: decorator
@inline function gemmAcc(m: i32, R: i32, V: i32, w: v128, x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128,
  w1: v128, w2: v128, w3: v128, w4: v128, w5: v128, w6: v128, w7: v128, a: v128): v128 {
  if (m >= R * V) return a;
  return f32x4_madd(pick(m / V, w, w1, w2, w3, w4, w5, w6, w7), pick(m % V, x0, x1, x2, x3, x4, x5, x6, x7), a);
}

/** Stores 4 rows (a, b, c, d: lanes = 4 consecutive batch entries) as 4 contiguous row quads of y[batch, n]. */
// @ts-ignore: decorator
@inline function storeTransposed(y: usize, ldy: usize, a: v128, b: v128, c: v128, d: v128): void {
  const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
  const cd0 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
  const ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const cd1 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(y, v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5));
  v128.store(y + ldy, v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7));
  v128.store(y + 2 * ldy, v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5));
  v128.store(y + 3 * ldy, v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function storeLanes(y: usize, ldy: usize, v: v128): void {
  store<f32>(y, f32x4.extract_lane(v, 0));
  store<f32>(y + ldy, f32x4.extract_lane(v, 1));
  store<f32>(y + 2 * ldy, f32x4.extract_lane(v, 2));
  store<f32>(y + 3 * ldy, f32x4.extract_lane(v, 3));
}

/** Writes accumulator m (row i = m / V, batch lanes 4q .. 4q+3) lane by lane, if the row exists. */
// @ts-ignore: decorator
@inline function storeAcc(m: i32, R: i32, V: i32, yb: usize, ldy: usize, row0: i32, n: i32, relu: bool, a: v128): void {
  if (m >= R * V) return;
  const i = m / V, q = m % V;
  if (row0 + i < n) storeLanes(yb + (<usize>(row0 + i) << 2) + <usize>(q << 2) * ldy, ldy, f32x4_activate(a, relu));
}

/** Block row br × one strip of 4·V batch lanes starting at b0 (R·V ≤ 8 accumulators). */
// @ts-ignore: decorator
@inline function gemmStrip(R: i32, C: i32, V: i32, br: i32, rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, y: usize,
  n: i32, batch: i32, b0: i32, relu: bool, wide: bool): void {
  const ld = <usize>batch << 2; // xT row stride
  const ldy = <usize>n << 2; // y row stride
  const off = <usize>b0 << 2;
  const yb = y + <usize>b0 * ldy;
  const blockBytes = <usize>(R * C) << 2;
  const zero = f32x4.splat(0);
  {
    const row0 = br * R;
    const start = load<u32>(rowPtr + (<usize>br << 2));
    const end = load<u32>(rowPtr + (<usize>br << 2), 4);
    const bp = bias + (<usize>row0 << 2);
    // Accumulator m starts at the bias of its row m / V.
    let a0 = v128.load32_splat(bp);
    let a1 = R * V > 1 ? v128.load32_splat(bp + (<usize>(1 / V) << 2)) : zero;
    let a2 = R * V > 2 ? v128.load32_splat(bp + (<usize>(2 / V) << 2)) : zero;
    let a3 = R * V > 3 ? v128.load32_splat(bp + (<usize>(3 / V) << 2)) : zero;
    let a4 = R * V > 4 ? v128.load32_splat(bp + (<usize>(4 / V) << 2)) : zero;
    let a5 = R * V > 5 ? v128.load32_splat(bp + (<usize>(5 / V) << 2)) : zero;
    let a6 = R * V > 6 ? v128.load32_splat(bp + (<usize>(6 / V) << 2)) : zero;
    let a7 = R * V > 7 ? v128.load32_splat(bp + (<usize>(7 / V) << 2)) : zero;
    for (let i = start; i < end; i++) {
      let wp = val + <usize>i * blockBytes;
      let xp = xT + blockColAt(col, i, wide) * <usize>C * ld + off;
      for (let j = 0; j < C; j++, wp += 4, xp += ld) {
        const x0 = v128.load(xp);
        const x1 = V > 1 ? v128.load(xp, 16) : zero;
        const x2 = V > 2 ? v128.load(xp, 32) : zero;
        const x3 = V > 3 ? v128.load(xp, 48) : zero;
        const x4 = V > 4 ? v128.load(xp, 64) : zero;
        const x5 = V > 5 ? v128.load(xp, 80) : zero;
        const x6 = V > 6 ? v128.load(xp, 96) : zero;
        const x7 = V > 7 ? v128.load(xp, 112) : zero;
        const w0 = v128.load32_splat(wp);
        const w1 = R > 1 ? v128.load32_splat(wp + (<usize>C << 2)) : zero;
        const w2 = R > 2 ? v128.load32_splat(wp + (<usize>(2 * C) << 2)) : zero;
        const w3 = R > 3 ? v128.load32_splat(wp + (<usize>(3 * C) << 2)) : zero;
        const w4 = R > 4 ? v128.load32_splat(wp + (<usize>(4 * C) << 2)) : zero;
        const w5 = R > 5 ? v128.load32_splat(wp + (<usize>(5 * C) << 2)) : zero;
        const w6 = R > 6 ? v128.load32_splat(wp + (<usize>(6 * C) << 2)) : zero;
        const w7 = R > 7 ? v128.load32_splat(wp + (<usize>(7 * C) << 2)) : zero;
        a0 = gemmAcc(0, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a0);
        a1 = gemmAcc(1, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a1);
        a2 = gemmAcc(2, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a2);
        a3 = gemmAcc(3, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a3);
        a4 = gemmAcc(4, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a4);
        a5 = gemmAcc(5, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a5);
        a6 = gemmAcc(6, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a6);
        a7 = gemmAcc(7, R, V, w0, x0, x1, x2, x3, x4, x5, x6, x7, w1, w2, w3, w4, w5, w6, w7, a7);
      }
    }
    if (R % 4 == 0 && row0 + R <= n) {
      // Rows 4g .. 4g+3 of vector q → y[b0 + 4q + l, row0 + 4g ..] for l = 0..3 (V = 2 when R = 4, 1 when R = 8).
      const yr = yb + (<usize>row0 << 2);
      const lanes4 = <usize>4 * ldy;
      storeTransposed(yr, ldy, f32x4_activate(a0, relu), f32x4_activate(pick(V, a0, a1, a2, a3, a4, a5, a6, a7), relu),
        f32x4_activate(pick(2 * V, a0, a1, a2, a3, a4, a5, a6, a7), relu), f32x4_activate(pick(3 * V, a0, a1, a2, a3, a4, a5, a6, a7), relu));
      if (V == 2) storeTransposed(yr + lanes4, ldy, f32x4_activate(a1, relu), f32x4_activate(a3, relu), f32x4_activate(a5, relu), f32x4_activate(a7, relu));
      if (R == 8) storeTransposed(yr + 16, ldy, f32x4_activate(a4, relu), f32x4_activate(a5, relu), f32x4_activate(a6, relu), f32x4_activate(a7, relu));
    } else {
      storeAcc(0, R, V, yb, ldy, row0, n, relu, a0);
      storeAcc(1, R, V, yb, ldy, row0, n, relu, a1);
      storeAcc(2, R, V, yb, ldy, row0, n, relu, a2);
      storeAcc(3, R, V, yb, ldy, row0, n, relu, a3);
      storeAcc(4, R, V, yb, ldy, row0, n, relu, a4);
      storeAcc(5, R, V, yb, ldy, row0, n, relu, a5);
      storeAcc(6, R, V, yb, ldy, row0, n, relu, a6);
      storeAcc(7, R, V, yb, ldy, row0, n, relu, a7);
    }
  }
}

/** Block row br × one batch lane b (scalar build, and batch tails narrower than 4). */
// @ts-ignore: decorator
@inline function gemmLane(R: i32, C: i32, br: i32, rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, b: i32, relu: bool, wide: bool): void {
  const ld = <usize>batch << 2;
  const xb = xT + (<usize>b << 2);
  const yb = y + <usize>b * (<usize>n << 2);
  {
    const start = load<u32>(rowPtr + (<usize>br << 2));
    const end = load<u32>(rowPtr + (<usize>br << 2), 4);
    for (let r = 0; r < R; r++) {
      let s: f32 = 0;
      for (let i = start; i < end; i++) {
        const wp = val + ((<usize>i * <usize>(R * C) + <usize>(r * C)) << 2);
        const xp = xb + blockColAt(col, i, wide) * <usize>C * ld;
        for (let j = 0; j < C; j++) s += load<f32>(wp + (<usize>j << 2)) * load<f32>(xp + <usize>j * ld);
      }
      finish(s, bias, yb, br * R + r, n, relu);
    }
  }
}

/** xT path: each block row's weights stay in L1 while every batch strip passes over them. */
// @ts-ignore: decorator
@inline function gemmTransposed(R: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, relu: bool, wide: bool): void {
  const blockRows = (n + R - 1) / R;
  for (let br = 0; br < blockRows; br++) {
    let b0 = 0;
    if (ASC_FEATURE_SIMD) {
      const V = 8 / R; // 8 accumulators: strips of 32 / R batch lanes
      for (; b0 + 4 * V <= batch; b0 += 4 * V) gemmStrip(R, C, V, br, rowPtr, col, val, bias, xT, y, n, batch, b0, relu, wide);
      // The remainder (< 4·V lanes) in halving strips, each used at most once.
      if (V >= 8 && b0 + 16 <= batch) { gemmStrip(R, C, 4, br, rowPtr, col, val, bias, xT, y, n, batch, b0, relu, wide); b0 += 16; }
      if (V >= 4 && b0 + 8 <= batch) { gemmStrip(R, C, 2, br, rowPtr, col, val, bias, xT, y, n, batch, b0, relu, wide); b0 += 8; }
      if (V >= 2 && b0 + 4 <= batch) { gemmStrip(R, C, 1, br, rowPtr, col, val, bias, xT, y, n, batch, b0, relu, wide); b0 += 4; }
    }
    for (; b0 < batch; b0++) gemmLane(R, C, br, rowPtr, col, val, bias, xT, y, n, batch, b0, relu, wide);
  }
}

/** Accumulator m = batch row (m >> 1) × half (m & 1) of a 1×C dot-product tile; rows ≥ B pass through. */
// @ts-ignore: decorator
@inline function dotAcc(m: i32, B: i32, w: v128, xp: usize, ldx: usize, a: v128): v128 {
  if ((m >> 1) >= B) return a;
  return f32x4_madd(w, v128.load(xp + <usize>(m >> 1) * ldx), a);
}

/** [Σ a, Σ b, Σ c, Σ d] (one horizontal sum per input vector, lanes in order). */
// @ts-ignore: decorator
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/**
 * Direct path for 1×C blocks (C = 4 or 8) on X[batch, k]: B ≤ 4 batch rows (16 KiB of X at k = 1024, so
 * they stay in L1) against one output row at a time; each block is C contiguous weights dotted with C
 * contiguous x, so no transpose is needed. Two accumulators per batch row (the two halves of a 1×8
 * block, or alternate 1×4 blocks), reduced once per output row.
 */
// @ts-ignore: decorator
@inline function dotTile(B: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, b0: i32, relu: bool, wide: bool): void {
  const ldx = <usize>k << 2;
  const ldy = <usize>n << 2;
  const xb = x + <usize>b0 * ldx;
  const yb = y + <usize>b0 * ldy;
  const zero = f32x4.splat(0);
  for (let row = 0; row < n; row++) {
    let i = load<u32>(rowPtr + (<usize>row << 2));
    const end = load<u32>(rowPtr + (<usize>row << 2), 4);
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    // One step: half 0 (even accumulators) and half 1 (odd) — two vectors of one 1×8 block, or two 1×4 blocks.
    for (; i + <u32>(C == 4 ? 2 : 1) <= end; i += C == 4 ? 2 : 1) {
      const wp = val + (<usize>i << (C == 4 ? 4 : 5));
      const w0 = v128.load(wp), w1 = v128.load(wp, 16);
      const x0 = xb + (blockColAt(col, i, wide) << (C == 4 ? 4 : 5));
      const x1 = C == 4 ? xb + (blockColAt(col, i + 1, wide) << 4) : x0 + 16;
      a0 = dotAcc(0, B, w0, x0, ldx, a0); a1 = dotAcc(1, B, w1, x1, ldx, a1);
      a2 = dotAcc(2, B, w0, x0, ldx, a2); a3 = dotAcc(3, B, w1, x1, ldx, a3);
      a4 = dotAcc(4, B, w0, x0, ldx, a4); a5 = dotAcc(5, B, w1, x1, ldx, a5);
      a6 = dotAcc(6, B, w0, x0, ldx, a6); a7 = dotAcc(7, B, w1, x1, ldx, a7);
    }
    if (C == 4 && i < end) {
      const w0 = v128.load(val + (<usize>i << 4));
      const x0 = xb + (blockColAt(col, i, wide) << 4);
      a0 = dotAcc(0, B, w0, x0, ldx, a0); a2 = dotAcc(2, B, w0, x0, ldx, a2);
      a4 = dotAcc(4, B, w0, x0, ldx, a4); a6 = dotAcc(6, B, w0, x0, ldx, a6);
    }
    let s = hsum4(f32x4.add(a0, a1), f32x4.add(a2, a3), f32x4.add(a4, a5), f32x4.add(a6, a7));
    s = f32x4_activate(f32x4.add(s, v128.load32_splat(bias + (<usize>row << 2))), relu);
    const yp = yb + (<usize>row << 2);
    store<f32>(yp, f32x4.extract_lane(s, 0));
    if (B > 1) store<f32>(yp + ldy, f32x4.extract_lane(s, 1));
    if (B > 2) store<f32>(yp + 2 * ldy, f32x4.extract_lane(s, 2));
    if (B > 3) store<f32>(yp + 3 * ldy, f32x4.extract_lane(s, 3));
  }
}

/** Accumulator m = batch row (m >> 1) × row quad (m & 1) of an 8×1 column tile after one block; rows ≥ B pass through. */
// @ts-ignore: decorator
@inline function colAcc(m: i32, B: i32, w0: v128, w1: v128, xp: usize, ldx: usize, a: v128): v128 {
  if ((m >> 1) >= B) return a;
  return f32x4_madd((m & 1) == 0 ? w0 : w1, v128.load32_splat(xp + <usize>(m >> 1) * ldx), a);
}

/** Stores 4 outputs of batch row b at output row `row` into y, clipped at row n. */
// @ts-ignore: decorator
@inline function colStore(b: i32, B: i32, yb: usize, ldy: usize, row: i32, n: i32, relu: bool, a: v128): void {
  if (b >= B) return;
  const yp = yb + <usize>b * ldy + (<usize>row << 2);
  if (row + 4 <= n) v128.store(yp, f32x4_activate(a, relu));
  else if (row < n) f32x4_store_partial(yp, f32x4_activate(a, relu), n - row);
}

/**
 * Direct path for 8×1 blocks on X[batch, k]: a block is 8 weights of one input column (two vectors),
 * multiplied by that column's x splat for each of B ≤ 4 batch rows (16 KiB of X at k = 1024: stays in
 * L1); accumulators are 4 contiguous outputs of one batch row, stored straight into y. (4×1 blocks
 * done this way need two x columns per 8 madds and measured slower than the xT path.)
 */
// @ts-ignore: decorator
@inline function colTile(B: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, k: i32, b0: i32, relu: bool, wide: bool): void {
  const ldx = <usize>k << 2;
  const ldy = <usize>n << 2;
  const xb = x + <usize>b0 * ldx;
  const yb = y + <usize>b0 * ldy;
  const blockRows = (n + 7) >> 3;
  for (let br = 0; br < blockRows; br++) {
    const row0 = br << 3;
    const end = load<u32>(rowPtr + (<usize>br << 2), 4);
    const lo = v128.load(bias + (<usize>row0 << 2));
    const hi = v128.load(bias + (<usize>row0 << 2), 16);
    let a0 = lo, a1 = hi, a2 = lo, a3 = hi, a4 = lo, a5 = hi, a6 = lo, a7 = hi;
    for (let i = load<u32>(rowPtr + (<usize>br << 2)); i < end; i++) {
      const wp = val + (<usize>i << 5);
      const w0 = v128.load(wp), w1 = v128.load(wp, 16);
      const xp = xb + (blockColAt(col, i, wide) << 2);
      a0 = colAcc(0, B, w0, w1, xp, ldx, a0); a1 = colAcc(1, B, w0, w1, xp, ldx, a1);
      a2 = colAcc(2, B, w0, w1, xp, ldx, a2); a3 = colAcc(3, B, w0, w1, xp, ldx, a3);
      a4 = colAcc(4, B, w0, w1, xp, ldx, a4); a5 = colAcc(5, B, w0, w1, xp, ldx, a5);
      a6 = colAcc(6, B, w0, w1, xp, ldx, a6); a7 = colAcc(7, B, w0, w1, xp, ldx, a7);
    }
    colStore(0, B, yb, ldy, row0, n, relu, a0); colStore(0, B, yb, ldy, row0 + 4, n, relu, a1);
    colStore(1, B, yb, ldy, row0, n, relu, a2); colStore(1, B, yb, ldy, row0 + 4, n, relu, a3);
    colStore(2, B, yb, ldy, row0, n, relu, a4); colStore(2, B, yb, ldy, row0 + 4, n, relu, a5);
    colStore(3, B, yb, ldy, row0, n, relu, a6); colStore(3, B, yb, ldy, row0 + 4, n, relu, a7);
  }
}

/**
 * y[batch, n] from x[batch, k] (k = ceil(in/C)·C, zero-padded). SIMD 1×C and 8×1 blocks work on x
 * directly; every other case first transposes x into `scratch` (batch·k floats) and runs the xT path.
 */
// @ts-ignore: decorator
@inline function gemm(R: i32, C: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (ASC_FEATURE_SIMD && R == 1 && C >= 4) {
    let b0 = 0;
    for (; b0 + 4 <= batch; b0 += 4) dotTile(4, C, rowPtr, col, val, bias, x, y, n, k, b0, relu, wide);
    for (; b0 < batch; b0++) dotTile(1, C, rowPtr, col, val, bias, x, y, n, k, b0, relu, wide);
    return;
  }
  if (ASC_FEATURE_SIMD && R == 8 && C == 1) {
    let b0 = 0;
    for (; b0 + 4 <= batch; b0 += 4) colTile(4, rowPtr, col, val, bias, x, y, n, k, b0, relu, wide);
    for (; b0 < batch; b0++) colTile(1, rowPtr, col, val, bias, x, y, n, k, b0, relu, wide);
    return;
  }
  f32_transpose(x, scratch, batch, k);
  gemmTransposed(R, C, rowPtr, col, val, bias, scratch, y, n, batch, relu, wide);
}

// ---------------------------------------------------------------------------------------------
// Entries: one switch over the supported block shapes (keep in sync with BSR_BLOCK_SHAPES in
// src/formats/bsr.ts); an unsupported shape does nothing (the TypeScript side rejects it first).

// One (not inlined) function per shape, each holding its u16 and u32 bodies: a single function with
// every shape's inlined bodies made Binaryen's -O3 run for minutes.
function spmv1x4(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(1, 4, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(1, 4, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm1x4(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(1, 4, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(1, 4, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}
function spmv1x8(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(1, 8, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(1, 8, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm1x8(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(1, 8, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(1, 8, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}
function spmv4x1(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(4, 1, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(4, 1, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm4x1(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(4, 1, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(4, 1, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}
function spmv8x1(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(8, 1, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(8, 1, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm8x1(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(8, 1, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(8, 1, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}
function spmv4x4(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(4, 4, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(4, 4, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm4x4(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(4, 4, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(4, 4, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}
function spmv2x2(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  if (wide) gemv(2, 2, rowPtr, col, val, bias, x, y, n, relu, true);
  else gemv(2, 2, rowPtr, col, val, bias, x, y, n, relu, false);
}
function spmm2x2(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  if (wide) gemm(2, 2, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, true);
  else gemm(2, 2, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, false);
}

// @ts-ignore: decorator
@inline function spmv(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  const shape = (r << 4) | c;
  if (shape == 0x14) spmv1x4(rowPtr, col, val, bias, x, y, n, relu, wide);
  else if (shape == 0x18) spmv1x8(rowPtr, col, val, bias, x, y, n, relu, wide);
  else if (shape == 0x41) spmv4x1(rowPtr, col, val, bias, x, y, n, relu, wide);
  else if (shape == 0x81) spmv8x1(rowPtr, col, val, bias, x, y, n, relu, wide);
  else if (shape == 0x44) spmv4x4(rowPtr, col, val, bias, x, y, n, relu, wide);
  else if (shape == 0x22) spmv2x2(rowPtr, col, val, bias, x, y, n, relu, wide);
}

// @ts-ignore: decorator
@inline function spmm(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: bool, wide: bool): void {
  const shape = (r << 4) | c;
  if (shape == 0x14) spmm1x4(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
  else if (shape == 0x18) spmm1x8(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
  else if (shape == 0x41) spmm4x1(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
  else if (shape == 0x81) spmm8x1(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
  else if (shape == 0x44) spmm4x4(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
  else if (shape == 0x22) spmm2x2(rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu, wide);
}

/** y[n] = act(W·x + bias) for r×c blocks with u16 block columns; x holds ceil(in/c)·c floats. */
export function f32_spmv_bsr16(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(r, c, rowPtr, col, val, bias, x, y, n, relu != 0, false);
}

/** As f32_spmv_bsr16 with u32 block columns. */
export function f32_spmv_bsr32(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(r, c, rowPtr, col, val, bias, x, y, n, relu != 0, true);
}

/**
 * y[batch, n] = act(X·Wᵀ + bias) from x[batch, k], k = ceil(in/c)·c (columns past `in` zero), u16 block
 * columns. `scratch` holds batch·k floats (the transposed activations; unused by the SIMD 1×4, 1×8, 8×1 paths).
 */
export function f32_spmm_bsr16(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: i32): void {
  spmm(r, c, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu != 0, false);
}

/** As f32_spmm_bsr16 with u32 block columns. */
export function f32_spmm_bsr32(r: i32, c: i32, rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, scratch: usize, y: usize, n: i32, k: i32, batch: i32, relu: i32): void {
  spmm(r, c, rowPtr, col, val, bias, x, scratch, y, n, k, batch, relu != 0, true);
}
