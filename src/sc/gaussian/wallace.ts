// Wallace Gaussian generator (Wallace 1996; the basis of VIBNN's BNN-oriented Wallace GRNG, sc_encoded_mac.md §7).
// A pool of N Gaussian values (N a power of two ≥ 4) is repeatedly mixed by the orthogonal 4×4 transform
//   t = (x1 + x2 + x3 + x4)/2;  x1' = t − x1, x2' = t − x2, x3' = x3 − t, x4' = x4 − t
// which preserves Σx² (so the pool keeps variance 1). Parameters the paper leaves open are explicit:
// - initial pool: Irwin–Hall sums of 12 xoshiro128** uniforms (u = output/2^32, x = Σu − 6, exact in f64), then
//   scaled so Σx² = N;
// - addressing: each pass draws an offset o and an odd stride s (two xoshiro128** outputs, mod N) and visits the
//   pool in the order (o + k·s) mod N, k = 0..N−1 (a permutation since s is odd), transforming consecutive
//   quadruples in place and emitting the 4 new values;
// - `warmup` passes whose outputs are discarded (default 2); no chi-square variance correction.
// Additions, halvings and one correctly rounded sqrt: bit-identical on every host.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInt } from '../sources/source.js';
import { Xoshiro128 } from '../sources/uniform.js';

export interface WallaceGaussianOptions {
  /** Samples to produce (1..2^28). */
  count: number;
  /** Seed (integer in [0, 2^32)). */
  seed: number;
  /** Pool size N, a power of two in [4, 2^20]. Default 1024. */
  poolSize?: number;
  /** Passes over the pool before the first output. Default 2. */
  warmup?: number;
}

/**
 * Samples of the Wallace generator.
 *
 * @example
 * ```ts
 * const g = wallaceGaussian({ count: 4096, seed: 1 }); // ≈ N(0, 1), same on every host
 * ```
 */
export function wallaceGaussian(options: WallaceGaussianOptions): Float64Array {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', `wallaceGaussian options: expected an object, received ${describe(options)}`);
  const count = expectInt('wallaceGaussian count', options.count, 1, 2 ** 28);
  const n = expectInt('wallaceGaussian poolSize', options.poolSize ?? 1024, 4, 2 ** 20);
  if ((n & (n - 1)) !== 0) throw new BitsieveError('E_RANGE', `wallaceGaussian poolSize: expected a power of two, received ${n}`);
  const warmup = expectInt('wallaceGaussian warmup', options.warmup ?? 2, 0, 1024);
  const rng = new Xoshiro128(options.seed);
  const pool = new Float64Array(n);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    let x = -6;
    for (let k = 0; k < 12; k++) x += rng.nextUnit();
    pool[i] = x;
    energy += x * x;
  }
  const scale = Math.sqrt(n / energy);
  for (let i = 0; i < n; i++) pool[i] *= scale;

  const out = new Float64Array(count);
  let produced = -warmup * n;
  const idx = [0, 0, 0, 0];
  while (produced < count) {
    const o = rng.next() % n;
    const s = ((rng.next() | 1) >>> 0) % n;
    for (let k = 0; k < n; k += 4) {
      for (let j = 0; j < 4; j++) idx[j] = (o + (k + j) * s) % n;
      const x1 = pool[idx[0]];
      const x2 = pool[idx[1]];
      const x3 = pool[idx[2]];
      const x4 = pool[idx[3]];
      const t = (x1 + x2 + x3 + x4) / 2;
      pool[idx[0]] = t - x1;
      pool[idx[1]] = t - x2;
      pool[idx[2]] = x3 - t;
      pool[idx[3]] = x4 - t;
      for (let j = 0; j < 4; j++) {
        if (produced >= 0 && produced < count) out[produced] = pool[idx[j]];
        produced++;
      }
    }
  }
  return out;
}
