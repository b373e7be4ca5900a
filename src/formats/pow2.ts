// Power-of-two (base-2 logarithmic) weights: every weight is 0 or ±2^(e0 − k) with a small exponent index
// k per weight and an integer base exponent e0 per row or per tensor. Publicly stated by Ardakani et al.
// 2022 (arXiv 2202.12422, abstract only, lowbit.md §4.1): a base-2 logarithmic quantizer maps weights to
// power-of-two values so multiplications become shifts/adds, and pruning happens in the same quantizer.
// The exact code map below is this project's (derived from §4.1's PROPOSED reconstruction), not the paper's.
//
// Code map, b bits per weight (b ∈ [2, 6]), E = b − 1 exponent bits, Z = 2^E − 1:
//   code c = k | s << E  (k = low E bits, s = top bit)
//   k ∈ [0, Z − 1]: w = (s ? −1 : +1) · 2^(e0 − k)      — k grows as the magnitude halves
//   k = Z:          w = 0 (pruned), and s must be 0
// e.g. b = 4: codes 0…6 = +2^e0 … +2^(e0−6), 7 = 0, 8…14 = −2^e0 … −2^(e0−6), 15 invalid.
// The all-ones index is the zero code because 0 is where the halving ladder ends. e0 ∈ [−126 + Z − 1, 127],
// so every level is a normal float32 and toDense() is exact.
//
// ── Kernel design (phase 2; references in test/reference/lowbit-linear.ts) ────────────────────────────
// y[o] = 2^e0[o] · S[o],  S[o] = Σ_{j, k≠Z} ±x[j]·2^(−k[j]): per weight an exponent subtraction instead of
// a multiply, the row's 2^e0 applied once at the end.
//   · decode: the operator repacks codes to 4-bit fields (b ≤ 4) or bytes (b ≤ 6) at upload; nibbles are
//     split with v128.and / i8x16.shr_u and mapped by i8x16.swizzle through 16-entry tables to k and to
//     the sign, then widened to i32 lanes;
//   · term bits t = x_bits − (k << 23), t ^= s << 31: subtracting k from the biased exponent field is
//     x·2^(−k); flipping the sign bit negates, both exactly;
//   · guards, per lane: zero code → +0; x's exponent field ex ≤ k (x·2^−k would be subnormal, or x is ±0 or
//     subnormal, where the subtraction would borrow into the sign) → +0; ex = 255 (x is ±inf/NaN) → x
//     itself, sign-flipped (x·2^−k keeps inf/NaN). k ≥ 0, so a term never overflows;
//   · acc = f32x4.add(acc, t); y = f32(2^e0 · acc) with 2^e0 built from bits ((e0 + 127) << 23).
// Exactness against the dense product Σ f32(x·w) in the same order: every non-flushed term equals
// f32(x·2^(−k)) bit for bit (the product of a float by a power of two is exact while it stays normal), and
// scaling the sum by 2^e0 commutes with the rounding of each addition. Results are therefore identical
// except (a) a term x·2^(e0−k) or x·2^(−k) that is subnormal (flushed to 0 here, kept by a multiply),
// (b) partial sums that overflow to ±inf or underflow into subnormals on one side only because of the
// factored 2^e0, and (c) the sign of an exactly-zero result (we add +0 for a flushed term).
// Alternative with the same exactness minus (a): build the level ±2^(−k) from the code as float bits
// ((127 − k) << 23 | s << 31) and f32x4.mul it with x. In wasm SIMD a multiply costs no more than the
// integer ops plus guards, so the schedule should measure both; exponent addition is what hardware without
// multipliers would do, and the bit-level model of it (test/reference) checks the claim above.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectInteger, expectShape2 } from '../runtime/validate.js';
import { expectZeroPadding, packCodes, packedRowBytes, readCode } from './bitpack.js';
import { align4, readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSP2';
const VERSION = 1;

/** Supported bits per weight code. */
export const POW2_MIN_BITS = 2;
export const POW2_MAX_BITS = 6;

/** Whether the base exponent e0 is stored once per output row or once for the whole matrix. */
export type Pow2Scope = 'row' | 'tensor';

/** The facts of a code width: exponent bits E, the zero index Z = 2^E − 1, the largest magnitude index Z − 1. */
export interface Pow2Layout {
  readonly bits: number;
  readonly exponentBits: number;
  readonly zeroIndex: number;
  readonly maxIndex: number;
  /** Smallest e0 whose every level is a normal float32: −126 + maxIndex. */
  readonly minE0: number;
  readonly maxE0: 127;
}

/** Checks `bits` (E_DTYPE / E_RANGE) and returns its layout. */
export function pow2Layout(bits: unknown, name = 'power-of-two bits'): Pow2Layout {
  const b = expectInteger(name, bits, POW2_MIN_BITS, POW2_MAX_BITS);
  const zeroIndex = (1 << (b - 1)) - 1;
  return { bits: b, exponentBits: b - 1, zeroIndex, maxIndex: zeroIndex - 1, minE0: -126 + zeroIndex - 1, maxE0: 127 };
}

export interface Pow2Codes {
  /** Bits per code, in [2, 6]. */
  bits: number;
  /** 'row': one e0 per output row; 'tensor': one e0 for all rows. */
  scope: Pow2Scope;
  /** Base exponents (integers), `rows` long for scope 'row', 1 long for 'tensor'. */
  e0: ArrayLike<number>;
}

/**
 * Power-of-two [out, in] weights (see the code map above).
 *
 * - `codes`: u8[out · ⌈in·b/8⌉], b-bit codes packed LSB first along `in` (src/formats/bitpack.ts): row r
 *   starts at byte r·⌈in·b/8⌉, column j occupies bits j·b … j·b+b−1 of the row's bit stream, a code may
 *   continue into the next byte, and bits past column in−1 are 0.
 * - `e0`: i8[out] (scope 'row') or i8[1] (scope 'tensor'), each in [−126 + Z − 1, 127].
 */
export class PowerOfTwoWeights implements MatrixFormat {
  readonly kind = 'pow2' as const;
  readonly shape: readonly [number, number];
  readonly bits: number;
  readonly scope: Pow2Scope;
  readonly e0: Int8Array;
  readonly codes: Uint8Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], bits: number, scope: Pow2Scope, e0: Int8Array, codes: Uint8Array) {
    this.shape = Object.freeze(expectShape2('PowerOfTwoWeights shape', shape));
    this.bits = bits;
    this.scope = scope;
    this.e0 = e0;
    this.codes = codes;
    this.validate();
  }

  /** Packs row-major codes (integers of the code map) with their base exponents. */
  static fromCodes(shape: readonly [number, number], codes: ArrayLike<number>, options: Pow2Codes): PowerOfTwoWeights {
    const [rows, cols] = expectShape2('PowerOfTwoWeights.fromCodes shape', shape);
    const { bits, exponentBits, zeroIndex } = pow2Layout(options?.bits, 'PowerOfTwoWeights.fromCodes bits');
    if (codes === null || typeof codes !== 'object' || codes.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `PowerOfTwoWeights.fromCodes: shape [${rows}, ${cols}] needs ${rows * cols} codes, received ${describe(codes)}`);
    }
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (!Number.isInteger(c) || c < 0 || c >= 1 << bits || c === (zeroIndex | (1 << exponentBits))) {
        throw new BitsieveError('E_RANGE', `PowerOfTwoWeights.fromCodes codes[${i}]: expected a ${bits}-bit code other than the negative zero ${zeroIndex | (1 << exponentBits)}, received ${c}`);
      }
    }
    const e0 = options.e0;
    if (e0 === null || typeof e0 !== 'object' || typeof e0.length !== 'number') {
      throw new BitsieveError('E_DTYPE', `PowerOfTwoWeights.fromCodes e0: expected an array-like of integers, received ${describe(e0)}`);
    }
    for (let i = 0; i < e0.length; i++) expectInteger(`PowerOfTwoWeights.fromCodes e0[${i}]`, e0[i], -128, 127);
    return new PowerOfTwoWeights([rows, cols], bits, options.scope, Int8Array.from(e0), packCodes(codes, rows, cols, bits));
  }

  static fromBytes(bytes: Uint8Array): PowerOfTwoWeights {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 4);
    const [rows, cols, bits, scopeId] = header;
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || rows * cols > MAX_ELEMENTS) {
      throw new BitsieveError('E_CORRUPT', `PowerOfTwoWeights.fromBytes: absurd shape [${rows}, ${cols}]`);
    }
    if (bits < POW2_MIN_BITS || bits > POW2_MAX_BITS || scopeId > 1) {
      throw new BitsieveError('E_CORRUPT', `PowerOfTwoWeights.fromBytes: expected bits in [${POW2_MIN_BITS}, ${POW2_MAX_BITS}] and scope 0 | 1, received ${bits} and ${scopeId}`);
    }
    const scales = scopeId === 0 ? rows : 1;
    const codeBytes = rows * packedRowBytes(cols, bits);
    const need = align4(scales) + align4(codeBytes);
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `PowerOfTwoWeights.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice();
    try {
      return new PowerOfTwoWeights(
        [rows, cols],
        bits,
        scopeId === 0 ? 'row' : 'tensor',
        new Int8Array(copy.buffer, 0, scales),
        new Uint8Array(copy.buffer, align4(scales), codeBytes),
      );
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `PowerOfTwoWeights.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Stored bits (codes incl. row padding + 8 per base exponent) per weight: b + 8/in for scope 'row' when in·b is a multiple of 8. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    return rows * cols === 0 ? 0 : (8 * this.codes.length + 8 * this.e0.length) / (rows * cols);
  }

  /** The base exponent of row r. */
  e0Of(r: number): number {
    return this.scope === 'row' ? this.e0[r] : this.e0[0];
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { bits, exponentBits, zeroIndex, minE0, maxE0 } = pow2Layout(this.bits, 'PowerOfTwoWeights bits');
    const { scope, e0, codes } = this;
    if (scope !== 'row' && scope !== 'tensor') throw new BitsieveError('E_RANGE', `PowerOfTwoWeights scope: expected 'row' | 'tensor', received ${describe(scope)}`);
    if (!(e0 instanceof Int8Array)) throw new BitsieveError('E_DTYPE', `PowerOfTwoWeights e0: expected an Int8Array, received ${describe(e0)}`);
    if (!(codes instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `PowerOfTwoWeights codes: expected a Uint8Array, received ${describe(codes)}`);
    const scales = scope === 'row' ? rows : 1;
    if (e0.length !== scales) throw new BitsieveError('E_FORMAT', `PowerOfTwoWeights e0: scope '${scope}' needs ${scales} base exponents, received ${e0.length}`);
    for (let i = 0; i < e0.length; i++) {
      if (e0[i] < minE0 || e0[i] > maxE0) {
        throw new BitsieveError('E_RANGE', `PowerOfTwoWeights e0[${i}]: expected an integer in [${minE0}, ${maxE0}] (every ${bits}-bit level a normal float32), received ${e0[i]}`);
      }
    }
    const rowBytes = packedRowBytes(cols, bits);
    if (codes.length !== rows * rowBytes) throw new BitsieveError('E_FORMAT', `PowerOfTwoWeights codes: expected out·⌈in·${bits}/8⌉ = ${rows * rowBytes} bytes, received ${codes.length}`);
    expectZeroPadding('PowerOfTwoWeights codes', codes, rows, cols, bits);
    const negativeZero = zeroIndex | (1 << exponentBits);
    // cols = 0 ends the loop at once: scope 'tensor' lets a tiny payload claim up to 2^30 empty rows.
    for (let r = 0; r < rows && cols > 0; r++) {
      for (let j = 0; j < cols; j++) {
        if (readCode(codes, r * rowBytes, j, bits) === negativeZero) {
          throw new BitsieveError('E_FORMAT', `PowerOfTwoWeights row ${r}, column ${j}: code ${negativeZero} (a zero with the sign bit set) is not allowed`);
        }
      }
    }
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const { bits, exponentBits, zeroIndex } = pow2Layout(this.bits);
    const rowBytes = packedRowBytes(cols, bits);
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows && cols > 0; r++) {
      const e0 = this.e0Of(r);
      for (let j = 0; j < cols; j++) {
        const c = readCode(this.codes, r * rowBytes, j, bits);
        const k = c & zeroIndex;
        if (k !== zeroIndex) w[r * cols + j] = (c >> exponentBits ? -1 : 1) * 2 ** (e0 - k);
      }
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const payload = new Uint8Array(align4(this.e0.length) + align4(this.codes.length));
    payload.set(new Uint8Array(this.e0.buffer, this.e0.byteOffset, this.e0.length), 0);
    payload.set(this.codes, align4(this.e0.length));
    return writeFramed(MAGIC, VERSION, [rows, cols, this.bits, this.scope === 'row' ? 0 : 1], payload);
  }
}
