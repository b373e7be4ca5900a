// Stream metrics computed in plain TypeScript (cheap: O(L/32) per pair, or O(L) per stream): the SCC correlation
// of Alaghi & Hayes with UnarySim's clamped denominators (sc_encoded_mac.md §1.5), and UnarySim's progressive
// precision error and stability (§2.6).
import { BitsieveError, describe } from '../runtime/errors.js';
import { ENCODINGS, expectBatch, expectOneOf, expectSameLength } from './checks.js';
import { popcount32, type StreamBatch, type ScEncoding } from './stream.js';

/** Joint counts of a stream pair: a = #(1,1), b = #(1,0), c = #(0,1), d = #(0,0). */
export interface PairCounts {
  a: number;
  b: number;
  c: number;
  d: number;
}

function pairCounts(x: Uint32Array, y: Uint32Array, length: number): PairCounts {
  let a = 0;
  let ones = 0;
  let onesY = 0;
  for (let w = 0; w < x.length; w++) {
    a += popcount32(x[w] & y[w]);
    ones += popcount32(x[w]);
    onesY += popcount32(y[w]);
  }
  return { a, b: ones - a, c: onesY - a, d: length - ones - onesY + a };
}

/** SCC from joint counts; each denominator is clamped to ≥ 1, so a constant stream gives 0, never NaN. */
export function sccFromCounts({ a, b, c, d }: PairCounts): number {
  const n = a + b + c + d;
  const ad = a * d;
  const bc = b * c;
  if (ad > bc) return (ad - bc) / Math.max(1, n * Math.min(a + b, a + c) - (a + b) * (a + c));
  return (ad - bc) / Math.max(1, (a + b) * (a + c) - n * Math.max(a - d, 0));
}

/** Joint counts of stream i of x with stream i of y, for every i. */
export function pairCountsOf(x: StreamBatch, y: StreamBatch): PairCounts[] {
  expectBatch('scc x', x);
  expectBatch('scc y', y);
  expectSameLength('scc', x, y);
  if (x.count !== y.count) throw new BitsieveError('E_SHAPE', `scc: expected y to hold ${x.count} streams like x, received ${y.count}`);
  const out: PairCounts[] = [];
  for (let i = 0; i < x.count; i++) out.push(pairCounts(x.stream(i), y.stream(i), x.length));
  return out;
}

/** SCC ∈ [−1, 1] of stream i of x with stream i of y: Float64Array [count]. */
export function scc(x: StreamBatch, y: StreamBatch): Float64Array {
  return Float64Array.from(pairCountsOf(x, y), sccFromCounts);
}

export interface ProgressiveErrorOptions {
  /** How ones map to values (default 'unipolar'). */
  encoding?: ScEncoding;
}

/**
 * Progressive precision error (UnarySim ProgError): pe_i[t] = decode(ones of stream i in cycles 0..t)/(t + 1)
 * − clamp(target_i), the running estimate's error after t + 1 cycles. Returns Float64Array [count × length].
 */
export function progressiveError(batch: StreamBatch, targets: ArrayLike<number>, options: ProgressiveErrorOptions = {}): Float64Array {
  expectBatch('progressiveError', batch);
  const encoding = expectOneOf('progressiveError encoding', options.encoding ?? 'unipolar', ENCODINGS);
  if (!targets || targets.length !== batch.count) throw new BitsieveError('E_SHAPE', `progressiveError targets: expected ${batch.count} values, received ${describe(targets)}`);
  const lo = encoding === 'unipolar' ? 0 : -1;
  const out = new Float64Array(batch.count * batch.length);
  for (let i = 0; i < batch.count; i++) {
    const target = targets[i];
    if (typeof target !== 'number' || Number.isNaN(target)) throw new BitsieveError('E_RANGE', `progressiveError targets[${i}]: expected a number, received ${describe(target)}`);
    const clamped = Math.min(1, Math.max(lo, target));
    const words = batch.stream(i);
    let ones = 0;
    for (let t = 0; t < batch.length; t++) {
      ones += (words[t >>> 5] >>> (t & 31)) & 1;
      const p = ones / (t + 1);
      out[i * batch.length + t] = (encoding === 'unipolar' ? p : 2 * p - 1) - clamped;
    }
  }
  return out;
}

/**
 * UnarySim Stability of one progressive-error trace of T cycles: cycleToStable = 1 + the last cycle index where
 * |pe| > threshold (0 if none); stability = 1 − clamp(cycleToStable, 1, T)/T. Default threshold 0.05.
 */
export function stability(errors: ArrayLike<number>, threshold = 0.05): { cycleToStable: number; stability: number } {
  if (!errors || errors.length < 1) throw new BitsieveError('E_SHAPE', `stability: expected at least one error value, received ${describe(errors)}`);
  if (typeof threshold !== 'number' || !(threshold >= 0)) throw new BitsieveError('E_RANGE', `stability threshold: expected a number ≥ 0, received ${describe(threshold)}`);
  let cycleToStable = 0;
  for (let t = 0; t < errors.length; t++) if (Math.abs(errors[t]) > threshold) cycleToStable = t + 1;
  const T = errors.length;
  return { cycleToStable, stability: 1 - Math.min(T, Math.max(1, cycleToStable)) / T };
}
