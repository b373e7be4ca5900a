// Resident LFSR-connectivity linear layer: the kernels regenerate every row's columns from its seed
// into a per-call scratch list, so wasm memory holds only values, seeds and counts.
import type { LfsrSparse } from '../formats/lfsr.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

export class LfsrLinear extends LinearOperator {
  private readonly width: number;
  private readonly taps: number;
  private readonly nnz: number;
  private readonly seeds!: number;
  private readonly counts!: number;
  private readonly values!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(LfsrSparse.random(...))` */
  constructor(runtime: Runtime, weights: LfsrSparse, options: LinearOptions = {}) {
    super(runtime, 'LfsrLinear', weights.shape, options);
    this.width = weights.width;
    this.taps = weights.taps | 0;
    this.nnz = weights.nnz;
    [this.seeds, this.counts, this.values, this.bias] = this.ownWeights([weights.seeds, weights.counts, weights.values], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const { outFeatures: n, inFeatures: inF, width, taps } = this;
    // Kernel scratch (assembly/sparse/lfsr.ts): 8448 bytes of step tables, then GEMV: one row's column
    // list (in + 8 entries); GEMM: row ranges (out + 1) and every row's columns (nnz + 8).
    const TABLES = 8448;
    if (rows === 1) {
      this.withScratch([TABLES + (inF + 8) * 4], (scratch) =>
        k.f32_spmv_lfsr(this.seeds, this.counts, this.values, this.bias, x, y, n, inF, width, taps, this.reluFlag, scratch),
      );
      return;
    }
    this.withTransposedInput(x, rows, TABLES + 4 * (n + 1 + this.nnz + 8), (xT, scratch) =>
      k.f32_spmm_lfsr(this.seeds, this.counts, this.values, this.bias, xT, y, n, inF, width, taps, rows, this.reluFlag, scratch),
    );
  }
}
