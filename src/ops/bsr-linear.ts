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
  private readonly bytes: number;

  /** @internal use `bs.linear(Bsr.fromDense(...))` */
  constructor(runtime: Runtime, weights: Bsr, options: LinearOptions = {}) {
    super(runtime, 'BsrLinear', weights.shape, options);
    const [r, c] = weights.block;
    this.block = weights.block;
    this.wide = weights.blockCol instanceof Uint32Array;
    this.paddedIn = Math.ceil(this.inFeatures / c) * c;
    const paddedOut = Math.ceil(this.outFeatures / r) * r; // the kernels read one bias per block row slot
    const copy = (block: number, data: Uint32Array | Uint16Array | Float32Array) =>
      this.heap.u8(block, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const parts = [weights.blockRowPtr, weights.blockCol, weights.values];
    this.bytes = parts.reduce((sum, a) => sum + a.byteLength, 0) + paddedOut * 4;
    try {
      this.blockRowPtr = this.own(weights.blockRowPtr.byteLength);
      this.blockCol = this.own(weights.blockCol.byteLength);
      this.values = this.own(weights.values.byteLength);
      this.bias = this.own(paddedOut * 4);
      copy(this.blockRowPtr, weights.blockRowPtr);
      copy(this.blockCol, weights.blockCol);
      copy(this.values, weights.values);
      this.writeBias(this.bias, paddedOut, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Bytes of wasm memory this layer holds (block-row pointers, block columns, values, bias padded to r). */
  get residentBytes(): number {
    return this.bytes;
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const [r, c] = this.block;
    const K = this.inFeatures;
    const kp = this.paddedIn;
    const n = this.outFeatures;
    const heap = this.heap;
    if (rows === 1 && kp === K) {
      (this.wide ? k.f32_spmv_bsr32 : k.f32_spmv_bsr16)(r, c, this.blockRowPtr, this.blockCol, this.values, this.bias, x, y, n, this.reluFlag);
      return;
    }
    // Edge blocks read c columns, so rows of x are copied to a stride of kp with zeros past `in`.
    const padded = kp === K ? x : heap.alloc(rows * kp * 4);
    let scratch = -1;
    try {
      if (padded !== x) {
        const src = heap.f32(x, rows * K);
        const dst = heap.f32(padded, rows * kp);
        for (let b = 0; b < rows; b++) {
          dst.set(src.subarray(b * K, (b + 1) * K), b * kp);
          dst.fill(0, b * kp + K, (b + 1) * kp);
        }
      }
      if (rows === 1) {
        (this.wide ? k.f32_spmv_bsr32 : k.f32_spmv_bsr16)(r, c, this.blockRowPtr, this.blockCol, this.values, this.bias, padded, y, n, this.reluFlag);
      } else {
        scratch = heap.alloc(rows * kp * 4);
        const kernel = this.wide ? k.f32_spmm_bsr32 : k.f32_spmm_bsr16;
        kernel(r, c, this.blockRowPtr, this.blockCol, this.values, this.bias, padded, scratch, y, n, kp, rows, this.reluFlag);
      }
    } finally {
      if (padded !== x) heap.release(padded);
      if (scratch >= 0) heap.release(scratch);
    }
  }
}
