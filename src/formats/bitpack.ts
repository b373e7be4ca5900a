// Rows of small unsigned codes packed as an LSB-first bit stream, shared by the 1-, 2- and n-bit weight
// formats. Element j of a row occupies bits j·b … j·b+b−1 of that row's stream, where stream bit t is bit
// t mod 8 of byte ⌊t/8⌋; a code that crosses a byte boundary continues in the low bits of the next byte.
// Each row starts on a byte boundary (rowBytes = ⌈cols·b/8⌉) and its unused high bits are 0, so a packed
// matrix is unique and a row can be addressed without the rows before it.
import { BitsieveError } from '../runtime/errors.js';

/** Bytes of one packed row: ⌈cols·bits/8⌉. */
export function packedRowBytes(cols: number, bits: number): number {
  return Math.ceil((cols * bits) / 8);
}

/**
 * Packs rows·cols codes (row-major, each in [0, 2^bits)) into rows of `packedRowBytes(cols, bits)` bytes.
 * The caller guarantees the range; bits ∈ [1, 8].
 */
export function packCodes(codes: ArrayLike<number>, rows: number, cols: number, bits: number): Uint8Array {
  const rowBytes = packedRowBytes(cols, bits);
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const bit = j * bits;
      const at = r * rowBytes + (bit >> 3);
      const shifted = codes[r * cols + j] << (bit & 7); // at most 15 bits wide
      out[at] |= shifted & 0xff;
      if (shifted > 0xff) out[at + 1] |= shifted >> 8;
    }
  }
  return out;
}

/** The code of element j in the row starting at byte `rowStart`. */
export function readCode(data: Uint8Array, rowStart: number, j: number, bits: number): number {
  const bit = j * bits;
  const at = rowStart + (bit >> 3);
  const shift = bit & 7;
  const word = shift + bits > 8 ? data[at] | (data[at + 1] << 8) : data[at];
  return (word >> shift) & ((1 << bits) - 1);
}

/** E_FORMAT unless every row's bits past its last code are 0 (`name` and row go into the message). */
export function expectZeroPadding(name: string, data: Uint8Array, rows: number, cols: number, bits: number): void {
  const rowBytes = packedRowBytes(cols, bits);
  const used = (cols * bits) & 7;
  if (used === 0) return;
  const padMask = 0xff & ~((1 << used) - 1);
  for (let r = 0; r < rows; r++) {
    const last = data[r * rowBytes + rowBytes - 1];
    if (last & padMask) {
      throw new BitsieveError('E_FORMAT', `${name} row ${r}: expected the ${8 - used} padding bits after column ${cols - 1} to be 0, received byte 0x${last.toString(16).padStart(2, '0')}`);
    }
  }
}
