// Resident linear layer over GGUF blocks: the bytes are copied into wasm memory once, exactly as the file
// holds them (no f32 copy of the matrix ever exists).
// Batch 1: the type's fused GEMV, with f32 activations (`f32_gemv_<type>`) or, with `activations: 'q8'`,
// ggml's integer path (x quantized once per call to Q8_0/Q8_1, then `q8_gemv_<type>`).
// Batch > 1, and types without a fused GEMV: tiles of rows are dequantized (bit-exact kernel) into a small
// scratch tile, packed into 8-row panels and multiplied against every batch row by the dense micro-kernels,
// so each dequantized weight is reused across the whole batch.
import type { GgufMatrix } from '../formats/gguf/matrix.js';
import type { GgufTypeInfo } from '../formats/gguf/types.js';
import { ggufRowBytes, ggufType } from '../formats/gguf/types.js';
import { BitsieveError } from '../runtime/errors.js';
import { checkActivationPrecision, expectFiniteActivations, type ActivationPrecision } from './activation-precision.js';
import type { Runtime } from '../runtime/runtime.js';
import { ggufKernels, kernel, type BlockKernel, type GemvKernel, type GgufKernelEntry } from './gguf-kernels.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export type GgufActivations = ActivationPrecision;

export interface GgufLinearOptions extends LinearOptions {
  /** Batch-1 activations: 'f32' (default) multiplies the f32 input by the dequantized codes; 'q8' quantizes the
   *  input once per call to ggml's activation blocks and runs ggml's integer dot (bit-identical in every build;
   *  needs finite inputs). Batches > 1 always run in f32. */
  activations?: GgufActivations;
}

/** Dense panels are 8 rows (assembly/dense/pack.ts). */
const NR = 8;
/** Scratch f32 tile of dequantized rows per step of the batched path. */
const TILE_BYTES = 256 << 10;

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

export class GgufLinear extends LinearOperator {
  readonly type: GgufTypeInfo;
  readonly activations: GgufActivations;
  private readonly kernels: GgufKernelEntry;
  private readonly rowBytes: number;
  private readonly blocks!: number;
  /** 0 when the layer has no bias (the kernels then add nothing). */
  private readonly bias: number = 0;

  /** @internal use `bs.linear(matrix)` with a GgufMatrix */
  constructor(runtime: Runtime, weights: GgufMatrix, options: GgufLinearOptions = {}) {
    super(runtime, 'GgufLinear', weights.shape, options);
    this.type = weights.type;
    this.kernels = ggufKernels(weights.type);
    this.activations = checkActivationPrecision(options.activations, 'GgufLinear');
    if (this.activations === 'q8' && !this.kernels.q8) {
      throw new BitsieveError('E_UNSUPPORTED', `GgufLinear activations: 'q8' needs an integer-dot kernel, which ${this.type.name} does not have in this version; use 'f32'`);
    }
    this.rowBytes = ggufRowBytes(this.type, this.inFeatures);
    try {
      this.blocks = this.ownCopy(weights.data);
      if (options.bias !== undefined) {
        const padded = roundUp(this.outFeatures, NR); // the dense kernels read whole 8-row panels of bias
        this.bias = this.own(padded * 4);
        this.writeBias(this.bias, padded, options.bias);
      }
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const relu = this.reluFlag;
    if (rows === 1 && this.activations === 'q8' && this.kernels.q8) {
      const act = this.kernels.q8;
      expectFiniteActivations(this.heap.f32(x, this.inFeatures), 'GgufLinear');
      const info = ggufType(act.type);
      const blocks = this.inFeatures / info.blockElems;
      this.withScratch([blocks * info.blockBytes], (xq) => {
        kernel<BlockKernel>(k, act.quantize)(x, xq, blocks);
        kernel<GemvKernel>(k, act.gemv)(this.blocks, this.bias, xq, y, this.outFeatures, this.inFeatures, relu);
      });
      return;
    }
    if (rows === 1 && this.kernels.gemv) {
      kernel<GemvKernel>(k, this.kernels.gemv)(this.blocks, this.bias, x, y, this.outFeatures, this.inFeatures, relu);
      return;
    }
    this.tiled(x, y, rows);
  }

  /** Rows per dequantized tile: a multiple of the panel height, the tile within TILE_BYTES when possible. */
  private tileRows(): number {
    const fit = Math.floor(TILE_BYTES / Math.max(1, this.inFeatures * 4 * NR)) * NR;
    return Math.min(Math.max(NR, fit), roundUp(this.outFeatures, NR));
  }

  private tiled(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const K = this.inFeatures;
    const N = this.outFeatures;
    const R = this.tileRows();
    const dequant = kernel<BlockKernel>(k, this.kernels.dequant);
    const blocksPerRow = K / this.type.blockElems;
    const zeros = this.bias === 0 ? R * 4 : 0;
    this.withScratch([R * K * 4, R * K * 4, rows > 1 ? rows * R * 4 : 0, zeros], (tile, packed, yTile, zeroBias) => {
      if (zeros) this.heap.f32(zeroBias, R).fill(0);
      for (let r0 = 0; r0 < N; r0 += R) {
        const n = Math.min(R, N - r0);
        dequant(this.blocks + r0 * this.rowBytes, tile, n * blocksPerRow);
        k.f32_pack_dense_nr8(tile, packed, n, K);
        const bias = this.bias === 0 ? zeroBias : this.bias + r0 * 4;
        if (rows === 1) {
          k.f32_gemv_dense_nr8(packed, bias, x, y + r0 * 4, n, K, this.reluFlag);
          continue;
        }
        k.f32_gemm_dense_4x8(packed, bias, x, yTile, rows, n, K, this.reluFlag);
        const src = this.heap.f32(yTile, rows * n);
        const dst = this.heap.f32(y, rows * N);
        for (let b = 0; b < rows; b++) dst.set(src.subarray(b * n, (b + 1) * n), b * N + r0);
      }
    });
  }
}
