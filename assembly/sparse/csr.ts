// CSR sparse linear kernels (row = output neuron): y = act(W·x + bias) with W stored as
// rowPtr u32[n+1], col (u16 when in ≤ 65536, else u32)[nnz], val f32[nnz].
// GEMV gathers 4 activations per step into one vector; SpMM (assembly/sparse/gather.ts) works on
// transposed activations xT[k, batch] so each nonzero scales a contiguous batch strip.

import { f32x4_madd } from "../simd";
import { gatherSpmm, Index } from "./gather";

/** Column index at byte `o` past cp (u16 or u32 entries). */
// @ts-ignore: decorator
@inline function colAt(cp: usize, o: usize, wide: bool): usize {
  return wide ? <usize>load<u32>(cp + o) : <usize>load<u16>(cp + o);
}

/** x[col[0]], …, x[col[3]] in one vector, for the 4 indices at byte `o` past cp. */
// @ts-ignore: decorator
@inline function gather4(cp: usize, o: usize, x: usize, wide: bool): v128 {
  const es: usize = wide ? 4 : 2;
  let xv = v128.load32_zero(x + (colAt(cp, o, wide) << 2));
  xv = v128.load32_lane(x + (colAt(cp, o + es, wide) << 2), xv, 1);
  xv = v128.load32_lane(x + (colAt(cp, o + 2 * es, wide) << 2), xv, 2);
  return v128.load32_lane(x + (colAt(cp, o + 3 * es, wide) << 2), xv, 3);
}

// @ts-ignore: decorator
@inline function spmv(rowPtr: usize, col: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, relu: bool, wide: bool): void {
  const shift: usize = wide ? 2 : 1; // log2 bytes per index
  for (let r = 0; r < n; r++) {
    const start = load<u32>(rowPtr + (<usize>r << 2));
    const end = load<u32>(rowPtr + (<usize>r << 2), 4);
    // Walking pointers with constant offsets: indexing by i + j made V8 recompute every address
    // (three instructions per index), which bounded this loop at ~1.5x slower than the gathers allow.
    let cp = col + (<usize>start << shift);
    let vp = val + (<usize>start << 2);
    const cEnd = col + (<usize>end << shift);
    let s: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      // Two independent gathers and accumulators per step: the lane inserts of one vector form a
      // dependency chain, so a second chain keeps the load ports busy.
      const step: usize = 8 << shift;
      let acc = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      for (; cp + step <= cEnd; cp += step, vp += 32) {
        acc = f32x4_madd(v128.load(vp), gather4(cp, 0, x, wide), acc);
        acc2 = f32x4_madd(v128.load(vp, 16), gather4(cp, step >> 1, x, wide), acc2);
      }
      if (cp + (step >> 1) <= cEnd) {
        acc = f32x4_madd(v128.load(vp), gather4(cp, 0, x, wide), acc);
        cp += step >> 1;
        vp += 16;
      }
      acc = f32x4.add(acc, acc2);
      s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
    for (; cp < cEnd; cp += <usize>1 << shift, vp += 4) s += load<f32>(vp) * load<f32>(x + (colAt(cp, 0, wide) << 2));
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
