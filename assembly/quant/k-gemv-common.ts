// Row bookkeeping shared by the K-quant GEMV kernels (f32 and Q8_K activations): y starts as the bias (or
// 0 when `bias` is the null pointer), the kernels add each row's dot, then ReLU runs once at the end, so a
// row split into several input panels still sees ReLU once.

export function startRows(bias: usize, y: usize, out: i32): void {
  for (let r = 0; r < out; r++) store<f32>(y + (<usize>r << 2), bias ? load<f32>(bias + (<usize>r << 2)) : 0);
}

export function finishRows(y: usize, out: i32, relu: i32): void {
  if (relu == 0) return;
  for (let r = 0; r < out; r++) {
    const p = y + (<usize>r << 2);
    store<f32>(p, max(load<f32>(p), 0)); // NaN stays NaN, −0 becomes +0
  }
}

/** Sum of the four lanes, ((l0 + l1) + (l2 + l3)). */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
