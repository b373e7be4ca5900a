// Sequential SC activations (sc_encoded_mac.md §2.6, §2.7, §3.4, §4, §5): finite-state machines driven by a
// per-cycle count c_t (u16 [lanes, pitch], one row per neuron), emitting one output stream per lane. The state
// of one lane depends on all its earlier cycles, so time is a sequential loop; the lanes are independent, so the
// SIMD build runs the saturating counter on four neurons at once (i32x4 lanes, counts transposed 8 cycles at a
// time). Pure integer code: identical bits in every build.

/** Writes bit `t` of the output stream at `s` (the stream was zeroed by the caller). */
// @ts-ignore: decorator
@inline function setBit(s: usize, t: i32): void {
  const p = s + (<usize>(t >> 5) << 2);
  store<u32>(p, load<u32>(p) | (<u32>1 << (t & 31)));
}

// @ts-ignore: decorator
@inline function counterNext(c: v128, state: v128, gain: v128, offset: v128, top: v128): v128 {
  return i32x4.min_s(top, i32x4.max_s(i32x4.splat(0), i32x4.add(state, i32x4.sub(i32x4.mul(c, gain), offset))));
}

/** Sets bit t of every lane's output word where the read state passes the threshold. */
// @ts-ignore: decorator
@inline function emit(read: v128, t: i32, bits: v128, threshold: v128, strict: bool): v128 {
  const on = strict ? i32x4.gt_s(read, threshold) : i32x4.ge_s(read, threshold);
  return v128.or(bits, v128.and(on, i32x4.splat(1 << (t & 31))));
}

/** ORs lane i of `bits` into word w of output stream i of the four at `s` (`stride` words apart). */
// @ts-ignore: decorator
@inline function flush4(s: usize, stride: i32, w: i32, bits: v128): void {
  const step = <usize>stride << 2;
  const p = s + (<usize>w << 2);
  store<u32>(p, load<u32>(p) | i32x4.extract_lane(bits, 0));
  store<u32>(p + step, load<u32>(p + step) | i32x4.extract_lane(bits, 1));
  store<u32>(p + 2 * step, load<u32>(p + 2 * step) | i32x4.extract_lane(bits, 2));
  store<u32>(p + 3 * step, load<u32>(p + 3 * step) | i32x4.extract_lane(bits, 3));
}

/**
 * Four lanes (rows c … c + 3 of counts, streams s … s + 3) over the first whole 8-cycle chunks; returns the
 * number of cycles done and leaves the four states at STATE4 for the scalar tail.
 */
function counter4(c: usize, pitch: i32, s: usize, stride: i32, length: i32, states: i32, reset: i32, gain: i32, offset: i32, threshold: i32, strict: bool, after: bool): i32 {
  const rowBytes = <usize>pitch << 1;
  const g = i32x4.splat(gain), o = i32x4.splat(offset), top = i32x4.splat(states - 1), thr = i32x4.splat(threshold);
  let state = i32x4.splat(reset);
  let bits = i32x4.splat(0);
  let t = 0;
  for (; t + 8 <= length; t += 8) {
    const p = c + (<usize>t << 1);
    const r0 = v128.load(p), r1 = v128.load(p + rowBytes), r2 = v128.load(p + 2 * rowBytes), r3 = v128.load(p + 3 * rowBytes);
    // Transpose 4 rows × 8 cycles of u16 into cycle pairs [lane 0..3 @ k, lane 0..3 @ k+1].
    const lo01 = i8x16.shuffle(r0, r1, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const hi01 = i8x16.shuffle(r0, r1, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    const lo23 = i8x16.shuffle(r2, r3, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const hi23 = i8x16.shuffle(r2, r3, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    const c01 = i8x16.shuffle(lo01, lo23, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    const c23 = i8x16.shuffle(lo01, lo23, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    const c45 = i8x16.shuffle(hi01, hi23, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    const c67 = i8x16.shuffle(hi01, hi23, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    let next: v128;
    let x = i32x4.extend_low_i16x8_u(c01);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t, bits, thr, strict); state = next;
    x = i32x4.extend_high_i16x8_u(c01);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 1, bits, thr, strict); state = next;
    x = i32x4.extend_low_i16x8_u(c23);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 2, bits, thr, strict); state = next;
    x = i32x4.extend_high_i16x8_u(c23);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 3, bits, thr, strict); state = next;
    x = i32x4.extend_low_i16x8_u(c45);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 4, bits, thr, strict); state = next;
    x = i32x4.extend_high_i16x8_u(c45);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 5, bits, thr, strict); state = next;
    x = i32x4.extend_low_i16x8_u(c67);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 6, bits, thr, strict); state = next;
    x = i32x4.extend_high_i16x8_u(c67);
    next = counterNext(x, state, g, o, top); bits = emit(after ? next : state, t + 7, bits, thr, strict); state = next;
    if (((t + 8) & 31) == 0) {
      flush4(s, stride, t >> 5, bits);
      bits = i32x4.splat(0);
    }
  }
  if ((t & 31) != 0) flush4(s, stride, t >> 5, bits);
  v128.store(STATE4, state);
  return t;
}

const STATE4 = memory.data(16, 16);

/** One lane from cycle `from` in state `state` (scalar). */
// @ts-ignore: decorator
@inline function counterLane(c: usize, s: usize, from: i32, length: i32, state: i32, top: i32, gain: i32, offset: i32, threshold: i32, strict: bool, after: bool): void {
  for (let t = from; t < length; t++) {
    const next = min(top, max(0, state + gain * <i32>load<u16>(c + (<usize>t << 1)) - offset));
    const read = after ? next : state;
    if (strict ? read > threshold : read >= threshold) setBit(s, t);
    state = next;
  }
}

/**
 * Saturating up/down counter (Stanh, Btanh, NStanh): S ∈ [0, states − 1], reset `reset`;
 * each cycle S ← clamp(S + gain·c_t − offset); output 1 iff S ≥ threshold (S > threshold when strict),
 * read from the state before (after = 0) or after (after = 1) this cycle's update. `out` must be zeroed.
 * gain·65535 + states must fit in i32 (the caller keeps gain = 2, states ≤ 2^30).
 */
export function sc_fsm_counter(counts: usize, out: usize, lanes: i32, pitch: i32, length: i32, stride: i32, states: i32, reset: i32, gain: i32, offset: i32, threshold: i32, strict: i32, after: i32): void {
  const top = states - 1;
  const isStrict = strict != 0;
  const isAfter = after != 0;
  let l = 0;
  if (ASC_FEATURE_SIMD) {
    for (; l + 4 <= lanes; l += 4) {
      const c = counts + (<usize>l * <usize>pitch << 1);
      const s = out + (<usize>l * <usize>stride << 2);
      const done = counter4(c, pitch, s, stride, length, states, reset, gain, offset, threshold, isStrict, isAfter);
      for (let i = 0; i < 4; i++) {
        counterLane(c + (<usize>i * <usize>pitch << 1), s + (<usize>i * <usize>stride << 2), done, length, load<i32>(STATE4 + (<usize>i << 2)), top, gain, offset, threshold, isStrict, isAfter);
      }
    }
  }
  for (; l < lanes; l++) {
    counterLane(counts + (<usize>l * <usize>pitch << 1), out + (<usize>l * <usize>stride << 2), 0, length, reset, top, gain, offset, threshold, isStrict, isAfter);
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
