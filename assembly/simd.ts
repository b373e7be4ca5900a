// Thin SIMD layer shared by every kernel family. Only call these from code that is
// compiled when ASC_FEATURE_SIMD is true (the scalar build never references them).

/** acc + a·b. Fused (one rounding) in the relaxed build where the engine fuses it; mul then add otherwise.
 *  Never use this where a kernel promises bit-exact results. */
// @ts-ignore: decorator
@inline export function f32x4_madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/** Stores the first `count` (0..4) lanes of `v` at `ptr`, leaving the rest of memory untouched. */
// @ts-ignore: decorator
@inline export function f32x4_store_partial(ptr: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(ptr, v); return; }
  if (count >= 2) {
    v128.store_lane<i64>(ptr, v, 0);
    if (count == 3) store<f32>(ptr, f32x4.extract_lane(v, 2), 8);
  } else if (count == 1) {
    store<f32>(ptr, f32x4.extract_lane(v, 0));
  }
}

/** Applies ReLU lane-wise when `relu` is set (NaN stays NaN, -0 becomes +0, like the scalar build). */
// @ts-ignore: decorator
@inline export function f32x4_activate(v: v128, relu: bool): v128 {
  return relu ? f32x4.max(v, f32x4.splat(0)) : v;
}
