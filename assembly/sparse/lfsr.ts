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

import { gatherDot, gatherRowSpmm } from "./gather";

/** One right-shifting Galois step: shift out bit 0; when it was 1, XOR the tap mask in. */
// @ts-ignore: decorator
@inline function lfsrStep(s: u32, taps: u32): u32 {
  return (s >>> 1) ^ ((0 - (s & 1)) & taps);
}

/**
 * Writes the row's columns as byte offsets column·scale to addr[0 .. count) and returns how many
 * were generated (= count for valid inputs). Branch-free: every state is stored, and the write
 * position only advances when the state maps to a column.
 */
// @ts-ignore: decorator
@inline function generateRow(seed: u32, taps: u32, period: u32, inF: u32, count: u32, scale: u32, addr: usize): u32 {
  let s = seed;
  let c: u32 = 0;
  for (let step: u32 = 0; step < period && c < count; step++) {
    s = lfsrStep(s, taps);
    const col = s - 1; // state 0 (never reached from a nonzero seed) wraps to a huge column and is rejected
    store<u32>(addr + (<usize>c << 2), col * scale);
    c += <u32>(col < inF);
  }
  return c;
}

// @ts-ignore: decorator
@inline function periodOf(m: i32): u32 {
  return m >= 32 ? 0xffffffff : (<u32>1 << <u32>m) - 1;
}

/** y = act(W·x + bias); `scratch` holds ≥ in u32 (one row's generated columns). */
export function f32_spmv_lfsr(seeds: usize, counts: usize, val: usize, bias: usize, x: usize, y: usize, n: i32, inF: i32, m: i32, taps: i32, relu: i32, scratch: usize): void {
  const period = periodOf(m);
  let v = val;
  for (let r = 0; r < n; r++) {
    const count = load<u32>(counts + (<usize>r << 2));
    const got = generateRow(load<u32>(seeds + (<usize>r << 2)), <u32>taps, period, <u32>inF, count, 4, scratch);
    const s = gatherDot(scratch, v, <i32>got, x) + load<f32>(bias + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), relu != 0 ? max<f32>(s, 0) : s);
    v += <usize>count << 2;
  }
}

/** yT[n, batch] from transposed activations xT[in, batch]; each row's columns are generated once. */
export function f32_spmm_lfsr(seeds: usize, counts: usize, val: usize, bias: usize, xT: usize, yT: usize, n: i32, inF: i32, m: i32, taps: i32, batch: i32, relu: i32, scratch: usize): void {
  const period = periodOf(m);
  const ld = <u32>batch << 2;
  let v = val;
  for (let r = 0; r < n; r++) {
    const count = load<u32>(counts + (<usize>r << 2));
    const got = generateRow(load<u32>(seeds + (<usize>r << 2)), <u32>taps, period, <u32>inF, count, ld, scratch);
    gatherRowSpmm(scratch, v, <i32>got, bias + (<usize>r << 2), xT, yT + <usize>r * <usize>ld, batch, relu != 0);
    v += <usize>count << 2;
  }
}
