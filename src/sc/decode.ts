// Stream → number (sc_encoded_mac.md §2.1, §2.6): unipolar ones/L, bipolar 2·ones/L − 1; an integral stream of
// range m (m consecutive planes) decodes to the sum of its planes' values, in [0, m] or [−m, m].
import { BitsieveError, describe } from '../runtime/errors.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export interface DecodeOptions {
  /** 'unipolar' (default) or 'bipolar'. */
  encoding?: ScEncoding;
  /** Integral range m: planes per value (batch.count must be a multiple). Default 1. */
  range?: number;
}

function checkDecode(batch: StreamBatch, options: DecodeOptions): { bipolar: boolean; m: number } {
  if (!(batch instanceof StreamBatch)) throw new BitsieveError('E_DTYPE', `decode: expected a StreamBatch, received ${describe(batch)}`);
  const encoding = options.encoding ?? 'unipolar';
  if (encoding !== 'unipolar' && encoding !== 'bipolar') throw new BitsieveError('E_RANGE', `decode encoding: expected 'unipolar' or 'bipolar', received ${describe(encoding)}`);
  const m = options.range ?? 1;
  if (!Number.isInteger(m) || m < 1 || batch.count % m !== 0) {
    throw new BitsieveError('E_RANGE', `decode range: expected an integer ≥ 1 dividing the ${batch.count} streams, received ${describe(m)}`);
  }
  return { bipolar: encoding === 'bipolar', m };
}

/**
 * Decodes every stream (or integral group of `range` planes) of a batch to its value.
 *
 * @example
 * ```ts
 * bs.sc.decode(batch, { encoding: 'bipolar' }); // Float64Array, one value per stream: 2·ones/L − 1
 * ```
 */
export function decode(batch: StreamBatch, options: DecodeOptions = {}): Float64Array {
  const { bipolar, m } = checkDecode(batch, options);
  const out = new Float64Array(batch.count / m);
  for (let i = 0; i < out.length; i++) {
    let ones = 0;
    for (let j = 0; j < m; j++) ones += batch.ones(i * m + j);
    out[i] = bipolar ? (2 * ones) / batch.length - m : ones / batch.length;
  }
  return out;
}

/** Progressive decode (UnarySim ProgError's pp_t): the running estimate after each cycle t = 1..L of value i,
 *  out[t − 1] = (ones in cycles 0..t−1)/t (bipolar: 2·…/t − 1; integral: summed over the planes). */
export function decodeProgressive(batch: StreamBatch, index: number, options: DecodeOptions = {}): Float64Array {
  const { bipolar, m } = checkDecode(batch, options);
  if (!Number.isInteger(index) || index < 0 || index >= batch.count / m) throw new BitsieveError('E_RANGE', `decodeProgressive index: expected an integer in [0, ${batch.count / m}), received ${describe(index)}`);
  const out = new Float64Array(batch.length);
  let ones = 0;
  for (let t = 0; t < batch.length; t++) {
    for (let j = 0; j < m; j++) ones += (batch.words[(index * m + j) * batch.stride + (t >>> 5)] >>> (t & 31)) & 1;
    out[t] = bipolar ? (2 * ones) / (t + 1) - m : ones / (t + 1);
  }
  return out;
}
