// IEEE binary16 and bfloat16 conversions at the bit level, exactly as ggml performs them (lowbit.md §0.6):
// half → single is exact and keeps NaN payloads; single → half rounds to nearest even, overflows to ±inf
// and turns every NaN into the quiet 0x7E00; single → bf16 rounds to nearest even and quiets NaN with 0x40.
// Bit patterns (u32 numbers) rather than JS numbers, because a NaN payload does not survive a JS number.

const scratch = new DataView(new ArrayBuffer(4));

/** The float32 value of a bit pattern. */
export function bitsToFloat(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/** The bit pattern of a number rounded to float32. */
export function floatToBits(value: number): number {
  scratch.setFloat32(0, value);
  return scratch.getUint32(0);
}

/** binary16 bits → the float32 bits of the same value (exact; NaN payload shifted into place). */
export function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (fraction << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (fraction << 13)) >>> 0;
  if (fraction === 0) return sign >>> 0;
  // Subnormal half: normalize into a float32 exponent.
  let e = 113;
  let f = fraction;
  while ((f & 0x400) === 0) {
    f <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((f & 0x3ff) << 13)) >>> 0;
}

/** binary16 bits → their value as a JS number. */
export function halfToFloat(h: number): number {
  return bitsToFloat(halfToFloatBits(h));
}

/** float32 bits → binary16 bits, round to nearest even; overflow → ±inf, NaN → 0x7E00 (ggml's rule). */
export function floatBitsToHalf(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return 0x7e00;
  if (abs >= 0x477ff000) return sign | 0x7c00; // ≥ 65520 rounds past the largest half
  if (abs < 0x38800000) {
    // Below 2^-14: a half subnormal, in units of 2^-24 (scaling by a power of two is exact in float64).
    const q = bitsToFloat(abs) * 2 ** 24;
    const floor = Math.floor(q);
    const diff = q - floor;
    const rounded = diff > 0.5 || (diff === 0.5 && (floor & 1) === 1) ? floor + 1 : floor;
    return sign | rounded;
  }
  let h = ((((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3ff)) >>> 0;
  const rest = abs & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry may step into the exponent: correct
  return sign | h;
}

/** A number → binary16 bits (rounded to float32 first, as C's float argument would be). */
export function floatToHalf(value: number): number {
  return floatBitsToHalf(floatToBits(value));
}

/** float32 bits → bfloat16 bits, ggml's rule: round to nearest even, NaN quieted with 0x40. */
export function floatBitsToBf16(bits: number): number {
  const u = bits >>> 0;
  if ((u & 0x7fffffff) > 0x7f800000) return ((u >>> 16) | 0x40) & 0xffff;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits → float32 bits (exact). */
export function bf16ToFloatBits(b: number): number {
  return (b << 16) >>> 0;
}
