// MSB-first interchange (sc_encoded_mac.md §0 choice 8, §10): SCSimulation packs cycle t at bit 31 − (t & 31) of
// word t >> 5; bitsieve packs LSB-first. Converting reverses the bits of every word (same words, same stride).
import { BitsieveError, describe } from '../runtime/errors.js';
import { StreamBatch } from './stream.js';

function reverse32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/** The batch's words with cycle t at bit 31 − (t & 31) (SCSimulation order); same layout and stride otherwise. */
export function toMsbFirst(batch: StreamBatch): Uint32Array {
  if (!(batch instanceof StreamBatch)) throw new BitsieveError('E_DTYPE', `toMsbFirst: expected a StreamBatch, received ${describe(batch)}`);
  return batch.words.map(reverse32);
}

/** The inverse of `toMsbFirst`: MSB-first words (count · streamStride(length), pad bits zero) → a StreamBatch. */
export function fromMsbFirst(words: Uint32Array, count: number, length: number): StreamBatch {
  if (!(words instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `fromMsbFirst: expected a Uint32Array, received ${describe(words)}`);
  return new StreamBatch(count, length, words.map(reverse32));
}
