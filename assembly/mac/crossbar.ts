// Crossbar (in-memory-computing) emulation kernels for bs.mac.crossbar (model and choices: src/mac/crossbar-model.ts).
// Both kernels walk physical arrays → columns → samples → input cycles → row groups (the ADC unit: the whole array
// column, or a FORMS fragment), convert each group's column sum with the ADC
//   code = clamp(floor(sum / step + 0.5), 0, adcMax)   (adcMax < 0: ideal, code · step = sum unrounded and unclipped)
// and add code · step · columnWeight · cycleWeight (powers of two with signs, so exact in f64) into out[sample, neuron].
// The accumulation order is the same in every build, so all three builds give identical bits.
//
// Integer path (mac_crossbar_planes): cells as bit-planes, one bit per row, rows in 128-row chunks (v128):
//   cells [array][column][cellBit j][chunk], inputs [sample][cycle][inputBit i][rowTile][chunk];
//   column sum = Σ_i Σ_j 2^(i+j) · popcount(x_i AND w_j). Exact integers in every build.
// Analog path (mac_crossbar_analog): f32 conductances [array][column][rows4] and f32 input slice values
//   [sample][cycle][rowTile][rows4]; each group sum runs in four interleaved lanes (row r → lane r mod 4, rows in
//   increasing order, mul then add, never fused), then (l0 + l1) + (l2 + l3): one order in every build.
//
// layout: i32[17] = arrays, cols, chunks (planes) | rows4 (analog), rowTiles, groups, groupUnits (bytes | rows per
// group), cellBits, inPlanes, cycles, batch, outFeatures, adcMax, rowTileOf ptr (i32[arrays]), colOut ptr
// (i32[arrays·cols], −1 = unused), colWeight ptr (f64[arrays·cols·groups]), cycleWeight ptr (f64[cycles]),
// colSigns ptr (planes path with fragments: i16[arrays·cols·chunks·16], the sign of each 8-row group, 0 past it).
// stats: f64[1] += saturations (conversions clipped at either end of the ADC range).
import { laneSum, widenByteCounts } from '../popcount';

/** Per-byte (8-row) sums of one column chunk run, for the fragment path: at most 1024 rows → 128 entries. */
const BYTE_SUMS = memory.data(128 * 2, 16);

let saturations: i32 = 0;

// @ts-ignore: decorator
@inline function adcCode(sum: f64, step: f64, adcMax: i32): f64 {
  if (adcMax < 0) return sum;
  const q = Math.floor(sum / step + 0.5);
  if (q > <f64>adcMax) {
    saturations++;
    return <f64>adcMax * step;
  }
  if (q < 0) {
    saturations++;
    return 0;
  }
  return q * step;
}

// @ts-ignore: decorator
@inline function field(layout: usize, i: i32): i32 {
  return load<i32>(layout + (<usize>i << 2));
}

/** Σ_i Σ_j 2^(i+j) popcount(x_i & w_j) over every chunk of one column (one group = the whole array column). */
// @ts-ignore: decorator
@inline function columnSum(xp: usize, xPlane: usize, wp: usize, wPlane: usize, chunks: i32, cellBits: i32, inPlanes: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    let acc = i32x4.splat(0);
    for (let k = 0; k < chunks; k++) {
      const o = <usize>k << 4;
      for (let i = 0; i < inPlanes; i++) {
        const xv = v128.load(xp + <usize>i * xPlane + o);
        let bytes = i8x16.splat(0);
        for (let j = 0; j < cellBits; j++) {
          const ones = i8x16.popcnt(v128.and(xv, v128.load(wp + <usize>j * wPlane + o)));
          bytes = i8x16.add(bytes, i8x16.shl(ones, j)); // ≤ 8 · 15 = 120 per byte
        }
        acc = i32x4.add(acc, i32x4.shl(widenByteCounts(bytes), i));
      }
    }
    return laneSum(acc);
  }
  let sum = 0;
  for (let k = 0; k < chunks * 2; k++) {
    const o = <usize>k << 3;
    for (let i = 0; i < inPlanes; i++) {
      const xv = load<u64>(xp + <usize>i * xPlane + o);
      for (let j = 0; j < cellBits; j++) sum += <i32>popcnt<u64>(xv & load<u64>(wp + <usize>j * wPlane + o)) << (i + j);
    }
  }
  return sum;
}

/** Per-byte weighted popcounts of one column into BYTE_SUMS (u16 each, ≤ 8 · 15 · 255). */
// @ts-ignore: decorator
@inline function byteSums(xp: usize, xPlane: usize, wp: usize, wPlane: usize, chunks: i32, cellBits: i32, inPlanes: i32): void {
  if (ASC_FEATURE_SIMD) {
    for (let k = 0; k < chunks; k++) {
      const o = <usize>k << 4;
      let lo = i16x8.splat(0);
      let hi = i16x8.splat(0);
      for (let i = 0; i < inPlanes; i++) {
        const xv = v128.load(xp + <usize>i * xPlane + o);
        let bytes = i8x16.splat(0);
        for (let j = 0; j < cellBits; j++) {
          bytes = i8x16.add(bytes, i8x16.shl(i8x16.popcnt(v128.and(xv, v128.load(wp + <usize>j * wPlane + o))), j));
        }
        lo = i16x8.add(lo, i16x8.shl(i16x8.extend_low_i8x16_u(bytes), i));
        hi = i16x8.add(hi, i16x8.shl(i16x8.extend_high_i8x16_u(bytes), i));
      }
      v128.store(BYTE_SUMS + (o << 1), lo);
      v128.store(BYTE_SUMS + (o << 1) + 16, hi);
    }
    return;
  }
  for (let b = 0; b < chunks * 16; b++) {
    let sum: u32 = 0;
    for (let i = 0; i < inPlanes; i++) {
      const xv = <u32>load<u8>(xp + <usize>i * xPlane + <usize>b);
      for (let j = 0; j < cellBits; j++) sum += popcnt<u32>(xv & <u32>load<u8>(wp + <usize>j * wPlane + <usize>b)) << (i + j);
    }
    store<u16>(BYTE_SUMS + (<usize>b << 1), <u16>sum);
  }
}

/**
 * Σ_g sign_g · ADC(sum_g) over the per-byte sums in BYTE_SUMS (step 1; adcMax < 0 = ideal), counting clipped
 * fragments. signs: i16 per byte of the column (±1, 0 past the matrix).
 */
// @ts-ignore: decorator
@inline function fragmentDot(signs: usize, chunks: i32, adcMax: i32): i32 {
  const top = i16x8.splat(<i16>(adcMax < 0 ? 0xffff : adcMax));
  let acc = i32x4.splat(0);
  for (let v = 0; v < chunks * 2; v++) {
    const o = <usize>v << 4;
    const sums = v128.load(BYTE_SUMS + o);
    saturations += <i32>popcnt<u32>(i16x8.bitmask(i16x8.gt_u(sums, top)));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.min_u(sums, top), v128.load(signs + o)));
  }
  return laneSum(acc);
}

/** One group's Σ x·g in the fixed four-lane order. */
// @ts-ignore: decorator
@inline function groupDot(xp: usize, gp: usize, rows: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let r = 0; r < rows; r += 4) {
      const o = <usize>r << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(xp + o), v128.load(gp + o)));
    }
    return (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  for (let r = 0; r < rows; r += 4) {
    const o = <usize>r << 2;
    a0 = a0 + load<f32>(xp + o) * load<f32>(gp + o);
    a1 = a1 + load<f32>(xp + o + 4) * load<f32>(gp + o + 4);
    a2 = a2 + load<f32>(xp + o + 8) * load<f32>(gp + o + 8);
    a3 = a3 + load<f32>(xp + o + 12) * load<f32>(gp + o + 12);
  }
  return (a0 + a1) + (a2 + a3);
}

/**
 * The walk both paths share: physical arrays → columns → samples → input cycles, adding each cycle's ADC outputs
 * into out[sample, neuron]. T selects the path at compile time: i32 = bit planes (`units` = 128-row chunks),
 * f32 = analog conductances (`units` = rows / 4).
 */
// @ts-ignore: decorator
@inline function crossbarWalk<T>(layout: usize, cells: usize, x: usize, out: usize, stats: usize, step: f64): void {
  const analog = isFloat<T>();
  const arrays = field(layout, 0), cols = field(layout, 1), units = field(layout, 2), rowTiles = field(layout, 3);
  const groups = field(layout, 4), groupUnits = field(layout, 5), cellBits = field(layout, 6), inPlanes = field(layout, 7);
  const cycles = field(layout, 8), batch = field(layout, 9), outF = field(layout, 10), adcMax = field(layout, 11);
  const rowTileOf = <usize>field(layout, 12), colOut = <usize>field(layout, 13);
  const colWeight = <usize>field(layout, 14), cycleWeight = <usize>field(layout, 15), colSigns = <usize>field(layout, 16);
  // One row tile of one input plane (planes) or of one cycle's f32 slice values (analog), in bytes.
  const tile = analog ? <usize>units << 2 : <usize>units << 4;
  const xPlane = <usize>rowTiles * tile;
  const xCycle = analog ? xPlane : <usize>inPlanes * xPlane;
  const column = analog ? tile : <usize>cellBits * tile;
  saturations = 0;
  for (let a = 0; a < arrays; a++) {
    const xTile = x + <usize>load<i32>(rowTileOf + (<usize>a << 2)) * tile;
    for (let c = 0; c < cols; c++) {
      const col = a * cols + c;
      const o = load<i32>(colOut + (<usize>col << 2));
      if (o < 0) continue;
      const wp = cells + <usize>col * column;
      const weights = colWeight + ((<usize>col * <usize>groups) << 3);
      for (let b = 0; b < batch; b++) {
        const y = out + ((<usize>b * <usize>outF + <usize>o) << 3);
        let acc = load<f64>(y);
        for (let t = 0; t < cycles; t++) {
          const xp = xTile + (<usize>b * <usize>cycles + <usize>t) * xCycle;
          const cw = load<f64>(cycleWeight + (<usize>t << 3));
          if (analog) {
            for (let g = 0; g < groups; g++) {
              const off = (<usize>(g * groupUnits)) << 2;
              const sum = <f64>groupDot(xp + off, wp + off, groupUnits);
              if (sum == 0) continue;
              acc += adcCode(sum, step, adcMax) * (load<f64>(weights + (<usize>g << 3)) * cw);
            }
            continue;
          }
          if (groups == 1) {
            acc += adcCode(<f64>columnSum(xp, xPlane, wp, tile, units, cellBits, inPlanes), step, adcMax) * (load<f64>(weights) * cw);
            continue;
          }
          byteSums(xp, xPlane, wp, tile, units, cellBits, inPlanes);
          if (ASC_FEATURE_SIMD && groupUnits == 1 && step == 1) {
            // 8-row fragments at step 1: one u16 lane per fragment, ADC as a lane-wise min, signs by a dot product.
            acc += <f64>fragmentDot(colSigns + <usize>col * (tile << 1), units, adcMax) * (abs(load<f64>(weights)) * cw);
            continue;
          }
          for (let g = 0; g < groups; g++) {
            let sum = 0;
            const first = g * groupUnits;
            for (let i = 0; i < groupUnits; i++) sum += <i32>load<u16>(BYTE_SUMS + (<usize>(first + i) << 1));
            if (sum == 0) continue; // zero-skipped fragment (or a zero sum): code 0 either way
            acc += adcCode(<f64>sum, step, adcMax) * (load<f64>(weights + (<usize>g << 3)) * cw);
          }
        }
        store<f64>(y, acc);
      }
    }
  }
  store<f64>(stats, load<f64>(stats) + <f64>saturations);
}

export function mac_crossbar_planes(layout: usize, cells: usize, x: usize, out: usize, stats: usize, step: f64): void {
  crossbarWalk<i32>(layout, cells, x, out, stats, step);
}

export function mac_crossbar_analog(layout: usize, cond: usize, x: usize, out: usize, stats: usize, step: f64): void {
  crossbarWalk<f32>(layout, cond, x, out, stats, step);
}
