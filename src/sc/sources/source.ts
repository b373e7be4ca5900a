// The contract every number source (LFSR, Sobol, Halton, ramp, uniform) fulfils, so the comparator SNG can take
// any of them (sc_encoded_mac.md §1): a precomputed sequence of w-bit unsigned values R_0, R_1, … where R_t is
// the source's value at cycle t (for stateful sources: the state BEFORE the t-th update).
import { BitsieveError, describe } from '../../runtime/errors.js';

/** A precomputed w-bit source sequence; a stream of L cycles reads R_t = values[t mod values.length]. */
export interface ScSource {
  /** Value width w (1..32): every value is < 2^w, and encoders quantize values to w bits. */
  readonly bits: number;
  /** R_0 … R_{n−1}. */
  readonly values: Uint32Array;
}

/** Largest sequence any source materializes (values): 2^28 (1 GiB of u32). */
export const MAX_SOURCE_LENGTH = 2 ** 28;

/** Checks an integer option in [min, max]. */
export function expectInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BitsieveError('E_RANGE', `${name}: expected an integer in [${min}, ${max}], received ${describe(value)}`);
  }
  return value;
}

/** Checks a source length (values to produce). */
export function expectLength(name: string, value: unknown): number {
  return expectInt(name, value, 1, MAX_SOURCE_LENGTH);
}

/** Validates a user-supplied source: width 1..32, non-empty Uint32Array, every value < 2^bits. */
export function checkSource(name: string, source: ScSource): ScSource {
  if (source === null || typeof source !== 'object') throw new BitsieveError('E_DTYPE', `${name}: expected a source { bits, values }, received ${describe(source)}`);
  expectInt(`${name}.bits`, source.bits, 1, 32);
  if (!(source.values instanceof Uint32Array) || source.values.length === 0) {
    throw new BitsieveError('E_DTYPE', `${name}.values: expected a non-empty Uint32Array, received ${describe(source.values)}`);
  }
  const limit = 2 ** source.bits;
  for (let t = 0; t < source.values.length; t++) {
    if (source.values[t] >= limit) throw new BitsieveError('E_RANGE', `${name}.values[${t}]: expected < 2^${source.bits}, received ${source.values[t]}`);
  }
  return source;
}
