// Resident CSR linear layer. Batch 1: SpMV straight on x. Batch > 1: activations are transposed
// to [in, batch] in scratch so each nonzero scales a contiguous strip of the batch (SIMD lanes).
import type { Csr } from '../formats/csr.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export class CsrLinear extends LinearOperator {
  private readonly wide: boolean;
  private readonly rowPtr!: number;
  private readonly colIdx!: number;
  private readonly values!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Csr.fromDense(...))` */
  constructor(runtime: Runtime, weights: Csr, options: LinearOptions = {}) {
    super(runtime, 'CsrLinear', weights.shape, options);
    this.wide = weights.colIdx instanceof Uint32Array;
    [this.rowPtr, this.colIdx, this.values, this.bias] = this.ownWeights([weights.rowPtr, weights.colIdx, weights.values], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const n = this.outFeatures;
    if (rows === 1) {
      (this.wide ? k.f32_spmv_csr32 : k.f32_spmv_csr16)(this.rowPtr, this.colIdx, this.values, this.bias, x, y, n, this.reluFlag);
      return;
    }
    this.withTransposedInput(x, rows, 0, (xT) =>
      (this.wide ? k.f32_spmm_csr32 : k.f32_spmm_csr16)(this.rowPtr, this.colIdx, this.values, this.bias, xT, y, n, rows, this.reluFlag),
    );
  }
}
