// Product-table GEMM accumulated through an approximate lower-part adder (LOA / truncated adder; the exact adder
// is lowerBits = 0): acc = add(acc, T[xcode][wcode]) for k = 0, 1, … in order, in a two's-complement accumulator
// of accBits (2..32) bits that wraps, y[b][o] = the final accumulator (as f64).
// add(a, p): lower `lowerBits` sum bits = (a | p) when orLower, else 0; upper part = (a >> l) + (p >> l) + carry,
// carry = bit l − 1 of (a & p) when andCarry; then the sum wraps to accBits. Only i32 ops, so every build gives
// the same bits. The SIMD builds run eight (then four) outputs as the lanes of two (one) accumulator vectors.
// Layout as mac_table_gemm_i32 (assembly/mac/table-gemm.ts): table i32 [2^logDim][2^logDim], xcode u8
// [batch][k], wcode u8 [out][k], rows = scratch of k u32, y f64 [batch][out].
import { tableRows } from "./table-gemm";

// add(acc, p) = (acc & hi) + (p & hi) + ((acc & p & carryBit) << 1), lower bits (acc | p) & low, then the wrap:
// the same value as ((acc >> l) + (p >> l) + carry) << l with fewer steps on the accumulator's dependency chain.
// hi = ~((1 << l) − 1); low = that mask when orLower, else 0; carryBit = 1 << (l − 1) when andCarry, else 0.
// @ts-ignore: decorator
@inline function lpaAdd(acc: i32, p: i32, hi: i32, low: i32, carryBit: i32, wrap: i32): i32 {
  const sum = ((acc & hi) + (p & hi) + ((acc & p & carryBit) << 1)) | ((acc | p) & low);
  return (sum << wrap) >> wrap;
}

// @ts-ignore: decorator
@inline function lpaAddX4(acc: v128, p: v128, hi: v128, low: v128, carryBit: v128, wrap: i32): v128 {
  const upper = i32x4.add(i32x4.add(v128.and(acc, hi), v128.and(p, hi)), i32x4.shl(v128.and(v128.and(acc, p), carryBit), 1));
  const sum = v128.or(upper, v128.and(v128.or(acc, p), low));
  return i32x4.shr_s(i32x4.shl(sum, wrap), wrap);
}

// @ts-ignore: decorator
@inline function products4(r: usize, w0: usize, i: usize, kk: usize): v128 {
  let p = i32x4.splat(load<i32>(r + (<usize>load<u8>(w0 + i) << 2)));
  p = i32x4.replace_lane(p, 1, load<i32>(r + (<usize>load<u8>(w0 + kk + i) << 2)));
  p = i32x4.replace_lane(p, 2, load<i32>(r + (<usize>load<u8>(w0 + 2 * kk + i) << 2)));
  return i32x4.replace_lane(p, 3, load<i32>(r + (<usize>load<u8>(w0 + 3 * kk + i) << 2)));
}

// @ts-ignore: decorator
@inline function store4(y: usize, acc: v128): void {
  store<f64>(y, <f64>i32x4.extract_lane(acc, 0));
  store<f64>(y + 8, <f64>i32x4.extract_lane(acc, 1));
  store<f64>(y + 16, <f64>i32x4.extract_lane(acc, 2));
  store<f64>(y + 24, <f64>i32x4.extract_lane(acc, 3));
}

export function mac_table_gemm_lpa_i32(
  table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32,
  lowerBits: i32, orLower: i32, andCarry: i32, accBits: i32,
): void {
  const l = lowerBits; // 0..31
  const lowMask = l > 0 ? (1 << l) - 1 : 0;
  const hi = ~lowMask;
  const low = orLower ? lowMask : 0;
  const carryBit = andCarry && l > 0 ? 1 << (l - 1) : 0;
  const wrap = 32 - accBits;
  const rowShift = <usize>logDim + 2;
  const kk = <usize>k;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * kk;
    tableRows(table, rowShift, xb, rows, kk);
    const yb = y + (<usize>b * <usize>out << 3);
    let o = 0;
    if (ASC_FEATURE_SIMD) {
      const hiV = i32x4.splat(hi);
      const lowV = i32x4.splat(low);
      const carryV = i32x4.splat(carryBit);
      // Eight outputs per pass: two independent accumulator chains overlap their latencies.
      for (; o + 8 <= out; o += 8) {
        const w0 = wc + <usize>o * kk;
        const w4 = w0 + 4 * kk;
        let acc0 = i32x4.splat(0);
        let acc1 = i32x4.splat(0);
        for (let i: usize = 0; i < kk; i++) {
          const r = <usize>load<u32>(rows + (i << 2));
          acc0 = lpaAddX4(acc0, products4(r, w0, i, kk), hiV, lowV, carryV, wrap);
          acc1 = lpaAddX4(acc1, products4(r, w4, i, kk), hiV, lowV, carryV, wrap);
        }
        store4(yb + (<usize>o << 3), acc0);
        store4(yb + (<usize>(o + 4) << 3), acc1);
      }
      for (; o + 4 <= out; o += 4) {
        const w0 = wc + <usize>o * kk;
        let acc = i32x4.splat(0);
        for (let i: usize = 0; i < kk; i++) acc = lpaAddX4(acc, products4(<usize>load<u32>(rows + (i << 2)), w0, i, kk), hiV, lowV, carryV, wrap);
        store4(yb + (<usize>o << 3), acc);
      }
    } else {
      for (; o + 4 <= out; o += 4) {
        const w0 = wc + <usize>o * kk;
        const w1 = w0 + kk;
        const w2 = w1 + kk;
        const w3 = w2 + kk;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let i: usize = 0; i < kk; i++) {
          const r = <usize>load<u32>(rows + (i << 2));
          a0 = lpaAdd(a0, load<i32>(r + (<usize>load<u8>(w0 + i) << 2)), hi, low, carryBit, wrap);
          a1 = lpaAdd(a1, load<i32>(r + (<usize>load<u8>(w1 + i) << 2)), hi, low, carryBit, wrap);
          a2 = lpaAdd(a2, load<i32>(r + (<usize>load<u8>(w2 + i) << 2)), hi, low, carryBit, wrap);
          a3 = lpaAdd(a3, load<i32>(r + (<usize>load<u8>(w3 + i) << 2)), hi, low, carryBit, wrap);
        }
        const yo = yb + (<usize>o << 3);
        store<f64>(yo, <f64>a0);
        store<f64>(yo + 8, <f64>a1);
        store<f64>(yo + 16, <f64>a2);
        store<f64>(yo + 24, <f64>a3);
      }
    }
    for (; o < out; o++) {
      const w0 = wc + <usize>o * kk;
      let a0 = 0;
      for (let i: usize = 0; i < kk; i++) {
        a0 = lpaAdd(a0, load<i32>(<usize>load<u32>(rows + (i << 2)) + (<usize>load<u8>(w0 + i) << 2)), hi, low, carryBit, wrap);
      }
      store<f64>(yb + (<usize>o << 3), <f64>a0);
    }
  }
}
