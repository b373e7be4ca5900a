// One ggml block type's reference semantics in TypeScript: the oracle the wasm kernels are tested against
// and the path formats use to dequantize (formats never touch wasm). Written from lowbit.md §1 and §(a):
// every float operation rounded to float32 (Math.fround) in ggml's order, no fused multiply-add.
import type { GgufTypeInfo } from './types.js';

export interface GgufCodec {
  readonly info: GgufTypeInfo;
  /** ggml's reference dequantizer: `blocks` consecutive blocks from `src` (at byte `srcOffset`) into `dst`
   *  (at element `dstOffset`), bit-exact including −0.0. */
  dequantize(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, blocks: number): void;
  /** ggml's reference quantizer (`quantize_row_<type>_ref`), byte-identical blocks; absent where the type has
   *  no reference quantizer here. */
  quantize?(src: Float32Array, srcOffset: number, dst: Uint8Array, dstOffset: number, blocks: number): void;
}
