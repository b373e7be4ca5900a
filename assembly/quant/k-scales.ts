// Field decoding shared by the K-quant kernels (lowbit.md §1.12, §(a) "k4 unpack"): the 12-byte k4 block of
// eight 6-bit (scale, min) pairs used by Q4_K and Q5_K, and the Q3_K and IQ4_XS scale fields.

/** Sub-block j's 6-bit scale of the k4 block at `s` (ggml's get_scale_min_k4, first output). */
// @ts-ignore: decorator
@inline export function k4Scale(s: usize, j: i32): i32 {
  const o = <usize>j;
  return j < 4 ? <i32>load<u8>(s + o) & 63 : (<i32>load<u8>(s + o + 4) & 0xf) | ((<i32>load<u8>(s + o - 4) >> 6) << 4);
}

/** Sub-block j's 6-bit min of the k4 block at `s` (get_scale_min_k4, second output). */
// @ts-ignore: decorator
@inline export function k4Min(s: usize, j: i32): i32 {
  const o = <usize>j;
  return j < 4 ? <i32>load<u8>(s + o + 4) & 63 : (<i32>load<u8>(s + o + 4) >> 4) | ((<i32>load<u8>(s + o) >> 6) << 4);
}

/** All eight (scale, min) pairs of the k4 block at `s` as one u8x16 vector: lanes 0–7 the scales, 8–15
 *  the mins. Reads 16 bytes from `s` (the 12 scale bytes and 4 bytes past them, which are ignored). */
// @ts-ignore: decorator
@inline export function k4Unpack(s: usize): v128 {
  const b = v128.load(s);
  // Low parts: sc0..3 = b0..3 & 63, sc4..7 = b8..11 & 15, m0..3 = b4..7 & 63, m4..7 = b8..11 >> 4.
  const p = i8x16.shuffle(b, b, 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
  const low = v128.or(
    v128.and(p, i8x16(63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 0, 0, 0, 0)),
    v128.and(i8x16.shr_u(p, 4), i8x16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 15, 15, 15)),
  );
  // High parts of sc4..7 / m4..7: bits 6–7 of b0..3 / b4..7, moved to bits 4–5 (other lanes pick a zero).
  const t = i8x16.shuffle(b, i32x4.splat(0), 16, 16, 16, 16, 0, 1, 2, 3, 16, 16, 16, 16, 4, 5, 6, 7);
  return v128.or(low, i8x16.shl(i8x16.shr_u(t, 6), 4));
}

/** Sub-block j's signed scale (−32..31) of the Q3_K 12-byte scale block at `s` (lowbit.md §1.11). */
// @ts-ignore: decorator
@inline export function q3Scale(s: usize, j: i32): i32 {
  const low4 = j < 8 ? <i32>load<u8>(s + <usize>j) & 0xf : <i32>load<u8>(s + <usize>(j - 8)) >> 4;
  const high2 = (<i32>load<u8>(s + 8 + <usize>(j & 3)) >> (2 * (j >> 2))) & 3;
  return (low4 | (high2 << 4)) - 32;
}

/** Sub-block ib's signed scale (ls − 32) of the IQ4_XS block at `b` (lowbit.md §1.17). */
// @ts-ignore: decorator
@inline export function iq4xsScale(b: usize, ib: i32): i32 {
  const scalesH = <i32>load<u16>(b, 2);
  const ls = ((<i32>load<u8>(b + 4 + <usize>(ib >> 1)) >> (4 * (ib & 1))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
  return ls - 32;
}
