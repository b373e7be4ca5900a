// Ternary weights (TWN, lowbit.md §4.2): w[r, j] ∈ {−α[r], 0, +α[r]}, stored as two bit planes (2 bits per
// weight) and one float32 scale per output row.
//
// Why two planes rather than 2-bit codes or base-3 (TQ1_0 packs 5 trits per byte, 1.6 bits): the kernels
// need, per input, a "keep" mask and a "negate" mask; with planes both come straight from the bits, the
// same way the binary format's sign plane does, and a binary matrix is a ternary one whose nonzero plane is
// all ones. Base-3 would save 20 % of the weight bytes at the price of a multiply-based decode per byte.
//
// ── Kernel design (phase 2; the reference is in test/reference/lowbit-linear.ts) ──────────────────────
// Accumulation-only GEMV/GEMM, y[o] = f32(α[o] · S[o]), S[o] = Σ_{nonzero j} ±x[j]:
//   · the sign masks are built exactly as for BinaryWeights (src/formats/binary.ts); the nonzero plane
//     gives keep masks the same way (bit 1 → 0xFFFF_FFFF);
//   · acc = f32x4.add(acc, v128.and(v128.xor(x, negate), keep)): exact ±x or +0 per term, one α multiply
//     per row at the end. (Equivalent: acc += x AND positive; acc −= x AND negative.)
//   · a row whose plane is all zero accumulates only +0 terms, so y = +0 regardless of x (finite x).
//   · GEMM: decode a tile's two mask sets once, apply to several activation rows.
//   · tolerance vs the float64 reference: (in + 2)·u·α·Σ_{nonzero j}|x[j]|.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectShape2 } from '../runtime/validate.js';
import { expectBitPlane } from './binary.js';
import { packCodes, packedRowBytes } from './bitpack.js';
import { align4, readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';
import { expectRowScales, toRowScales } from './row-scales.js';

const MAGIC = 'BSTW';
const VERSION = 1;

/**
 * Ternary [out, in] weights. Both planes are u8[out · ⌈in/8⌉], laid out like BinaryWeights.signs (row r
 * at byte r·⌈in/8⌉, column j = bit j mod 8 of byte ⌊j/8⌋, LSB first, padding bits 0):
 *
 * | nonzero bit | sign bit | weight |
 * |---|---|---|
 * | 0 | 0 | 0 |
 * | 1 | 1 | +α[r] |
 * | 1 | 0 | −α[r] |
 * | 0 | 1 | invalid (a zero's sign bit is 0, so the planes of a matrix are unique) |
 *
 * `alpha`: f32[out], finite and ≥ 0.
 */
export class TernaryWeights implements MatrixFormat {
  readonly kind = 'ternary' as const;
  readonly shape: readonly [number, number];
  readonly signs: Uint8Array;
  readonly nonzero: Uint8Array;
  readonly alpha: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], signs: Uint8Array, nonzero: Uint8Array, alpha: Float32Array) {
    this.shape = Object.freeze(expectShape2('TernaryWeights shape', shape));
    this.signs = signs;
    this.nonzero = nonzero;
    this.alpha = alpha;
    this.validate();
  }

  /** Packs row-major ternary values (each −1, 0 or +1) and per-row scales (rounded to float32). */
  static fromTernary(shape: readonly [number, number], values: ArrayLike<number>, alpha: ArrayLike<number>): TernaryWeights {
    const [rows, cols] = expectShape2('TernaryWeights.fromTernary shape', shape);
    if (values === null || typeof values !== 'object' || values.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `TernaryWeights.fromTernary: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(values)}`);
    }
    const positive = new Uint8Array(values.length);
    const nonzeroBits = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const t = values[i];
      if (t !== -1 && t !== 0 && t !== 1) throw new BitsieveError('E_RANGE', `TernaryWeights.fromTernary values[${i}]: expected −1, 0 or +1, received ${t}`);
      positive[i] = t === 1 ? 1 : 0;
      nonzeroBits[i] = t === 0 ? 0 : 1;
    }
    const signs = packCodes(positive, rows, cols, 1);
    const nonzero = packCodes(nonzeroBits, rows, cols, 1);
    return new TernaryWeights([rows, cols], signs, nonzero, toRowScales('TernaryWeights.fromTernary alpha', alpha, rows));
  }

  static fromBytes(bytes: Uint8Array): TernaryWeights {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 2);
    const [rows, cols] = header;
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || rows * cols > MAX_ELEMENTS) {
      throw new BitsieveError('E_CORRUPT', `TernaryWeights.fromBytes: absurd shape [${rows}, ${cols}]`);
    }
    const planeBytes = rows * packedRowBytes(cols, 1);
    const need = 4 * rows + align4(2 * planeBytes);
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `TernaryWeights.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    try {
      const at = 4 * rows;
      return new TernaryWeights(
        [rows, cols],
        new Uint8Array(copy.buffer, at, planeBytes),
        new Uint8Array(copy.buffer, at + planeBytes, planeBytes),
        new Float32Array(copy.buffer, 0, rows),
      );
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `TernaryWeights.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Stored bits (two planes incl. row padding + 32 per scale) per weight: 2 + 32/in when in is a multiple of 8. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    return rows * cols === 0 ? 0 : (8 * (this.signs.length + this.nonzero.length) + 32 * this.alpha.length) / (rows * cols);
  }

  /** Number of nonzero weights. */
  get nnz(): number {
    let count = 0;
    for (let i = 0; i < this.nonzero.length; i++) for (let v = this.nonzero[i]; v; v &= v - 1) count++;
    return count;
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { signs, nonzero } = this;
    expectBitPlane('TernaryWeights signs', signs, rows, cols);
    expectBitPlane('TernaryWeights nonzero', nonzero, rows, cols);
    expectRowScales('TernaryWeights alpha', this.alpha, rows);
    for (let i = 0; i < signs.length; i++) {
      const orphan = signs[i] & ~nonzero[i];
      if (orphan) {
        const rowBytes = packedRowBytes(cols, 1);
        const column = 8 * (i % rowBytes) + Math.log2(orphan & -orphan);
        throw new BitsieveError('E_FORMAT', `TernaryWeights row ${Math.floor(i / rowBytes)}, column ${column}: expected sign bit 0 on a zero weight, received 1`);
      }
    }
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const rowBytes = packedRowBytes(cols, 1);
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const a = this.alpha[r];
      for (let j = 0; j < cols; j++) {
        const byte = r * rowBytes + (j >> 3);
        const bit = 1 << (j & 7);
        if (this.nonzero[byte] & bit) w[r * cols + j] = this.signs[byte] & bit ? a : -a;
      }
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const planeBytes = this.signs.length;
    const payload = new Uint8Array(4 * rows + align4(2 * planeBytes));
    payload.set(new Uint8Array(this.alpha.buffer, this.alpha.byteOffset, this.alpha.byteLength), 0);
    payload.set(this.signs, 4 * rows);
    payload.set(this.nonzero, 4 * rows + planeBytes);
    return writeFramed(MAGIC, VERSION, [rows, cols], payload);
  }
}
