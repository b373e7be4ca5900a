// Signed w-bit operands (Int8Array values) ↔ their w-bit two's-complement codes (value & (2^w − 1)), the index
// of a product table and the bit pattern an encoder reads.
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInteger } from '../runtime/validate.js';

/** Smallest and largest operand width of the MAC family. */
export const MIN_OPERAND_BITS = 2;
export const MAX_OPERAND_BITS = 8;

/** `bits` checked to be an integer in [2, 8] (E_RANGE / E_DTYPE otherwise). */
export function expectOperandBits(name: string, bits: unknown): number {
  return expectInteger(name, bits, MIN_OPERAND_BITS, MAX_OPERAND_BITS);
}

/** `values` as w-bit codes; every value must lie in [−2^(w−1), 2^(w−1) − 1] (E_RANGE names the first that does not). */
export function operandCodes(name: string, values: unknown, bits: number, length?: number): Uint8Array {
  if (!(values instanceof Int8Array)) throw new BitsieveError('E_DTYPE', `${name}: expected an Int8Array of signed ${bits}-bit values, received ${describe(values)}`);
  if (length !== undefined && values.length !== length) throw new BitsieveError('E_SHAPE', `${name}: expected ${length} values, received ${values.length}`);
  const lo = -(1 << (bits - 1));
  const hi = (1 << (bits - 1)) - 1;
  const mask = (1 << bits) - 1;
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo || v > hi) throw new BitsieveError('E_RANGE', `${name}: expected signed ${bits}-bit values in [${lo}, ${hi}], received ${v} at index ${i}`);
    codes[i] = v & mask;
  }
  return codes;
}

/** The signed value of a w-bit code. */
export function codeValue(code: number, bits: number): number {
  return code >= 1 << (bits - 1) ? code - (1 << bits) : code;
}
