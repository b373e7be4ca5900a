// N:M structured-sparse linear kernels: y = act(W·x + bias), where every group of m consecutive
// weights along `in` keeps exactly n slots (explicit zeros fill groups with fewer nonzeros).
//
// Codes (see src/formats/nm.ts): one u8 per 4 value slots. A code covers G = 4/n consecutive groups (a
// "span" of 4m/n input columns) and holds their pattern ids in mixed radix: code = Σ pat_i · P^i with
// P = C(m, n); pattern id p is the rank of the group's position bitmask among the m-bit masks with n bits
// set, in ascending order.
//
// Resident layout (packed once by src/ops/nm-linear.ts): each row is padded to S = ceil(groups·n / 4)
// whole spans (zero values), and the matrix is cut into column blocks of blockSpans(n, m) spans stored one
// after the other: span s of row r sits at
//   index = outPad · b·B + (⌊r/2⌋ · cnt_b + (s − b·B)) · 2 + r mod 2
// (× 16 bytes of values, × 1 byte of codes), with b = s / B, cnt_b = min(B, S − b·B) and out padded to a
// multiple of 4 with zero rows: inside a block, pairs of rows interleave span by span (32 value bytes and
// one u16 of codes per step). Both kernels walk one block at a time, so the weights stream
// contiguously while the block's activations stay in L1.
//
// GEMV: per block, an activation table holds, for every span and every code, the 4 activations that
// code's weights multiply, gathered with i8x16.swizzle masks (lanes from other x vectors come back as 0,
// then OR); each row then needs one table load per 4 weights, and two row pairs far apart run side by
// side (two weight streams). Few rows: each row swizzles its activations directly.
// GEMM: activations are packed into 32- or 4-wide batch strips in scratch ([column][lane]), and each kept
// weight scales the strip row of its column (SIMD across the batch, one splat per weight).

import { f32x4_madd, f32x4_activate } from "../simd";

// Decode tables, built on first use (static memory, filled once per pattern).
//  cols:  u8[codes][4]        column offset inside the span of each of the 4 slots
//  masks: v128[codes][m/n]    swizzle mask per x vector of the span; 0x80 = lane not from this vector
const COLS12 = memory.data(16 * 4, 16);
const MASKS12 = memory.data(16 * 2 * 16, 16);
const COLS24 = memory.data(36 * 4, 16);
const MASKS24 = memory.data(36 * 2 * 16, 16);
const COLS14 = memory.data(256 * 4, 16);
const MASKS14 = memory.data(256 * 4 * 16, 16);
const COLS48 = memory.data(70 * 4, 16);
const MASKS48 = memory.data(70 * 2 * 16, 16);
const PATTERN_POS = memory.data(70 * 4, 16); // scratch while building: positions of each pattern
let built: i32 = 0; // bit per pattern whose tables are filled

/** Columns of x under one code: 4 values = 4/n groups of m columns. */
// @ts-ignore: decorator
@inline function spanCols(n: i32, m: i32): i32 { return (4 / n) * m; }

// @ts-ignore: decorator
@inline function colsTable(n: i32, m: i32): usize {
  return n == 1 && m == 2 ? COLS12 : n == 2 && m == 4 ? COLS24 : n == 1 && m == 4 ? COLS14 : COLS48;
}

// @ts-ignore: decorator
@inline function masksTable(n: i32, m: i32): usize {
  return n == 1 && m == 2 ? MASKS12 : n == 2 && m == 4 ? MASKS24 : n == 1 && m == 4 ? MASKS14 : MASKS48;
}

// @ts-ignore: decorator
@inline function patternBit(n: i32, m: i32): i32 {
  return n == 1 && m == 2 ? 1 : n == 2 && m == 4 ? 2 : n == 1 && m == 4 ? 4 : 8;
}

// @ts-ignore: decorator
@inline function ensureTables(n: i32, m: i32): void {
  const bit = patternBit(n, m);
  if ((built & bit) == 0) {
    buildTables(n, m, colsTable(n, m), masksTable(n, m));
    built |= bit;
  }
}

function buildTables(n: i32, m: i32, cols: usize, masks: usize): void {
  let patterns = 0;
  for (let bits = 0; bits < 1 << m; bits++) {
    if (popcnt(bits) != n) continue;
    let j = 0;
    for (let pos = 0; pos < m; pos++) if ((bits >> pos) & 1) store<u8>(PATTERN_POS + patterns * n + j++, pos);
    patterns++;
  }
  const groups = 4 / n;
  const vectors = m / n;
  let codes = 1;
  for (let i = 0; i < groups; i++) codes *= patterns;
  for (let code = 0; code < codes; code++) {
    let rest = code;
    for (let i = 0; i < groups; i++) {
      const pat = rest % patterns;
      rest /= patterns;
      for (let s = 0; s < n; s++) {
        const slot = i * n + s;
        const off = i * m + <i32>load<u8>(PATTERN_POS + pat * n + s);
        store<u8>(cols + code * 4 + slot, off);
        for (let v = 0; v < vectors; v++) {
          for (let b = 0; b < 4; b++) {
            store<u8>(masks + (code * vectors + v) * 16 + slot * 4 + b, (off >> 2) == v ? ((off & 3) << 2) + b : 0x80);
          }
        }
      }
    }
  }
}

/** Byte gather where mask bytes of 0x80 give 0 (the relaxed form is exact for indices < 16 or ≥ 128). */
// @ts-ignore: decorator
@inline function gather(a: v128, mask: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i8x16.relaxed_swizzle(a, mask);
  return i8x16.swizzle(a, mask);
}

/** The 4 activations of one code's 4 kept weights, from the m/n x vectors at `xp`. */
// @ts-ignore: decorator
@inline function gatherSpan(n: i32, m: i32, xp: usize, mk: usize): v128 {
  let r = v128.or(gather(v128.load(xp), v128.load(mk)), gather(v128.load(xp, 16), v128.load(mk, 16)));
  if (m / n == 4) {
    r = v128.or(r, v128.or(gather(v128.load(xp, 32), v128.load(mk, 32)), gather(v128.load(xp, 48), v128.load(mk, 48))));
  }
  return r;
}

/** Spans per column block (a power of two): the GEMV table block is 9-18 KiB (≤ TABLE_BYTES), the GEMM
 *  strip block 4 · stripLanes · B · spanCols bytes. 2:4 uses 16 spans (9 KiB table): with 32 (18 KiB) the
 *  weight stream evicted table lines from L1 and its 4096² GEMV ran ≈25% slower (same-process A/B).
 *  Mirrored in src/ops/nm-linear.ts. */
// @ts-ignore: decorator
@inline function blockSpans(n: i32, m: i32): i32 {
  return n == 1 && m == 2 ? 64 : n == 2 && m == 4 ? 16 : n == 1 && m == 4 ? 64 : 16;
}

/** Rows rounded up to a multiple of 4 (two streams of row pairs). */
// @ts-ignore: decorator
@inline function padRows(out: i32): i32 { return (out + 3) & ~3; }

/** Byte offset of span s of row r in the values (÷ 16 gives the codes offset). */
// @ts-ignore: decorator
@inline function spanOffset(n: i32, m: i32, r: i32, s: i32, out: i32, spans: i32): usize {
  const B = blockSpans(n, m);
  const s0 = s & ~(B - 1);
  const cnt = min(B, spans - s0);
  return (<usize>padRows(out) * <usize>s0 + ((<usize>(r >> 1) * <usize>cnt + <usize>(s - s0)) << 1) + <usize>(r & 1)) << 4;
}

/** Σ of one span of one row, scalar; columns ≥ k are padding (value 0) and skipped. */
// @ts-ignore: decorator
@inline function spanScalar(n: i32, m: i32, vp: usize, code: i32, x: usize, s: i32, k: i32): f32 {
  const offs = load<u32>(colsTable(n, m) + (<usize>code << 2));
  const c0 = s * spanCols(n, m);
  let sum: f32 = 0;
  for (let j = 0; j < 4; j++) {
    const col = c0 + <i32>((offs >> (j << 3)) & 0xff);
    if (col < k) sum += load<f32>(vp + (<usize>j << 2)) * load<f32>(x + (<usize>col << 2));
  }
  return sum;
}

/** Σ of span s of row r, scalar, located through the blocked layout. */
// @ts-ignore: decorator
@inline function spanAt(n: i32, m: i32, val: usize, meta: usize, x: usize, r: i32, s: i32, out: i32, spans: i32, k: i32): f32 {
  const o = spanOffset(n, m, r, s, out, spans);
  return spanScalar(n, m, val + o, load<u8>(meta + (o >> 4)), x, s, k);
}

/** Distinct codes (4-value pattern combinations) of a pattern: C(m, n)^(4/n). */
// @ts-ignore: decorator
@inline function codeCount(n: i32, m: i32): i32 {
  return n == 1 && m == 2 ? 16 : n == 2 && m == 4 ? 36 : n == 1 && m == 4 ? 256 : 70;
}

/** 1:4 has 256 codes per 16-column span: its table holds two halves (8 columns, 16 entries of 8 B each). */
// @ts-ignore: decorator
@inline function halfTables(n: i32, m: i32): bool { return n == 1 && m == 4; }

/** Bytes of the activation table per span (see buildActTable). */
// @ts-ignore: decorator
@inline function tableSpanBytes(n: i32, m: i32): i32 { return halfTables(n, m) ? 256 : codeCount(n, m) << 4; }

/** For spans [s0, s1): the 4 activations of every code, gathered once per call instead of once per row. */
// @ts-ignore: decorator
@inline function buildActTable(n: i32, m: i32, x: usize, table: usize, s0: i32, s1: i32): void {
  const sc = spanCols(n, m);
  const masks = masksTable(n, m);
  const maskStride = (m / n) << 4;
  for (let s = s0; s < s1; s++) {
    const xp = x + (<usize>(s * sc) << 2);
    const tp = table + <usize>(s - s0) * <usize>tableSpanBytes(n, m);
    if (halfTables(n, m)) {
      // Code c + 16c puts the pair pattern c in both halves: lanes 0-1 from groups 0-1, lanes 2-3 from 2-3.
      for (let c = 0; c < 16; c++) {
        const v = gatherSpan(n, m, xp, masks + <usize>(c * 17) * maskStride);
        v128.store_lane<i64>(tp + (<usize>c << 3), v, 0);
        v128.store_lane<i64>(tp + 128 + (<usize>c << 3), v, 1);
      }
    } else {
      for (let c = 0; c < codeCount(n, m); c++) v128.store(tp + (<usize>c << 4), gatherSpan(n, m, xp, masks + <usize>c * maskStride));
    }
  }
}

/** The 4 activations of `code` in the table of one span. */
// @ts-ignore: decorator
@inline function tableGather(n: i32, m: i32, tp: usize, code: usize): v128 {
  if (halfTables(n, m)) {
    const lo = v128.load64_zero(tp + ((code & 15) << 3));
    return v128.load64_lane(tp + 128 + ((code >> 4) << 3), lo, 1);
  }
  return v128.load(tp + (code << 4));
}

/** Σ_lanes of v. */
// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Row pairs q and q + hq (far apart: two weight streams keep more memory requests in flight than one) of
 * one block through the activation table: `len` spans from the block start, each row's 4-lane partial
 * sum added into acc (or stored, for the first block). Four rows per iteration keep V8 within the vector
 * registers (it issues every load of an iteration first).
 */
// @ts-ignore: decorator
@inline function pairsTable(n: i32, m: i32, vb: usize, cb: usize, table: usize, acc: usize, q: i32, hq: i32, cnt: i32, len: i32, first: bool): void {
  const tsb = <usize>tableSpanBytes(n, m);
  const vs = <usize>hq * <usize>cnt << 5; // bytes between the two pairs' chunks
  const cs = <usize>hq * <usize>cnt << 1;
  let v = vb + (<usize>q * <usize>cnt << 5);
  let c = cb + (<usize>q * <usize>cnt << 1);
  let a0 = f32x4.splat(0), a1 = a0, b0 = a0, b1 = a0;
  let tp = table;
  const end = tp + <usize>len * tsb;
  for (; tp < end; tp += tsb, v += 32, c += 2) {
    const codes = <usize>load<u16>(c);
    a0 = f32x4_madd(v128.load(v), tableGather(n, m, tp, codes & 0xff), a0);
    a1 = f32x4_madd(v128.load(v, 16), tableGather(n, m, tp, codes >> 8), a1);
    const far = <usize>load<u16>(c + cs);
    const w = v + vs;
    b0 = f32x4_madd(v128.load(w), tableGather(n, m, tp, far & 0xff), b0);
    b1 = f32x4_madd(v128.load(w, 16), tableGather(n, m, tp, far >> 8), b1);
  }
  const r = q << 1, f = (q + hq) << 1;
  addPartial(acc, r, a0, first); addPartial(acc, r + 1, a1, first);
  addPartial(acc, f, b0, first); addPartial(acc, f + 1, b1, first);
}

// @ts-ignore: decorator
@inline function addPartial(acc: usize, r: i32, sum: v128, first: bool): void {
  const ap = acc + (<usize>r << 4);
  v128.store(ap, first ? sum : f32x4.add(v128.load(ap), sum));
}

/**
 * GEMV. `scratch` = 0: every row swizzles its own activations (few rows). Otherwise scratch holds the
 * table of one block (blockSpans · tableSpanBytes ≤ 18 KiB, rounded to TABLE_BYTES) and then
 * padRows(out) · 16 bytes of per-row partial sums.
 */
// @ts-ignore: decorator
@inline function gemv(n: i32, m: i32, val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, relu: bool): void {
  ensureTables(n, m);
  const sc = spanCols(n, m);
  const B = blockSpans(n, m);
  const spans = ((k + m - 1) / m * n + 3) >> 2;
  const fullSpans = k / sc; // spans whose columns are all < k
  if (ASC_FEATURE_SIMD && scratch != 0) {
    const acc = scratch + TABLE_BYTES;
    for (let s0 = 0; s0 < fullSpans; s0 += B) {
      const s1 = min(s0 + B, fullSpans);
      const cnt = min(B, spans - s0);
      buildActTable(n, m, x, scratch, s0, s1);
      const vb = val + (<usize>padRows(out) * <usize>s0 << 4);
      const cb = meta + <usize>padRows(out) * <usize>s0;
      const hq = padRows(out) >> 2; // half of the row pairs
      for (let q = 0; q < hq; q++) pairsTable(n, m, vb, cb, scratch, acc, q, hq, cnt, s1 - s0, s0 == 0);
    }
    for (let r = 0; r < out; r++) {
      let sum: f32 = fullSpans > 0 ? hsum(v128.load(acc + (<usize>r << 4))) : 0;
      for (let s = fullSpans; s < spans; s++) sum += spanAt(n, m, val, meta, x, r, s, out, spans, k);
      finish(bias, y, r, sum, relu);
    }
    return;
  }
  const masks = masksTable(n, m);
  const maskStride = (m / n) << 4;
  for (let r = 0; r < out; r++) {
    let sum: f32 = 0;
    let s = 0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f32x4.splat(0);
      for (; s < fullSpans; s++) {
        const o = spanOffset(n, m, r, s, out, spans);
        const mk = masks + <usize>load<u8>(meta + (o >> 4)) * maskStride;
        a0 = f32x4_madd(v128.load(val + o), gatherSpan(n, m, x + (<usize>(s * sc) << 2), mk), a0);
      }
      sum = hsum(a0);
    }
    for (; s < spans; s++) sum += spanAt(n, m, val, meta, x, r, s, out, spans, k);
    finish(bias, y, r, sum, relu);
  }
}

/** y[r] = act(sum + bias[r]). */
// @ts-ignore: decorator
@inline function finish(bias: usize, y: usize, r: i32, sum: f32, relu: bool): void {
  sum += load<f32>(bias + (<usize>r << 2));
  store<f32>(y + (<usize>r << 2), relu ? max<f32>(sum, 0) : sum);
}

/** Scratch bytes reserved for one block of the GEMV table (≥ blockSpans · tableSpanBytes of every pattern). */
const TABLE_BYTES: usize = 18 << 10;

/** Batch lanes per GEMM strip (6 vectors). V8 (TurboFan) issues every load of a basic block before its
 *  madds, so one kept weight costs `vectors` accumulators + `vectors` x loads + 1 splat registers: 6 + 6 + 1
 *  fits the 15 allocatable xmm registers, while 8 vectors spilled an accumulator to the stack and put a
 *  store-reload on its dependency chain (≈3× slower per weight). Six chains still cover most of the madd
 *  latency. The op's scratch is sized for 32 lanes (≥ 4 · STRIP_VECTORS). */
const STRIP_VECTORS: i32 = 6;

/** xs[c][0..width) = x[b0 + lane][c] for c < k and lanes < valid; zero elsewhere up to kPad columns. */
// @ts-ignore: decorator
@inline function packStrip(width: i32, x: usize, xs: usize, k: i32, kPad: i32, b0: i32, valid: i32): void {
  const ldx = <usize>k << 2;
  for (let lane = 0; lane < width; lane++) {
    const dst = xs + (<usize>lane << 2);
    if (lane < valid) {
      const src = x + <usize>(b0 + lane) * ldx;
      for (let c = 0; c < k; c++) store<f32>(dst + (<usize>(c * width) << 2), load<f32>(src + (<usize>c << 2)));
      for (let c = k; c < kPad; c++) store<f32>(dst + (<usize>(c * width) << 2), 0);
    } else {
      for (let c = 0; c < kPad; c++) store<f32>(dst + (<usize>(c * width) << 2), 0);
    }
  }
}

/** Scatters the first `lanes` (≤ 4) lanes of v down a column of y (row stride ld). */
// @ts-ignore: decorator
@inline function storeLanes(dst: usize, ld: usize, v: v128, lanes: i32): void {
  store<f32>(dst, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(dst + ld, f32x4.extract_lane(v, 1));
  if (lanes > 2) store<f32>(dst + 2 * ld, f32x4.extract_lane(v, 2));
  if (lanes > 3) store<f32>(dst + 3 * ld, f32x4.extract_lane(v, 3));
}

/** Accumulator vector i of a strip: the saved partial sum, or the bias splat on the first block. */
// @ts-ignore: decorator
@inline function loadAcc(first: bool, bias: usize, r: i32, p: usize, i: i32): v128 {
  return first ? v128.load32_splat(bias + (<usize>r << 2)) : v128.load(p + (<usize>i << 4));
}

/** Final block: activate accumulator vector i and scatter its valid lanes into y[b0 + 4i + lane][r]. */
// @ts-ignore: decorator
@inline function storeAcc(dst: usize, ldy: usize, v: v128, i: i32, valid: i32, relu: bool): void {
  const lanes = valid - (i << 2);
  if (lanes > 0) storeLanes(dst + <usize>(i << 2) * ldy, ldy, f32x4_activate(v, relu), lanes);
}

/**
 * One batch strip (`vectors` · 4 lanes, vectors ≤ STRIP_VECTORS a compile-time constant) of the GEMM over
 * all rows, block by block. Each kept weight is one inner iteration: a splat, then one madd per strip
 * vector into independent accumulators.
 */
// @ts-ignore: decorator
@inline function gemmStrip(vectors: i32, n: i32, m: i32, val: usize, meta: usize, bias: usize, x: usize, y: usize, xs: usize, ys: usize, out: i32, k: i32, batch: i32, b0: i32, relu: bool): void {
  const width = vectors << 2;
  const sc = spanCols(n, m);
  const B = blockSpans(n, m);
  const spans = ((k + m - 1) / m * n + 3) >> 2;
  const valid = min(width, batch - b0);
  packStrip(width, x, xs, k, spans * sc, b0, valid);
  const cols = colsTable(n, m);
  const rowBytes = <usize>width << 2; // one strip row (column of x)
  const ldy = <usize>out << 2;
  const blocks = max(1, (spans + B - 1) / B); // in = 0 still writes the bias
  for (let blk = 0; blk < blocks; blk++) {
    const s0 = blk * B;
    const cnt = min(B, spans - s0);
    const first = blk == 0;
    const vb = val + (<usize>padRows(out) * <usize>s0 << 4);
    const cb = meta + <usize>padRows(out) * <usize>s0;
    const xb = xs + <usize>(s0 * sc) * rowBytes;
    for (let r = 0; r < out; r++) {
      const pair = (<usize>(r >> 1) * <usize>cnt << 1) + <usize>(r & 1); // span s0 of row r in the block
      const yp = ys + <usize>r * rowBytes;
      let e0 = loadAcc(first, bias, r, yp, 0), e1 = e0, e2 = e0, e3 = e0, e4 = e0, e5 = e0;
      if (!first) {
        if (vectors > 1) e1 = v128.load(yp, 16);
        if (vectors > 2) e2 = v128.load(yp, 32);
        if (vectors > 3) e3 = v128.load(yp, 48);
        if (vectors > 4) e4 = v128.load(yp, 64);
        if (vectors > 5) e5 = v128.load(yp, 80);
      }
      // Span by span: values 32 bytes apart (pairs interleave), codes 2 bytes apart.
      let vi = vb + (pair << 4);
      let cp = cb + pair;
      let base = xb;
      const spanStride = <usize>sc * rowBytes;
      const vEnd = vi + (<usize>cnt << 5);
      for (; vi < vEnd; vi += 32, cp += 2, base += spanStride) {
        const offs = cols + (<usize>load<u8>(cp) << 2);
        // One kept weight per iteration (V8 unrolls this loop but keeps its iterations apart).
        for (let j: usize = 0; j < 4; j++) {
          const xp = base + <usize>load<u8>(offs + j) * rowBytes;
          const w = v128.load32_splat(vi + (j << 2));
          e0 = f32x4_madd(w, v128.load(xp), e0);
          if (vectors > 1) e1 = f32x4_madd(w, v128.load(xp, 16), e1);
          if (vectors > 2) e2 = f32x4_madd(w, v128.load(xp, 32), e2);
          if (vectors > 3) e3 = f32x4_madd(w, v128.load(xp, 48), e3);
          if (vectors > 4) e4 = f32x4_madd(w, v128.load(xp, 64), e4);
          if (vectors > 5) e5 = f32x4_madd(w, v128.load(xp, 80), e5);
        }
      }
      if (blk < blocks - 1) {
        v128.store(yp, e0);
        if (vectors > 1) v128.store(yp, e1, 16);
        if (vectors > 2) v128.store(yp, e2, 32);
        if (vectors > 3) v128.store(yp, e3, 48);
        if (vectors > 4) v128.store(yp, e4, 64);
        if (vectors > 5) v128.store(yp, e5, 80);
        continue;
      }
      const dst = y + <usize>b0 * ldy + (<usize>r << 2);
      storeAcc(dst, ldy, e0, 0, valid, relu);
      if (vectors > 1) storeAcc(dst, ldy, e1, 1, valid, relu);
      if (vectors > 2) storeAcc(dst, ldy, e2, 2, valid, relu);
      if (vectors > 3) storeAcc(dst, ldy, e3, 3, valid, relu);
      if (vectors > 4) storeAcc(dst, ldy, e4, 4, valid, relu);
      if (vectors > 5) storeAcc(dst, ldy, e5, 5, valid, relu);
    }
  }
}

/** GEMM. SIMD builds: scratch = the x strip (spans · spanCols · 32 floats), then out · 32 partial sums.
 *  Full strips of STRIP_VECTORS vectors; the rest of the batch in one strip as narrow as it allows. */
// @ts-ignore: decorator
@inline function gemm(n: i32, m: i32, val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: bool): void {
  if (ASC_FEATURE_SIMD) {
    ensureTables(n, m);
    const spans = ((k + m - 1) / m * n + 3) >> 2;
    const ys = scratch + (<usize>(spans * spanCols(n, m)) << 7);
    const full = STRIP_VECTORS << 2;
    let b0 = 0;
    for (; b0 + full <= batch; b0 += full) gemmStrip(STRIP_VECTORS, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    const rest = (batch - b0 + 3) >> 2; // vectors left
    if (rest == 1) gemmStrip(1, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    else if (rest == 2) gemmStrip(2, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    else if (rest == 3) gemmStrip(3, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    else if (rest == 4) gemmStrip(4, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    else if (rest == 5) gemmStrip(5, n, m, val, meta, bias, x, y, scratch, ys, out, k, batch, b0, relu);
    return;
  }
  const ldx = <usize>k << 2, ldy = <usize>out << 2;
  for (let b = 0; b < batch; b++) gemv(n, m, val, meta, bias, x + <usize>b * ldx, y + <usize>b * ldy, 0, out, k, relu);
}

export function f32_gemv_nm12(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, relu: i32): void {
  gemv(1, 2, val, meta, bias, x, y, scratch, out, k, relu != 0);
}
export function f32_gemv_nm24(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, relu: i32): void {
  gemv(2, 4, val, meta, bias, x, y, scratch, out, k, relu != 0);
}
export function f32_gemv_nm14(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, relu: i32): void {
  gemv(1, 4, val, meta, bias, x, y, scratch, out, k, relu != 0);
}
export function f32_gemv_nm48(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, relu: i32): void {
  gemv(4, 8, val, meta, bias, x, y, scratch, out, k, relu != 0);
}

export function f32_gemm_nm12(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(1, 2, val, meta, bias, x, y, scratch, out, k, batch, relu != 0);
}
export function f32_gemm_nm24(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(2, 4, val, meta, bias, x, y, scratch, out, k, batch, relu != 0);
}
export function f32_gemm_nm14(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(1, 4, val, meta, bias, x, y, scratch, out, k, batch, relu != 0);
}
export function f32_gemm_nm48(val: usize, meta: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, batch: i32, relu: i32): void {
  gemm(4, 8, val, meta, bias, x, y, scratch, out, k, batch, relu != 0);
}
