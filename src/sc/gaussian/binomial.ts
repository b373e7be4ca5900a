// LFSR-window binomial Gaussian generator (VIBNN's RLF-GRNG idea, sc_encoded_mac.md §7): a long LFSR whose last L
// bits form a window (a circular buffer: new bit f = XOR of the bits `t` positions back, for each tap t; the
// bit L positions back leaves the window). The window's popcount C is kept incrementally, C ← C + f − b_out, and
// each sample is G = (C − L/2) / sqrt(L/4): C ~ Binomial(L, 1/2), so G ≈ N(0, 1) (excess kurtosis −2/L).
// Parameters VIBNN leaves open (§(c) 7) are explicit here: window L (default 127, taps [127, 126] =
// x^127 + x^126 + 1, a primitive trinomial), `stepsPerSample` LFSR steps between samples (default 1, as the
// hardware; consecutive samples then differ by at most 1/sqrt(L/4) — strongly serially correlated; L gives
// a fresh window per sample), and the initial window: L bits of xoshiro128** (uniform.ts) seeded by `seed`.
// Integer updates plus one correctly rounded sqrt: bit-identical on every host.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { checkTaps, maximalTaps } from '../sources/lfsr-taps.js';
import { expectInt } from '../sources/source.js';
import { Xoshiro128 } from '../sources/uniform.js';

export interface BinomialGaussianOptions {
  /** Samples to produce (1..2^28). */
  count: number;
  /** Seed of the initial window (integer in [0, 2^32)). */
  seed: number;
  /** Window length L = LFSR degree (4..65536). Default 127. */
  window?: number;
  /** Tap positions (1..L, must include L). Default [127, 126] for L = 127, the XAPP052 taps for L ≤ 32; required
   *  otherwise. Only range-checked for L > 32 (maximality is checked algebraically for L ≤ 32). */
  taps?: readonly number[];
  /** LFSR steps between samples (≥ 1). Default 1. */
  stepsPerSample?: number;
}

/** The default window's taps: x^127 + x^126 + 1 (XAPP052's 127-bit entry; primitive, checked in the tests). */
export const BINOMIAL_DEFAULT_TAPS: readonly number[] = [127, 126];

/**
 * Samples of the LFSR-window binomial generator.
 *
 * @example
 * ```ts
 * const g = binomialGaussian({ count: 1000, seed: 7, stepsPerSample: 127 }); // ≈ N(0, 1), same on every host
 * ```
 */
export function binomialGaussian(options: BinomialGaussianOptions): Float64Array {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', `binomialGaussian options: expected an object, received ${describe(options)}`);
  const count = expectInt('binomialGaussian count', options.count, 1, 2 ** 28);
  const L = expectInt('binomialGaussian window', options.window ?? 127, 4, 65536);
  const steps = expectInt('binomialGaussian stepsPerSample', options.stepsPerSample ?? 1, 1, 2 ** 20);
  let taps: number[];
  if (options.taps !== undefined) taps = L <= 32 ? checkTaps(L, options.taps) : checkLongTaps(L, options.taps);
  else if (L === 127) taps = [...BINOMIAL_DEFAULT_TAPS];
  else if (L <= 32) taps = maximalTaps(L);
  else throw new BitsieveError('E_RANGE', `binomialGaussian taps: required for a window of ${L} (defaults exist for 127 and ≤ 32)`);

  const rng = new Xoshiro128(options.seed);
  const ring = new Uint8Array(L);
  let c = 0;
  for (let k = 0; k < L; k += 32) {
    const word = rng.next();
    for (let b = 0; b < 32 && k + b < L; b++) c += ring[k + b] = (word >>> b) & 1;
  }
  if (c === 0) c = ring[0] = 1; // the all-zero window is the lock-up state
  const mean = L / 2;
  const sd = Math.sqrt(L / 4);
  const out = new Float64Array(count);
  let head = 0; // ring[head] = the oldest bit (L positions back), where the next bit goes
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < steps; s++) {
      let f = 0;
      for (const t of taps) f ^= ring[(head + L - t) % L];
      c += f - ring[head];
      ring[head] = f;
      head = head + 1 === L ? 0 : head + 1;
    }
    out[i] = (c - mean) / sd;
  }
  return out;
}

function checkLongTaps(L: number, taps: readonly number[]): number[] {
  if (!Array.isArray(taps) || taps.length === 0 || !taps.includes(L) || new Set(taps).size !== taps.length || taps.some((t) => !Number.isInteger(t) || t < 1 || t > L)) {
    throw new BitsieveError('E_RANGE', `binomialGaussian taps: expected distinct integers in [1, ${L}] including ${L}, received ${describe(taps)}`);
  }
  return [...taps];
}
