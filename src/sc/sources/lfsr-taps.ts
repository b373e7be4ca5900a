// Maximal-length LFSR taps (sc_encoded_mac.md §1.2) and the check that a tap set is maximal.
// The table is the project's one copy of Xilinx XAPP052's list (src/formats/lfsr.ts, as Galois masks: bit t−1
// ↔ stage t); here it is read back as stage numbers. Every width 2..32 is covered; SC sources use 4..32.
import { LFSR_TAPS } from '../../formats/lfsr.js';
import { BitsieveError, describe } from '../../runtime/errors.js';

/** Smallest and largest register width of the SC LFSR sources. */
export const LFSR_MIN_WIDTH = 4;
export const LFSR_MAX_WIDTH = 32;

/** XAPP052 maximal taps of an n-bit register as stage numbers, highest first (e.g. 8 → [8, 6, 5, 4]). */
export function maximalTaps(width: number): number[] {
  const mask = LFSR_TAPS[width];
  if (!Number.isInteger(width) || width < 2 || width > 32 || mask === undefined) {
    throw new BitsieveError('E_RANGE', `LFSR width: expected an integer in [2, 32], received ${describe(width)}`);
  }
  const taps: number[] = [];
  for (let t = width; t >= 1; t--) if ((mask >>> (t - 1)) & 1) taps.push(t);
  return taps;
}

/** Tap mask: bit t−1 set for each stage t. */
export function tapMask(taps: readonly number[]): number {
  let mask = 0;
  for (const t of taps) mask = (mask | 2 ** (t - 1)) >>> 0;
  return mask >>> 0;
}

/** Validates custom taps for an n-bit register: distinct integers in [1, n] including n (else the register
 *  is narrower than n), and — unless `allowNonMaximal` — a maximal-length (primitive) feedback polynomial. */
export function checkTaps(width: number, taps: readonly number[], allowNonMaximal = false): number[] {
  if (!Array.isArray(taps) || taps.length === 0) throw new BitsieveError('E_RANGE', `LFSR taps: expected a non-empty array of stages in [1, ${width}], received ${describe(taps)}`);
  const seen = new Set<number>();
  for (const t of taps) {
    if (!Number.isInteger(t) || t < 1 || t > width || seen.has(t)) {
      throw new BitsieveError('E_RANGE', `LFSR taps: expected distinct integer stages in [1, ${width}], received ${JSON.stringify(taps)}`);
    }
    seen.add(t);
  }
  if (!seen.has(width)) throw new BitsieveError('E_RANGE', `LFSR taps: expected stage ${width} (the register width) among the taps, received ${JSON.stringify(taps)}`);
  if (!allowNonMaximal && !isMaximal(width, taps)) {
    throw new BitsieveError('E_RANGE', `LFSR taps ${JSON.stringify(taps)}: not maximal-length for width ${width} (period < 2^${width} − 1); pass allowNonMaximal to use them anyway`);
  }
  return [...taps].sort((a, b) => b - a);
}

/** Whether the n-bit register with these taps has period 2^n − 1: the feedback polynomial
 *  p(x) = x^n + Σ_{t<n} x^t + 1 is primitive ⇔ x has multiplicative order exactly 2^n − 1 modulo p
 *  (x^(2^n−1) ≡ 1 and x^((2^n−1)/q) ≢ 1 for every prime q | 2^n − 1). (The Fibonacci recurrence has the
 *  reciprocal polynomial, which is primitive exactly when p is.) Width ≤ 32: 2^n − 1 is factored by trial division. */
export function isMaximal(width: number, taps: readonly number[]): boolean {
  const n = BigInt(width);
  let p = (1n << n) | 1n;
  for (const t of taps) if (t < width) p |= 1n << BigInt(t);
  const order = (1n << n) - 1n;
  if (polyPowX(order, p, n) !== 1n) return false;
  for (const q of primeFactors(2 ** width - 1)) if (polyPowX(order / BigInt(q), p, n) === 1n) return false;
  return true;
}

/** x^e mod p over GF(2) (polynomials as bit masks, deg p = n). */
function polyPowX(e: bigint, p: bigint, n: bigint): bigint {
  let result = 1n;
  let base = 2n; // x
  if (n === 1n) base = reduce(base, p, n);
  while (e > 0n) {
    if (e & 1n) result = mulMod(result, base, p, n);
    base = mulMod(base, base, p, n);
    e >>= 1n;
  }
  return result;
}

function mulMod(a: bigint, b: bigint, p: bigint, n: bigint): bigint {
  let r = 0n;
  for (let i = n - 1n; i >= 0n; i--) {
    r <<= 1n;
    if ((r >> n) & 1n) r ^= p;
    if ((b >> i) & 1n) r ^= a;
  }
  return r;
}

function reduce(a: bigint, p: bigint, n: bigint): bigint {
  for (let i = BigInt(a.toString(2).length - 1); i >= n; i--) if ((a >> i) & 1n) a ^= p << (i - n);
  return a;
}

function primeFactors(v: number): number[] {
  const out: number[] = [];
  for (let d = 2; d * d <= v; d++) {
    if (v % d === 0) {
      out.push(d);
      while (v % d === 0) v /= d;
    }
  }
  if (v > 1) out.push(v);
  return out;
}
