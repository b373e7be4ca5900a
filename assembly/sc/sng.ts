// Comparator stochastic number generator (sc_encoded_mac.md §1.1, §10): stream i, cycle t gets
//   bit = R[t] < X_i
// where R is a precomputed source sequence (u8, u16 or u32 lanes) and X_i the stream's effective threshold
// (the TS side turns `X > R` into R < X and `X >= R` into R < X + 1). Output: `count` bit-packed streams,
// LSB-first, `stride` = ⌈length/128⌉·4 words each, pad bits zero. Every build gives identical bits: the
// comparison is exact, only the packing differs.
// SIMD: compare 16 source values with a splatted X (lt_u), narrow the lane masks to 16 bytes and pack them
// with i8x16.bitmask (16 cycles per u16 store).

/** One stream: `blocks` 128-cycle blocks of `src` (element type T) compared with `x`, into `out`. */
// @ts-ignore: decorator
@inline function compareStream<T>(src: usize, x: u32, blocks: i32, out: usize): void {
  const cycles = blocks << 7;
  if (ASC_FEATURE_SIMD) {
    if (sizeof<T>() == 1) {
      const xv = i8x16.splat(<i8>x);
      for (let t = 0; t < cycles; t += 16) {
        store<u16>(out + (<usize>t >> 3), i8x16.bitmask(i8x16.lt_u(v128.load(src + <usize>t), xv)));
      }
    } else if (sizeof<T>() == 2) {
      const xv = i16x8.splat(<i16>x);
      for (let t = 0; t < cycles; t += 16) {
        const p = src + (<usize>t << 1);
        const lo = i16x8.lt_u(v128.load(p), xv);
        const hi = i16x8.lt_u(v128.load(p, 16), xv);
        store<u16>(out + (<usize>t >> 3), i8x16.bitmask(i8x16.narrow_i16x8_s(lo, hi)));
      }
    } else {
      const xv = i32x4.splat(<i32>x);
      for (let t = 0; t < cycles; t += 16) {
        const p = src + (<usize>t << 2);
        const a = i32x4.lt_u(v128.load(p), xv);
        const b = i32x4.lt_u(v128.load(p, 16), xv);
        const c = i32x4.lt_u(v128.load(p, 32), xv);
        const d = i32x4.lt_u(v128.load(p, 48), xv);
        const ab = i16x8.narrow_i32x4_s(a, b);
        const cd = i16x8.narrow_i32x4_s(c, d);
        store<u16>(out + (<usize>t >> 3), i8x16.bitmask(i8x16.narrow_i16x8_s(ab, cd)));
      }
    }
  } else {
    for (let w = 0; w < cycles; w += 32) {
      let word: u32 = 0;
      for (let b = 0; b < 32; b++) {
        const r = <u32>load<T>(src + (<usize>(w + b) << alignof<T>()));
        word |= <u32>(r < x) << b;
      }
      store<u32>(out + (<usize>w >> 3), word);
    }
  }
}

/** Encodes `count` streams of `length` cycles.
 *  thresholds: f64[count], the effective X of each stream (bit = R < X), an integer; ≤ 0 → all zeros,
 *    ≥ 2^(8·laneBytes) → all ones.
 *  select: i32[count], which source each stream compares against.
 *  offsets: i32[count], where in its source each stream starts (a phase): cycle t reads element offset + t.
 *  sources: consecutive sequences of `sourceElems` elements each (laneBytes = 1, 2 or 4 bytes per element);
 *    TS checks select < sources and offset + ⌈length/128⌉·128 ≤ sourceElems. Values past `length` are read
 *    but masked away.
 *  out: count · ⌈length/128⌉·4 u32 words. */
export function sc_sng(thresholds: usize, select: usize, offsets: usize, sources: usize, sourceElems: i32, laneBytes: i32, length: i32, count: i32, out: usize): void {
  const blocks = (length + 127) >> 7;
  const stride = blocks << 2;
  const sourceBytes = <usize>sourceElems * <usize>laneBytes;
  const laneMax: f64 = laneBytes == 4 ? 4294967295.0 : laneBytes == 2 ? 65535.0 : 255.0;
  const last = (length - 1) >> 5;
  const lastMask: u32 = (length & 31) == 0 ? 0xffffffff : (<u32>1 << <u32>(length & 31)) - 1;
  for (let i = 0; i < count; i++) {
    const threshold = load<f64>(thresholds + (<usize>i << 3));
    const src = sources + <usize>load<i32>(select + (<usize>i << 2)) * sourceBytes + <usize>load<i32>(offsets + (<usize>i << 2)) * <usize>laneBytes;
    const o = out + (<usize>i * <usize>stride << 2);
    if (threshold <= 0 || threshold > laneMax) {
      memory.fill(o, threshold > laneMax ? 0xff : 0, <usize>stride << 2);
    } else {
      const x = <u32>threshold;
      if (laneBytes == 1) compareStream<u8>(src, x, blocks, o);
      else if (laneBytes == 2) compareStream<u16>(src, x, blocks, o);
      else compareStream<u32>(src, x, blocks, o);
    }
    // Keep the pad bits zero.
    store<u32>(o + (<usize>last << 2), load<u32>(o + (<usize>last << 2)) & lastMask);
    for (let w = last + 1; w < stride; w++) store<u32>(o + (<usize>w << 2), 0);
  }
}
