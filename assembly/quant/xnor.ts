// XNOR-Net linear kernels: binary activations × binary weights (src/formats/binary.ts).
// Activations are binarized by sign (bit 1 where x ≥ 0, like the weights' sign(0) = +1) with one scale per
// sample, β[b] = mean_j |x[b, j]|. The ±1 dot of two bit rows is then an integer,
//   dot = Σ_j s_w·s_x = k − 2·popcount(w XOR x),
// exact and identical in every build (padding bits are 0 in both rows, so they XOR to 0).
// The popcount itself: assembly/popcount.ts.

import { pairPopcount } from "../popcount";

/**
 * Binarizes `batch` activation rows of x [batch, k]: bits [batch, ⌈k/8⌉] laid out like a weight sign plane
 * (bit 1 where x ≥ 0, so NaN → 0; padding bits 0) and beta[b] = f32(Σ_j |x[b, j]|, in column order) / k
 * (0 when k = 0). Scalar in every build, so β is identical across builds too.
 */
export function xnor_binarize(x: usize, bits: usize, beta: usize, k: i32, batch: i32): void {
  const rowBytes = (k + 7) >> 3;
  for (let b = 0; b < batch; b++) {
    const xp = x + <usize>b * (<usize>k << 2);
    const bp = bits + <usize>b * <usize>rowBytes;
    let sum: f32 = 0;
    for (let i = 0; i < rowBytes; i++) {
      const n = min(8, k - (i << 3));
      let byte: u32 = 0;
      for (let t = 0; t < n; t++) {
        const v = load<f32>(xp + (<usize>((i << 3) + t) << 2));
        if (v >= 0) byte |= 1 << t;
        sum += abs<f32>(v);
      }
      store<u8>(bp + <usize>i, byte);
    }
    store<f32>(beta + (<usize>b << 2), k > 0 ? sum / <f32>k : 0);
  }
}

/** dots[b, o] = k − 2·popcount(w[o] XOR xbits[b]): the exact ±1 dot products, [batch, out]. */
export function i32_xnor_dots(w: usize, xbits: usize, dots: usize, out: i32, k: i32, batch: i32): void {
  const rowBytes = (k + 7) >> 3;
  for (let o = 0; o < out; o++) {
    const wp = w + <usize>o * <usize>rowBytes;
    for (let b = 0; b < batch; b++) {
      const d = k - 2 * pairPopcount(wp, xbits + <usize>b * <usize>rowBytes, rowBytes, true);
      store<i32>(dots + (<usize>(b * out + o) << 2), d);
    }
  }
}

/**
 * y[b, o] = act(f32(f32(α[o]·β[b]) · dot[b, o]) + bias[o]) from binarized activations (xnor_binarize).
 * Weight row outer, batch inner: one row of bits serves every sample while it is in L1.
 */
export function f32_gemm_xnor(w: usize, alpha: usize, bias: usize, xbits: usize, beta: usize, y: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  const rowBytes = (k + 7) >> 3;
  for (let o = 0; o < out; o++) {
    const wp = w + <usize>o * <usize>rowBytes;
    const a = load<f32>(alpha + (<usize>o << 2));
    const add = load<f32>(bias + (<usize>o << 2));
    for (let b = 0; b < batch; b++) {
      const d = k - 2 * pairPopcount(wp, xbits + <usize>b * <usize>rowBytes, rowBytes, true);
      const v = (a * load<f32>(beta + (<usize>b << 2))) * <f32>d + add;
      store<f32>(y + (<usize>(b * out + o) << 2), relu != 0 ? max<f32>(v, 0) : v);
    }
  }
}
