// Van der Corput / Halton sources (sc_encoded_mac.md §1.3): the radical inverse φ_b(i) = Σ_k d_k(i)·b^(−k−1) of the
// index i in natural order, as the w-bit value floor(φ_b(i)·2^w) computed exactly in integers. A Halton point
// set gives each operand its own base (`haltonBase(d)` = the d-th prime). Streams of length 2^w are exact only
// for base 2 (3 ∤ 2^w).
import { BitsieveError } from '../../runtime/errors.js';
import { expectInt, expectLength, type ScSource } from './source.js';

export interface VanDerCorputOptions {
  /** Base b ≥ 2 (at most 2^16). */
  base: number;
  /** Value width w (1..32). */
  bits: number;
  /** Values to produce. Default 2^w (at most 2^28). */
  length?: number;
  /** First index i. Default 0 (φ(0) = 0). */
  start?: number;
}

/**
 * A van der Corput source in base b (one Halton dimension).
 *
 * @example
 * ```ts
 * vanDerCorput({ base: 3, bits: 8, length: 4 }).values; // Uint32Array [0, 85, 170, 28]
 * ```
 */
export function vanDerCorput(options: VanDerCorputOptions): ScSource {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', 'vanDerCorput options: expected an object');
  const base = expectInt('vanDerCorput base', options.base, 2, 2 ** 16);
  const bits = expectInt('vanDerCorput bits', options.bits, 1, 32);
  const length = expectLength('vanDerCorput length', options.length ?? Math.min(2 ** bits, 2 ** 28));
  const start = expectInt('vanDerCorput start', options.start ?? 0, 0, 2 ** 36);
  const values = new Uint32Array(length);
  for (let t = 0; t < length; t++) values[t] = radicalInverse(start + t, base, bits);
  return { bits, values };
}

/** floor(φ_b(i)·2^w): the digits of i reversed into numerator/denominator (both < 2^53), then w bits of long division. */
function radicalInverse(i: number, base: number, bits: number): number {
  let num = 0;
  let den = 1;
  while (i > 0) {
    const d = i % base;
    i = (i - d) / base;
    num = num * base + d;
    den *= base;
  }
  let v = 0;
  for (let k = 0; k < bits; k++) {
    num *= 2;
    v *= 2;
    if (num >= den) {
      num -= den;
      v += 1;
    }
  }
  return v;
}

/** The d-th prime (d ≥ 1): the base of Halton dimension d (2, 3, 5, 7, 11, …). */
export function haltonBase(dimension: number): number {
  expectInt('halton dimension', dimension, 1, 6542); // primes < 2^16
  let found = 0;
  for (let p = 2; ; p++) {
    let prime = true;
    for (let q = 2; q * q <= p; q++) if (p % q === 0) { prime = false; break; }
    if (prime && ++found === dimension) return p;
  }
}
