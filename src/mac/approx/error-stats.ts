// Exhaustive error statistics of an approximate unit over every operand pair of its domain (all (a, b) with
// a, b in [min, max] of its w-bit operands: 65 536 pairs for w = 8). error = approx − exact.
// Mean relative error averages |error| / |exact| over the pairs with exact ≠ 0 only (pairs with exact = 0 are
// left out and counted in `zeroExactPairs`); this is EvoApproxLib's MRE (checked against its published BAM values).
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { ApproxAdder } from './adders.js';
import type { ApproxMultiplier } from './multipliers.js';

export interface ErrorStats {
  /** Operand pairs evaluated: (max − min + 1)². */
  pairs: number;
  /** Mean of approx − exact (signed: the bias). */
  meanError: number;
  /** Mean of |approx − exact|. */
  meanAbsoluteError: number;
  /** Max of |approx − exact|. */
  maxAbsoluteError: number;
  /** Mean of |approx − exact| / |exact| over the pairs with exact ≠ 0. */
  meanRelativeError: number;
  /** Pairs with exact = 0 (left out of meanRelativeError). */
  zeroExactPairs: number;
  /** Fraction of pairs with approx ≠ exact. */
  errorRate: number;
  /** meanAbsoluteError / max |exact| over the domain (NMED). */
  normalizedMeanErrorDistance: number;
}

/**
 * Exhaustive error statistics of an approximate multiplier or adder (at most 2^24 pairs, i.e. w ≤ 12).
 * Example: `errorStats(approxMultiplier({ kind: 'truncated', columns: 8 })).meanRelativeError`.
 */
export function errorStats(unit: ApproxMultiplier | ApproxAdder): ErrorStats {
  if (typeof unit !== 'object' || unit === null || (unit.unit !== 'multiplier' && unit.unit !== 'adder')) {
    throw new BitsieveError('E_DTYPE', `errorStats: expected an approximate multiplier or adder, received ${describe(unit)}`);
  }
  if (unit.bits > 12) throw new BitsieveError('E_RANGE', `errorStats: expected operands of at most 12 bits (2^24 pairs), received ${unit.bits}`);
  const approx = unit.unchecked;
  const exact = unit.exact;
  let sum = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  let sumRel = 0;
  let zeros = 0;
  let wrong = 0;
  let maxExact = 0;
  for (let a = unit.min; a <= unit.max; a++) {
    for (let b = unit.min; b <= unit.max; b++) {
      const e = exact(a, b);
      const d = approx(a, b) - e;
      const ad = Math.abs(d);
      sum += d;
      sumAbs += ad;
      if (ad > maxAbs) maxAbs = ad;
      if (d !== 0) wrong++;
      if (e === 0) zeros++;
      else sumRel += ad / Math.abs(e);
      if (Math.abs(e) > maxExact) maxExact = Math.abs(e);
    }
  }
  const pairs = (unit.max - unit.min + 1) ** 2;
  return {
    pairs,
    meanError: sum / pairs,
    meanAbsoluteError: sumAbs / pairs,
    maxAbsoluteError: maxAbs,
    meanRelativeError: pairs > zeros ? sumRel / (pairs - zeros) : 0,
    zeroExactPairs: zeros,
    errorRate: wrong / pairs,
    normalizedMeanErrorDistance: maxExact > 0 ? sumAbs / pairs / maxExact : 0,
  };
}
