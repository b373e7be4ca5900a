// Resident group-wise integer linear layer (bs.linear(GroupwiseInt)). The format's arrays are copied
// into wasm memory as they are (codes, scales, zero points, codebook) plus the stored column order
// under act-order g_idx; hybrid flags are not needed by the kernels and stay behind.
// Batch 1: fused dequant-GEMV; batch > 1: per 8-row panel dequantization into scratch, swept by the
// dense micro-kernel. Act-order layers permute the activations into the stored column order first.
// See assembly/quant/int-group.ts for the arithmetic order of each path.
import type { GroupwiseInt } from '../formats/groupwise-int.js';
import { LinearOperator, type LinearOptions } from './linear.js';
import type { Runtime } from '../runtime/runtime.js';

const CHUNK = 32;

export class GroupwiseIntLinear extends LinearOperator {
  readonly bits: number;
  readonly groupSize: number;
  private readonly f16: number;
  private readonly codes: number;
  private readonly scales: number;
  /** 0 when the grid is symmetric or a codebook (the kernels' convention). */
  private readonly zeros: number;
  private readonly codebook: number;
  /** Stored column order (Int32, `in` entries) under act-order; 0 otherwise. */
  private readonly order: number;
  private readonly bias: number;

  /** @internal use `bs.linear(GroupwiseInt.fromQuantized(...))` */
  constructor(runtime: Runtime, weights: GroupwiseInt, options: LinearOptions = {}) {
    super(runtime, 'GroupwiseIntLinear', weights.shape, options);
    this.bits = weights.bits;
    this.groupSize = weights.groupSize;
    this.f16 = weights.scaleDtype === 'f16' ? 1 : 0;
    try {
      this.codes = this.ownCopy(weights.codes);
      this.scales = this.ownCopy(weights.scales);
      this.zeros = weights.zeros ? this.ownCopy(weights.zeros) : 0;
      this.codebook = weights.codebook ? this.ownCopy(weights.codebook) : 0;
      this.order = weights.gIdx ? this.ownCopy(weights.columnOrder()) : 0;
      // The GEMM micro-kernel reads the bias 8 outputs at a time.
      const paddedOut = Math.ceil(this.outFeatures / 8) * 8;
      this.bias = this.own(paddedOut * 4);
      this.writeBias(this.bias, paddedOut, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** The weights as the kernels decode them (int_dequant_group), [out, in] in input order. */
  dequantize(): Float32Array {
    this.assertLive();
    const [out, k] = [this.outFeatures, this.inFeatures];
    const dense = new Float32Array(out * k);
    if (dense.length === 0) return dense;
    this.withScratch([dense.length * 4], (dst) => {
      this.runtime.kernels.int_dequant_group(this.codes, this.scales, this.zeros, this.codebook, dst, out, k, this.groupSize, this.bits, this.f16);
      const stored = this.heap.f32(dst, dense.length);
      if (this.order === 0) return dense.set(stored);
      const order = new Int32Array(this.heap.u8(this.order, 4 * k).slice().buffer);
      for (let r = 0; r < out; r++) for (let j = 0; j < k; j++) dense[r * k + order[j]] = stored[r * k + j];
    });
    return dense;
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.inFeatures;
    const padded = Math.ceil(k / CHUNK) * CHUNK;
    const groups = Math.ceil(k / this.groupSize);
    const kernelScratch = rows === 1 ? 4 * (2 * padded + groups) : this.runtime.kernels.int_gemm_scratch_bytes(this.outFeatures, k);
    this.withScratch([this.order ? rows * k * 4 : 0, kernelScratch], (permuted, scratch) => {
      let xs = x;
      if (this.order) {
        this.runtime.kernels.int_permute_columns(x, this.order, permuted, rows, k);
        xs = permuted;
      }
      this.call(xs, y, scratch, rows);
    });
  }

  private call(x: number, y: number, scratch: number, rows: number): void {
    const kn = this.runtime.kernels;
    const [out, k] = [this.outFeatures, this.inFeatures];
    if (rows === 1) kn.f32_gemv_int_group(this.codes, this.scales, this.zeros, this.codebook, this.bias, x, y, scratch, out, k, this.groupSize, this.bits, this.f16, this.reluFlag);
    else kn.f32_gemm_int_group(this.codes, this.scales, this.zeros, this.codebook, this.bias, x, y, scratch, rows, out, k, this.groupSize, this.bits, this.f16, this.reluFlag);
  }
}
