// Gather-multiply-accumulate over one output row whose column addresses were decoded into a scratch
// list: shared by the index-free formats (DARB, LFSR) that regenerate their columns in the kernel.
// `addr` holds u32 byte offsets, one per nonzero, in the order of `val`.

import { f32x4_madd, f32x4_activate } from "../simd";

/** Σ val[i]·x[addr[i]] for i < count (addr = byte offsets from x), 4 gathered lanes per step. */
// @ts-ignore: decorator
@inline export function gatherDot(addr: usize, val: usize, count: i32, x: usize): f32 {
  let i = 0;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (; i + 4 <= count; i += 4) {
      const a = addr + (<usize>i << 2);
      let xv = v128.load32_zero(x + <usize>load<u32>(a));
      xv = v128.load32_lane(x + <usize>load<u32>(a, 4), xv, 1);
      xv = v128.load32_lane(x + <usize>load<u32>(a, 8), xv, 2);
      xv = v128.load32_lane(x + <usize>load<u32>(a, 12), xv, 3);
      acc = f32x4_madd(v128.load(val + (<usize>i << 2)), xv, acc);
    }
    s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
  for (; i < count; i++) s += load<f32>(val + (<usize>i << 2)) * load<f32>(x + <usize>load<u32>(addr + (<usize>i << 2)));
  return s;
}

/** Stores the 4 lanes of v to column `yCol` of rows b, b+1, b+2, b+3 of y (row stride ldy bytes). */
// @ts-ignore: decorator
@inline function storeColumn4(yCol: usize, ldy: usize, v: v128): void {
  store<f32>(yCol, f32x4.extract_lane(v, 0));
  store<f32>(yCol + ldy, f32x4.extract_lane(v, 1));
  store<f32>(yCol + 2 * ldy, f32x4.extract_lane(v, 2));
  store<f32>(yCol + 3 * ldy, f32x4.extract_lane(v, 3));
}

/**
 * Batch rows [b0, b0 + width) of every output column (width 16, 4 or 1, a compile-time constant):
 * y[b, r] = act(bias[r] + Σ val[i]·xT[addr[i] + 4b]) for i in rowPtr[r] .. rowPtr[r+1]. Results go
 * straight into y[batch, n] (row stride ldy bytes), so the output needs no transpose.
 */
// @ts-ignore: decorator
@inline function spmmStrip(width: i32, rowPtr: usize, addr: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, ldy: usize, b0: i32, relu: bool): void {
  const x0 = xT + (<usize>b0 << 2);
  const y0 = y + <usize>b0 * ldy;
  for (let r = 0; r < n; r++) {
    const start = load<u32>(rowPtr + (<usize>r << 2));
    const end = load<u32>(rowPtr + (<usize>r << 2), 4);
    const yp = y0 + (<usize>r << 2);
    if (ASC_FEATURE_SIMD && width >= 4) {
      const b = v128.load32_splat(bias + (<usize>r << 2));
      let a0 = b, a1 = b, a2 = b, a3 = b;
      for (let i = start; i < end; i++) {
        const w = v128.load32_splat(val + (<usize>i << 2));
        const xp = x0 + <usize>load<u32>(addr + (<usize>i << 2));
        a0 = f32x4_madd(w, v128.load(xp), a0);
        if (width > 4) {
          a1 = f32x4_madd(w, v128.load(xp, 16), a1);
          a2 = f32x4_madd(w, v128.load(xp, 32), a2);
          a3 = f32x4_madd(w, v128.load(xp, 48), a3);
        }
      }
      storeColumn4(yp, ldy, f32x4_activate(a0, relu));
      if (width > 4) {
        storeColumn4(yp + 4 * ldy, ldy, f32x4_activate(a1, relu));
        storeColumn4(yp + 8 * ldy, ldy, f32x4_activate(a2, relu));
        storeColumn4(yp + 12 * ldy, ldy, f32x4_activate(a3, relu));
      }
    } else {
      let s = load<f32>(bias + (<usize>r << 2));
      for (let i = start; i < end; i++) s += load<f32>(val + (<usize>i << 2)) * load<f32>(x0 + <usize>load<u32>(addr + (<usize>i << 2)));
      store<f32>(yp, relu ? max<f32>(s, 0) : s);
    }
  }
}

/**
 * y[batch, n] from transposed activations xT[in, batch] for rows whose nonzeros were decoded into
 * addr (byte offsets column·batch·4 into xT, in the order of val) with row ranges rowPtr[n + 1].
 * Strips of the batch outermost, so one strip of xT is reused by every row.
 */
// @ts-ignore: decorator
@inline export function gatherSpmm(rowPtr: usize, addr: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, relu: bool): void {
  const ldy = <usize>n << 2;
  let b0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; b0 + 16 <= batch; b0 += 16) spmmStrip(16, rowPtr, addr, val, bias, xT, y, n, ldy, b0, relu);
    for (; b0 + 4 <= batch; b0 += 4) spmmStrip(4, rowPtr, addr, val, bias, xT, y, n, ldy, b0, relu);
  }
  for (; b0 < batch; b0++) spmmStrip(1, rowPtr, addr, val, bias, xT, y, n, ldy, b0, relu);
}
