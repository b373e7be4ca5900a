// Popcount of the AND or XOR of two byte runs, shared by the XNOR-Net kernels (assembly/quant/xnor.ts) and the SC
// inner products (assembly/sc/inner.ts). SIMD: i8x16.popcnt, per-byte counts summed in u8 lanes for at most 31
// vectors (31·8 = 248 < 256), then widened pairwise to i32; the rest (and the scalar build) by u64 / byte popcnt.

/** Pairwise widening of summed popcnt bytes to four i32 lanes. */
// @ts-ignore: decorator
@inline export function widenByteCounts(bytesum: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(bytesum));
}

/** Sum of the four i32 lanes. */
// @ts-ignore: decorator
@inline export function laneSum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function combine(a: v128, b: v128, xor: bool): v128 {
  return xor ? v128.xor(a, b) : v128.and(a, b);
}

/** Ones of (a XOR b) when `xor`, else of (a AND b), over `bytes` bytes. */
// @ts-ignore: decorator
@inline export function pairPopcount(a: usize, b: usize, bytes: i32, xor: bool): i32 {
  let count = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vectors = bytes >> 4;
    let total = i32x4.splat(0);
    let v = 0;
    while (v < vectors) {
      const end = min(v + 31, vectors);
      let bytesum = i8x16.splat(0);
      for (; v < end; v++) {
        const o = <usize>v << 4;
        bytesum = i8x16.add(bytesum, i8x16.popcnt(combine(v128.load(a + o), v128.load(b + o), xor)));
      }
      total = i32x4.add(total, widenByteCounts(bytesum));
    }
    count = laneSum(total);
    i = vectors << 4;
  }
  for (; i + 8 <= bytes; i += 8) {
    const x = load<u64>(a + <usize>i), y = load<u64>(b + <usize>i);
    count += <i32>popcnt<u64>(xor ? x ^ y : x & y);
  }
  for (; i < bytes; i++) {
    const x = <u32>load<u8>(a + <usize>i), y = <u32>load<u8>(b + <usize>i);
    count += <i32>popcnt<u32>(xor ? x ^ y : x & y);
  }
  return count;
}
