// Field access inside ggml blocks (little-endian, unaligned) and the span check every codec entry runs,
// so a codec called directly can never read or write past its arrays.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { bitsToFloat, floatToBits, floatToHalf, halfToFloat } from '../half.js';
import type { GgufCodec } from './codec.js';
import type { GgufTypeInfo } from './types.js';

/** The fp16 field at byte `o`, as a float32 value (exact). */
export function readHalf(b: Uint8Array, o: number): number {
  return halfToFloat(b[o] | (b[o + 1] << 8));
}

/** Stores `v` (a float32 value) as fp16 at byte `o`, rounding as ggml's GGML_FP32_TO_FP16 does. */
export function writeHalf(b: Uint8Array, o: number, v: number): void {
  const h = floatToHalf(v);
  b[o] = h & 0xff;
  b[o + 1] = h >>> 8;
}

/** The float32 field at byte `o`. */
export function readFloat(b: Uint8Array, o: number): number {
  return bitsToFloat((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0);
}

export function writeFloat(b: Uint8Array, o: number, v: number): void {
  const bits = floatToBits(v);
  b[o] = bits & 0xff;
  b[o + 1] = (bits >>> 8) & 0xff;
  b[o + 2] = (bits >>> 16) & 0xff;
  b[o + 3] = bits >>> 24;
}

/** E_DTYPE / E_RANGE unless `blocks` blocks fit both arrays at their offsets. */
export function expectBlockSpan(
  info: GgufTypeInfo,
  bytes: unknown,
  byteOffset: number,
  floats: unknown,
  floatOffset: number,
  blocks: number,
): void {
  const where = `${info.name} codec`;
  if (!(bytes instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `${where}: expected a Uint8Array of blocks, received ${describe(bytes)}`);
  if (!(floats instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `${where}: expected a Float32Array, received ${describe(floats)}`);
  for (const [name, v] of [['blocks', blocks], ['byte offset', byteOffset], ['element offset', floatOffset]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new BitsieveError('E_RANGE', `${where}: expected a non-negative integer ${name}, received ${describe(v)}`);
  }
  const needBytes = byteOffset + blocks * info.blockBytes;
  const needFloats = floatOffset + blocks * info.blockElems;
  if (needBytes > bytes.length || needFloats > floats.length) {
    throw new BitsieveError(
      'E_RANGE',
      `${where}: ${blocks} blocks need bytes [${byteOffset}, ${needBytes}) and elements [${floatOffset}, ${needFloats}), received ${bytes.length} bytes and ${floats.length} elements`,
    );
  }
}

type BlockFn<S, D> = (src: S, srcOffset: number, dst: D, dstOffset: number, blocks: number) => void;

/** A codec whose entries check their spans before running the unchecked block loops. */
export function blockCodec(info: GgufTypeInfo, dequantize: BlockFn<Uint8Array, Float32Array>, quantize?: BlockFn<Float32Array, Uint8Array>): GgufCodec {
  const codec: GgufCodec = {
    info,
    dequantize(src, srcOffset, dst, dstOffset, blocks) {
      expectBlockSpan(info, src, srcOffset, dst, dstOffset, blocks);
      dequantize(src, srcOffset, dst, dstOffset, blocks);
    },
  };
  if (quantize) {
    codec.quantize = (src, srcOffset, dst, dstOffset, blocks) => {
      expectBlockSpan(info, dst, dstOffset, src, srcOffset, blocks);
      quantize(src, srcOffset, dst, dstOffset, blocks);
    };
  }
  return Object.freeze(codec);
}
