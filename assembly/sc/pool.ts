// Hardware-oriented approximate max pooling (sc_encoded_mac.md §3.3, §A.9): the cycles are cut into segments
// of `segment` cycles; per segment the output copies one input, chosen as the input with the most ones in the
// previous segment (causal, realizable: segment 0 copies input `initial`) or in the same segment (non-causal,
// SCSimulation's MaxApprox style). Ties go to the lowest index. groups × n inputs → groups outputs.

// @ts-ignore: decorator
@inline function rangeMask(w: i32, start: i32, end: i32): u32 {
  const lo = max(start - (w << 5), 0);
  const hi = min(end - (w << 5), 32);
  if (hi <= lo) return 0;
  const upper: u32 = hi == 32 ? 0xffffffff : (<u32>1 << hi) - 1;
  return upper & ~((<u32>1 << lo) - 1);
}

function onesIn(s: usize, start: i32, end: i32): i32 {
  let n = 0;
  for (let w = start >> 5; w <= (end - 1) >> 5; w++) n += <i32>popcnt<u32>(load<u32>(s + (<usize>w << 2)) & rangeMask(w, start, end));
  return n;
}

function argmaxOnes(xg: usize, bytes: usize, n: i32, start: i32, end: i32): i32 {
  let best = 0;
  let bestOnes = -1;
  for (let i = 0; i < n; i++) {
    const ones = onesIn(xg + <usize>i * bytes, start, end);
    if (ones > bestOnes) { best = i; bestOnes = ones; }
  }
  return best;
}

/** `out` must be zeroed; it receives groups streams. */
export function sc_max_pool(x: usize, out: usize, groups: i32, n: i32, stride: i32, length: i32, segment: i32, initial: i32, causal: i32): void {
  const bytes = <usize>stride << 2;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * <usize>n * bytes;
    const og = out + <usize>g * bytes;
    let chosen = initial;
    for (let start = 0; start < length; start += segment) {
      const end = min(length, start + segment);
      if (causal == 0) chosen = argmaxOnes(xg, bytes, n, start, end);
      const src = xg + <usize>chosen * bytes;
      for (let w = start >> 5; w <= (end - 1) >> 5; w++) {
        const p = <usize>w << 2;
        store<u32>(og + p, load<u32>(og + p) | (load<u32>(src + p) & rangeMask(w, start, end)));
      }
      if (causal != 0) chosen = argmaxOnes(xg, bytes, n, start, end);
    }
  }
}

/** Sum of the u16 counts of `lane` over cycles [start, end). */
function segmentSum(counts: usize, pitch: i32, lane: i32, start: i32, end: i32): i32 {
  const row = counts + (<usize>lane * <usize>pitch << 1);
  let sum = 0;
  for (let t = start; t < end; t++) sum += <i32>load<u16>(row + (<usize>t << 1));
  return sum;
}

/**
 * Pooling on per-cycle parallel-counter outputs (u16 rows of `pitch` counts): `windows` holds 4 lane indices (i32)
 * per group. mode 0: out_t = the sum of the four counts (average pooling on the APC path); mode 1: the segment
 * rule of sc_max_pool on counts (a segment copies the lane whose count sum was largest in the previous segment,
 * or the same one if not causal; ties → lowest). `out` holds groups rows of `pitch`; cycles ≥ length are
 * unspecified (the sums may cover the row's padding up to a multiple of 8).
 */
export function sc_pool_counts(counts: usize, windows: usize, out: usize, groups: i32, pitch: i32, length: i32, mode: i32, segment: i32, initial: i32, causal: i32): void {
  for (let g = 0; g < groups; g++) {
    const lanes = windows + (<usize>g << 4);
    const og = out + (<usize>g * <usize>pitch << 1);
    if (mode == 0) {
      const r0 = counts + (<usize>load<i32>(lanes) * <usize>pitch << 1);
      const r1 = counts + (<usize>load<i32>(lanes, 4) * <usize>pitch << 1);
      const r2 = counts + (<usize>load<i32>(lanes, 8) * <usize>pitch << 1);
      const r3 = counts + (<usize>load<i32>(lanes, 12) * <usize>pitch << 1);
      const bytes = <usize>((length + 7) & ~7) << 1;
      if (ASC_FEATURE_SIMD) {
        for (let o: usize = 0; o < bytes; o += 16) {
          v128.store(og + o, i16x8.add(i16x8.add(v128.load(r0 + o), v128.load(r1 + o)), i16x8.add(v128.load(r2 + o), v128.load(r3 + o))));
        }
      } else {
        for (let o: usize = 0; o < bytes; o += 2) {
          store<u16>(og + o, load<u16>(r0 + o) + load<u16>(r1 + o) + load<u16>(r2 + o) + load<u16>(r3 + o));
        }
      }
      continue;
    }
    let chosen = initial;
    for (let start = 0; start < length; start += segment) {
      const end = min(length, start + segment);
      if (causal == 0) chosen = argmaxSum(counts, lanes, pitch, start, end);
      memory.copy(og + (<usize>start << 1), counts + ((<usize>load<i32>(lanes + (<usize>chosen << 2)) * <usize>pitch + <usize>start) << 1), <usize>(end - start) << 1);
      if (causal != 0) chosen = argmaxSum(counts, lanes, pitch, start, end);
    }
  }
}

function argmaxSum(counts: usize, lanes: usize, pitch: i32, start: i32, end: i32): i32 {
  let best = 0;
  let bestSum = -1;
  for (let i = 0; i < 4; i++) {
    const sum = segmentSum(counts, pitch, load<i32>(lanes + (<usize>i << 2)), start, end);
    if (sum > bestSum) { best = i; bestSum = sum; }
  }
  return best;
}
