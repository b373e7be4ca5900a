// UnarySim FSUMul (uGEMM in-stream multiplier, sc_encoded_mac.md §2.2): the second operand's comparator SNG
// advances its source index only on cycles where the input stream is 1, so with a permutation source the product
// count is (nearly) exact. Sequential per stream (the index depends on every earlier bit), cheap: O(L) in TS.
import { BitsieveError, describe } from '../runtime/errors.js';
import { ENCODINGS, expectBatch, expectInt, expectOneOf } from './checks.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export interface InStreamMultiplyOptions {
  /** 'unipolar' (default): out = in AND (X > R[i₁]), i₁ += in. 'bipolar' adds NOT in AND NOT(X > R[i₀]), i₀ += NOT in. */
  encoding?: ScEncoding;
}

/**
 * Multiplies stream i of `streams` by the integer X_i = `values[i]` drawn through `source` (R_0, R_1, …, read
 * cyclically; comparator `X > R`). Both indices start at 0 for every stream.
 */
export function inStreamMultiply(streams: StreamBatch, values: ArrayLike<number>, source: ArrayLike<number>, options: InStreamMultiplyOptions = {}): StreamBatch {
  expectBatch('inStreamMultiply', streams);
  const encoding = expectOneOf('inStreamMultiply encoding', options.encoding ?? 'unipolar', ENCODINGS);
  if (!values || values.length !== streams.count) throw new BitsieveError('E_SHAPE', `inStreamMultiply values: expected ${streams.count} values, received ${describe(values)}`);
  if (!source || !(source.length >= 1)) throw new BitsieveError('E_SHAPE', `inStreamMultiply source: expected at least one source value, received ${describe(source)}`);
  for (let t = 0; t < source.length; t++) expectInt(`inStreamMultiply source[${t}]`, source[t], 0, 2 ** 32 - 1);
  const out = new StreamBatch(streams.count, streams.length);
  for (let i = 0; i < streams.count; i++) {
    const x = expectInt(`inStreamMultiply values[${i}]`, values[i], 0, 2 ** 32);
    const s = streams.stream(i);
    const o = i * out.stride;
    let on = 0;
    let off = 0;
    for (let t = 0; t < streams.length; t++) {
      const bit = (s[t >>> 5] >>> (t & 31)) & 1;
      let y: number;
      if (bit) y = x > source[on++ % source.length] ? 1 : 0;
      else y = encoding === 'bipolar' && !(x > source[off++ % source.length]) ? 1 : 0;
      if (y) out.words[o + (t >>> 5)] |= (1 << (t & 31)) >>> 0;
    }
  }
  return out;
}
