// Binary weights (BinaryConnect / XNOR-Net "BWN", lowbit.md §4.2): w[r, j] = ±α[r], one sign bit per
// weight and one float32 scale per output row.
//
// ── Kernel design (phase 2; the references are in test/reference/lowbit-linear.ts) ─────────────────────
// Accumulation-only GEMV/GEMM, y[o] = f32(α[o] · S[o]), S[o] = Σ_j ±x[j]:
//   · the operator stores each row's sign bits with a 16-byte stride (zero padded), so one v128 of signs
//     covers 128 inputs; a 4-bit slice of it becomes four lane masks m = (bit ? 0 : 0x8000_0000), e.g.
//     `i32x4.eq(v128.and(i32x4.splat(nibble), [1, 2, 4, 8]), 0)` shifted to the sign bit, or a 16 × v128
//     table indexed by the nibble;
//   · acc = f32x4.add(acc, v128.xor(x, m)): flipping the sign bit is exact, so every term is exactly ±x[j]
//     and the only roundings are the additions, as in a dense GEMV whose products are exact. No multiply
//     until the single α·S per row. Tail columns (in mod 4) run scalar or over zero-padded x in scratch.
//   · not 2·Σ_{bit=1} x − Σ x (an AND per term instead of an XOR, same cost): its cancellation can triple
//     the rounding error (≤ 3γ_n·Σ|x| instead of γ_n·Σ|x|), outside the dense GEMV tolerance the tests use.
//   · GEMM (batch > 1): decode a tile's masks once and apply them to several activation rows.
//   · tolerance vs the float64 reference: |y − ref| ≤ (in + 2)·u·α·Σ|x|, i.e. linearTolerance of
//     test/reference/linear.ts with |w| = α.
// XNOR-popcount GEMV/GEMM (binary activations × binary weights, XNOR-Net):
//   · a binarize kernel packs each activation row like a weight row: bit 1 where x ≥ 0 (sign(0) = +1, as
//     for the weights), and β[b] = mean_j |x[b, j]| (one XNOR-Net "window" = the whole input vector);
//   · dot[b, o] = Σ_j s_w·s_x = in − 2·popcount(wbits XOR xbits) over the row's bytes. Padding bits are 0
//     in both operands, so they XOR to 0 and need no mask;
//   · v128.xor → i8x16.popcnt → per-byte counts summed with i16x8.extadd_pairwise_i8x16_u and
//     i32x4.extadd_pairwise_i16x8_u (u8 lanes hold at most 31 vectors of popcounts, widen before that);
//   · y[b, o] = f32(f32(α[o]·β[b]) · dot): the integer dot is exact (|dot| ≤ in < 2^24) and bit-identical
//     in every build; β is a float sum, so it may differ by rounding between builds.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectShape2 } from '../runtime/validate.js';
import { expectZeroPadding, packCodes, packedRowBytes } from './bitpack.js';
import { align4, readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';
import { expectRowScales, toRowScales } from './row-scales.js';

const MAGIC = 'BSBW';
const VERSION = 1;

/** E_DTYPE unless a Uint8Array, E_FORMAT unless rows·⌈cols/8⌉ bytes with zero padding bits. */
export function expectBitPlane(name: string, plane: unknown, rows: number, cols: number): Uint8Array {
  if (!(plane instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `${name}: expected a Uint8Array, received ${describe(plane)}`);
  const need = rows * packedRowBytes(cols, 1);
  if (plane.length !== need) throw new BitsieveError('E_FORMAT', `${name}: expected out·⌈in/8⌉ = ${need} bytes, received ${plane.length}`);
  expectZeroPadding(name, plane, rows, cols, 1);
  return plane;
}

/** +1 → 1, −1 → 0; E_RANGE for anything else. */
export function signBits(name: string, signs: ArrayLike<number>): Uint8Array {
  const bits = new Uint8Array(signs.length); // a loop: TypedArray.from with a map function is far slower
  for (let i = 0; i < signs.length; i++) {
    const s = signs[i];
    if (s !== 1 && s !== -1) throw new BitsieveError('E_RANGE', `${name}[${i}]: expected +1 or −1, received ${s}`);
    bits[i] = s === 1 ? 1 : 0;
  }
  return bits;
}

/**
 * Binary [out, in] weights: w[r, j] = +α[r] where sign bit (r, j) is 1, −α[r] where it is 0.
 *
 * - `signs`: u8[out · ⌈in/8⌉]; row r starts at byte r·⌈in/8⌉ and column j is bit j mod 8 of byte
 *   ⌊j/8⌋ of that row (LSB first). Bits past column in−1 are 0.
 * - `alpha`: f32[out], finite and ≥ 0.
 */
export class BinaryWeights implements MatrixFormat {
  readonly kind = 'binary' as const;
  readonly shape: readonly [number, number];
  readonly signs: Uint8Array;
  readonly alpha: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], signs: Uint8Array, alpha: Float32Array) {
    this.shape = Object.freeze(expectShape2('BinaryWeights shape', shape));
    this.signs = signs;
    this.alpha = alpha;
    this.validate();
  }

  /** Packs row-major signs (each +1 or −1) and per-row scales (rounded to float32). */
  static fromSigns(shape: readonly [number, number], signs: ArrayLike<number>, alpha: ArrayLike<number>): BinaryWeights {
    const [rows, cols] = expectShape2('BinaryWeights.fromSigns shape', shape);
    if (signs === null || typeof signs !== 'object' || signs.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `BinaryWeights.fromSigns: shape [${rows}, ${cols}] needs ${rows * cols} signs, received ${describe(signs)}`);
    }
    const bits = packCodes(signBits('BinaryWeights.fromSigns signs', signs), rows, cols, 1);
    return new BinaryWeights([rows, cols], bits, toRowScales('BinaryWeights.fromSigns alpha', alpha, rows));
  }

  static fromBytes(bytes: Uint8Array): BinaryWeights {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 2);
    const [rows, cols] = header;
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || rows * cols > MAX_ELEMENTS) {
      throw new BitsieveError('E_CORRUPT', `BinaryWeights.fromBytes: absurd shape [${rows}, ${cols}]`);
    }
    const planeBytes = rows * packedRowBytes(cols, 1);
    const need = 4 * rows + align4(planeBytes);
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `BinaryWeights.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    try {
      return new BinaryWeights([rows, cols], new Uint8Array(copy.buffer, 4 * rows, planeBytes), new Float32Array(copy.buffer, 0, rows));
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `BinaryWeights.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Stored bits (sign bits incl. row padding + 32 per scale) per weight: 1 + 32/in when in is a multiple of 8. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    return rows * cols === 0 ? 0 : (8 * this.signs.length + 32 * this.alpha.length) / (rows * cols);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    expectBitPlane('BinaryWeights signs', this.signs, rows, cols);
    expectRowScales('BinaryWeights alpha', this.alpha, rows);
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const rowBytes = packedRowBytes(cols, 1);
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const a = this.alpha[r];
      for (let j = 0; j < cols; j++) w[r * cols + j] = (this.signs[r * rowBytes + (j >> 3)] >> (j & 7)) & 1 ? a : -a;
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const payload = new Uint8Array(4 * rows + align4(this.signs.length));
    payload.set(new Uint8Array(this.alpha.buffer, this.alpha.byteOffset, this.alpha.byteLength), 0);
    payload.set(this.signs, 4 * rows);
    return writeFramed(MAGIC, VERSION, [rows, cols], payload);
  }
}
