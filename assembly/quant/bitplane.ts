// Accumulation-only linear kernels for binary and ternary weights (src/formats/binary.ts, ternary.ts):
//   y[b, o] = act(f32(α[o] · S[b, o]) + bias[o]),  S = Σ_j term_j,  term_j = ±x[b, j] or +0.
// No multiply touches an activation: each term is x with its sign bit flipped where the sign bit of the
// weight is 0 (v128.xor with a lane mask), and for ternary weights ANDed to +0 where the nonzero bit is 0.
// Every term is exact, so the only roundings are the additions and the one α multiply per output.
//
// Planes are read as the format stores them (row r at byte r·⌈k/8⌉, column j = bit j mod 8 of byte ⌊j/8⌋),
// no repacking. Each byte gives two nibbles (4 columns each).
// GEMV (and the 1–3 batch rows left over by the GEMM): a nibble indexes a 16-entry table of lane masks
// (NEGATE, KEEP) applied to one v128 of x.
// GEMM, 4 batch rows at a time: the activations of a column block are transposed to batch lanes and, per 4
// columns, all 16 sign patterns of their sum are built once (signed sums for binary, subset sums for
// ternary: Σ_pos − Σ_neg, disjoint subsets, so no cancellation beyond the exact sum's). Each weight nibble
// is then one table load and one add for 4 columns × 4 samples. Any summation order keeps the error within
// (k − 1)·u·Σ|terms|, the same bound as the sequential sum.
// Scalar build (and the last k mod 4 columns): the same terms one by one.

const NEGATE = memory.data(16 * 16, 16); // nibble n, lane i: bit i of n clear → 0x8000_0000 (flip the sign)
const KEEP = memory.data(16 * 16, 16);   // nibble n, lane i: bit i of n set → 0xFFFF_FFFF (keep the term)
let tablesBuilt = false;

function buildTables(): void {
  for (let n = 0; n < 16; n++) {
    for (let i = 0; i < 4; i++) {
      const set = (n >> i) & 1;
      store<u32>(NEGATE + (<usize>n << 4) + (<usize>i << 2), set ? 0 : 0x8000_0000);
      store<u32>(KEEP + (<usize>n << 4) + (<usize>i << 2), set ? 0xFFFF_FFFF : 0);
    }
  }
  tablesBuilt = true;
}

/** Four terms: x sign-flipped by `negate`, then (ternary) zeroed outside `keep`. Exact. */
// @ts-ignore: decorator
@inline function terms(ternary: bool, xv: v128, negate: v128, keep: v128): v128 {
  const t = v128.xor(xv, negate);
  return ternary ? v128.and(t, keep) : t;
}

/** One term in scalar code: bit `bit` of the sign byte s (and nonzero byte z) applied to x. */
// @ts-ignore: decorator
@inline function termScalar(ternary: bool, s: u32, z: u32, bit: u32, xv: f32): f32 {
  if (ternary && ((z >> bit) & 1) == 0) return 0;
  return (s >> bit) & 1 ? xv : -xv;
}

/** Σ of lanes ((0 + 1) + (2 + 3)). */
// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Adds the terms of columns [from, k) of one row (planes at sp/zp) and activation row xp, one by one. */
// @ts-ignore: decorator
@inline function tailScalar(ternary: bool, sum: f32, sp: usize, zp: usize, xp: usize, from: i32, k: i32): f32 {
  for (let j = from; j < k; j++) {
    const byte = <usize>(j >> 3);
    const s = <u32>load<u8>(sp + byte);
    const z = ternary ? <u32>load<u8>(zp + byte) : 0;
    sum += termScalar(ternary, s, z, <u32>(j & 7), load<f32>(xp + (<usize>j << 2)));
  }
  return sum;
}

/** y = act(f32(α·sum) + bias). */
// @ts-ignore: decorator
@inline function finish(yp: usize, alpha: f32, add: f32, sum: f32, relu: bool): void {
  const v = alpha * sum + add;
  store<f32>(yp, relu ? max<f32>(v, 0) : v);
}

/**
 * One weight row against `rb` (1..4, compile-time) activation rows x, x + ldx, …; outputs at yp, yp + ldy, ….
 * Batch 1 keeps two accumulators (low / high nibble) so the adds do not wait on each other.
 */
// @ts-ignore: decorator
@inline function rowTile(rb: i32, ternary: bool, sp: usize, zp: usize, x: usize, ldx: usize, k: i32, yp: usize, ldy: usize, alpha: f32, add: f32, relu: bool): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, h0 = a0;
  const bytes = k >> 3;
  let xp = x;
  for (let i = 0; i < bytes; i++, xp += 32) {
    const s = <usize>load<u8>(sp + <usize>i);
    const z = ternary ? <usize>load<u8>(zp + <usize>i) : 0;
    const nl = v128.load(NEGATE + ((s & 15) << 4));
    const kl = ternary ? v128.load(KEEP + ((z & 15) << 4)) : nl;
    a0 = f32x4.add(a0, terms(ternary, v128.load(xp), nl, kl));
    if (rb > 1) a1 = f32x4.add(a1, terms(ternary, v128.load(xp + ldx), nl, kl));
    if (rb > 2) a2 = f32x4.add(a2, terms(ternary, v128.load(xp + 2 * ldx), nl, kl));
    if (rb > 3) a3 = f32x4.add(a3, terms(ternary, v128.load(xp + 3 * ldx), nl, kl));
    const nh = v128.load(NEGATE + (s & 0xF0));
    const kh = ternary ? v128.load(KEEP + (z & 0xF0)) : nh;
    if (rb == 1) h0 = f32x4.add(h0, terms(ternary, v128.load(xp, 16), nh, kh));
    else a0 = f32x4.add(a0, terms(ternary, v128.load(xp, 16), nh, kh));
    if (rb > 1) a1 = f32x4.add(a1, terms(ternary, v128.load(xp + ldx, 16), nh, kh));
    if (rb > 2) a2 = f32x4.add(a2, terms(ternary, v128.load(xp + 2 * ldx, 16), nh, kh));
    if (rb > 3) a3 = f32x4.add(a3, terms(ternary, v128.load(xp + 3 * ldx, 16), nh, kh));
  }
  let done = bytes << 3;
  if ((k & 7) >= 4) { // the low nibble of the last, partial byte
    const s = <usize>load<u8>(sp + <usize>bytes);
    const z = ternary ? <usize>load<u8>(zp + <usize>bytes) : 0;
    const nl = v128.load(NEGATE + ((s & 15) << 4));
    const kl = ternary ? v128.load(KEEP + ((z & 15) << 4)) : nl;
    a0 = f32x4.add(a0, terms(ternary, v128.load(xp), nl, kl));
    if (rb > 1) a1 = f32x4.add(a1, terms(ternary, v128.load(xp + ldx), nl, kl));
    if (rb > 2) a2 = f32x4.add(a2, terms(ternary, v128.load(xp + 2 * ldx), nl, kl));
    if (rb > 3) a3 = f32x4.add(a3, terms(ternary, v128.load(xp + 3 * ldx), nl, kl));
    done += 4;
  }
  finish(yp, alpha, add, tailScalar(ternary, hsum(f32x4.add(a0, h0)), sp, zp, x, done, k), relu);
  if (rb > 1) finish(yp + ldy, alpha, add, tailScalar(ternary, hsum(a1), sp, zp, x + ldx, done, k), relu);
  if (rb > 2) finish(yp + 2 * ldy, alpha, add, tailScalar(ternary, hsum(a2), sp, zp, x + 2 * ldx, done, k), relu);
  if (rb > 3) finish(yp + 3 * ldy, alpha, add, tailScalar(ternary, hsum(a3), sp, zp, x + 3 * ldx, done, k), relu);
}

/** Batch rows [b0, b0 + rb) against every weight row. */
// @ts-ignore: decorator
@inline function batchTile(rb: i32, ternary: bool, signs: usize, nonzero: usize, alpha: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, b0: i32, relu: bool): void {
  const rowBytes = <usize>((k + 7) >> 3);
  const ldx = <usize>k << 2, ldy = <usize>out << 2;
  const xb = x + <usize>b0 * ldx, yb = y + <usize>b0 * ldy;
  for (let r = 0; r < out; r++) {
    const plane = <usize>r * rowBytes;
    const ro = <usize>r << 2;
    rowTile(rb, ternary, signs + plane, nonzero + plane, xb, ldx, k, yb + ro, ldy, load<f32>(alpha + ro), load<f32>(bias + ro), relu);
  }
}

/** Columns per GEMM table block: 64 groups × 16 patterns × 16 bytes = 16 KiB, beside the weight rows in L1. */
const BLOCK_COLS: i32 = 256;
/** Scratch the GEMM needs (SIMD builds, batch ≥ 4): the table of one block, then 16 bytes per output row. */
export const GEMM_TABLE_BYTES: i32 = (BLOCK_COLS >> 2) << 8;

/** The 16 sums of columns j … j+3 of the 4 activation rows at x (row stride ldx), batch in lanes, at tp. */
// @ts-ignore: decorator
@inline function buildPatterns(ternary: bool, x: usize, ldx: usize, j: i32, tp: usize): void {
  const o = <usize>j << 2;
  const r0 = v128.load(x + o), r1 = v128.load(x + ldx + o), r2 = v128.load(x + 2 * ldx + o), r3 = v128.load(x + 3 * ldx + o);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  const c0 = v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), c1 = v128.shuffle<f32>(t0, t2, 2, 3, 6, 7);
  const c2 = v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), c3 = v128.shuffle<f32>(t1, t3, 2, 3, 6, 7);
  // Pairs: index bit 0 ↔ the first column of the pair, bit 1 ↔ the second.
  const zero = f32x4.splat(0);
  const l0 = ternary ? zero : f32x4.add(f32x4.neg(c0), f32x4.neg(c1));
  const l1 = ternary ? c0 : f32x4.add(c0, f32x4.neg(c1));
  const l2 = ternary ? c1 : f32x4.add(f32x4.neg(c0), c1);
  const l3 = f32x4.add(c0, c1);
  const h0 = ternary ? zero : f32x4.add(f32x4.neg(c2), f32x4.neg(c3));
  const h1 = ternary ? c2 : f32x4.add(c2, f32x4.neg(c3));
  const h2 = ternary ? c3 : f32x4.add(f32x4.neg(c2), c3);
  const h3 = f32x4.add(c2, c3);
  patternRow(tp, l0, l1, l2, l3, h0);
  patternRow(tp + 64, l0, l1, l2, l3, h1);
  patternRow(tp + 128, l0, l1, l2, l3, h2);
  patternRow(tp + 192, l0, l1, l2, l3, h3);
}

// @ts-ignore: decorator
@inline function patternRow(tp: usize, l0: v128, l1: v128, l2: v128, l3: v128, h: v128): void {
  v128.store(tp, f32x4.add(l0, h));
  v128.store(tp, f32x4.add(l1, h), 16);
  v128.store(tp, f32x4.add(l2, h), 32);
  v128.store(tp, f32x4.add(l3, h), 48);
}

/** One table entry per nibble: binary → the signed sum of the sign nibble; ternary → Σ_pos − Σ_neg. */
// @ts-ignore: decorator
@inline function lookup(ternary: bool, tp: usize, s: usize, z: usize): v128 {
  if (!ternary) return v128.load(tp + (s << 4));
  return f32x4.sub(v128.load(tp + ((s & z) << 4)), v128.load(tp + ((z & ~s) << 4)));
}

/**
 * Batch rows b0 … b0+3 through the pattern tables, block by block: acc (scratch after the table) holds
 * each output row's 4 partial sums (batch lanes) between blocks.
 */
// @ts-ignore: decorator
@inline function tableTile(ternary: bool, signs: usize, nonzero: usize, alpha: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, b0: i32, relu: bool): void {
  const rowBytes = <usize>((k + 7) >> 3);
  const ldx = <usize>k << 2, ldy = <usize>out << 2;
  const xb = x + <usize>b0 * ldx, yb = y + <usize>b0 * ldy;
  const acc = scratch + <usize>GEMM_TABLE_BYTES;
  const cols4 = k & ~3; // columns in whole groups
  for (let j0 = 0; j0 < cols4 || j0 == 0; j0 += BLOCK_COLS) {
    const n = min(BLOCK_COLS, cols4 - j0); // a multiple of 4
    for (let j = 0; j < n; j += 4) buildPatterns(ternary, xb, ldx, j0 + j, scratch + (<usize>j << 6));
    const fullBytes = n >> 3;
    const first = j0 == 0;
    for (let r = 0; r < out; r++) {
      const sp = signs + <usize>r * rowBytes + <usize>(j0 >> 3);
      const zp = nonzero + <usize>r * rowBytes + <usize>(j0 >> 3);
      const ap = acc + (<usize>r << 4);
      let lo = first ? f32x4.splat(0) : v128.load(ap), hi = f32x4.splat(0);
      let tp = scratch;
      for (let i = 0; i < fullBytes; i++, tp += 512) {
        const s = <usize>load<u8>(sp + <usize>i);
        const z = ternary ? <usize>load<u8>(zp + <usize>i) : 0;
        lo = f32x4.add(lo, lookup(ternary, tp, s & 15, z & 15));
        hi = f32x4.add(hi, lookup(ternary, tp + 256, s >> 4, z >> 4));
      }
      if (n & 4) {
        const s = <usize>load<u8>(sp + <usize>fullBytes);
        const z = ternary ? <usize>load<u8>(zp + <usize>fullBytes) : 0;
        lo = f32x4.add(lo, lookup(ternary, tp, s & 15, z & 15));
      }
      v128.store(ap, f32x4.add(lo, hi));
    }
    if (n <= 0) break;
  }
  for (let r = 0; r < out; r++) {
    const plane = <usize>r * rowBytes;
    const ro = <usize>r << 2;
    const a = load<f32>(alpha + ro), add = load<f32>(bias + ro);
    const v = v128.load(acc + (<usize>r << 4));
    const yp = yb + ro;
    finish(yp, a, add, tailScalar(ternary, f32x4.extract_lane(v, 0), signs + plane, nonzero + plane, xb, cols4, k), relu);
    finish(yp + ldy, a, add, tailScalar(ternary, f32x4.extract_lane(v, 1), signs + plane, nonzero + plane, xb + ldx, cols4, k), relu);
    finish(yp + 2 * ldy, a, add, tailScalar(ternary, f32x4.extract_lane(v, 2), signs + plane, nonzero + plane, xb + 2 * ldx, cols4, k), relu);
    finish(yp + 3 * ldy, a, add, tailScalar(ternary, f32x4.extract_lane(v, 3), signs + plane, nonzero + plane, xb + 3 * ldx, cols4, k), relu);
  }
}

// @ts-ignore: decorator
@inline function gemm(ternary: bool, signs: usize, nonzero: usize, alpha: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: bool): void {
  if (ASC_FEATURE_SIMD) {
    if (!tablesBuilt) buildTables();
    let b0 = 0;
    for (; b0 + 4 <= batch; b0 += 4) tableTile(ternary, signs, nonzero, alpha, bias, x, y, scratch, out, k, b0, relu);
    const rest = batch - b0;
    if (rest == 3) batchTile(3, ternary, signs, nonzero, alpha, bias, x, y, out, k, b0, relu);
    else if (rest == 2) batchTile(2, ternary, signs, nonzero, alpha, bias, x, y, out, k, b0, relu);
    else if (rest == 1) batchTile(1, ternary, signs, nonzero, alpha, bias, x, y, out, k, b0, relu);
    return;
  }
  const rowBytes = <usize>((k + 7) >> 3);
  for (let b = 0; b < batch; b++) {
    const xp = x + <usize>b * (<usize>k << 2);
    for (let r = 0; r < out; r++) {
      const plane = <usize>r * rowBytes;
      const ro = <usize>r << 2;
      const sum = tailScalar(ternary, 0, signs + plane, nonzero + plane, xp, 0, k);
      finish(y + (<usize>(b * out) << 2) + ro, load<f32>(alpha + ro), load<f32>(bias + ro), sum, relu);
    }
  }
}

/** Binary weights, batch 1: y[o] = act(α[o]·Σ_j ±x[j] + bias[o]). signs: out rows of ⌈k/8⌉ bytes. */
export function f32_gemv_binary(signs: usize, alpha: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemm(false, signs, 0, alpha, bias, x, y, 0, out, k, 1, relu != 0);
}

/** Binary weights, x [batch, k] → y [batch, out]. scratch: GEMM_TABLE_BYTES + 16·out bytes when batch ≥ 4 (SIMD builds). */
export function f32_gemm_binary(signs: usize, alpha: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(false, signs, 0, alpha, bias, x, y, scratch, out, k, batch, relu != 0);
}

/** Ternary weights (sign and nonzero planes, same layout), batch 1. */
export function f32_gemv_ternary(signs: usize, nonzero: usize, alpha: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, relu: i32): void {
  gemm(true, signs, nonzero, alpha, bias, x, y, 0, out, k, 1, relu != 0);
}

/** Ternary weights, x [batch, k] → y [batch, out]; scratch as for f32_gemm_binary. */
export function f32_gemm_ternary(signs: usize, nonzero: usize, alpha: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(true, signs, nonzero, alpha, bias, x, y, scratch, out, k, batch, relu != 0);
}
