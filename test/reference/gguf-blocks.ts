// Element-by-element reference dequantizers written straight from lowbit.md §(a) ("element ← bits" and
// "dequant" columns): one formula per element index, the fp16 value from the IEEE definition in float64, and
// one Math.fround per product as the table says. Shares no code with src/formats/gguf.

/** IEEE binary16 value of a bit pattern, in float64. */
export function halfValue(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return e === 0 ? s * f * 2 ** -24 : s * (1 + f / 1024) * 2 ** (e - 15);
}

const u16 = (b: Uint8Array, o: number): number => b[o] + 256 * b[o + 1];
const u32 = (b: Uint8Array, o: number): number => b[o] + 256 * b[o + 1] + 65536 * b[o + 2] + 16777216 * b[o + 3];
const i8 = (v: number): number => (v >= 128 ? v - 256 : v);
const f32 = Math.fround;

/** Code of element e (0..31) in the split-halves nibble layout starting at byte qs. */
const nibble = (b: Uint8Array, qs: number, e: number): number => (e < 16 ? b[qs + e] & 0xf : b[qs + e - 16] >> 4);

const KV = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
const FP4X2 = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

/** Element e of the one block `b` of a 32-element type. */
export function referenceElement(type: string, b: Uint8Array, e: number): number {
  switch (type) {
    case 'Q4_0':
      return f32((nibble(b, 2, e) - 8) * halfValue(u16(b, 0)));
    case 'Q4_1':
      return f32(f32(nibble(b, 4, e) * halfValue(u16(b, 0))) + halfValue(u16(b, 2)));
    case 'Q5_0': {
      const q = nibble(b, 6, e) + 16 * (Math.floor(u32(b, 2) / 2 ** e) % 2);
      return f32((q - 16) * halfValue(u16(b, 0)));
    }
    case 'Q5_1': {
      const q = nibble(b, 8, e) + 16 * (Math.floor(u32(b, 4) / 2 ** e) % 2);
      return f32(f32(q * halfValue(u16(b, 0))) + halfValue(u16(b, 2)));
    }
    case 'Q8_0':
      return f32(i8(b[2 + e]) * halfValue(u16(b, 0)));
    case 'Q8_1':
      return f32(i8(b[4 + e]) * halfValue(u16(b, 0)));
    case 'IQ4_NL':
      return f32(halfValue(u16(b, 0)) * KV[nibble(b, 2, e)]);
    case 'MXFP4':
      return f32(FP4X2[nibble(b, 1, e)] * 2 ** (b[0] - 128));
    default:
      throw new Error(`no reference for ${type}`);
  }
}

/** All 32 elements of block `b`. */
export function referenceBlock(type: string, b: Uint8Array): Float32Array {
  return Float32Array.from({ length: 32 }, (_, e) => referenceElement(type, b, e));
}
