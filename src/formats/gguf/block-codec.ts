// Building blocks of the codec implementations: argument checks done once per call (so the loops below never
// read or write outside the arrays), the per-block loop, and the dequantization shape most types share.
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { GgufCodec } from './codec.js';
import { ggufType, type GgufTypeInfo, type GgufTypeName } from './types.js';

type Dequantize = GgufCodec['dequantize'];
type Quantize = NonNullable<GgufCodec['quantize']>;

/** One block: `dequantizeBlock` reads the block at byte `at` into dst[to …]; `quantizeBlock` the reverse. */
export interface BlockFunctions {
  dequantizeBlock(src: Uint8Array, at: number, dst: Float32Array, to: number): void;
  quantizeBlock?(src: Float32Array, from: number, dst: Uint8Array, at: number): void;
}

/** Span functions; they may assume every argument has been checked. */
export interface SpanFunctions {
  dequantize: Dequantize;
  quantize?: Quantize;
}

function expectSpan(what: string, array: unknown, kind: typeof Uint8Array | typeof Float32Array, offset: unknown, count: number): void {
  if (!(array instanceof kind)) throw new BitsieveError('E_DTYPE', `${what}: expected a ${kind.name}, received ${describe(array)}`);
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new BitsieveError('E_RANGE', `${what} offset: expected a non-negative integer, received ${describe(offset)}`);
  }
  if ((offset as number) + count > array.length) {
    throw new BitsieveError('E_RANGE', `${what}: expected ${count} elements from offset ${offset}, received an array of ${array.length}`);
  }
}

function expectBlocks(name: string, blocks: unknown): number {
  if (!Number.isSafeInteger(blocks) || (blocks as number) < 0) {
    throw new BitsieveError('E_RANGE', `${name} blocks: expected a non-negative integer, received ${describe(blocks)}`);
  }
  return blocks as number;
}

/** A codec for `type` whose span functions only ever see arguments that fit their arrays. */
export function defineCodec(type: GgufTypeName, spans: SpanFunctions): GgufCodec {
  const info = ggufType(type);
  const { blockElems, blockBytes } = info;
  const dequantize: Dequantize = (src, srcOffset, dst, dstOffset, blocks) => {
    const n = expectBlocks(`${type} dequantize`, blocks);
    expectSpan(`${type} dequantize source`, src, Uint8Array, srcOffset, n * blockBytes);
    expectSpan(`${type} dequantize destination`, dst, Float32Array, dstOffset, n * blockElems);
    spans.dequantize(src, srcOffset, dst, dstOffset, n);
  };
  const quantizeSpan = spans.quantize;
  const quantize: Quantize | undefined = quantizeSpan
    ? (src, srcOffset, dst, dstOffset, blocks) => {
        const n = expectBlocks(`${type} quantize`, blocks);
        expectSpan(`${type} quantize source`, src, Float32Array, srcOffset, n * blockElems);
        expectSpan(`${type} quantize destination`, dst, Uint8Array, dstOffset, n * blockBytes);
        quantizeSpan(src, srcOffset, dst, dstOffset, n);
      }
    : undefined;
  return Object.freeze(quantize ? { info, dequantize, quantize } : { info, dequantize });
}

/** Span functions that run one-block functions over consecutive blocks. */
export function eachBlock(info: GgufTypeInfo, fns: BlockFunctions): SpanFunctions {
  const { blockElems, blockBytes } = info;
  const dequantize: Dequantize = (src, at, dst, to, blocks) => {
    for (let b = 0; b < blocks; b++) fns.dequantizeBlock(src, at + b * blockBytes, dst, to + b * blockElems);
  };
  const quantizeBlock = fns.quantizeBlock;
  if (!quantizeBlock) return { dequantize };
  const quantize: Quantize = (src, from, dst, at, blocks) => {
    for (let b = 0; b < blocks; b++) quantizeBlock(src, from + b * blockElems, dst, at + b * blockBytes);
  };
  return { dequantize, quantize };
}

/** A block codec for `type` from its one-block functions. */
export function blockCodec(type: GgufTypeName, fns: BlockFunctions): GgufCodec {
  return defineCodec(type, eachBlock(ggufType(type), fns));
}

/** The dequantization most ggml types share: y[j] = f32(values[codes[j]] · d), one rounding, so −0.0 appears
 *  exactly where ggml's `x0*d` produces it (a zero code value times a negative d) and a NaN d gives NaN. */
export function scaleCodes(values: ArrayLike<number>, codes: ArrayLike<number>, d: number, dst: Float32Array, to: number): void {
  for (let j = 0; j < codes.length; j++) dst[to + j] = Math.fround(values[codes[j]] * d);
}
