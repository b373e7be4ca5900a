// Sobol low-discrepancy source (sc_encoded_mac.md §1.3), Gray-code order as in hardware Sobol generators and
// PyTorch's SobolEngine: x_0 = 0, x_i = x_{i−1} XOR V_{c(i−1)+1}, c(j) = position of the least significant ZERO
// bit of j; V_k = m_k · 2^(32−k) with Joe–Kuo direction integers m_k (sobol-directions.ts). The w-bit value is
// the top w bits of the 32-bit x_i, i.e. floor(x_i / 2^32 · 2^w). The first point (0) is kept by default;
// `skipFirst` reproduces PyTorch ≤ 1.7 (which also used older direction numbers: only the skip is reproduced).
// Exactness: the first 2^w values of any dimension are a permutation of 0..2^w − 1.
import { BitsieveError } from '../../runtime/errors.js';
import { JOE_KUO_ROWS, SOBOL_MAX_DIMENSION } from './sobol-directions.js';
import { expectInt, expectLength, type ScSource } from './source.js';

export { SOBOL_MAX_DIMENSION };

export interface SobolOptions {
  /** Dimension, 1-based (1..SOBOL_MAX_DIMENSION = 1024). Dimension 1 is the van der Corput base-2 set in Gray order. */
  dimension: number;
  /** Value width w (1..32). */
  bits: number;
  /** Values to produce. Default 2^w (one exact period); at most 2^28. */
  length?: number;
  /** Drop the first point x_0 = 0 (old PyTorch behaviour; the same as start 1). Default false. */
  skipFirst?: boolean;
  /** Index of the first point (0..2^32 − 1): x_start = XOR of V_{k+1} over the set bits k of the Gray code
   *  start XOR (start >> 1). Default 0 (1 with skipFirst). */
  start?: number;
}

/** The 32 direction numbers V_1..V_32 of a dimension (32-bit). */
export function sobolDirections(dimension: number): Uint32Array {
  expectInt('sobol dimension', dimension, 1, SOBOL_MAX_DIMENSION);
  const v = new Uint32Array(32);
  if (dimension === 1) {
    for (let k = 1; k <= 32; k++) v[k - 1] = 2 ** (32 - k);
    return v;
  }
  const row = JOE_KUO_ROWS[dimension - 2];
  const s = row[0];
  const a = row[1];
  const m = new Array<number>(33);
  for (let k = 1; k <= s; k++) m[k] = row[1 + k];
  for (let k = s + 1; k <= 32; k++) {
    // m_k = m_{k−s} ⊕ 2^s m_{k−s} ⊕ ⊕_{j=1}^{s−1} 2^j a_j m_{k−j}, a_j = bit (s−1−j) of a.
    let mk = (m[k - s] ^ (m[k - s] * 2 ** s)) >>> 0;
    for (let j = 1; j < s; j++) if ((a >>> (s - 1 - j)) & 1) mk = (mk ^ (m[k - j] * 2 ** j)) >>> 0;
    m[k] = mk;
  }
  for (let k = 1; k <= 32; k++) v[k - 1] = m[k] * 2 ** (32 - k);
  return v;
}

/**
 * A Sobol source: `length` w-bit values of one dimension in Gray-code order.
 *
 * @example
 * ```ts
 * sobol({ dimension: 2, bits: 8, length: 4 }).values; // Uint32Array [0, 128, 64, 192]
 * ```
 */
export function sobol(options: SobolOptions): ScSource {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', 'sobol options: expected an object');
  const v = sobolDirections(options.dimension);
  const bits = expectInt('sobol bits', options.bits, 1, 32);
  const length = expectLength('sobol length', options.length ?? Math.min(2 ** bits, 2 ** 28));
  if (options.skipFirst && options.start !== undefined) throw new BitsieveError('E_RANGE', 'sobol: pass either skipFirst or start, not both');
  const start = expectInt('sobol start', options.start ?? (options.skipFirst ? 1 : 0), 0, 2 ** 32 - 1);
  const gray = (start ^ Math.floor(start / 2)) >>> 0;
  let x = 0;
  for (let k = 0; k < 32; k++) if ((gray >>> k) & 1) x = (x ^ v[k]) >>> 0;
  const shift = 32 - bits;
  const values = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    values[i] = x >>> shift;
    x = (x ^ v[lowestZeroBit(start + i)]) >>> 0;
  }
  return { bits, values };
}

/** Position of the least significant zero bit of j ≥ 0. */
function lowestZeroBit(j: number): number {
  let c = 0;
  while (j % 2 === 1) {
    j = (j - 1) / 2;
    c++;
  }
  return c;
}
