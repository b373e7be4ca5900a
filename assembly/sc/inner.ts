// Fused SC inner products (sc_encoded_mac.md §2.2, §3.2): for neuron j over inputs i, the total number of ones
// of the product streams, Σ_i popcount(x_i AND w_ji) (unipolar) or Σ_i popcount(XNOR(x_i, w_ji)) (bipolar),
// without materialising the products. x = `inputs` streams; w = `neurons` rows of `inputs` streams, so a row
// and x are both one run of inputs·stride words and the count is one long AND/XOR-popcount.
// XNOR ones = inputs·length − popcount(x XOR w): pad bits are zero in both, so XOR needs no mask.
// SIMD: four neurons per pass share each x load; i8x16.popcnt bytes are summed in u8 lanes for ≤ 31 vectors
// (31·8 = 248 < 256) before widening; single rows and the scalar build use assembly/popcount.ts.

import { laneSum, pairPopcount, widenByteCounts } from "../popcount";

// @ts-ignore: decorator
@inline function combine(a: v128, b: v128, xnor: bool): v128 {
  return xnor ? v128.xor(a, b) : v128.and(a, b);
}

/** out[j] (i32) = total ones of the products of x with row j of w, for `neurons` rows. */
export function sc_inner_ones(x: usize, w: usize, out: usize, inputs: i32, neurons: i32, stride: i32, length: i32, xnor: i32): void {
  const vectors = (inputs * stride) >> 2;
  const rowBytes = <usize>vectors << 4;
  const isXnor = xnor != 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    // Four rows at a time: one x load feeds four AND/XOR + popcnt chains.
    for (; j + 4 <= neurons; j += 4) {
      const w0 = w + <usize>j * rowBytes;
      const w1 = w0 + rowBytes;
      const w2 = w1 + rowBytes;
      const w3 = w2 + rowBytes;
      let t0 = i32x4.splat(0), t1 = i32x4.splat(0), t2 = i32x4.splat(0), t3 = i32x4.splat(0);
      let v = 0;
      while (v < vectors) {
        const end = min(v + 31, vectors);
        let s0 = i8x16.splat(0), s1 = i8x16.splat(0), s2 = i8x16.splat(0), s3 = i8x16.splat(0);
        for (; v < end; v++) {
          const o = <usize>v << 4;
          const xv = v128.load(x + o);
          s0 = i8x16.add(s0, i8x16.popcnt(combine(xv, v128.load(w0 + o), isXnor)));
          s1 = i8x16.add(s1, i8x16.popcnt(combine(xv, v128.load(w1 + o), isXnor)));
          s2 = i8x16.add(s2, i8x16.popcnt(combine(xv, v128.load(w2 + o), isXnor)));
          s3 = i8x16.add(s3, i8x16.popcnt(combine(xv, v128.load(w3 + o), isXnor)));
        }
        t0 = i32x4.add(t0, widenByteCounts(s0));
        t1 = i32x4.add(t1, widenByteCounts(s1));
        t2 = i32x4.add(t2, widenByteCounts(s2));
        t3 = i32x4.add(t3, widenByteCounts(s3));
      }
      const base = isXnor ? inputs * length : 0;
      const sign = isXnor ? -1 : 1;
      store<i32>(out + (<usize>j << 2), base + sign * laneSum(t0));
      store<i32>(out + (<usize>(j + 1) << 2), base + sign * laneSum(t1));
      store<i32>(out + (<usize>(j + 2) << 2), base + sign * laneSum(t2));
      store<i32>(out + (<usize>(j + 3) << 2), base + sign * laneSum(t3));
    }
  }
  for (; j < neurons; j++) {
    const ones = pairPopcount(x, w + <usize>j * rowBytes, vectors << 4, isXnor);
    store<i32>(out + (<usize>j << 2), isXnor ? inputs * length - ones : ones);
  }
}

/** out[i] (i32) = ones of stream i, for `count` streams (pad bits are zero). */
export function sc_stream_ones(x: usize, out: usize, count: i32, stride: i32): void {
  const vectors = stride >> 2;
  for (let i = 0; i < count; i++) {
    const s = x + <usize>i * (<usize>stride << 2);
    store<i32>(out + (<usize>i << 2), pairPopcount(s, s, vectors << 4, false));
  }
}
