// Per-cycle counts of many bit streams (sc_encoded_mac.md §2.5): the exact parallel counter and the approximate
// parallel counter (APC) over the products of input streams with each neuron's weight streams, all cycles of a
// block at once. Streams are bit-packed LSB-first (src/sc/stream.ts), `stride` u32 words each (a multiple of 4).
//
//   sc_count_products(x, w, counts, n, m, stride, apc, product)
//     p_i  = x_i AND w_ji (product 0, unipolar), XNOR (product 1, bipolar), or x_i itself (product 2; m = 1)
//     exact (apc = 0): c_t = Σ_i p_i,t
//     APC   (apc = 1): products in pairs (p_2k, p_2k+1), pair k merged by OR when k is even and AND when k is
//                      odd, c_t = 2·Σ_k g_k,t; odd n: the unpaired last product is added once.
//     counts: m rows of stride·32 u16, row j = neuron j's c_t for every cycle (pad cycles included: their bits
//     are zero in the streams, so their counts are those of zero inputs; callers read t < length only).
//
// Counting is bit-sliced: one word holds the same cycle range of a product stream, and carry-save adders
// (Harley–Seal) add 16 such words into ones/twos/fours/eights words, the sixteens rippling into further
// bit planes; at the end each cycle's count is read back from its bit in every plane. The SIMD builds run
// 128 cycles per v128, the scalar build 64 per u64, with the same logic and the same results.

/** The count bit planes of the current block (plane b = weight 2^b, up to 18), 16 bytes each. */
const PLANES = memory.data(18 * 16, 16);
/** i16 lanes 1, 2, 4, …, 128: the bit of each of 8 cycles inside one byte. */
const BYTE_BITS = memory.data<u16>([1, 2, 4, 8, 16, 32, 64, 128], 16);

// ---- one word type for both builds: v128 (SIMD) or u64 (scalar) ----------------------------------------

// @ts-ignore: decorator
@inline function wAnd<W>(a: W, b: W): W {
  if (isInteger<W>()) return a & b;
  // @ts-ignore: W is v128 here
  return v128.and(a, b);
}
// @ts-ignore: decorator
@inline function wOr<W>(a: W, b: W): W {
  if (isInteger<W>()) return a | b;
  // @ts-ignore: W is v128 here
  return v128.or(a, b);
}
// @ts-ignore: decorator
@inline function wXor<W>(a: W, b: W): W {
  if (isInteger<W>()) return a ^ b;
  // @ts-ignore: W is v128 here
  return v128.xor(a, b);
}
// @ts-ignore: decorator
@inline function wNot<W>(a: W): W {
  if (isInteger<W>()) return ~a;
  // @ts-ignore: W is v128 here
  return v128.not(a);
}
// @ts-ignore: decorator
@inline function wZero<W>(): W {
  if (isInteger<W>()) return <W>0;
  // @ts-ignore: W is v128 here
  return i32x4.splat(0);
}
// @ts-ignore: decorator
@inline function wLoad<W>(p: usize): W {
  return load<W>(p);
}

/** Product word of input i for neuron row `wrow` at byte offset `o` of the streams. */
// @ts-ignore: decorator
@inline function product<W>(x: usize, wrow: usize, i: i32, o: usize, strideBytes: usize, mode: i32): W {
  const xi = wLoad<W>(x + <usize>i * strideBytes + o);
  if (mode == 2) return xi;
  const wi = wLoad<W>(wrow + <usize>i * strideBytes + o);
  return mode == 0 ? wAnd<W>(xi, wi) : wNot<W>(wXor<W>(xi, wi));
}

/** Word d of the counted sequence: the products themselves (exact) or the APC gates of pairs 2d, 2d + 1. */
// @ts-ignore: decorator
@inline function term<W>(x: usize, wrow: usize, d: i32, o: usize, strideBytes: usize, mode: i32, apc: bool): W {
  if (!apc) return product<W>(x, wrow, d, o, strideBytes, mode);
  const a = product<W>(x, wrow, 2 * d, o, strideBytes, mode), b = product<W>(x, wrow, 2 * d + 1, o, strideBytes, mode);
  return (d & 1) == 0 ? wOr<W>(a, b) : wAnd<W>(a, b);
}

// @ts-ignore: decorator
@inline function csaLo<W>(a: W, b: W, c: W): W {
  return wXor<W>(wXor<W>(a, b), c);
}
// @ts-ignore: decorator
@inline function csaHi<W>(a: W, b: W, c: W): W {
  return wOr<W>(wAnd<W>(a, b), wAnd<W>(c, wXor<W>(a, b)));
}

/** Adds the one-bit word `carry` into planes from..to−1 at PLANES (ripple carry; the top plane absorbs the rest). */
// @ts-ignore: decorator
@inline function ripple<W>(carry: W, from: i32, to: i32): void {
  for (let b = from; b < to; b++) {
    const p = PLANES + (<usize>b << 4);
    const v = wLoad<W>(p);
    store<W>(p, wXor<W>(v, carry));
    carry = wAnd<W>(v, carry);
  }
}

/** Bits needed for values up to v. */
// @ts-ignore: decorator
@inline function bitLength(v: i32): i32 {
  return 32 - clz<i32>(v);
}

/**
 * Counts `terms` words (one cycle block at byte offset o) for one neuron into the bit planes at PLANES (plane b
 * has weight 2^b, `planes` of them). The Harley–Seal loop adds 16 words per step with carry-save adders.
 */
// @ts-ignore: decorator
@inline function countBlock<W>(x: usize, wrow: usize, terms: i32, planes: i32, o: usize, sb: usize, mode: i32, apc: bool): void {
  for (let b = 4; b < planes; b++) store<W>(PLANES + (<usize>b << 4), wZero<W>());
  let ones = wZero<W>(), twos = wZero<W>(), fours = wZero<W>(), eights = wZero<W>();
  let d = 0;
  for (; d + 16 <= terms; d += 16) {
    let t0 = term<W>(x, wrow, d, o, sb, mode, apc), t1 = term<W>(x, wrow, d + 1, o, sb, mode, apc);
    let twosA = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    t0 = term<W>(x, wrow, d + 2, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 3, o, sb, mode, apc);
    let twosB = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    let foursA = csaHi<W>(twos, twosA, twosB); twos = csaLo<W>(twos, twosA, twosB);
    t0 = term<W>(x, wrow, d + 4, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 5, o, sb, mode, apc);
    twosA = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    t0 = term<W>(x, wrow, d + 6, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 7, o, sb, mode, apc);
    twosB = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    let foursB = csaHi<W>(twos, twosA, twosB); twos = csaLo<W>(twos, twosA, twosB);
    const eightsA = csaHi<W>(fours, foursA, foursB); fours = csaLo<W>(fours, foursA, foursB);
    t0 = term<W>(x, wrow, d + 8, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 9, o, sb, mode, apc);
    twosA = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    t0 = term<W>(x, wrow, d + 10, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 11, o, sb, mode, apc);
    twosB = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    foursA = csaHi<W>(twos, twosA, twosB); twos = csaLo<W>(twos, twosA, twosB);
    t0 = term<W>(x, wrow, d + 12, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 13, o, sb, mode, apc);
    twosA = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    t0 = term<W>(x, wrow, d + 14, o, sb, mode, apc); t1 = term<W>(x, wrow, d + 15, o, sb, mode, apc);
    twosB = csaHi<W>(ones, t0, t1); ones = csaLo<W>(ones, t0, t1);
    foursB = csaHi<W>(twos, twosA, twosB); twos = csaLo<W>(twos, twosA, twosB);
    const eightsB = csaHi<W>(fours, foursA, foursB); fours = csaLo<W>(fours, foursA, foursB);
    const sixteens = csaHi<W>(eights, eightsA, eightsB); eights = csaLo<W>(eights, eightsA, eightsB);
    ripple<W>(sixteens, 4, planes);
  }
  store<W>(PLANES, ones);
  store<W>(PLANES + 16, twos);
  store<W>(PLANES + 32, fours);
  store<W>(PLANES + 48, eights);
  for (; d < terms; d++) ripple<W>(term<W>(x, wrow, d, o, sb, mode, apc), 0, planes);
}

/** Writes the counts of the block's cycles (planes × 2^shift, plus the word at EXTRA with weight 1 when `extra`). */
// @ts-ignore: decorator
@inline function storeCounts<W>(dst: usize, planes: i32, shift: i32, extra: bool): void {
  if (isInteger<W>()) {
    for (let t = 0; t < 64; t++) {
      let c = 0;
      for (let b = 0; b < planes; b++) c |= <i32>((load<u64>(PLANES + (<usize>b << 4)) >> <u64>t) & 1) << b;
      c <<= shift;
      if (extra) c += <i32>((load<u64>(EXTRA) >> <u64>t) & 1);
      store<u16>(dst + (<usize>t << 1), <u16>c);
    }
    return;
  }
  const bits = v128.load(BYTE_BITS);
  const zero = i32x4.splat(0);
  for (let g = 0; g < 16; g++) {
    let acc = zero;
    for (let b = 0; b < planes; b++) {
      const set = i16x8.ne(v128.and(i16x8.splat(load<u8>(PLANES + (<usize>b << 4) + <usize>g)), bits), zero);
      acc = i16x8.add(acc, v128.and(set, i16x8.splat(<i16>(<i32>1 << (b + shift)))));
    }
    if (extra) acc = i16x8.sub(acc, i16x8.ne(v128.and(i16x8.splat(load<u8>(EXTRA + <usize>g)), bits), zero));
    v128.store(dst + (<usize>g << 4), acc);
  }
}

/** The unpaired last product of an odd-n APC, per block. */
const EXTRA = memory.data(16, 16);

// @ts-ignore: decorator
@inline function countAll<W>(x: usize, w: usize, counts: usize, n: i32, m: i32, stride: i32, apc: bool, mode: i32): void {
  const sb = <usize>stride << 2;
  const terms = apc ? n >> 1 : n;
  const planes = max(4, bitLength(terms)) + 1;
  const odd = apc && (n & 1) != 0;
  const cycles = <usize>stride << 5;
  const step = <usize>sizeof<W>();
  for (let j = 0; j < m; j++) {
    const wrow = w + <usize>j * <usize>n * sb;
    const row = counts + <usize>j * cycles * 2;
    for (let o: usize = 0; o < sb; o += step) {
      countBlock<W>(x, wrow, terms, planes, o, sb, mode, apc);
      if (odd) store<W>(EXTRA, product<W>(x, wrow, n - 1, o, sb, mode));
      storeCounts<W>(row + (o << 4), planes, apc ? 1 : 0, odd);
    }
  }
}

/** See the top of this file. n ≤ 65535 (exact) or ≤ 65534 (APC); product 2 needs m = 1 and ignores w. */
export function sc_count_products(x: usize, w: usize, counts: usize, n: i32, m: i32, stride: i32, apc: i32, product: i32): void {
  if (ASC_FEATURE_SIMD) countAll<v128>(x, w, counts, n, m, stride, apc != 0, product);
  else countAll<u64>(x, w, counts, n, m, stride, apc != 0, product);
}
