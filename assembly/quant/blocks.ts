// Shared pieces of the GGUF block kernels: exact fp16 ↔ f32 conversion (scalar and 4 lanes), the split-halves
// nibble layout of ggml's 32-element blocks, int8 codes → scaled f32 stores, and the 4-row reductions the
// GEMVs use. Bit-exact helpers never use relaxed ops. The v128 helpers are only called from code compiled
// when ASC_FEATURE_SIMD is true.

/** 2^112 as f32: scales the bits of a half placed at the f32 exponent's low end to the half's value. */
const TWO_POW_112: f32 = reinterpret<f32>(0x77800000);

/** fp16 bits → f32, exact for all 65536 patterns (NaN payloads kept, shifted into place). Finite halves:
 *  the bits `abs << 13` read as an f32 are the value·2^-112 (normal or subnormal), and ·2^112 is exact;
 *  inf/NaN take the integer path (a float op could change a NaN's payload). */
// @ts-ignore: decorator
@inline export function halfToF32(h: u32): f32 {
  const abs = h & 0x7fff;
  const e = abs << 13;
  const finite = reinterpret<u32>(reinterpret<f32>(e) * TWO_POW_112);
  const bits = select<u32>(e | 0x7f800000, finite, abs >= 0x7c00);
  return reinterpret<f32>(bits | ((h & 0x8000) << 16));
}

/** The fp16 at `ptr` (unaligned) as f32. */
// @ts-ignore: decorator
@inline export function loadHalf(ptr: usize): f32 {
  return halfToF32(<u32>load<u16>(ptr));
}

/** Four fp16 patterns (zero-extended in i32 lanes) → their f32 values, same rule as halfToF32. */
// @ts-ignore: decorator
@inline export function halfToF32x4(h: v128): v128 {
  return halfToF32x4With(h, i32x4.splat(0x7fff), f32x4.splat(TWO_POW_112), i32x4.splat(0x7bff),
    i32x4.splat(0x7f800000), i32x4.splat(0x8000));
}

/** halfToF32x4's constants as a table (0x7fff, 2^112, 0x7bff, 0x7f800000, 0x8000, one v128 each): a hot loop
 *  that loads them once before the loop keeps them as values, where V8 rebuilds a splat constant per use. */
export const HALF_TO_F32_CONSTANTS = memory.data<u32>([
  0x7fff, 0x7fff, 0x7fff, 0x7fff, 0x77800000, 0x77800000, 0x77800000, 0x77800000,
  0x7bff, 0x7bff, 0x7bff, 0x7bff, 0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000,
  0x8000, 0x8000, 0x8000, 0x8000], 16);

/** halfToF32x4 with its constants given (the values of HALF_TO_F32_CONSTANTS). */
// @ts-ignore: decorator
@inline export function halfToF32x4With(h: v128, absMask: v128, scale: v128, maxFinite: v128, expAll: v128, signMask: v128): v128 {
  const abs = v128.and(h, absMask);
  const e = i32x4.shl(abs, 13);
  const finite = f32x4.mul(e, scale);
  const special = i32x4.gt_s(abs, maxFinite);
  const bits = v128.bitselect(v128.or(e, expAll), finite, special);
  return v128.or(bits, i32x4.shl(v128.and(h, signMask), 16));
}

/** f32 → fp16 bits, round to nearest even, overflow → ±inf, NaN → 0x7E00 (ggml's GGML_FP32_TO_FP16). */
export function f32ToHalf(x: f32): u32 {
  const bits = reinterpret<u32>(x);
  const sign = (bits >> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return 0x7e00;
  if (abs >= 0x477ff000) return sign | 0x7c00;
  if (abs < 0x38800000) {
    // Half subnormal: units of 2^-24; the scaling is exact and f32.nearest rounds half to even.
    return sign | <u32>nearest<f32>(reinterpret<f32>(abs) * reinterpret<f32>(0x4b800000));
  }
  let h = (((abs >> 23) - 112) << 10) | ((abs >> 13) & 0x3ff);
  const rest = abs & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) h++; // a carry into the exponent is correct
  return sign | h;
}

/** Low nibbles of 16 bytes: elements 0..15 of a split-halves block. */
// @ts-ignore: decorator
@inline export function lowNibbles(qs: v128): v128 {
  return v128.and(qs, i8x16.splat(0x0f));
}

/** High nibbles of 16 bytes: elements 16..31 of a split-halves block. */
// @ts-ignore: decorator
@inline export function highNibbles(qs: v128): v128 {
  return i8x16.shr_u(qs, 4);
}

/** Element e of a split-halves 4-bit field at `qs` (scalar builds). */
// @ts-ignore: decorator
@inline export function nibbleAt(qs: usize, e: i32): i32 {
  const b = <i32>load<u8>(qs + <usize>(e & 15));
  return e < 16 ? b & 0x0f : b >> 4;
}

/** The 4 f32x4 of 16 int8 lanes, in lane order (each conversion is exact). */
// @ts-ignore: decorator
@inline export function i8ToF32Quarter(codes: v128, quarter: i32): v128 {
  const half = quarter < 2 ? i16x8.extend_low_i8x16_s(codes) : i16x8.extend_high_i8x16_s(codes);
  return f32x4.convert_i32x4_s((quarter & 1) == 0 ? i32x4.extend_low_i16x8_s(half) : i32x4.extend_high_i16x8_s(half));
}

/** dst[0..15] = f32(code) · d for 16 int8 codes (one rounding each, like ggml's `x·d`). */
// @ts-ignore: decorator
@inline export function storeScaled16(dst: usize, codes: v128, d: v128): void {
  const lo = i16x8.extend_low_i8x16_s(codes);
  const hi = i16x8.extend_high_i8x16_s(codes);
  v128.store(dst, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo)), d));
  v128.store(dst, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo)), d), 16);
  v128.store(dst, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi)), d), 32);
  v128.store(dst, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi)), d), 48);
}

/** dst[0..15] = f32(f32(code · d) + m) for 16 codes in 0..127: multiply, then add (never fused). */
// @ts-ignore: decorator
@inline export function storeAffine16(dst: usize, codes: v128, d: v128, m: v128): void {
  const lo = i16x8.extend_low_i8x16_s(codes);
  const hi = i16x8.extend_high_i8x16_s(codes);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo)), d), m));
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo)), d), m), 16);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi)), d), m), 32);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi)), d), m), 48);
}

/** The 5th bits of a Q5 block for elements 0..15 (`high` false) or 16..31, as 0x10 / 0x00 bytes: byte j
 *  takes bit j of the little-endian u32 at `qh`. */
// @ts-ignore: decorator
@inline export function fifthBits16(qh: usize, high: bool): v128 {
  const v = v128.load32_splat(qh);
  const bytes = high
    ? i8x16.shuffle(v, v, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3)
    : i8x16.shuffle(v, v, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
  const bit = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
  return v128.and(i8x16.eq(v128.and(bytes, bit), bit), i8x16.splat(0x10));
}

/** Row r of a group of 4 starting at `row0`, clamped to the last row: a partial group recomputes the last row
 *  in its spare lanes (never stored), so one code path serves every tail. */
// @ts-ignore: decorator
@inline export function groupRow(row0: i32, r: i32, out: i32): i32 {
  return min(row0 + r, out - 1);
}

/** [Σa, Σb, Σc, Σd] of four f32x4, each as (lane0 + lane2) + (lane1 + lane3). */
// @ts-ignore: decorator
@inline export function sum4RowsF32(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** [Σa, Σb, Σc, Σd] of four i32x4 (exact). */
// @ts-ignore: decorator
@inline export function sum4RowsI32(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(v128.shuffle<i32>(a, b, 0, 4, 1, 5), v128.shuffle<i32>(a, b, 2, 6, 3, 7));
  const cd = i32x4.add(v128.shuffle<i32>(c, d, 0, 4, 1, 5), v128.shuffle<i32>(c, d, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(ab, cd, 0, 1, 4, 5), v128.shuffle<i32>(ab, cd, 2, 3, 6, 7));
}

/** v + bias[row0 .. row0+3] (rows clamped as groupRow). bias == 0 means no bias: v is returned as it is
 *  (adding +0 would turn a −0 sum into +0, unlike the scalar build). */
// @ts-ignore: decorator
@inline export function addBias4(v: v128, bias: usize, row0: i32, out: i32): v128 {
  if (bias == 0) return v;
  if (row0 + 4 <= out) return f32x4.add(v, v128.load(bias + (<usize>row0 << 2)));
  let b = f32x4.splat(load<f32>(bias + (<usize>groupRow(row0, 0, out) << 2)));
  b = f32x4.replace_lane(b, 1, load<f32>(bias + (<usize>groupRow(row0, 1, out) << 2)));
  b = f32x4.replace_lane(b, 2, load<f32>(bias + (<usize>groupRow(row0, 2, out) << 2)));
  b = f32x4.replace_lane(b, 3, load<f32>(bias + (<usize>groupRow(row0, 3, out) << 2)));
  return f32x4.add(v, b);
}

/** Stores rows row0.. of y from 4 lanes (bias already added), applying ReLU; lanes past `out` are dropped. */
// @ts-ignore: decorator
@inline export function storeRows4(y: usize, row0: i32, out: i32, v: v128, relu: bool): void {
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  const p = y + (<usize>row0 << 2);
  const n = out - row0;
  if (n >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** One output of the scalar builds: + bias (if any), then ReLU. */
// @ts-ignore: decorator
@inline export function finishScalar(y: usize, bias: usize, row: i32, sum: f32, relu: bool): void {
  if (bias != 0) sum += load<f32>(bias + (<usize>row << 2));
  store<f32>(y + (<usize>row << 2), relu ? max<f32>(sum, 0) : sum);
}
