// Test-only stream sources written from sc_encoded_mac.md §1.1–1.2 (not from src/): the Fibonacci shift-left XOR
// LFSR, the comparator SNG `bit = X > R_t`, and packing of 0/1 arrays into StreamBatch words (bit t of a
// stream at bit t & 31 of word t >> 5, zero padding to whole 128-bit vectors).
import { StreamBatch } from '../../src/index.js';

/** Fibonacci XOR LFSR: f = XOR of bit (tap − 1) over taps; s' = ((s << 1) | f) & (2^n − 1). R_t = state before update t. */
export function fibonacciStates(width: number, taps: number[], seed: number, cycles: number): number[] {
  const mask = 2 ** width - 1;
  const out: number[] = [];
  let s = seed;
  for (let t = 0; t < cycles; t++) {
    out.push(s);
    let f = 0;
    for (const tap of taps) f ^= (s >>> (tap - 1)) & 1;
    s = ((s << 1) | f) & mask;
  }
  return out;
}

/** The §1.2 table entry for 8 bits: taps 8, 6, 5, 4. */
export const fib8 = (seed: number, cycles: number) => fibonacciStates(8, [8, 6, 5, 4], seed, cycles);

/** Comparator SNG: bit t = X > R_t. */
export const comparator = (x: number, r: number[]): number[] => r.map((v) => (x > v ? 1 : 0));

/** Packs 0/1 arrays (all of one length) into a StreamBatch. */
export function packStreams(bits: ArrayLike<number>[], length = bits[0]?.length ?? 1): StreamBatch {
  const batch = new StreamBatch(bits.length, length);
  bits.forEach((b, i) => {
    if (b.length !== length) throw new Error('packStreams: ragged input');
    for (let t = 0; t < length; t++) if (b[t]) batch.words[i * batch.stride + (t >>> 5)] |= (1 << (t & 31)) >>> 0;
  });
  return batch;
}

/** Unpacks stream i to 0/1 numbers. */
export function unpackStream(batch: StreamBatch, i: number): number[] {
  return Array.from({ length: batch.length }, (_, t) => (batch.words[i * batch.stride + (t >>> 5)] >>> (t & 31)) & 1);
}

/** '0101…' (first cycle first) ↔ bits. */
export const fromText = (text: string) => Array.from(text, (c) => (c === '1' ? 1 : 0));
export const toText = (bits: number[]) => bits.join('');
