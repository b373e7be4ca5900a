// DARB (density-adaptive regular-block) kernels: y = act(W·x + bias), W cut into blocks of b = 2^lb
// (lb = 1..7) columns per row, row r keeping k_r weights in every block (the last block of a row,
// `in mod b` columns wide, keeps min(k_r, in mod b)).
//
// Resident layout (the op repacks the format into it), "slot-major" per row: slot t of a row is the
// t-th smallest kept offset of every block, blocks ascending, so within a slot consecutive nonzeros
// sit in consecutive blocks and column = j·b + offset needs no division and no row pointers:
//   kr  u8[n]            k_r per row
//   val f32[nnz]         rows in order; within a row slot 0 of every block, then slot 1, …
//   off lb-bit offsets, one per value in the same order, LSB-first bit stream (value i at bits
//       [i·lb, (i+1)·lb)), followed by ≥ 8 bytes of slack so a u64 load at any offset's byte stays in bounds.
// Slot t of a row holds fullBlocks + (t < in mod b ? 1 : 0) nonzeros.
// GEMV decodes offsets in the gather loop (four or eight per load). GEMM decodes every column once
// into byte offsets of the transposed activations and hands them to the shared batch-strip loop.

import { f32x4_madd } from "../simd";
import { gatherSpmm, Index } from "./gather";

/** The lb-bit offset of value i. */
// @ts-ignore: decorator
@inline function offsetAt(off: usize, i: usize, lb: u32, mask: u32): u32 {
  const bit = i * lb;
  return <u32>(load<u64>(off + (bit >> 3)) >> <u64>(bit & 7)) & mask;
}

/** Σ over `count` consecutive blocks from xb of val[i]·x[block + offset], one value per block. */
// @ts-ignore: decorator
@inline function slotDot(off: usize, val: usize, xb: usize, i: usize, count: u32, shift: u32, mask: u32): f32 {
  const blockBytes = <usize>4 << shift;
  let s: f32 = 0;
  for (let j: u32 = 0; j < count; j++, i++, xb += blockBytes) {
    s += load<f32>(val + (i << 2)) * load<f32>(xb + (<usize>offsetAt(off, i, shift, mask) << 2));
  }
  return s;
}

export function f32_spmv_darb(kr: usize, off: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, inF: i32, lb: i32, relu: i32): void {
  // The common block sizes 8, 16 and 32 get their own copy of the SIMD loop, where every shift and
  // mask is an immediate (≈ 20% faster); the others share one with shifts by a variable.
  if (ASC_FEATURE_SIMD) {
    const act = relu != 0;
    if (lb == 3) spmvSimd(kr, off, val, bias, x, y, n, <u32>inF, 3, act);
    else if (lb == 4) spmvSimd(kr, off, val, bias, x, y, n, <u32>inF, 4, act);
    else if (lb == 5) spmvSimd(kr, off, val, bias, x, y, n, <u32>inF, 5, act);
    else spmvSimd(kr, off, val, bias, x, y, n, <u32>inF, <u32>lb, act);
  } else spmvScalar(kr, off, val, bias, x, y, n, <u32>inF, <u32>lb, relu != 0);
}

// @ts-ignore: decorator
@inline function storeOut(y: usize, bias: usize, r: i32, s: f32, relu: bool): void {
  s += load<f32>(bias + (<usize>r << 2));
  store<f32>(y + (<usize>r << 2), relu ? max<f32>(s, 0) : s);
}

// @ts-ignore: decorator
@inline function spmvScalar(kr: usize, off: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, inF: u32, shift: u32, relu: bool): void {
  const mask: u32 = (1 << shift) - 1;
  const full = inF >> shift;
  const lastW = inF & mask;
  let i: usize = 0;
  for (let r = 0; r < n; r++) {
    const k = <u32>load<u8>(kr + <usize>r);
    let s: f32 = 0;
    for (let t: u32 = 0; t < k; t++) {
      const count = full + <u32>(t < lastW);
      s += slotDot(off, val, x, i, count, shift, mask);
      i += <usize>count;
    }
    storeOut(y, bias, r, s, relu);
  }
}

/** x at four consecutive blocks from xb, each at its lb-bit offset from `word` (lowest field first). */
// @ts-ignore: decorator
@inline function gather4(xb: usize, blockBytes: usize, word: u32, shift: u32, mask: u32): v128 {
  let xv = v128.load32_zero(xb + (<usize>(word & mask) << 2));
  xv = v128.load32_lane(xb + blockBytes + (<usize>((word >> shift) & mask) << 2), xv, 1);
  xv = v128.load32_lane(xb + 2 * blockBytes + (<usize>((word >> (2 * shift)) & mask) << 2), xv, 2);
  return v128.load32_lane(xb + 3 * blockBytes + (<usize>((word >> (3 * shift)) & mask) << 2), xv, 3);
}

// @ts-ignore: decorator
@inline function spmvSimd(kr: usize, off: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, inF: u32, shift: u32, relu: bool): void {
  const mask: u32 = (1 << shift) - 1;
  const full = inF >> shift;
  const lastW = inF & mask;
  const blockBytes = <usize>4 << shift;
  let i: usize = 0;
  for (let r = 0; r < n; r++) {
    const k = <u32>load<u8>(kr + <usize>r);
    let s: f32 = 0;
    let acc = f32x4.splat(0);
    let acc2 = acc;
    for (let t: u32 = 0; t < k; t++) {
      const count = full + <u32>(t < lastW);
      let xb = x;
      let j: u32 = 0;
      // Eight consecutive offsets (≤ 7 + 56 bits) from one unaligned u64 load, gathered from eight
      // consecutive blocks into two accumulators; then four at a time.
      for (; j + 8 <= count; j += 8, i += 8, xb += 8 * blockBytes) {
        const bit = i * <usize>shift;
        const word = load<u64>(off + (bit >> 3)) >> <u64>(bit & 7);
        acc = f32x4_madd(v128.load(val + (i << 2)), gather4(xb, blockBytes, <u32>word, shift, mask), acc);
        acc2 = f32x4_madd(v128.load(val + (i << 2), 16), gather4(xb + 4 * blockBytes, blockBytes, <u32>(word >> <u64>(4 * shift)), shift, mask), acc2);
      }
      if (j + 4 <= count) {
        const bit = i * <usize>shift;
        const word = <u32>(load<u64>(off + (bit >> 3)) >> <u64>(bit & 7));
        acc = f32x4_madd(v128.load(val + (i << 2)), gather4(xb, blockBytes, word, shift, mask), acc);
        j += 4;
        i += 4;
        xb += 4 * blockBytes;
      }
      s += slotDot(off, val, xb, i, count - j, shift, mask);
      i += <usize>(count - j);
    }
    acc = f32x4.add(acc, acc2);
    s += f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    storeOut(y, bias, r, s, relu);
  }
}

/**
 * y[batch, n] from transposed activations xT[in, batch]. All columns are decoded once into `scratch`
 * (row ranges u32[n + 1], then one u32 byte offset into xT per nonzero) and reused by every batch strip.
 */
export function f32_spmm_darb(kr: usize, off: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, inF: i32, lb: i32, batch: i32, relu: i32, scratch: usize): void {
  const shift = <u32>lb;
  const mask: u32 = (1 << shift) - 1;
  const full = <u32>inF >> shift;
  const lastW = <u32>inF & mask;
  const ld = <u32>batch << 2;
  const blockStride = ld << shift;
  const rowPtr = scratch;
  const addr = scratch + ((<usize>n + 1) << 2);
  let i: usize = 0;
  store<u32>(rowPtr, 0);
  for (let r = 0; r < n; r++) {
    const k = <u32>load<u8>(kr + <usize>r);
    for (let t: u32 = 0; t < k; t++) {
      const count = full + <u32>(t < lastW);
      let base: u32 = 0;
      let j: u32 = 0;
      // Four offsets per load (as in the GEMV); each becomes a byte offset into xT.
      for (; j + 4 <= count; j += 4, i += 4, base += 4 * blockStride) {
        const bit = i * <usize>shift;
        const word = <u32>(load<u64>(off + (bit >> 3)) >> <u64>(bit & 7));
        const to = addr + (i << 2);
        store<u32>(to, base + (word & mask) * ld);
        store<u32>(to, base + blockStride + ((word >> shift) & mask) * ld, 4);
        store<u32>(to, base + 2 * blockStride + ((word >> (2 * shift)) & mask) * ld, 8);
        store<u32>(to, base + 3 * blockStride + ((word >> (3 * shift)) & mask) * ld, 12);
      }
      for (; j < count; j++, i++, base += blockStride) {
        store<u32>(addr + (i << 2), base + offsetAt(off, i, shift, mask) * ld);
      }
    }
    store<u32>(rowPtr + ((<usize>r + 1) << 2), <u32>i);
  }
  gatherSpmm(Index.ByteOffset, rowPtr, addr, val, bias, xT, y, n, batch, relu != 0);
}
