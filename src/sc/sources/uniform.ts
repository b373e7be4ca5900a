// Seeded uniform source (sc_encoded_mac.md §1, "true random" replaced by a reproducible generator):
// xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words, seeded by expanding the 32-bit seed with the
// SplitMix32 sequence z_k = mix32(seed + k·0x9E3779B9) (k = 1..4; mix32 = MurmurHash3's finalizer, from
// src/formats/lfsr.ts). Only 32-bit integer operations (Math.imul, shifts, xor), so every host produces the same values. A w-bit value is the top
// w bits of an output word.
import { BitsieveError } from '../../runtime/errors.js';
import { expectInt, expectLength, type ScSource } from './source.js';
import { mix32 } from '../../formats/lfsr.js';

export interface UniformOptions {
  /** Seed, an integer in [0, 2^32). */
  seed: number;
  /** Value width w (1..32). */
  bits: number;
  /** Values to produce (1..2^28). */
  length: number;
}


/** A xoshiro128** generator: `next()` returns the next 32-bit output as an unsigned integer. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    expectInt('xoshiro128 seed', seed, 0, 2 ** 32 - 1);
    // The state is kept as int32 (| 0): unsigned values ≥ 2^31 would be stored as heap doubles, ~50× slower.
    this.s0 = mix32((seed + 0x9e3779b9) >>> 0) | 0;
    this.s1 = mix32((seed + 2 * 0x9e3779b9) >>> 0) | 0;
    this.s2 = mix32((seed + 3 * 0x9e3779b9) >>> 0) | 0;
    this.s3 = mix32((seed + 4 * 0x9e3779b9) >>> 0) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  next(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A double in [0, 1) with 32 random bits (exact: output / 2^32). */
  nextUnit(): number {
    return this.next() / 4294967296;
  }
}

/**
 * A seeded uniform source: `length` w-bit values from xoshiro128**.
 *
 * @example
 * ```ts
 * const r = uniform({ seed: 42, bits: 8, length: 1024 }); // same values on every host
 * ```
 */
export function uniform(options: UniformOptions): ScSource {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', 'uniform options: expected an object');
  const rng = new Xoshiro128(options.seed);
  const bits = expectInt('uniform bits', options.bits, 1, 32);
  const length = expectLength('uniform length', options.length);
  const shift = 32 - bits;
  const values = new Uint32Array(length);
  for (let t = 0; t < length; t++) values[t] = rng.next() >>> shift;
  return { bits, values };
}
