// Gather-multiply-accumulate shared by the row-sparse formats: a dot product over a decoded address
// list (DARB, LFSR GEMV) and the SpMM over transposed activations (CSR, and DARB / LFSR after they
// decode their columns into a scratch list of u32 byte offsets, one per nonzero, in the order of val).

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

/** How a sparse row names its activation rows in xT: CSR column indices (u16 or u32), or u32 byte
 *  offsets already scaled by the batch stride (formats that decode their columns per call). */
export const enum Index { U16Column, U32Column, ByteOffset }

/** log2 of the bytes per index entry. */
// @ts-ignore: decorator
@inline function indexShift(kind: Index): usize { return kind == Index.U16Column ? 1 : 2; }

/** Byte offset into xT of the nonzero whose index entry is at ip. */
// @ts-ignore: decorator
@inline function xOffset(kind: Index, ip: usize, ld: usize): usize {
  if (kind == Index.U16Column) return <usize>load<u16>(ip) * ld;
  if (kind == Index.U32Column) return <usize>load<u32>(ip) * ld;
  return <usize>load<u32>(ip);
}

/**
 * Batch rows [b0, b0 + width) of every output column (width 16, 4 or 1, a compile-time constant):
 * y[b, r] = act(bias[r] + Σ val[i]·xT[idx(i) + 4b]) for i in rowPtr[r] .. rowPtr[r+1]. Each nonzero's
 * weight is splatted once and scales width/4 vectors of its activation row. 16 lanes = one 64-byte
 * line of xT per nonzero: a strip's rows (in · 64 B) then mostly stay in L1/L2, and with batch 64 the
 * nonzero touches 4 lines in all. 28-lane strips (7 accumulators, the most V8 keeps in registers) cut
 * the per-nonzero overhead but straddle 2–3 lines each, and measured ≈15 % slower at 1024², batch 64
 * (same-process A/B). Results go straight into y[batch, n] (row stride ldy bytes): no transpose.
 */
// @ts-ignore: decorator
@inline function spmmStrip(width: i32, kind: Index, rowPtr: usize, idx: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, b0: i32, relu: bool): void {
  const ld = <usize>batch << 2;
  const ldy = <usize>n << 2;
  const x0 = xT + (<usize>b0 << 2);
  const y0 = y + <usize>b0 * ldy;
  const v = width >> 2; // vectors per strip
  for (let r = 0; r < n; r++) {
    const start = load<u32>(rowPtr + (<usize>r << 2));
    const end = load<u32>(rowPtr + (<usize>r << 2), 4);
    const yp = y0 + (<usize>r << 2);
    if (ASC_FEATURE_SIMD && width >= 4) {
      const b = v128.load32_splat(bias + (<usize>r << 2));
      let a0 = b, a1 = b, a2 = b, a3 = b;
      // Walking pointers: indexing by i made V8 recompute both addresses every nonzero.
      let vp = val + (<usize>start << 2);
      let ip = idx + (<usize>start << indexShift(kind));
      const vEnd = val + (<usize>end << 2);
      for (; vp < vEnd; vp += 4, ip += <usize>1 << indexShift(kind)) {
        const w = v128.load32_splat(vp);
        const xp = x0 + xOffset(kind, ip, ld);
        a0 = f32x4_madd(w, v128.load(xp), a0);
        if (v > 1) a1 = f32x4_madd(w, v128.load(xp, 16), a1);
        if (v > 2) a2 = f32x4_madd(w, v128.load(xp, 32), a2);
        if (v > 3) a3 = f32x4_madd(w, v128.load(xp, 48), a3);
      }
      storeColumn4(yp, ldy, f32x4_activate(a0, relu));
      if (v > 1) storeColumn4(yp + 4 * ldy, ldy, f32x4_activate(a1, relu));
      if (v > 2) storeColumn4(yp + 8 * ldy, ldy, f32x4_activate(a2, relu));
      if (v > 3) storeColumn4(yp + 12 * ldy, ldy, f32x4_activate(a3, relu));
    } else {
      let s = load<f32>(bias + (<usize>r << 2));
      for (let i = start; i < end; i++) s += load<f32>(val + (<usize>i << 2)) * load<f32>(x0 + xOffset(kind, idx + (<usize>i << indexShift(kind)), ld));
      store<f32>(yp, relu ? max<f32>(s, 0) : s);
    }
  }
}

/**
 * y[batch, n] from transposed activations xT[in, batch] for rows r with nonzeros rowPtr[r] ..
 * rowPtr[r+1] (values val, activation rows named by idx as `kind` says). Strips of the batch
 * outermost, so one strip of xT is reused by every row.
 */
// @ts-ignore: decorator
@inline export function gatherSpmm(kind: Index, rowPtr: usize, idx: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, batch: i32, relu: bool): void {
  let b0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; b0 + 16 <= batch; b0 += 16) spmmStrip(16, kind, rowPtr, idx, val, bias, xT, y, n, batch, b0, relu);
    for (; b0 + 4 <= batch; b0 += 4) spmmStrip(4, kind, rowPtr, idx, val, bias, xT, y, n, batch, b0, relu);
  }
  for (; b0 < batch; b0++) spmmStrip(1, kind, rowPtr, idx, val, bias, xT, y, n, batch, b0, relu);
}
