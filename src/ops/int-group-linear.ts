// Resident group-wise integer linear layer (bs.linear(GroupwiseInt)). The format's arrays are copied
// into wasm memory as they are (codes, scales, zero points, codebook) plus the stored column order
// under act-order g_idx; hybrid flags are not needed by the kernels and stay behind.
// Batch 1: fused dequant-GEMV with f32 activations, or with `activations: 'q8'` the input quantized once per call
// to ggml's Q8_0 blocks and exact integer dots per 32-element chunk (q8_gemv_int_group); batch > 1: blocks of 8-row panels (≈ 512 KiB) dequantized into scratch, swept by the
// dense micro-kernel. Act-order layers permute the activations into the stored column order first.
// See assembly/quant/int-group.ts for the arithmetic order of each path.
import type { GroupwiseInt } from '../formats/groupwise-int.js';
import { LinearOperator, type LinearOptions } from './linear.js';
import { checkActivationPrecision, expectFiniteActivations, type ActivationPrecision } from './activation-precision.js';
import { BitsieveError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';

const CHUNK = 32;
/** Bytes of one Q8_0 activation block (fp16 scale + 32 int8 codes). */
const Q8_0_BLOCK = 34;

export interface GroupwiseIntLinearOptions extends LinearOptions {
  /** Batch-1 activations: 'f32' (default) multiplies the f32 input by the decoded codes; 'q8' quantizes the input
   *  once per call to ggml's Q8_0 blocks (int8 per 32 inputs, scale max|x|/127) and runs exact integer dots,
   *  bit-identical in every build (about 4× faster for 4-bit codes; outputs carry the activation rounding, about
   *  1/254 of each block's max |x|). Needs finite inputs, no codebook, and groups of a multiple of 32 inputs (or
   *  one group per row). Batches > 1 always run in f32. */
  activations?: ActivationPrecision;
}

export class GroupwiseIntLinear extends LinearOperator {
  readonly bits: number;
  readonly groupSize: number;
  readonly activations: ActivationPrecision;
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
  constructor(runtime: Runtime, weights: GroupwiseInt, options: GroupwiseIntLinearOptions = {}) {
    super(runtime, 'GroupwiseIntLinear', weights.shape, options);
    this.bits = weights.bits;
    this.groupSize = weights.groupSize;
    this.activations = checkActivationPrecision(options.activations, 'GroupwiseIntLinear');
    if (this.activations === 'q8') {
      if (weights.codebook) throw new BitsieveError('E_UNSUPPORTED', `GroupwiseIntLinear activations: 'q8' needs integer codes, received a codebook grid; use 'f32'`);
      if (weights.groupSize % CHUNK !== 0 && weights.groupSize < this.inFeatures) {
        throw new BitsieveError('E_UNSUPPORTED', `GroupwiseIntLinear activations: 'q8' needs groupSize a multiple of ${CHUNK} (or ≥ in = ${this.inFeatures}), received ${weights.groupSize}; use 'f32'`);
      }
    }
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
    const q8 = rows === 1 && this.activations === 'q8';
    if (q8) expectFiniteActivations(this.heap.f32(x, k), 'GroupwiseIntLinear');
    const kernelScratch = q8 ? 4 * padded + (padded / CHUNK) * Q8_0_BLOCK : rows === 1 ? 4 * (2 * padded + groups) : this.runtime.kernels.int_gemm_scratch_bytes(this.outFeatures, k);
    this.withScratch([this.order ? rows * k * 4 : 0, kernelScratch], (permuted, scratch) => {
      let xs = x;
      if (this.order) {
        this.runtime.kernels.int_permute_columns(x, this.order, permuted, rows, k);
        xs = permuted;
      }
      if (q8) this.callQ8(xs, y, scratch, padded);
      else this.call(xs, y, scratch, rows);
    });
  }

  /** x zero-padded to whole chunks, quantized to Q8_0 blocks, then the integer-dot GEMV. */
  private callQ8(x: number, y: number, scratch: number, padded: number): void {
    const kn = this.runtime.kernels;
    const k = this.inFeatures;
    const xPadded = this.heap.f32(scratch, padded);
    xPadded.set(this.heap.f32(x, k));
    xPadded.fill(0, k);
    const xq = scratch + 4 * padded;
    kn.gguf_quantize_q8_0(scratch, xq, padded / CHUNK);
    kn.q8_gemv_int_group(this.codes, this.scales, this.zeros, this.bias, xq, y, this.outFeatures, k, this.groupSize, this.bits, this.f16, this.reluFlag);
  }

  private call(x: number, y: number, scratch: number, rows: number): void {
    const kn = this.runtime.kernels;
    const [out, k] = [this.outFeatures, this.inFeatures];
    if (rows === 1) kn.f32_gemv_int_group(this.codes, this.scales, this.zeros, this.codebook, this.bias, x, y, scratch, out, k, this.groupSize, this.bits, this.f16, this.reluFlag);
    else kn.f32_gemm_int_group(this.codes, this.scales, this.zeros, this.codebook, this.bias, x, y, scratch, rows, out, k, this.groupSize, this.bits, this.f16, this.reluFlag);
  }
}
