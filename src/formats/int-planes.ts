// How GroupwiseInt packs b-bit codes (b = 1…8) so that SIMD kernels unpack them with a few whole-
// vector shifts and masks.
//
// Each row's codes are cut into chunks of 32 consecutive inputs (the last chunk is padded with code 0).
// A chunk takes 4·b bytes. b is split into "planes" by its binary digits, widest first (8 alone; else
// 4, 2, 1 as present: 3 = 2+1, 5 = 4+1, 6 = 4+2, 7 = 4+2+1); the first plane holds the code's lowest
// bits. A plane of width p takes 4·p bytes of the chunk (planes follow each other in that order), and
// element e (0…31) of the chunk sits in byte (e mod 4p) of the plane at bit shift p·⌊e / 4p⌋.
// So for 4 bits (one plane, 16 bytes) byte j holds element j in its low nibble and element j+16 in its
// high nibble (ggml Q4_0's order): one AND and one shift of a 16-byte load give elements 0…15 and
// 16…31. 5 bits are Q5_0-like (nibbles, then 4 bytes of fifth bits); 8 bits are plain bytes.

export const CHUNK = 32;

export interface CodePlane {
  /** Bits in this plane: 8, 4, 2 or 1. */
  readonly width: number;
  /** Bit position of this plane's bits inside the code. */
  readonly shift: number;
  /** Byte offset of the plane inside a chunk. */
  readonly offset: number;
}

const planeCache = new Map<number, readonly CodePlane[]>();

/** The planes of a b-bit code, in storage order. */
export function codePlanes(bits: number): readonly CodePlane[] {
  let planes = planeCache.get(bits);
  if (!planes) {
    const widths = bits === 8 ? [8] : [4, 2, 1].filter((w) => bits & w);
    const list: CodePlane[] = [];
    let shift = 0;
    for (const width of widths) {
      list.push({ width, shift, offset: 4 * shift });
      shift += width;
    }
    planes = Object.freeze(list);
    planeCache.set(bits, planes);
  }
  return planes;
}

/** Bytes of one row of codes: ⌈cols / 32⌉ chunks of 4·bits bytes. */
export function rowCodeBytes(cols: number, bits: number): number {
  return Math.ceil(cols / CHUNK) * 4 * bits;
}

/** Packs codes[r·cols + k] (each < 2^bits) into rows·rowCodeBytes bytes; padding codes are 0. */
export function packCodes(codes: ArrayLike<number>, rows: number, cols: number, bits: number): Uint8Array {
  const planes = codePlanes(bits);
  const rowBytes = rowCodeBytes(cols, bits);
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const code = codes[r * cols + k];
      const chunk = r * rowBytes + Math.floor(k / CHUNK) * 4 * bits;
      const e = k % CHUNK;
      for (const { width, shift, offset } of planes) {
        const span = 4 * width;
        out[chunk + offset + (e % span)] |= ((code >> shift) & ((1 << width) - 1)) << (width * Math.floor(e / span));
      }
    }
  }
  return out;
}

/** Code (r, k) of packed rows (the inverse of packCodes; also reads padding positions k ≥ cols). */
export function unpackCode(packed: Uint8Array, rowBytes: number, bits: number, r: number, k: number): number {
  const chunk = r * rowBytes + Math.floor(k / CHUNK) * 4 * bits;
  const e = k % CHUNK;
  let code = 0;
  for (const { width, shift, offset } of codePlanes(bits)) {
    const span = 4 * width;
    code |= ((packed[chunk + offset + (e % span)] >> (width * Math.floor(e / span))) & ((1 << width) - 1)) << shift;
  }
  return code;
}
