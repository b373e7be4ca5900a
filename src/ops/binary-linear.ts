// Resident binary-weight layer (BinaryWeights): the sign plane and the per-row α are copied into wasm memory
// as the format stores them; batch 1 → f32_gemv_binary, batch > 1 → f32_gemm_binary (assembly/quant/bitplane.ts:
// sign-flip and add, or add precomputed signed sums; one α multiply per output).
import type { BinaryWeights } from '../formats/binary.js';
import type { Runtime } from '../runtime/runtime.js';
import { withTableScratch } from './table-scratch.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export class BinaryLinear extends LinearOperator {
  private readonly signs: number;
  private readonly alpha: number;
  private readonly bias: number;

  /** @internal use `bs.linear(binaryWeights)` */
  constructor(runtime: Runtime, weights: BinaryWeights, options: LinearOptions = {}) {
    super(runtime, 'BinaryLinear', weights.shape, options);
    [this.signs, this.alpha, this.bias] = this.ownWeights([weights.signs, weights.alpha], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    if (rows === 1) k.f32_gemv_binary(this.signs, this.alpha, this.bias, x, y, this.outFeatures, this.inFeatures, this.reluFlag);
    else withTableScratch(this.runtime, this.outFeatures, rows, (scratch) => k.f32_gemm_binary(this.signs, this.alpha, this.bias, x, y, scratch, this.outFeatures, this.inFeatures, rows, this.reluFlag));
  }
}
