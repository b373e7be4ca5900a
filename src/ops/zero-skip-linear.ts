// Resident activation-sparse linear layer over column-major dense weights: every call skips the
// weight columns of zero activations (assembly/sparse/zero-skip.ts). Batch > 1 runs one
// zero-skipping GEMV per activation row, so each row pays only for its own nonzeros.
import type { DenseColumns } from '../formats/dense-columns.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

/**
 * Floats between the starts of two resident columns (≥ out, at most ~5 % more). Columns of ≥ 64
 * outputs are rounded up to whole vectors so every SIMD load is aligned; a stride that is a multiple
 * of 2 KiB would put the same rows of all columns into one or two L1 cache sets (the kernel streams
 * 8 columns at once), so it gets one extra cache line, spreading columns over every set (-25 % time
 * at 4096×4096, 90 % zero activations).
 */
export function columnStride(out: number): number {
  let ld = out >= 64 ? Math.ceil(out / 4) * 4 : out;
  if (ld > 0 && ld % 512 === 0) ld += 16;
  return ld;
}

export class ZeroSkipLinear extends LinearOperator {
  private readonly columns!: number;
  private readonly bias!: number;
  private readonly stride: number;

  /** @internal use `bs.linear(DenseColumns.from(...))` */
  constructor(runtime: Runtime, weights: DenseColumns, options: LinearOptions = {}) {
    super(runtime, 'ZeroSkipLinear', weights.shape, options);
    const N = this.outFeatures;
    const K = this.inFeatures;
    this.stride = columnStride(N);
    try {
      this.columns = this.own(this.stride * K * 4);
      this.bias = this.own(N * 4);
      const view = this.heap.f32(this.columns, this.stride * K);
      view.fill(0);
      for (let c = 0; c < K; c++) view.set(weights.columns.subarray(c * N, (c + 1) * N), c * this.stride);
      this.writeBias(this.bias, N, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Scratch: the (index, value) list of one row's nonzero activations, 8 bytes per input. */
  protected launch(x: number, y: number, rows: number): void {
    const heap = this.heap;
    const list = heap.alloc(this.inFeatures * 8);
    try {
      this.runtime.kernels.f32_gemm_zero_skip(this.columns, this.stride, this.bias, x, y, list, rows, this.outFeatures, this.inFeatures, this.reluFlag);
    } finally {
      heap.release(list);
    }
  }
}
