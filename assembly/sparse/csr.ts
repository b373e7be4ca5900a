// CSR sparse linear kernels (row = output neuron): y = act(W·x + bias) with W stored as
// rowPtr u32[n+1], col (u16 when in ≤ 65536, else u32)[nnz], val f32[nnz].
// GEMV gathers 4 activations per step into one vector; SpMM works on transposed activations
// xT[k, batch] so each nonzero scales a contiguous batch strip (SIMD across the batch).

import { f32x4_madd, f32x4_activate } from "../simd";

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

/** Output rows of yT[n, batch] from xT[k, batch]; lanes b0 .. b0+width-1 (width 32, 16, 4 or 1).
 *  Each nonzero's weight is splatted once and scales width/4 vectors of its activation row. */
// @ts-ignore: decorator
@inline function spmmStrip(width: i32, rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, yT: usize, n: i32, batch: i32, b0: i32, relu: bool, wide: bool): void {
  const ld = <usize>batch << 2;
  const off = <usize>b0 << 2;
  for (let r = 0; r < n; r++) {
    const start = load<u32>(rowPtr + (<usize>r << 2));
    const end = load<u32>(rowPtr + (<usize>r << 2), 4);
    const yp = yT + <usize>r * ld + off;
    if (ASC_FEATURE_SIMD && width >= 4) {
      const b = v128.load32_splat(bias + (<usize>r << 2));
      let a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
      for (let i = start; i < end; i++) {
        const w = v128.load32_splat(val + (<usize>i << 2));
        const xp = xT + colAt(col, i, wide) * ld + off;
        a0 = f32x4_madd(w, v128.load(xp), a0);
        if (width >= 16) {
          a1 = f32x4_madd(w, v128.load(xp, 16), a1);
          a2 = f32x4_madd(w, v128.load(xp, 32), a2);
          a3 = f32x4_madd(w, v128.load(xp, 48), a3);
        }
        if (width >= 32) {
          a4 = f32x4_madd(w, v128.load(xp, 64), a4);
          a5 = f32x4_madd(w, v128.load(xp, 80), a5);
          a6 = f32x4_madd(w, v128.load(xp, 96), a6);
          a7 = f32x4_madd(w, v128.load(xp, 112), a7);
        }
      }
      v128.store(yp, f32x4_activate(a0, relu));
      if (width >= 16) {
        v128.store(yp, f32x4_activate(a1, relu), 16);
        v128.store(yp, f32x4_activate(a2, relu), 32);
        v128.store(yp, f32x4_activate(a3, relu), 48);
      }
      if (width >= 32) {
        v128.store(yp, f32x4_activate(a4, relu), 64);
        v128.store(yp, f32x4_activate(a5, relu), 80);
        v128.store(yp, f32x4_activate(a6, relu), 96);
        v128.store(yp, f32x4_activate(a7, relu), 112);
      }
    } else {
      let s = load<f32>(bias + (<usize>r << 2));
      for (let i = start; i < end; i++) s += load<f32>(val + (<usize>i << 2)) * load<f32>(xT + colAt(col, i, wide) * ld + off);
      store<f32>(yp, relu ? max<f32>(s, 0) : s);
    }
  }
}

// @ts-ignore: decorator
@inline function spmm(rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, yT: usize, n: i32, batch: i32, relu: bool, wide: bool): void {
  let b0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; b0 + 32 <= batch; b0 += 32) spmmStrip(32, rowPtr, col, val, bias, xT, yT, n, batch, b0, relu, wide);
    for (; b0 + 16 <= batch; b0 += 16) spmmStrip(16, rowPtr, col, val, bias, xT, yT, n, batch, b0, relu, wide);
    for (; b0 + 4 <= batch; b0 += 4) spmmStrip(4, rowPtr, col, val, bias, xT, yT, n, batch, b0, relu, wide);
  }
  for (; b0 < batch; b0++) spmmStrip(1, rowPtr, col, val, bias, xT, yT, n, batch, b0, relu, wide);
}

export function f32_spmv_csr16(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(rowPtr, col, val, bias, x, y, n, relu != 0, false);
}

export function f32_spmv_csr32(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: i32): void {
  spmv(rowPtr, col, val, bias, x, y, n, relu != 0, true);
}

export function f32_spmm_csr16(rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, yT: usize, n: i32, batch: i32, relu: i32): void {
  spmm(rowPtr, col, val, bias, xT, yT, n, batch, relu != 0, false);
}

export function f32_spmm_csr32(rowPtr: usize, col: usize, val: usize, bias: usize, xT: usize, yT: usize, n: i32, batch: i32, relu: i32): void {
  spmm(rowPtr, col, val, bias, xT, yT, n, batch, relu != 0, true);
}
