// Resident block-sparse (BSR) linear layer. Batch 1: the GEMV kernel on x (copied into a zero-padded
// scratch when `in` is not a multiple of the block width c, since edge blocks read c columns).
// Batch > 1: the GEMM kernel gets x (padded the same way) and a scratch of the same size, in which it
// transposes the activations for the shapes that run SIMD across the batch; it writes y[batch, out] directly.
import type { Bsr } from '../formats/bsr.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export class BsrLinear extends LinearOperator {
  /** Block shape [r, c] of the packed weights. */
  readonly block: readonly [number, number];
  private readonly wide: boolean;
  private readonly paddedIn: number;
  private readonly blockRowPtr!: number;
  private readonly blockCol!: number;
  private readonly values!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Bsr.fromDense(...))` */
  constructor(runtime: Runtime, weights: Bsr, options: LinearOptions = {}) {
    super(runtime, 'BsrLinear', weights.shape, options);
    const [r, c] = weights.block;
    this.block = weights.block;
    this.wide = weights.blockCol instanceof Uint32Array;
    this.paddedIn = Math.ceil(this.inFeatures / c) * c;
    const paddedOut = Math.ceil(this.outFeatures / r) * r;
    // Not ownWeights: the bias is padded to a whole number of block rows (the kernels read r per block row).
    try {
      this.blockRowPtr = this.ownCopy(weights.blockRowPtr);
      this.blockCol = this.ownCopy(weights.blockCol);
      this.values = this.ownCopy(weights.values);
      this.bias = this.own(paddedOut * 4);
      this.writeBias(this.bias, paddedOut, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const [r, c] = this.block;
    const K = this.inFeatures;
    const kp = this.paddedIn;
    const n = this.outFeatures;
    const gemv = this.wide ? k.f32_spmv_bsr32 : k.f32_spmv_bsr16;
    const gemm = this.wide ? k.f32_spmm_bsr32 : k.f32_spmm_bsr16;
    const run = (xp: number, scratch: number) => {
      if (rows === 1) gemv(r, c, this.blockRowPtr, this.blockCol, this.values, this.bias, xp, y, n, this.reluFlag);
      else gemm(r, c, this.blockRowPtr, this.blockCol, this.values, this.bias, xp, scratch, y, n, kp, rows, this.reluFlag);
    };
    if (rows === 1 && kp === K) return run(x, 0);
    const scratchBytes = rows === 1 ? 0 : rows * kp * 4;
    if (kp === K) {
      this.withScratch([scratchBytes], (scratch) => run(x, scratch));
      return;
    }
    // Edge blocks read c columns, so rows of x are copied to a stride of kp with zeros past `in`.
    this.withScratch([rows * kp * 4, scratchBytes], (padded, scratch) => {
      const src = this.heap.f32(x, rows * K);
      const dst = this.heap.f32(padded, rows * kp);
      for (let b = 0; b < rows; b++) {
        dst.set(src.subarray(b * K, (b + 1) * K), b * kp);
        dst.fill(0, b * kp + K, (b + 1) * kp);
      }
      run(padded, scratch);
    });
  }
}
