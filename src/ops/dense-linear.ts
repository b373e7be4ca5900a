// Resident dense linear layer: Y[batch, out] = act(X[batch, in] · W[out, in]ᵀ + bias).
// Weights are packed once into 8-row panels (assembly/dense/pack.ts); batch 1 takes the GEMV kernel.
import type { Dense } from '../formats/dense.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

const NR = 8;

export class DenseLinear extends LinearOperator {
  private readonly packed!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Dense.from(...))` */
  constructor(runtime: Runtime, weights: Dense, options: LinearOptions = {}) {
    super(runtime, 'DenseLinear', weights.shape, options);
    const paddedOut = Math.ceil(this.outFeatures / NR) * NR;
    try {
      this.packed = this.own(paddedOut * this.inFeatures * 4);
      this.bias = this.own(paddedOut * 4);
      this.pack(weights.values);
      this.writeBias(this.bias, paddedOut, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    if (rows === 1) k.f32_gemv_dense_nr8(this.packed, this.bias, x, y, this.outFeatures, this.inFeatures, this.reluFlag);
    else k.f32_gemm_dense_4x8(this.packed, this.bias, x, y, rows, this.outFeatures, this.inFeatures, this.reluFlag);
  }

  /** Packs one panel at a time through a small scratch block, so creation never needs 2× the weights. */
  private pack(values: Float32Array): void {
    const K = this.inFeatures;
    const N = this.outFeatures;
    const heap = this.heap;
    const scratch = heap.alloc(NR * K * 4);
    try {
      for (let row = 0; row < N; row += NR) {
        const rows = Math.min(NR, N - row);
        heap.f32(scratch, rows * K).set(values.subarray(row * K, (row + rows) * K));
        this.runtime.kernels.f32_pack_dense_nr8(scratch, this.packed + row * K * 4, rows, K);
      }
    } finally {
      heap.release(scratch);
    }
  }
}
