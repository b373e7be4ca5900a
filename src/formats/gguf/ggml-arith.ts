// The C arithmetic ggml's reference quantizers are made of, reproduced bit for bit in JS numbers (lowbit.md
// §0.4). Every float result goes through Math.fround: one f32 op computed in float64 and rounded once is exact.
// Where C leaves a conversion undefined (a NaN or out-of-range float cast to an integer type), we return what
// x86-64 builds of ggml produce: `cvttss2si` gives the "integer indefinite" 0x80000000, then the narrowing to
// 8 bits keeps the low byte (0; a float32 beyond int32 is a multiple of 256, so its low byte is 0 under any
// wrapping rule too). Finite blocks never reach that case; it only pins down NaN/inf/denormal inputs.
import { bitsToFloat, floatToBits } from '../half.js';

/** C's FLT_MAX (ggml's min/max loops start from ±FLT_MAX). */
export const FLT_MAX = 3.4028234663852886e38;

/** ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this quantizes to all-zero codes. */
export const GROUP_MAX_EPS = Math.fround(1e-15);

const INT32_MIN = -2147483648;

/** C float → int32 as x86-64 executes it: truncation toward zero; NaN or outside int32 → INT32_MIN. */
export function cvtToInt32(x: number): number {
  const t = Math.trunc(x);
  return t >= INT32_MIN && t <= 2147483647 ? t | 0 : INT32_MIN; // NaN fails both comparisons
}

/** `(int8_t)x` for a float x: the int32 conversion's low byte, sign-extended. */
export function toInt8(x: number): number {
  return (cvtToInt32(x) << 24) >> 24;
}

/** `(uint8_t)x` for a float x: the int32 conversion's low byte. */
export function toUint8(x: number): number {
  return cvtToInt32(x) & 0xff;
}

/** C `roundf`: half away from zero. Done as trunc + correction, never `trunc(x ± 0.5)`, which misrounds
 *  0.49999997 and large odd values (§0.4). −0.3 → −0, NaN → NaN. */
export function roundHalfAway(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t; // x − trunc(x) is exact in float64
}

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

/**
 * ggml's nearest_int: adds 1.5·2^23 in float32 and reads the low mantissa bits. Round half to even for
 * |x| < 2^22; outside that range (ggml only asserts it in debug builds) the same bit trick gives the same
 * wrapped integer ggml's release build computes, and NaN gives 0.
 */
export function nearestInt(x: number): number {
  scratchF[0] = x + 12582912; // one rounding to float32 (exact sum in float64 first)
  return (scratchI[0] & 0x007fffff) - 0x00400000;
}

/** The float32 just below `k` (k an integer), i.e. C `nextafterf(k, -INFINITY)`. */
function floatBelow(k: number): number {
  if (k === 0) return -(2 ** -149);
  const bits = floatToBits(k);
  return bitsToFloat(k > 0 ? bits - 1 : bits + 1); // the neighbour toward −∞ in magnitude order
}

/** C `floorf(log2f(x))` for x > 0 with a correctly rounded `log2f`. The float32 rounding matters: just below a
 *  power of two, log2 rounds up to the integer (log2f(FLT_MAX) is 128.0f), so this is not the exponent of x.
 *  log2 x = K − δ with K = ⌊log2 x⌋ + 1 exact from the bits and δ ∈ (0, 1] from log1p (relative error ~1e-16,
 *  while δ stays far from the rounding threshold for every float32 x: see the test); float32(K − δ) is K
 *  exactly when δ is under half the gap from K to the float below it. */
export function floorLog2f(x: number): number {
  if (x === Infinity) return Infinity;
  const bits = floatToBits(x);
  const biased = bits >>> 23;
  const k = biased !== 0 ? biased - 127 : 31 - Math.clz32(bits) - 149; // subnormal: position of the top bit
  const K = k + 1;
  const delta = -Math.log1p(x / 2 ** K - 1) / Math.LN2; // x / 2^K − 1 ∈ [−0.5, 0) is exact
  return delta < (K - floatBelow(K)) / 2 ? K : k;
}

/** ggml's `if (amax < fabsf(v)) { amax = fabsf(v); max = v; }` scan: the signed value of largest magnitude,
 *  the first one on ties, NaN never taken; 0 when all are ±0 or NaN. */
export function signedAbsMax(src: Float32Array, from: number, n: number): number {
  let amax = 0;
  let max = 0;
  for (let j = from; j < from + n; j++) {
    const a = Math.abs(src[j]);
    if (amax < a) {
      amax = a;
      max = src[j];
    }
  }
  return max;
}

/** ggml's `amax = MAX(amax, fabsf(v))` with `MAX(a, b) = a > b ? a : b`: a NaN element is taken, and kept
 *  only until the next element replaces it. */
export function macroAbsMax(src: Float32Array, from: number, n: number): number {
  let amax = 0;
  for (let j = from; j < from + n; j++) {
    const a = Math.abs(src[j]);
    amax = amax > a ? amax : a;
  }
  return amax;
}

/** The min/max scan of ggml's affine quantizers: start at ±FLT_MAX, strict comparisons (NaN ignored). */
export function minMax(src: Float32Array, from: number, n: number): { min: number; max: number } {
  let min = FLT_MAX;
  let max = -FLT_MAX;
  for (let j = from; j < from + n; j++) {
    const v = src[j];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
