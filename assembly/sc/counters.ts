// Per-cycle parallel counters (sc_encoded_mac.md §2.5): for each group of n streams, the count of ones at every
// cycle, exact (PC) or approximate (APC: input pairs k = 0, 1, … merged by OR when k is even and AND when k is
// odd, the n/2 merged bits counted and doubled; with odd n the last, unpaired input is added once, exactly).
// The streams can be products formed on the fly: op 1 = x_i AND w_gi, op 2 = XNOR(x_i, w_gi) (x shared by every
// group, w = groups rows of n streams), op 0 = the streams x[g·n + i] themselves.
// Method: bit-sliced vertical counters. Per block of cycles (128 in SIMD, 64 scalar) the running counts live
// as bit planes (plane b = bit b of every cycle's count); adding a stream is a ripple-carry add that stops as
// soon as the carry is all zero. The SIMD build first compresses every 16 terms with a Harley–Seal tree of
// carry-save adders held in registers (ones, twos, fours, eights; only the sixteens ripple into the planes).
// The planes are then expanded to one u16 per cycle.
// out: u16 [groups, stride·32] (each group's row covers the padded cycles; the caller keeps the first length).

const PLANES = memory.data(17 * 16, 16);

// @ts-ignore: decorator
@inline function streamVec(op: i32, xp: usize, wp: usize): v128 {
  if (op == 0) return v128.load(xp);
  const w = v128.load(wp);
  return op == 1 ? v128.and(v128.load(xp), w) : v128.not(v128.xor(v128.load(xp), w));
}

// @ts-ignore: decorator
@inline function stream64(op: i32, xp: usize, wp: usize): u64 {
  if (op == 0) return load<u64>(xp);
  const w = load<u64>(wp);
  return op == 1 ? load<u64>(xp) & w : ~(load<u64>(xp) ^ w);
}

// @ts-ignore: decorator
@inline function addVec(v: v128, plane: i32, planes: i32): void {
  let carry = v;
  for (let b = plane; b < planes && v128.any_true(carry); b++) {
    const p = PLANES + (<usize>b << 4);
    const c = v128.load(p);
    v128.store(p, v128.xor(c, carry));
    carry = v128.and(c, carry);
  }
}

// @ts-ignore: decorator
@inline function add64(v: u64, plane: i32, planes: i32): void {
  let carry = v;
  for (let b = plane; b < planes && carry != 0; b++) {
    const p = PLANES + (<usize>b << 3);
    const c = load<u64>(p);
    store<u64>(p, c ^ carry);
    carry = c & carry;
  }
}

/** Term m of a counter: stream m (PC), or pair m merged by OR (m even) / AND (m odd) (APC). */
// @ts-ignore: decorator
@inline function termVec(op: i32, approx: bool, xg: usize, wg: usize, bytes: usize, o: usize, m: i32): v128 {
  if (!approx) {
    const off = <usize>m * bytes + o;
    return streamVec(op, xg + off, wg + off);
  }
  const off = <usize>(2 * m) * bytes + o;
  const a = streamVec(op, xg + off, wg + off);
  const b = streamVec(op, xg + off + bytes, wg + off + bytes);
  return (m & 1) == 0 ? v128.or(a, b) : v128.and(a, b);
}

/** Adds `terms` terms (weight 2^plane each) into the planes, 16 at a time through carry-save adders. */
// @ts-ignore: decorator
@inline function addTermsVec(op: i32, approx: bool, xg: usize, wg: usize, bytes: usize, o: usize, terms: i32, plane: i32, planes: i32): void {
  let ones = i32x4.splat(0), twos = i32x4.splat(0), fours = i32x4.splat(0), eights = i32x4.splat(0);
  let m = 0;
  for (; m + 16 <= terms; m += 16) {
    let eightsA = i32x4.splat(0);
    for (let half = 0; half < 2; half++) {
      let foursA = i32x4.splat(0);
      for (let quarter = 0; quarter < 2; quarter++) {
        const base = m + half * 8 + quarter * 4;
        // (carry, sum) = a + b + c, bitwise: two CSAs fold four terms into ones, leaving two carries.
        let a = termVec(op, approx, xg, wg, bytes, o, base);
        let b = termVec(op, approx, xg, wg, bytes, o, base + 1);
        let u = v128.xor(ones, a);
        const twosA = v128.or(v128.and(ones, a), v128.and(u, b));
        ones = v128.xor(u, b);
        a = termVec(op, approx, xg, wg, bytes, o, base + 2);
        b = termVec(op, approx, xg, wg, bytes, o, base + 3);
        u = v128.xor(ones, a);
        const twosB = v128.or(v128.and(ones, a), v128.and(u, b));
        ones = v128.xor(u, b);
        u = v128.xor(twos, twosA);
        const carry4 = v128.or(v128.and(twos, twosA), v128.and(u, twosB));
        twos = v128.xor(u, twosB);
        if (quarter == 0) foursA = carry4;
        else {
          u = v128.xor(fours, foursA);
          const carry8 = v128.or(v128.and(fours, foursA), v128.and(u, carry4));
          fours = v128.xor(u, carry4);
          if (half == 0) eightsA = carry8;
          else {
            u = v128.xor(eights, eightsA);
            const sixteens = v128.or(v128.and(eights, eightsA), v128.and(u, carry8));
            eights = v128.xor(u, carry8);
            addVec(sixteens, plane + 4, planes);
          }
        }
      }
    }
  }
  for (; m < terms; m++) addVec(termVec(op, approx, xg, wg, bytes, o, m), plane, planes);
  addVec(ones, plane, planes);
  addVec(twos, plane + 1, planes);
  addVec(fours, plane + 2, planes);
  addVec(eights, plane + 3, planes);
}

function bitLength(n: i32): i32 {
  return 32 - clz<i32>(n);
}

export function sc_cycle_counts(x: usize, w: usize, out: usize, groups: i32, n: i32, stride: i32, op: i32, approx: i32): void {
  const bytes = <usize>stride << 2;
  const planes = max(1, bitLength(n));
  const pitch = <usize>stride << 5; // u16 counts per group row
  const pairs = approx != 0 ? n >> 1 : 0;
  const singlesFrom = pairs << 1; // inputs ≥ this are added once (all of them for PC, the odd one for APC)
  const step: usize = ASC_FEATURE_SIMD ? 16 : 8;
  for (let g = 0; g < groups; g++) {
    const xg = op == 0 ? x + <usize>g * <usize>n * bytes : x;
    const wg = w + <usize>g * <usize>n * bytes;
    const og = out + <usize>g * (pitch << 1);
    for (let o: usize = 0; o < bytes; o += step) {
      memory.fill(PLANES, 0, <usize>planes << 4);
      if (ASC_FEATURE_SIMD) {
        if (approx != 0) {
          addTermsVec(op, true, xg, wg, bytes, o, pairs, 1, planes);
          if (n & 1) addVec(streamVec(op, xg + <usize>(n - 1) * bytes + o, wg + <usize>(n - 1) * bytes + o), 0, planes);
        } else {
          addTermsVec(op, false, xg, wg, bytes, o, n, 0, planes);
        }
        // Expand: 8 cycles per i16x8, lane l tests bit l of the plane's byte.
        const bitOf = i16x8(1, 2, 4, 8, 16, 32, 64, 128);
        const dst = og + (o << 4); // 8 cycles per byte of stream, 2 bytes per count
        for (let h = 0; h < 16; h++) {
          let counts = i16x8.splat(0);
          for (let b = 0; b < planes; b++) {
            const byte = <i32>load<u8>(PLANES + (<usize>b << 4) + <usize>h);
            const set = i16x8.ne(v128.and(i16x8.splat(<i16>byte), bitOf), i16x8.splat(0));
            counts = v128.or(counts, v128.and(set, i16x8.splat(<i16>(<i32>1 << b))));
          }
          v128.store(dst + (<usize>h << 4), counts);
        }
      } else {
        for (let k = 0; k < pairs; k++) {
          const i = <usize>(2 * k);
          const a = stream64(op, xg + i * bytes + o, wg + i * bytes + o);
          const b = stream64(op, xg + (i + 1) * bytes + o, wg + (i + 1) * bytes + o);
          add64((k & 1) == 0 ? a | b : a & b, 1, planes);
        }
        for (let i = <usize>singlesFrom; i < <usize>n; i++) add64(stream64(op, xg + i * bytes + o, wg + i * bytes + o), 0, planes);
        const dst = og + (o << 4);
        for (let c = 0; c < 64; c++) {
          let count: u32 = 0;
          for (let b = 0; b < planes; b++) count |= <u32>((load<u64>(PLANES + (<usize>b << 3)) >>> <u64>c) & 1) << b;
          store<u16>(dst + (<usize>c << 1), <u16>count);
        }
      }
    }
  }
}
