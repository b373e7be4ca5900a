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
