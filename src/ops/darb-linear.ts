// Resident DARB linear layer. The format's per-block order is repacked once into the kernels'
// slot-major order (assembly/sparse/darb.ts): within a row, the t-th kept offset of every block,
// blocks ascending, then the (t+1)-th, so consecutive nonzeros sit in consecutive blocks and the
// kernel finds a column as blockIndex·b + offset without any per-row pointer.
import { Darb, packBits } from '../formats/darb.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

/** The kernels read offsets with unaligned u64 loads. */
const OFFSET_SLACK = 8;

export class DarbLinear extends LinearOperator {
  private readonly log2b: number;
  private readonly nnz: number;
  private readonly keep!: number;
  private readonly offsets!: number;
  private readonly values!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Darb.fromDense(...))` */
  constructor(runtime: Runtime, weights: Darb, options: LinearOptions = {}) {
    super(runtime, 'DarbLinear', weights.shape, options);
    this.log2b = weights.log2BlockSize;
    this.nnz = weights.nnz;
    const { values, offsets } = slotMajor(weights);
    const packed = packBits(offsets, this.log2b, OFFSET_SLACK);
    [this.keep, this.offsets, this.values, this.bias] = this.ownWeights([weights.keep, packed, values], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const { outFeatures: n, inFeatures: inF } = this;
    if (rows === 1) {
      k.f32_spmv_darb(this.keep, this.offsets, this.values, this.bias, x, y, n, inF, this.log2b, this.reluFlag);
      return;
    }
    // Kernel scratch: row ranges (out + 1) and one decoded address per nonzero.
    this.withTransposedInput(x, rows, 4 * (n + 1 + this.nnz), (xT, scratch) =>
      k.f32_spmm_darb(this.keep, this.offsets, this.values, this.bias, xT, y, n, inF, this.log2b, rows, this.reluFlag, scratch),
    );
  }
}

/** Reorders values and offsets from per-block (format) order to per-slot (kernel) order. */
function slotMajor(w: Darb): { values: Float32Array; offsets: Uint8Array } {
  const [rows, cols] = w.shape;
  const b = w.blockSize;
  const full = Math.floor(cols / b);
  const lastWidth = cols % b;
  const values = new Float32Array(w.nnz);
  const offsets = new Uint8Array(w.nnz);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const k = w.keep[r];
    const start = w.rowStart[r];
    for (let t = 0; t < k; t++) {
      const blocks = full + (t < lastWidth ? 1 : 0);
      for (let j = 0; j < blocks; j++, o++) {
        // Full blocks hold k values each; the partial last block (j = full) starts right after them.
        const i = start + j * k + t;
        values[o] = w.values[i];
        offsets[o] = w.offsetAt(i);
      }
    }
  }
  return { values, offsets };
}
