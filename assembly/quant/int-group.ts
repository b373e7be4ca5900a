// Group-wise integer weights (src/formats/groupwise-int.ts): b-bit codes packed in 32-element chunks
// of 4·b bytes (plane layout: src/formats/int-planes.ts), one scale per (row, group), an optional u8
// zero point per (row, group) (0 pointer: z = 2^(b−1)) or an optional 2^b-entry f32 codebook.
// Scales are f32, or binary16 bit patterns when `f16` is set (widened exactly in registers).
//
// Weight value (bit-exact in every build): f32(s · f32(q − z)), or f32(s · codebook[q]).
//
// "Fast" grids are those without a codebook whose groups start on chunk boundaries (one group per
// row, or groupSize a multiple of 32): their chunks decode with whole-vector shifts and masks into
// two u8x16 vectors (elements 0…15 and 16…31). The GEMV widens them to i32 lanes by byte swizzles;
// dequantization (row-major and GEMM panels) interleaves 16-bit codes with 0x4B00 halves, the f32
// 2^23 + q, and subtracts 2^23 + z (exact), so no convert is needed. All other grids (codebook, any
// other groupSize, and everything in the scalar build) take an element-wise path with the same value
// formula.
//
// GEMV order (fast grids, SIMD builds): per row and group, Σ q·x is accumulated in f32x4 lanes (per
// chunk two 4-product chains, added; the chunks of a group added in order) into acc_g, and
//   y = (Σlanes(Σ_g s_g · acc_g) − Σ_g s_g·(z_g · X_g)) + bias,   X_g = Σ_{k∈g} x_k (in index order),
// with Σlanes(v) = (v0 + v2) + (v1 + v3) and both Σ_g running in g order. Rows run four at a time
// against the same x chunks. Element-wise path: each row is dequantized into scratch (exactly as above) and dotted with x in 4 lanes.
// GEMM: a block of 8-row panels (≈ 512 KiB, as the dense GEMM blocks) is dequantized (exactly) into
// k-interleaved panels in scratch and swept by the dense 4×8 micro-kernel, strip by strip of the batch,
// so batched results equal the dense GEMM over the dequantized weights bit for bit.

import { f32x4_madd } from "../simd";
import { tileSimd, tileScalar } from "../dense/gemm";

/** 2^112: multiplying the binary16 bits shifted into a binary32 by it rebiases the exponent exactly. */
const HALF_REBIAS: u32 = 0x77800000;

// @ts-ignore: decorator
@inline export function chunkBytes(bits: i32): usize {
  return <usize>(bits << 2);
}

// @ts-ignore: decorator
@inline export function chunks(k: i32): i32 {
  return (k + 31) >> 5;
}

/** Scale of cell i as f32 (binary16 → binary32 is exact, subnormals included). */
// @ts-ignore: decorator
@inline export function scaleAt(scales: usize, i: usize, f16: bool): f32 {
  if (f16) {
    const h = <u32>load<u16>(scales + (i << 1));
    return reinterpret<f32>(((h & 0x8000) << 16) | ((h & 0x7fff) << 13)) * reinterpret<f32>(HALF_REBIAS);
  }
  return load<f32>(scales + (i << 2));
}

// @ts-ignore: decorator
@inline export function zeroAt(zeros: usize, i: usize, mid: i32): i32 {
  return zeros == 0 ? mid : <i32>load<u8>(zeros + i);
}

/** Code of element kk of a packed row (any bits). */
// @ts-ignore: decorator
@inline export function codeAt(row: usize, kk: i32, bits: i32): i32 {
  const chunk = row + <usize>(kk >> 5) * chunkBytes(bits);
  const e = kk & 31;
  if (bits == 8) return <i32>load<u8>(chunk + e);
  let code = 0, shift = 0;
  let off: usize = 0;
  for (let w = 4; w > 0; w >>= 1) {
    if (bits & w) {
      const span = w << 2;
      const byte = <i32>load<u8>(chunk + off + <usize>(e & (span - 1)));
      code |= ((byte >> (w * (e / span))) & ((1 << w) - 1)) << shift;
      shift += w;
      off += <usize>span;
    }
  }
  return code;
}

// ---- SIMD chunk decoding (bits is a compile-time constant after inlining for 4 and 8) ----------

/** Codes of elements 0…15 (lo) or 16…31 (hi) of a chunk, one per byte. */
// @ts-ignore: decorator
@inline export function chunkCodes(bits: i32, c: usize, hi: bool): v128 {
  if (bits == 8) return hi ? v128.load(c, 16) : v128.load(c);
  let v = i8x16.splat(0);
  let shift = 0;
  let off: usize = 0;
  if (bits & 4) {
    const p = v128.load(c);
    v = hi ? i8x16.shr_u(p, 4) : v128.and(p, i8x16.splat(0x0f));
    shift = 4;
    off = 16;
  }
  if (bits & 2) {
    const p = v128.load64_zero(c + off);
    const a = hi ? i8x16.shr_u(p, 4) : p;
    const b = i8x16.shr_u(p, hi ? 6 : 2);
    const two = v128.and(i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), i8x16.splat(3));
    v = v128.or(v, i8x16.shl(two, shift));
    shift += 2;
    off += 8;
  }
  if (bits & 1) {
    const p = v128.load32_splat(c + off);
    const mask = hi ? i8x16(16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64, -128, -128, -128, -128) : i8x16(1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8);
    v = v128.or(v, i8x16.shl(i8x16.min_u(v128.and(p, mask), i8x16.splat(1)), shift));
  }
  return v;
}

/** Bytes 4i…4i+3 of v zero-extended to i32 lanes (i constant). -128 lanes of the mask select 0. */
// @ts-ignore: decorator
@inline function lanes(v: v128, i: i32): v128 {
  let m: v128;
  if (i == 0) m = i8x16(0, -128, -128, -128, 1, -128, -128, -128, 2, -128, -128, -128, 3, -128, -128, -128);
  else if (i == 1) m = i8x16(4, -128, -128, -128, 5, -128, -128, -128, 6, -128, -128, -128, 7, -128, -128, -128);
  else if (i == 2) m = i8x16(8, -128, -128, -128, 9, -128, -128, -128, 10, -128, -128, -128, 11, -128, -128, -128);
  else m = i8x16(12, -128, -128, -128, 13, -128, -128, -128, 14, -128, -128, -128, 15, -128, -128, -128);
  if (ASC_FEATURE_RELAXED_SIMD) return i8x16.relaxed_swizzle(v, m); // indices < 16 or ≥ 128: deterministic
  return i8x16.swizzle(v, m);
}

// @ts-ignore: decorator
@inline function lanesF32(v: v128, i: i32): v128 {
  return f32x4.convert_i32x4_s(lanes(v, i));
}

/** Σ codes·x over one chunk as 4 lanes: two chains of four products, then added. */
// @ts-ignore: decorator
@inline function chunkDot(bits: i32, c: usize, xp: usize): v128 {
  const lo = chunkCodes(bits, c, false);
  const hi = chunkCodes(bits, c, true);
  let u = f32x4.mul(lanesF32(lo, 0), v128.load(xp));
  let v = f32x4.mul(lanesF32(lo, 1), v128.load(xp, 16));
  u = f32x4_madd(lanesF32(lo, 2), v128.load(xp, 32), u);
  v = f32x4_madd(lanesF32(lo, 3), v128.load(xp, 48), v);
  u = f32x4_madd(lanesF32(hi, 0), v128.load(xp, 64), u);
  v = f32x4_madd(lanesF32(hi, 1), v128.load(xp, 80), v);
  u = f32x4_madd(lanesF32(hi, 2), v128.load(xp, 96), u);
  v = f32x4_madd(lanesF32(hi, 3), v128.load(xp, 112), v);
  return f32x4.add(u, v);
}

/** f32 bits 0x4B000000 | q (q < 2^23) are exactly 2^23 + q: codes become floats without a convert. */
const MAGIC: i32 = 0x4b000000;

/** (2^23 + z) as f32 lanes: subtracting it from (2^23 + q) gives q − z exactly (|q − z| < 2^23). */
// @ts-ignore: decorator
@inline function magicZero(z: v128): v128 {
  return v128.or(z, i32x4.splat(MAGIC));
}

/** Where the four 4-weight vectors of 16 codes go (all compile-time after inlining). */
const ROW_MAJOR: i32 = 0; // vector i at d + 16·i (4 consecutive k of one row)
const PANEL_LANE: i32 = 1; // vector i to k 4i…4i+3 of one panel lane (stride 32 bytes per k)
const PANEL_QUAD: i32 = 2; // vector i at d + 32·i (one k of four rows: a half panel row)

/**
 * The 8 codes (16-bit lanes) of w as exact weights f32(s · f32(q − z)), with zm = magicZero(z): each
 * code is interleaved with a 0x4B00 upper half (the f32 2^23 + q), then (2^23 + q) − (2^23 + z) = q − z
 * exactly and one multiply by s: the same rounding as converting q − z. Vectors go to d + offset(0, 1).
 */
// @ts-ignore: decorator
@inline function storeWeights8(layout: i32, w: v128, d: usize, zm: v128, s: v128): void {
  const m = i16x8.splat(<i16>(MAGIC >> 16));
  storeWeights4(layout, d, 0, f32x4.mul(f32x4.sub(i16x8.shuffle(w, m, 0, 8, 1, 9, 2, 10, 3, 11), zm), s));
  storeWeights4(layout, d, 1, f32x4.mul(f32x4.sub(i16x8.shuffle(w, m, 4, 12, 5, 13, 6, 14, 7, 15), zm), s));
}

/** The 16 codes (bytes) of v, as storeWeights8 (vectors 0…3). */
// @ts-ignore: decorator
@inline function storeWeights16(layout: i32, v: v128, d: usize, zm: v128, s: v128): void {
  storeWeights8(layout, i16x8.extend_low_i8x16_u(v), d, zm, s);
  storeWeights8(layout, i16x8.extend_high_i8x16_u(v), d + vectorOffset(layout, 2), zm, s);
}

/** Byte offset of 4-weight vector i in a layout. */
// @ts-ignore: decorator
@inline function vectorOffset(layout: i32, i: i32): usize {
  return <usize>i << (layout == ROW_MAJOR ? 4 : layout == PANEL_QUAD ? 5 : 7);
}

// @ts-ignore: decorator
@inline function storeWeights4(layout: i32, d: usize, i: i32, w: v128): void {
  if (layout == PANEL_LANE) storePanel4(d + vectorOffset(layout, i), w);
  else v128.store(d + vectorOffset(layout, i), w);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// ---- dequantization ---------------------------------------------------------------------------

/**
 * One row of weights, element-wise (any grid): element kk goes to dst + kk·stride (bytes).
 * `cell0` is the row's first (row, group) cell.
 */
function dequantRowScalar(row: usize, scales: usize, zeros: usize, book: usize, cell0: usize, dst: usize, stride: usize, k0: i32, k: i32, groupSize: i32, bits: i32, f16: bool): void {
  const mid = 1 << (bits - 1);
  let g = -1;
  let s: f32 = 0;
  let z = 0;
  for (let kk = k0; kk < k; kk++) {
    const gk = kk / groupSize;
    if (gk != g) {
      g = gk;
      s = scaleAt(scales, cell0 + <usize>g, f16);
      z = zeroAt(zeros, cell0 + <usize>g, mid);
    }
    const q = codeAt(row, kk, bits);
    const w = book != 0 ? s * load<f32>(book + (<usize>q << 2)) : s * <f32>(q - z);
    store<f32>(dst + <usize>kk * stride, w);
  }
}

/**
 * One row of a fast grid, whole chunks [0, chunkEnd): row-major (dst + 4·kk) or into an 8-row panel
 * (dst + 32·kk, dst already offset to the row's lane).
 */
// @ts-ignore: decorator
@inline function dequantRowFast(bits: i32, row: usize, scales: usize, zeros: usize, cell0: usize, dst: usize, chunkEnd: i32, perGroup: i32, f16: bool, panel: bool): void {
  const mid = 1 << (bits - 1);
  // One flat loop over chunks (groups often are one chunk: a nested loop costs more than its body).
  const symmetric = magicZero(i32x4.splat(mid));
  let s = f32x4.splat(0), zm = symmetric;
  let cell = cell0;
  let groupEnd = 0;
  for (let c = 0; c < chunkEnd; c++) {
    if (c == groupEnd) {
      s = f32x4.splat(scaleAt(scales, cell, f16));
      if (zeros != 0) zm = magicZero(i32x4.splat(<i32>load<u8>(zeros + cell)));
      cell++;
      groupEnd += perGroup;
    }
    const src = row + <usize>c * chunkBytes(bits);
    if (bits == 4 && !panel) {
      // Nibbles split after widening to 16 bits: byte j holds elements j (low) and j + 16 (high).
      const p = v128.load(src);
      const a = i16x8.extend_low_i8x16_u(p), b = i16x8.extend_high_i8x16_u(p);
      const nibble = i16x8.splat(0x0f);
      const d = dst + (<usize>c << 7);
      storeWeights8(ROW_MAJOR, v128.and(a, nibble), d, zm, s);
      storeWeights8(ROW_MAJOR, v128.and(b, nibble), d + 32, zm, s);
      storeWeights8(ROW_MAJOR, i16x8.shr_u(a, 4), d + 64, zm, s);
      storeWeights8(ROW_MAJOR, i16x8.shr_u(b, 4), d + 96, zm, s);
      continue;
    }
    const lo = chunkCodes(bits, src, false);
    const hi = chunkCodes(bits, src, true);
    if (panel) {
      const d = dst + (<usize>c << 10); // 32 elements × 32 bytes
      storeWeights16(PANEL_LANE, lo, d, zm, s);
      storeWeights16(PANEL_LANE, hi, d + 512, zm, s);
    } else {
      const d = dst + (<usize>c << 7);
      storeWeights16(ROW_MAJOR, lo, d, zm, s);
      storeWeights16(ROW_MAJOR, hi, d + 64, zm, s);
    }
  }
}

/** The 4 lanes of v to 4 consecutive k of one panel row (k stride 32 bytes). */
// @ts-ignore: decorator
@inline function storePanel4(d: usize, v: v128): void {
  v128.store_lane<f32>(d, v, 0);
  v128.store_lane<f32>(d, v, 1, 32);
  v128.store_lane<f32>(d, v, 2, 64);
  v128.store_lane<f32>(d, v, 3, 96);
}

/** Chunks per group of a fast grid, or 0 when the grid needs the element-wise path. */
// @ts-ignore: decorator
@inline export function fastChunksPerGroup(book: usize, k: i32, groupSize: i32): i32 {
  if (!ASC_FEATURE_SIMD || book != 0) return 0;
  if (groupSize >= k) return max(chunks(k), 1);
  return (groupSize & 31) == 0 ? groupSize >> 5 : 0;
}

// One non-inlined body per code width (row-major 4, 8; anything else and panel lanes): in one function
// Binaryen folds the constant-width copies back into a single body that tests `bits` per chunk at run
// time, so each gets its own function.
function rowFast4(row: usize, scales: usize, zeros: usize, cell0: usize, dst: usize, end: i32, per: i32, f16: bool): void {
  dequantRowFast(4, row, scales, zeros, cell0, dst, end, per, f16, false);
}
function rowFast8(row: usize, scales: usize, zeros: usize, cell0: usize, dst: usize, end: i32, per: i32, f16: bool): void {
  dequantRowFast(8, row, scales, zeros, cell0, dst, end, per, f16, false);
}
function rowFastAny(bits: i32, row: usize, scales: usize, zeros: usize, cell0: usize, dst: usize, end: i32, per: i32, f16: bool, panel: bool): void {
  dequantRowFast(bits, row, scales, zeros, cell0, dst, end, per, f16, panel);
}

/**
 * Row `r` dequantized: row-major (stride 4) when `panel` is false, else into panel lanes (stride 32).
 * Row-major fast rows stop at the last whole chunk inside k and finish element-wise, so nothing is
 * written past dst + 4·k; panel rows may write up to the padded chunk end.
 */
// @ts-ignore: decorator
@inline function dequantRow(codes: usize, scales: usize, zeros: usize, book: usize, r: i32, dst: usize, k: i32, groupSize: i32, bits: i32, f16: bool, panel: bool): void {
  const groups = (k + groupSize - 1) / groupSize;
  const row = codes + <usize>r * <usize>chunks(k) * chunkBytes(bits);
  const cell0 = <usize>r * <usize>groups;
  const per = fastChunksPerGroup(book, k, groupSize);
  let done = 0;
  if (ASC_FEATURE_SIMD) {
    if (per > 0) {
      const end = panel ? chunks(k) : k >> 5;
      if (panel) rowFastAny(bits, row, scales, zeros, cell0, dst, end, per, f16, true);
      else if (bits == 4) rowFast4(row, scales, zeros, cell0, dst, end, per, f16);
      else if (bits == 8) rowFast8(row, scales, zeros, cell0, dst, end, per, f16);
      else rowFastAny(bits, row, scales, zeros, cell0, dst, end, per, f16, false);
      done = end << 5;
    }
  }
  if (done < k) dequantRowScalar(row, scales, zeros, book, cell0, dst, panel ? 32 : 4, done, k, groupSize, bits, f16);
}

/**
 * dst[rows, k] (row-major f32) = the weights, bit-exact in every build.
 * `zeros` = 0: symmetric (z = 2^(bits−1)); `book` ≠ 0: w = s·book[q]; `f16` ≠ 0: binary16 scales.
 */
export function int_dequant_group(codes: usize, scales: usize, zeros: usize, book: usize, dst: usize, rows: i32, k: i32, groupSize: i32, bits: i32, f16: i32): void {
  for (let r = 0; r < rows; r++) dequantRow(codes, scales, zeros, book, r, dst + (<usize>r * <usize>k << 2), k, groupSize, bits, f16 != 0, false);
}

/** dst[r, j] = x[r, order[j]] for rows × k (act-order: activations into the stored column order). */
export function int_permute_columns(x: usize, order: usize, dst: usize, rows: i32, k: i32): void {
  for (let r = 0; r < rows; r++) {
    const src = x + (<usize>r * <usize>k << 2);
    const d = dst + (<usize>r * <usize>k << 2);
    for (let j = 0; j < k; j++) store<f32>(d + (<usize>j << 2), load<f32>(src + (<usize>load<i32>(order + (<usize>j << 2)) << 2)));
  }
}

// ---- GEMV -------------------------------------------------------------------------------------

/**
 * y[out] = act(W·x + bias). scratch: 4·(2·kp + groups) bytes, kp = k rounded up to 32 (x padded to
 * whole chunks and group sums, or one dequantized row). Other arguments as
 * int_dequant_group; bias holds `out` floats.
 */
export function f32_gemv_int_group(codes: usize, scales: usize, zeros: usize, book: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, groupSize: i32, bits: i32, f16: i32, relu: i32): void {
  const act = relu != 0;
  const half = f16 != 0;
  const per = fastChunksPerGroup(book, k, groupSize);
  if (ASC_FEATURE_SIMD) if (per > 0) {
    if (bits == 4) gemvFast(4, codes, scales, zeros, bias, x, y, scratch, out, k, groupSize, per, half, act);
    else if (bits == 8) gemvFast(8, codes, scales, zeros, bias, x, y, scratch, out, k, groupSize, per, half, act);
    else gemvFast(bits, codes, scales, zeros, bias, x, y, scratch, out, k, groupSize, per, half, act);
    return;
  }
  // Element-wise path: dequantize each row into scratch, then a 4-lane dot (sequential in the scalar build).
  for (let r = 0; r < out; r++) {
    dequantRow(codes, scales, zeros, book, r, scratch, k, groupSize, bits, half, false);
    let s: f32 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let acc = f32x4.splat(0);
      for (; i + 4 <= k; i += 4) acc = f32x4_madd(v128.load(scratch + (<usize>i << 2)), v128.load(x + (<usize>i << 2)), acc);
      s = hsum(acc);
    }
    for (; i < k; i++) s += load<f32>(scratch + (<usize>i << 2)) * load<f32>(x + (<usize>i << 2));
    s += load<f32>(bias + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), act ? max<f32>(s, 0) : s);
  }
}

// @ts-ignore: decorator
@inline function gemvFast(bits: i32, codes: usize, scales: usize, zeros: usize, bias: usize, x: usize, y: usize, scratch: usize, out: i32, k: i32, groupSize: i32, per: i32, f16: bool, relu: bool): void {
  const nch = chunks(k);
  const groups = (k + groupSize - 1) / groupSize;
  const xpad = scratch;
  const xsum = scratch + (<usize>nch << 7);
  // x padded with zeros to whole chunks, and Σx per group in index order.
  for (let g = 0; g < groups; g++) {
    const end = min(k, (g + 1) * groupSize);
    let s: f32 = 0;
    for (let kk = g * groupSize; kk < end; kk++) {
      const v = load<f32>(x + (<usize>kk << 2));
      store<f32>(xpad + (<usize>kk << 2), v);
      s += v;
    }
    store<f32>(xsum + (<usize>g << 2), s);
  }
  for (let kk = k; kk < nch << 5; kk++) store<f32>(xpad + (<usize>kk << 2), 0);
  const rb = <usize>nch * chunkBytes(bits);
  let r = 0;
  for (; r + 4 <= out; r += 4) gemvRows(4, bits, codes, scales, zeros, bias, xpad, xsum, y, r, nch, groups, per, rb, f16, relu);
  const rest = out - r;
  if (rest == 3) gemvRows(3, bits, codes, scales, zeros, bias, xpad, xsum, y, r, nch, groups, per, rb, f16, relu);
  else if (rest == 2) gemvRows(2, bits, codes, scales, zeros, bias, xpad, xsum, y, r, nch, groups, per, rb, f16, relu);
  else if (rest == 1) gemvRows(1, bits, codes, scales, zeros, bias, xpad, xsum, y, r, nch, groups, per, rb, f16, relu);
}

/**
 * Rows r0 … r0+R−1 (R ≤ 4 constant) against the same x chunks. Per group each row's chunk sums are
 * scaled into that row's running vector (the scale splatted, no reduction per group); the zero-point
 * term runs with the four rows in the four lanes of one vector.
 */
// @ts-ignore: decorator
@inline function gemvRows(R: i32, bits: i32, codes: usize, scales: usize, zeros: usize, bias: usize, xpad: usize, xsum: usize, y: usize, r0: i32, nch: i32, groups: i32, per: i32, rb: usize, f16: bool, relu: bool): void {
  const mid = f32x4.splat(<f32>(1 << (bits - 1)));
  const row = codes + <usize>r0 * rb;
  const zero = f32x4.splat(0);
  const gs = <usize>groups;
  let t0 = zero, t1 = zero, t2 = zero, t3 = zero, corr = zero;
  let cell = <usize>r0 * gs;
  for (let g = 0; g < groups; g++, cell++) {
    // Every group starts inside the row (g·groupSize < k), so its first chunk exists.
    let c = g * per;
    let src = row + <usize>c * chunkBytes(bits);
    let xp = xpad + (<usize>c << 7);
    let a0 = chunkDot(bits, src, xp), a1 = zero, a2 = zero, a3 = zero;
    if (R > 1) a1 = chunkDot(bits, src + rb, xp);
    if (R > 2) a2 = chunkDot(bits, src + 2 * rb, xp);
    if (R > 3) a3 = chunkDot(bits, src + 3 * rb, xp);
    const end = min(nch, c + per);
    for (c++; c < end; c++) {
      src += chunkBytes(bits);
      xp += 128;
      a0 = f32x4.add(a0, chunkDot(bits, src, xp));
      if (R > 1) a1 = f32x4.add(a1, chunkDot(bits, src + rb, xp));
      if (R > 2) a2 = f32x4.add(a2, chunkDot(bits, src + 2 * rb, xp));
      if (R > 3) a3 = f32x4.add(a3, chunkDot(bits, src + 3 * rb, xp));
    }
    const s0 = scaleAt(scales, cell, f16);
    let s = f32x4.splat(s0);
    t0 = f32x4_madd(s, a0, t0);
    if (R > 1) {
      const s1 = scaleAt(scales, cell + gs, f16);
      t1 = f32x4_madd(f32x4.splat(s1), a1, t1);
      s = f32x4.replace_lane(s, 1, s1);
    }
    if (R > 2) {
      const s2 = scaleAt(scales, cell + 2 * gs, f16);
      t2 = f32x4_madd(f32x4.splat(s2), a2, t2);
      s = f32x4.replace_lane(s, 2, s2);
    }
    if (R > 3) {
      const s3 = scaleAt(scales, cell + 3 * gs, f16);
      t3 = f32x4_madd(f32x4.splat(s3), a3, t3);
      s = f32x4.replace_lane(s, 3, s3);
    }
    const z = zeros == 0 ? mid : zeros4(R, zeros, cell, gs);
    corr = f32x4_madd(s, f32x4.mul(z, v128.load32_splat(xsum + (<usize>g << 2))), corr);
  }
  const v = f32x4.sub(laneSums(t0, t1, t2, t3), corr);
  finishRow(f32x4.extract_lane(v, 0), bias, y, r0, relu);
  if (R > 1) finishRow(f32x4.extract_lane(v, 1), bias, y, r0 + 1, relu);
  if (R > 2) finishRow(f32x4.extract_lane(v, 2), bias, y, r0 + 2, relu);
  if (R > 3) finishRow(f32x4.extract_lane(v, 3), bias, y, r0 + 3, relu);
}

/** [Σ a0, Σ a1, Σ a2, Σ a3], each lane sum as (l0 + l2) + (l1 + l3). */
// @ts-ignore: decorator
@inline function laneSums(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s01 = f32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const s23 = f32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return f32x4.add(i64x2.shuffle(s01, s23, 0, 2), i64x2.shuffle(s01, s23, 1, 3));
}

/** Zero points of cells cell, cell+stride, … (R lanes) as f32x4. */
// @ts-ignore: decorator
@inline function zeros4(R: i32, zeros: usize, cell: usize, stride: usize): v128 {
  let z = i32x4.splat(0);
  z = v128.load8_lane(zeros + cell, z, 0);
  if (R > 1) z = v128.load8_lane(zeros + cell + stride, z, 4);
  if (R > 2) z = v128.load8_lane(zeros + cell + 2 * stride, z, 8);
  if (R > 3) z = v128.load8_lane(zeros + cell + 3 * stride, z, 12);
  return f32x4.convert_i32x4_s(z);
}

// @ts-ignore: decorator
@inline function finishRow(v: f32, bias: usize, y: usize, r: i32, relu: bool): void {
  v += load<f32>(bias + (<usize>r << 2));
  store<f32>(y + (<usize>r << 2), relu ? max<f32>(v, 0) : v);
}

// ---- GEMM -------------------------------------------------------------------------------------

/** Panel bytes per cache block: the dense GEMM's blocking (a block of panels stays in L2 while every
 *  4-row strip of x sweeps it). */
const GEMM_BLOCK_BYTES: i32 = 512 << 10;

/** Panels dequantized per block (each 32·kp bytes, kp = k rounded up to 32). */
// @ts-ignore: decorator
@inline function gemmBlockPanels(out: i32, k: i32): i32 {
  return min(max((out + 7) >> 3, 1), max(1, GEMM_BLOCK_BYTES / (max(chunks(k), 1) << 10)));
}

/** Scratch bytes f32_gemm_int_group needs for this shape (one block of dequantized panels). */
export function int_gemm_scratch_bytes(out: i32, k: i32): i32 {
  return gemmBlockPanels(out, k) * (max(chunks(k), 1) << 10);
}

/**
 * y[m, out] = act(x[m, k] · Wᵀ + bias). bias holds a multiple of 8 floats (≥ out). scratch:
 * int_gemm_scratch_bytes(out, k). Like the dense GEMM, a block of 8-row panels (≈ 512 KiB) is
 * dequantized (exactly, k-interleaved) and every 4-row strip of x sweeps it with the same 4×8
 * micro-kernel, so batched results equal the dense GEMM over the dequantized weights bit for bit.
 */
export function f32_gemm_int_group(codes: usize, scales: usize, zeros: usize, book: usize, bias: usize, x: usize, y: usize, scratch: usize, m: i32, out: i32, k: i32, groupSize: i32, bits: i32, f16: i32, relu: i32): void {
  const act = relu != 0;
  const half = f16 != 0;
  const ldx = <usize>k << 2;
  const ldy = <usize>out << 2;
  const panelBytes = <usize>chunks(k) << 10;
  const panels = (out + 7) >> 3;
  const block = gemmBlockPanels(out, k);
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(p0 + block, panels);
    for (let p = p0; p < p1; p++) dequantPanel(codes, scales, zeros, book, p << 3, min(8, out - (p << 3)), scratch + <usize>(p - p0) * panelBytes, k, groupSize, bits, half);
    if (ASC_FEATURE_SIMD) {
      let r = 0;
      for (; r + 4 <= m; r += 4) sweepBlock(4, scratch, panelBytes, bias, x + <usize>r * ldx, y + <usize>r * ldy, out, k, p0, p1, act);
      const rest = m - r;
      const xr = x + <usize>r * ldx, yr = y + <usize>r * ldy;
      if (rest == 3) sweepBlock(3, scratch, panelBytes, bias, xr, yr, out, k, p0, p1, act);
      else if (rest == 2) sweepBlock(2, scratch, panelBytes, bias, xr, yr, out, k, p0, p1, act);
      else if (rest == 1) sweepBlock(1, scratch, panelBytes, bias, xr, yr, out, k, p0, p1, act);
    } else {
      for (let r = 0; r < m; r++) {
        for (let p = p0; p < p1; p++) {
          const n0 = p << 3;
          tileScalar(scratch + <usize>(p - p0) * panelBytes, bias + (<usize>n0 << 2), x + <usize>r * ldx, y + <usize>r * ldy + (<usize>n0 << 2), k, min(8, out - n0), act);
        }
      }
    }
  }
}

/** One mr-row strip of x over panels [p0, p1) of the block in scratch. */
// @ts-ignore: decorator
@inline function sweepBlock(mr: i32, scratch: usize, panelBytes: usize, bias: usize, x: usize, y: usize, out: i32, k: i32, p0: i32, p1: i32, relu: bool): void {
  const ldy = <usize>out << 2;
  for (let p = p0; p < p1; p++) {
    const n0 = p << 3;
    tileSimd(mr, scratch + <usize>(p - p0) * panelBytes, bias + (<usize>n0 << 2), x, y + (<usize>n0 << 2), k, ldy, min(8, out - n0), relu);
  }
}

/**
 * Rows n0 … n0+cols−1 (cols ≤ 8) into one k-interleaved panel (row j at dst + 4j + 32·kk), up to the
 * padded chunk end; rows past `cols` are zero. Fast grids take whole 4-row quads with the rows in the
 * vector lanes; any other row goes element-wise (dequantRow).
 */
function dequantPanel(codes: usize, scales: usize, zeros: usize, book: usize, n0: i32, cols: i32, dst: usize, k: i32, groupSize: i32, bits: i32, f16: bool): void {
  const per = fastChunksPerGroup(book, k, groupSize);
  const panelFloats = chunks(k) << 5;
  for (let q = 0; q < 8; q += 4) {
    const quad = dst + (<usize>q << 2);
    if (ASC_FEATURE_SIMD) if (per > 0 && q + 4 <= cols) {
      if (bits == 4) quad4(codes, scales, zeros, n0 + q, quad, k, groupSize, per, f16);
      else if (bits == 8) quad8(codes, scales, zeros, n0 + q, quad, k, groupSize, per, f16);
      else quadAny(bits, codes, scales, zeros, n0 + q, quad, k, groupSize, per, f16);
      continue;
    }
    for (let j = q; j < q + 4; j++) {
      const lane = dst + (<usize>j << 2);
      if (j < cols) dequantRow(codes, scales, zeros, book, n0 + j, lane, k, groupSize, bits, f16, true);
      else for (let kk = 0; kk < panelFloats; kk++) store<f32>(lane + (<usize>kk << 5), 0);
    }
  }
}

// One non-inlined body per code width, as rowFast4/8/Any.
function quad4(codes: usize, scales: usize, zeros: usize, r0: i32, dst: usize, k: i32, groupSize: i32, per: i32, f16: bool): void {
  dequantQuad(4, codes, scales, zeros, r0, dst, k, groupSize, per, f16);
}
function quad8(codes: usize, scales: usize, zeros: usize, r0: i32, dst: usize, k: i32, groupSize: i32, per: i32, f16: bool): void {
  dequantQuad(8, codes, scales, zeros, r0, dst, k, groupSize, per, f16);
}
function quadAny(bits: i32, codes: usize, scales: usize, zeros: usize, r0: i32, dst: usize, k: i32, groupSize: i32, per: i32, f16: bool): void {
  dequantQuad(bits, codes, scales, zeros, r0, dst, k, groupSize, per, f16);
}

/**
 * Four rows r0 … r0+3 of a fast grid into panel lanes (dst + 4j + 32·kk, j = row − r0), whole chunks.
 * The four rows' code bytes are interleaved (byte, then 16-bit unpacks) so that each 4-byte group holds
 * one k of all four rows; each group widens to the four lanes of one f32x4 whose scale and zero point
 * vectors carry the four rows' cells. One whole-vector store per k and quad.
 */
// @ts-ignore: decorator
@inline function dequantQuad(bits: i32, codes: usize, scales: usize, zeros: usize, r0: i32, dst: usize, k: i32, groupSize: i32, per: i32, f16: bool): void {
  const nch = chunks(k);
  const groups = (k + groupSize - 1) / groupSize;
  const gs = <usize>groups;
  const rb = <usize>nch * chunkBytes(bits);
  const row = codes + <usize>r0 * rb;
  const mid = i32x4.splat(1 << (bits - 1));
  let cell = <usize>r0 * gs;
  for (let g = 0; g < groups; g++, cell++) {
    let s = f32x4.splat(scaleAt(scales, cell, f16));
    s = f32x4.replace_lane(s, 1, scaleAt(scales, cell + gs, f16));
    s = f32x4.replace_lane(s, 2, scaleAt(scales, cell + 2 * gs, f16));
    s = f32x4.replace_lane(s, 3, scaleAt(scales, cell + 3 * gs, f16));
    const zm = magicZero(zeros == 0 ? mid : zeroLanes(zeros, cell, gs));
    const end = min(nch, (g + 1) * per);
    for (let c = g * per; c < end; c++) {
      const src = row + <usize>c * chunkBytes(bits);
      const d = dst + (<usize>c << 10);
      quadHalf(chunkCodes(bits, src, false), chunkCodes(bits, src + rb, false), chunkCodes(bits, src + 2 * rb, false), chunkCodes(bits, src + 3 * rb, false), d, zm, s);
      quadHalf(chunkCodes(bits, src, true), chunkCodes(bits, src + rb, true), chunkCodes(bits, src + 2 * rb, true), chunkCodes(bits, src + 3 * rb, true), d + 512, zm, s);
    }
  }
}

/** Zero points of cells cell, cell + stride, cell + 2·stride, cell + 3·stride as i32x4. */
// @ts-ignore: decorator
@inline function zeroLanes(zeros: usize, cell: usize, stride: usize): v128 {
  let z = v128.load8_lane(zeros + cell, i32x4.splat(0), 0);
  z = v128.load8_lane(zeros + cell + stride, z, 4);
  z = v128.load8_lane(zeros + cell + 2 * stride, z, 8);
  return v128.load8_lane(zeros + cell + 3 * stride, z, 12);
}

/** 16 consecutive k of four rows (codes a0…a3, one byte per k) → 16 panel vectors at d + 32·kk. */
// @ts-ignore: decorator
@inline function quadHalf(a0: v128, a1: v128, a2: v128, a3: v128, d: usize, zm: v128, s: v128): void {
  const lo01 = i8x16.shuffle(a0, a1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const hi01 = i8x16.shuffle(a0, a1, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const lo23 = i8x16.shuffle(a2, a3, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const hi23 = i8x16.shuffle(a2, a3, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  storeWeights16(PANEL_QUAD, i16x8.shuffle(lo01, lo23, 0, 8, 1, 9, 2, 10, 3, 11), d, zm, s);
  storeWeights16(PANEL_QUAD, i16x8.shuffle(lo01, lo23, 4, 12, 5, 13, 6, 14, 7, 15), d + 128, zm, s);
  storeWeights16(PANEL_QUAD, i16x8.shuffle(hi01, hi23, 0, 8, 1, 9, 2, 10, 3, 11), d + 256, zm, s);
  storeWeights16(PANEL_QUAD, i16x8.shuffle(hi01, hi23, 4, 12, 5, 13, 6, 14, 7, 15), d + 384, zm, s);
}
