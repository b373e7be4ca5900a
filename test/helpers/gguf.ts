// Whole-array calls of a GGUF codec for the tests: every block of the input, into a new array.
import type { GgufCodec } from '../../src/formats/gguf/codec.js';
import { ggufCodec } from '../../src/formats/gguf/matrix.js';

/** The blocks of `x` (a whole number of blocks) quantized by `codec` (default: the registered one of `type`). */
export function quantize(type: string, x: Float32Array, codec: GgufCodec = ggufCodec(type)): Uint8Array {
  const blocks = x.length / codec.info.blockElems;
  const out = new Uint8Array(blocks * codec.info.blockBytes);
  codec.quantize!(x, 0, out, 0, blocks);
  return out;
}

/** Every block of `bytes` dequantized by the registered codec of `type`. */
export function dequantize(type: string, bytes: Uint8Array): Float32Array {
  const codec = ggufCodec(type);
  const blocks = bytes.length / codec.info.blockBytes;
  const out = new Float32Array(blocks * codec.info.blockElems);
  codec.dequantize(bytes, 0, out, 0, blocks);
  return out;
}
