// `bs.sc`: the stochastic-computing family (sc_encoded_mac.md §1–7). Each method validates in TypeScript, then
// runs the SC kernels (assembly/sc/) on bit-packed StreamBatch streams; every random choice is an explicit,
// documented parameter, so the same arguments give the same bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';
import { fromMsbFirst, toMsbFirst } from './bit-order.js';
import { decode, decodeProgressive, type DecodeOptions } from './decode.js';
import { encode, type EncodeOptions } from './encode.js';
import { gaussian, type GaussianOptions } from './gaussian/gaussian.js';
import { vanDerCorput, type VanDerCorputOptions } from './sources/halton.js';
import { lfsr, type LfsrOptions } from './sources/lfsr.js';
import { ramp, type RampOptions } from './sources/ramp.js';
import { sobol, type SobolOptions } from './sources/sobol.js';
import type { ScSource } from './sources/source.js';
import { uniform, type UniformOptions } from './sources/uniform.js';
import type { StreamBatch } from './stream.js';

export class Sc {
  /** @internal use `bs.sc` */
  constructor(protected readonly runtime: Runtime) {}

  // --- number sources, stream generation, encode / decode, Gaussian generators ---

  /** LFSR source values (Fibonacci XOR/XNOR or Galois; see `lfsr`). Example: `bs.sc.lfsr({ width: 8 }).values` → 1, 2, 4, 8, 17, … */
  lfsr(options: LfsrOptions): ScSource {
    return lfsr(options);
  }

  /** Sobol source values (Gray-code order, Joe–Kuo directions; see `sobol`). Example: `bs.sc.sobol({ dimension: 1, bits: 8 })`. */
  sobol(options: SobolOptions): ScSource {
    return sobol(options);
  }

  /** Van der Corput / Halton source values (see `vanDerCorput`). Example: `bs.sc.vanDerCorput({ base: 3, bits: 8 })`. */
  vanDerCorput(options: VanDerCorputOptions): ScSource {
    return vanDerCorput(options);
  }

  /** Ramp (counter) source values, up or down (see `ramp`). */
  ramp(options: RampOptions): ScSource {
    return ramp(options);
  }

  /** Seeded xoshiro128** uniform source values (see `uniform`). */
  uniform(options: UniformOptions): ScSource {
    return uniform(options);
  }

  /**
   * Encodes values as streams with the comparator SNG (`X > R_t`, X = round-half-even(p·2^w) by default).
   *
   * @example
   * ```ts
   * const source = bs.sc.lfsr({ width: 8, insertZero: true });
   * const batch = bs.sc.encode([0.25, 0.5], { length: 256, source }); // 64 and 128 ones
   * bs.sc.decode(batch);                                              // Float64Array [0.25, 0.5]
   * ```
   */
  encode(values: ArrayLike<number>, options: EncodeOptions): StreamBatch {
    return encode(this.runtime, values, options);
  }

  /** Decodes each stream (or integral group): ones/L unipolar, 2·ones/L − 1 bipolar (summed over `range` planes). */
  decode(batch: StreamBatch, options?: DecodeOptions): Float64Array {
    return decode(batch, options);
  }

  /** The running decoded estimate of value `index` after each cycle (progressive precision). */
  decodeProgressive(batch: StreamBatch, index: number, options?: DecodeOptions): Float64Array {
    return decodeProgressive(batch, index, options);
  }

  /** The batch's words in MSB-first order (SCSimulation): cycle t at bit 31 − (t & 31). */
  toMsbFirst(batch: StreamBatch): Uint32Array {
    return toMsbFirst(batch);
  }

  /** A StreamBatch from MSB-first words (the inverse of `toMsbFirst`). */
  fromMsbFirst(words: Uint32Array, count: number, length: number): StreamBatch {
    return fromMsbFirst(words, count, length);
  }

  /**
   * Seeded ≈ N(0, 1) samples for Bayesian networks (VIBNN): `method` 'binomial' (LFSR window) or 'wallace'.
   *
   * @example
   * ```ts
   * const g = bs.sc.gaussian({ method: 'wallace', count: 4096, seed: 1 });
   * ```
   */
  gaussian(options: GaussianOptions): Float64Array {
    return gaussian(options);
  }

  // --- stream arithmetic, counters, correlation, FSM activations, pooling ---

  // --- layers ---
}
