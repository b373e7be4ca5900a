// Index-free sparse rows whose columns come from a maximal-length Galois LFSR (Ardakani et al.,
// sparsely-connected networks): only values, a seed and a count per row are stored.
//
// Column generation (normative, identical in src/formats/lfsr.ts): width m, tap mask `taps`;
// starting from the row's seed, repeat { state = step(state); if (state ≤ in) emit column state − 1 }
// until the row's count is emitted. A maximal-length register visits every nonzero state once per
// period 2^m − 1, so the columns are distinct. Values are stored in generation order.
//
// Every loop here is bounded by the period (and the count) whatever the inputs, and a column is only
// used when it is < in, so even a bad seed or tap mask cannot make a kernel read outside x.

import { gatherDot, gatherSpmm, Index } from "./gather";

/** One right-shifting Galois step: shift out bit 0; when it was 1, XOR the tap mask in. */
// @ts-ignore: decorator
@inline function lfsrStep(s: u32, taps: u32): u32 {
  return (s >>> 1) ^ ((0 - (s & 1)) & taps);
}

/**
 * The generation loop is latency-bound on the register (shift, mask, xor per step), so it advances
 * four steps per link: by linearity step^j(s) = (s >>> j) ^ step^j(s & (2^j − 1)), and the second term
 * comes from a table. Scalar build: tab[2^j − 2 + v] = step^j(v) for j = 1..4 (30 words). SIMD builds:
 * step^1..8(v) as two vectors for each v < 256 (8 KiB), then at COMPACT 16 swizzles that pack the lanes
 * set in a 4-bit mask to the front.
 */
// @ts-ignore: decorator
@inline function fillTables(tab: usize, taps: u32): void {
  if (ASC_FEATURE_SIMD) {
    for (let v: u32 = 0; v < 256; v++) {
      let s = v;
      for (let j: usize = 0; j < 8; j++) {
        s = lfsrStep(s, taps);
        store<u32>(tab + (<usize>v << 5) + (j << 2), s);
      }
    }
    for (let v: u32 = 0; v < 16; v++) {
      let at: usize = 0;
      for (let lane: u32 = 0; lane < 4; lane++) {
        if ((v >> lane) & 1) {
          for (let b: u32 = 0; b < 4; b++) store<u8>(tab + COMPACT + (<usize>v << 4) + at++, <u8>(lane * 4 + b));
        }
      }
      for (; at < 16; at++) store<u8>(tab + COMPACT + (<usize>v << 4) + at, 0x80); // out of range: zero
    }
    return;
  }
  for (let j: u32 = 1; j <= 4; j++) {
    for (let v: u32 = 0; v < (<u32>1 << j); v++) {
      let s = v;
      for (let q: u32 = 0; q < j; q++) s = lfsrStep(s, taps);
      store<u32>(tab + ((<usize>(1 << j) - 2 + <usize>v) << 2), s);
    }
  }
}

/** step^j(s) for j = 1..4 (a compile-time constant after inlining). */
// @ts-ignore: decorator
@inline function jump(tab: usize, s: u32, j: u32): u32 {
  return (s >>> j) ^ load<u32>(tab + ((<usize>(1 << j) - 2 + <usize>(s & ((1 << j) - 1))) << 2));
}

/** Stores column state − 1 (scaled) at position c and returns c + 1 when the state maps to a column (branch-free). */
// @ts-ignore: decorator
@inline function emit(s: u32, inF: u32, scale: u32, addr: usize, c: u32): u32 {
  const col = s - 1; // state 0 (never reached from a nonzero seed) wraps to a huge column and is rejected
  store<u32>(addr + (<usize>c << 2), col * scale);
  return c + <u32>(col < inF);
}

/**
 * Writes the row's columns as byte offsets column·scale to addr[0 .. count) and returns how many
 * were generated (= count for valid inputs). Up to 7 entries past `count` may be written (the
 * scratch list has room for in + 8); at most period + 7 steps are taken whatever the inputs.
 */
// @ts-ignore: decorator
@inline function generateRow(seed: u32, tab: usize, period: u64, inF: u32, count: u32, scale: u32, addr: usize): u32 {
  let s = seed;
  let c: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // Eight states per link in two vectors: step^j(s) = ((s >>> 8) << (8 − j)) ^ step^j(s & 255) for
    // j = 1..8, the second term from a table of 256 vector pairs. Accepted lanes are packed to the front
    // with a swizzle chosen by their bitmask and stored at once (stream compaction).
    const shiftsLo = i32x4(128, 64, 32, 16);
    const shiftsHi = i32x4(8, 4, 2, 1);
    const one = i32x4.splat(1);
    const limit = i32x4.splat(<i32>inF);
    const scaleV = i32x4.splat(<i32>scale);
    for (let steps: u64 = 0; steps < period && c < count; steps += 8) {
      const low = tab + (<usize>(s & 255) << 5);
      const high = i32x4.splat(s >>> 8);
      const colsLo = i32x4.sub(v128.xor(i32x4.mul(high, shiftsLo), v128.load(low)), one);
      const colsHi = i32x4.sub(v128.xor(i32x4.mul(high, shiftsHi), v128.load(low, 16)), one);
      s = (s >>> 8) ^ load<u32>(low, 28);
      const keptLo = <u32>i32x4.bitmask(i32x4.lt_u(colsLo, limit));
      const keptHi = <u32>i32x4.bitmask(i32x4.lt_u(colsHi, limit));
      v128.store(addr + (<usize>c << 2), i8x16.swizzle(i32x4.mul(colsLo, scaleV), v128.load(tab + COMPACT + (<usize>keptLo << 4))));
      c += popcnt(keptLo);
      v128.store(addr + (<usize>c << 2), i8x16.swizzle(i32x4.mul(colsHi, scaleV), v128.load(tab + COMPACT + (<usize>keptHi << 4))));
      c += popcnt(keptHi);
    }
  } else {
    for (let steps: u64 = 0; steps < period && c < count; steps += 4) {
      const s1 = jump(tab, s, 1), s2 = jump(tab, s, 2), s3 = jump(tab, s, 3);
      s = jump(tab, s, 4);
      c = emit(s1, inF, scale, addr, c);
      c = emit(s2, inF, scale, addr, c);
      c = emit(s3, inF, scale, addr, c);
      c = emit(s, inF, scale, addr, c);
    }
  }
  return min(c, count);
}

// @ts-ignore: decorator
@inline function periodOf(m: i32): u64 {
  return (<u64>1 << <u64>m) - 1;
}

/** Scratch layout: tables (see fillTables), then from LIST the generated columns (see each kernel). */
const COMPACT: usize = 8192;
const LIST: usize = 8448;

/** y = act(W·x + bias); `scratch` holds ≥ 8448 + 4·(in + 8) bytes (tables, one row's generated columns). */
export function f32_spmv_lfsr(seeds: usize, counts: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, inF: i32, m: i32, taps: i32, relu: i32, scratch: usize): void {
  const period = periodOf(m);
  fillTables(scratch, <u32>taps);
  let v = val;
  for (let r = 0; r < n; r++) {
    const count = load<u32>(counts + (<usize>r << 2));
    const got = generateRow(load<u32>(seeds + (<usize>r << 2)), scratch, period, <u32>inF, count, 4, scratch + LIST);
    const s = gatherDot(scratch + LIST, v, <i32>got, x) + load<f32>(bias + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), relu != 0 ? max<f32>(s, 0) : s);
    v += <usize>count << 2;
  }
}

/**
 * y[batch, n] from transposed activations xT[in, batch]. Every row's columns are generated once into
 * scratch after the tables (row ranges u32[n + 1] at LIST, then one byte offset into xT per nonzero and
 * 8 entries of slack) and reused by every batch strip.
 */
export function f32_spmm_lfsr(seeds: usize, counts: usize, val: usize, bias: usize, xT: usize, y: usize, n: i32, inF: i32, m: i32, taps: i32, batch: i32, relu: i32, scratch: usize): void {
  const period = periodOf(m);
  const ld = <u32>batch << 2;
  fillTables(scratch, <u32>taps);
  const rowPtr = scratch + LIST;
  const addr = rowPtr + ((<usize>n + 1) << 2);
  let start: u32 = 0;
  store<u32>(rowPtr, 0);
  for (let r = 0; r < n; r++) {
    const count = load<u32>(counts + (<usize>r << 2));
    const list = addr + (<usize>start << 2);
    // A row that came up short (impossible with a maximal register) reads column 0 instead of garbage.
    for (let c = generateRow(load<u32>(seeds + (<usize>r << 2)), scratch, period, <u32>inF, count, ld, list); c < count; c++) store<u32>(list + (<usize>c << 2), 0);
    start += count;
    store<u32>(rowPtr + ((<usize>r + 1) << 2), start);
  }
  gatherSpmm(Index.ByteOffset, rowPtr, addr, val, bias, xT, y, n, batch, relu != 0);
}
