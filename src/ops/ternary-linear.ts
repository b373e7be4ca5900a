// Resident ternary-weight layer (TernaryWeights): both bit planes and the per-row α are copied into wasm memory
// as the format stores them; batch 1 → f32_gemv_ternary, batch > 1 → f32_gemm_ternary
// (assembly/quant/bitplane.ts: sign-flip, mask, add, one α multiply per output).
import type { TernaryWeights } from '../formats/ternary.js';
import type { Runtime } from '../runtime/runtime.js';
import { withTableScratch } from './table-scratch.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export class TernaryLinear extends LinearOperator {
  private readonly signs: number;
  private readonly nonzero: number;
  private readonly alpha: number;
  private readonly bias: number;

  /** @internal use `bs.linear(ternaryWeights)` */
  constructor(runtime: Runtime, weights: TernaryWeights, options: LinearOptions = {}) {
    super(runtime, 'TernaryLinear', weights.shape, options);
    [this.signs, this.nonzero, this.alpha, this.bias] = this.ownWeights([weights.signs, weights.nonzero, weights.alpha], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const { signs, nonzero, alpha, bias, outFeatures: out, inFeatures: n, reluFlag: relu } = this;
    if (rows === 1) k.f32_gemv_ternary(signs, nonzero, alpha, bias, x, y, out, n, relu);
    else withTableScratch(this.runtime, out, rows, (scratch) => k.f32_gemm_ternary(signs, nonzero, alpha, bias, x, y, scratch, out, n, rows, relu));
  }
}
