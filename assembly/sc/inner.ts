// Fused SC inner products (sc_encoded_mac.md §2.2, §3.2): for neuron j over inputs i, the total number of ones
// of the product streams, Σ_i popcount(x_i AND w_ji) (unipolar) or Σ_i popcount(XNOR(x_i, w_ji)) (bipolar),
// without materialising the products. x = `inputs` streams; w = `neurons` rows of `inputs` streams, so a row
// and x are both one run of inputs·stride words and the count is one long AND/XOR-popcount.
// XNOR ones = inputs·length − popcount(x XOR w): pad bits are zero in both, so XOR needs no mask.
// SIMD: four neurons per pass share each x load; i8x16.popcnt bytes are summed in u8 lanes for ≤ 31 vectors
// (31·8 = 248 < 256) before widening. Scalar build: popcnt over u64.

// @ts-ignore: decorator
@inline function combine(a: v128, b: v128, xnor: bool): v128 {
  return xnor ? v128.xor(a, b) : v128.and(a, b);
}

// @ts-ignore: decorator
@inline function widen(bytesum: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(bytesum));
}

// @ts-ignore: decorator
@inline function horizontal(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Ones of AND (xnor = 0) or XOR (xnor = 1) of two runs of `vectors` v128s. */
// @ts-ignore: decorator
@inline function pairOnes(a: usize, b: usize, vectors: i32, xnor: bool): i32 {
  let count = 0;
  if (ASC_FEATURE_SIMD) {
    let total = i32x4.splat(0);
    let v = 0;
    while (v < vectors) {
      const end = min(v + 31, vectors);
      let bytesum = i8x16.splat(0);
      for (; v < end; v++) {
        const o = <usize>v << 4;
        bytesum = i8x16.add(bytesum, i8x16.popcnt(combine(v128.load(a + o), v128.load(b + o), xnor)));
      }
      total = i32x4.add(total, widen(bytesum));
    }
    count = horizontal(total);
  } else {
    const words = vectors << 1;
    for (let i = 0; i < words; i++) {
      const o = <usize>i << 3;
      const p = xnor ? load<u64>(a + o) ^ load<u64>(b + o) : load<u64>(a + o) & load<u64>(b + o);
      count += <i32>popcnt<u64>(p);
    }
  }
  return count;
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
        t0 = i32x4.add(t0, widen(s0));
        t1 = i32x4.add(t1, widen(s1));
        t2 = i32x4.add(t2, widen(s2));
        t3 = i32x4.add(t3, widen(s3));
      }
      const base = isXnor ? inputs * length : 0;
      const sign = isXnor ? -1 : 1;
      store<i32>(out + (<usize>j << 2), base + sign * horizontal(t0));
      store<i32>(out + (<usize>(j + 1) << 2), base + sign * horizontal(t1));
      store<i32>(out + (<usize>(j + 2) << 2), base + sign * horizontal(t2));
      store<i32>(out + (<usize>(j + 3) << 2), base + sign * horizontal(t3));
    }
  }
  for (; j < neurons; j++) {
    const ones = pairOnes(x, w + <usize>j * rowBytes, vectors, isXnor);
    store<i32>(out + (<usize>j << 2), isXnor ? inputs * length - ones : ones);
  }
}

/** out[i] (i32) = ones of stream i, for `count` streams (pad bits are zero). */
export function sc_stream_ones(x: usize, out: usize, count: i32, stride: i32): void {
  const vectors = stride >> 2;
  for (let i = 0; i < count; i++) {
    const s = x + <usize>i * (<usize>stride << 2);
    store<i32>(out + (<usize>i << 2), pairOnes(s, s, vectors, false));
  }
}
