// Bit-packed stochastic streams (sc_encoded_mac.md §10): `count` streams of `length` cycles each, cycle t of
// stream i at bit (t & 31) of word i·stride + (t >> 5) — LSB-first, as every bitsieve SC kernel reads them.
// `stride` (words per stream) is a multiple of 4 so the kernels take 128 cycles per v128; pad bits past
// `length` are always zero (every constructor and kernel keeps them so, and every count masks them anyway).
// An integral stream of range m (integral SC) is m binary streams stored next to each other (planes
// i·m … i·m + m − 1); its value at cycle t is the sum of the planes' bits.
import { BitsieveError, describe } from '../runtime/errors.js';

/** How a stream's ones fraction p maps to a value: unipolar p ∈ [0, 1], bipolar 2p − 1 ∈ [−1, 1]. */
export type ScEncoding = 'unipolar' | 'bipolar';

/** Words per stream of `length` cycles: whole 128-bit vectors. */
export function streamStride(length: number): number {
  return Math.ceil(length / 128) * 4;
}

/** Mask of the valid bits of word w of a stream of `length` cycles (0 for pad words). */
export function wordMask(length: number, w: number): number {
  const bits = length - 32 * w;
  return bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : (2 ** bits - 1) >>> 0;
}

export class StreamBatch {
  readonly count: number;
  readonly length: number;
  readonly stride: number;
  readonly words: Uint32Array;

  /** `words` (optional) must hold count·streamStride(length) words with zero pad bits; it is used, not copied. */
  constructor(count: number, length: number, words?: Uint32Array) {
    if (!Number.isInteger(count) || count < 0) throw new BitsieveError('E_RANGE', `StreamBatch count: expected an integer ≥ 0, received ${describe(count)}`);
    if (!Number.isInteger(length) || length < 1) throw new BitsieveError('E_RANGE', `StreamBatch length: expected an integer ≥ 1 (cycles), received ${describe(length)}`);
    this.count = count;
    this.length = length;
    this.stride = streamStride(length);
    const size = count * this.stride;
    if (words === undefined) {
      this.words = new Uint32Array(size);
      return;
    }
    if (!(words instanceof Uint32Array) || words.length !== size) {
      throw new BitsieveError('E_SHAPE', `StreamBatch words: expected a Uint32Array of ${size} words (${count} streams × ${this.stride}), received ${describe(words)}`);
    }
    this.words = words;
    this.validate();
  }

  /** Throws E_FORMAT when a pad bit is set. */
  validate(): this {
    for (let i = 0; i < this.count; i++) {
      for (let w = Math.floor((this.length - 1) / 32); w < this.stride; w++) {
        const extra = this.words[i * this.stride + w] & ~wordMask(this.length, w);
        if (extra !== 0) throw new BitsieveError('E_FORMAT', `StreamBatch: stream ${i} has bits set past its ${this.length} cycles (word ${w})`);
      }
    }
    return this;
  }

  /** The words of stream i (a view). */
  stream(i: number): Uint32Array {
    this.checkIndex(i);
    return this.words.subarray(i * this.stride, (i + 1) * this.stride);
  }

  /** Bit of stream i at cycle t. */
  bit(i: number, t: number): 0 | 1 {
    this.checkIndex(i);
    if (!Number.isInteger(t) || t < 0 || t >= this.length) throw new BitsieveError('E_RANGE', `StreamBatch cycle: expected an integer in [0, ${this.length}), received ${describe(t)}`);
    return ((this.words[i * this.stride + (t >>> 5)] >>> (t & 31)) & 1) as 0 | 1;
  }

  /** Number of ones of stream i. */
  ones(i: number): number {
    const s = this.stream(i);
    let n = 0;
    for (let w = 0; w < s.length; w++) n += popcount32(s[w]);
    return n;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new BitsieveError('E_RANGE', `StreamBatch stream: expected an integer in [0, ${this.count}), received ${describe(i)}`);
  }
}

/** Ones in a 32-bit word (SWAR). */
export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
