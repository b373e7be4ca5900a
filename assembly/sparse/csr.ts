// CSR sparse linear kernels (row = output neuron): y = act(W·x + bias) with W stored as
// rowPtr u32[n+1], col (u16 when in ≤ 65536, else u32)[nnz], val f32[nnz].
// GEMV gathers 4 activations per step into one vector; SpMM (assembly/sparse/gather.ts) works on
// transposed activations xT[k, batch] so each nonzero scales a contiguous batch strip.

import { f32x4_madd } from "../simd";
import { gatherSpmm, Index } from "./gather";

// @ts-ignore: decorator
@inline function colAt(col: usize, i: u32, wide: bool): usize {
  return wide ? <usize>load<u32>(col + (<usize>i << 2)) : <usize>load<u16>(col + (<usize>i << 1));
}

/** x[col[i]], …, x[col[i+3]] in one vector. */
// @ts-ignore: decorator
@inline function gather4(col: usize, x: usize, i: u32, wide: bool): v128 {
  let xv = v128.load32_zero(x + (colAt(col, i, wide) << 2));
  xv = v128.load32_lane(x + (colAt(col, i + 1, wide) << 2), xv, 1);
  xv = v128.load32_lane(x + (colAt(col, i + 2, wide) << 2), xv, 2);
  return v128.load32_lane(x + (colAt(col, i + 3, wide) << 2), xv, 3);
}

// @ts-ignore: decorator
@inline function spmv(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  for (let r = 0; r < n; r++) {
    let i = load<u32>(rowPtr + (<usize>r << 2));
    const end = load<u32>(rowPtr + (<usize>r << 2), 4);
    let s: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      // Two independent gathers and accumulators per step: the lane inserts of one vector form a
      // dependency chain, so a second chain keeps the load ports busy.
      let acc = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      for (; i + 8 <= end; i += 8) {
        acc = f32x4_madd(v128.load(val + (<usize>i << 2)), gather4(col, x, i, wide), acc);
        acc2 = f32x4_madd(v128.load(val + (<usize>i << 2), 16), gather4(col, x, i + 4, wide), acc2);
      }
      if (i + 4 <= end) {
        acc = f32x4_madd(v128.load(val + (<usize>i << 2)), gather4(col, x, i, wide), acc);
        i += 4;
      }
      acc = f32x4.add(acc, acc2);
      s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
    for (; i < end; i++) s += load<f32>(val + (<usize>i << 2)) * load<f32>(x + (colAt(col, i, wide) << 2));
    s += load<f32>(bias + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), relu ? max<f32>(s, 0) : s);
  }
}

export function f32_spmv_csr16(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(rowPtr, col, val, bias, x, y, n, relu != 0, false);
}

export function f32_spmv_csr32(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(rowPtr, col, val, bias, x, y, n, relu != 0, true);
}

/** y[batch, n] from transposed activations xT[in, batch] (see gatherSpmm). */
export function f32_spmm_csr16(rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, relu: i32): void {
  gatherSpmm(Index.U16Column, rowPtr, col, val, bias, xT, y, n, batch, relu != 0);
}

export function f32_spmm_csr32(rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, relu: i32): void {
  gatherSpmm(Index.U32Column, rowPtr, col, val, bias, xT, y, n, batch, relu != 0);
}
