// Sequential SC activations (sc_encoded_mac.md §2.6, §2.7, §3.4, §4, §5): finite-state machines driven by a
// per-cycle count c_t (u16 [lanes, pitch], one row per neuron), emitting one output stream per lane. The state
// of one lane depends on all its earlier cycles, so each lane is a scalar loop over time; the lanes are
// independent. Pure integer code: identical bits in every build.

/** Writes bit `t` of the output stream at `s` (the stream was zeroed by the caller). */
// @ts-ignore: decorator
@inline function setBit(s: usize, t: i32): void {
  const p = s + (<usize>(t >> 5) << 2);
  store<u32>(p, load<u32>(p) | (<u32>1 << (t & 31)));
}

/**
 * Saturating up/down counter (Stanh, Btanh, NStanh): S ∈ [0, states − 1], reset `reset`;
 * each cycle S ← clamp(S + gain·c_t − offset); output 1 iff S ≥ threshold (S > threshold when strict),
 * read from the state before (after = 0) or after (after = 1) this cycle's update. `out` must be zeroed.
 */
export function sc_fsm_counter(counts: usize, out: usize, lanes: i32, pitch: i32, length: i32, stride: i32, states: i32, reset: i32, gain: i32, offset: i32, threshold: i32, strict: i32, after: i32): void {
  const top = states - 1;
  for (let l = 0; l < lanes; l++) {
    const c = counts + (<usize>l * <usize>pitch << 1);
    const s = out + (<usize>l * <usize>stride << 2);
    let state = reset;
    for (let t = 0; t < length; t++) {
      const next = min(top, max(0, state + gain * <i32>load<u16>(c + (<usize>t << 1)) - offset));
      const read = after != 0 ? next : state;
      if (strict != 0 ? read > threshold : read >= threshold) setBit(s, t);
      state = next;
    }
  }
}

/**
 * UnarySim FSUAdd (accumulator adder), in doubled units so the bipolar offset (n − scale)/2 stays integral:
 * A2 ← clamp(A2 + 2c_t − offset2); out = A2 ≥ 2·scale; A2 ← clamp(A2 − out·2·scale); clamp to ±bound2
 * (= 2·2^(depth−2)). `out` must be zeroed.
 */
export function sc_fsu_add(counts: usize, out: usize, lanes: i32, pitch: i32, length: i32, stride: i32, scale: i32, offset2: i32, bound2: i32): void {
  const scale2 = scale << 1;
  for (let l = 0; l < lanes; l++) {
    const c = counts + (<usize>l * <usize>pitch << 1);
    const s = out + (<usize>l * <usize>stride << 2);
    let acc = 0;
    for (let t = 0; t < length; t++) {
      acc = min(bound2, max(-bound2, acc + 2 * <i32>load<u16>(c + (<usize>t << 1)) - offset2));
      if (acc >= scale2) {
        setBit(s, t);
        acc = min(bound2, max(-bound2, acc - scale2));
      }
    }
  }
}

/**
 * UnarySim FSUReLU: A ∈ [0, 2^depth − 1], reset half = 2^(depth−1); out = in OR NOT(A ≥ half) (A > half when
 * strict); A ← clamp(A + 2·out − 1). `counts` holds the input bits (0/1). `out` must be zeroed.
 */
export function sc_fsu_relu(counts: usize, out: usize, lanes: i32, pitch: i32, length: i32, stride: i32, depth: i32, strict: i32): void {
  const half = 1 << (depth - 1);
  const top = (1 << depth) - 1;
  for (let l = 0; l < lanes; l++) {
    const c = counts + (<usize>l * <usize>pitch << 1);
    const s = out + (<usize>l * <usize>stride << 2);
    let acc = half;
    for (let t = 0; t < length; t++) {
      const high = strict != 0 ? acc > half : acc >= half;
      const bit = load<u16>(c + (<usize>t << 1)) != 0 || !high;
      if (bit) setBit(s, t);
      acc = min(top, max(0, acc + (bit ? 1 : -1)));
    }
  }
}
