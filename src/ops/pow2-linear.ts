// Resident power-of-two layer (PowerOfTwoWeights): the packed b-bit codes and the i8 base exponents are
// copied into wasm memory as the format stores them (plus 4 bytes after the codes: the kernels read codes
// through unaligned u32 windows); batch 1 → f32_gemv_pow2, batch > 1 → f32_gemm_pow2 (assembly/quant/pow2.ts:
// exponent subtraction instead of a multiply, one 2^e0 per output; the GEMM adds per-block term tables).
import type { PowerOfTwoWeights } from '../formats/pow2.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';
import { withTableScratch } from './table-scratch.js';

/** Readable bytes the kernels need past the last code row. */
const CODE_SLACK = 4;

export class Pow2Linear extends LinearOperator {
  readonly bits: number;
  private readonly codes!: number;
  private readonly e0!: number;
  private readonly e0Stride: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(powerOfTwoWeights)` */
  constructor(runtime: Runtime, weights: PowerOfTwoWeights, options: LinearOptions = {}) {
    super(runtime, 'Pow2Linear', weights.shape, options);
    this.bits = weights.bits;
    this.e0Stride = weights.scope === 'row' ? 1 : 0;
    try {
      this.codes = this.own(weights.codes.length + CODE_SLACK);
      this.heap.u8(this.codes, weights.codes.length + CODE_SLACK).fill(0).set(weights.codes);
      this.e0 = this.ownCopy(weights.e0);
      this.bias = this.ownBias(options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const { codes, e0, e0Stride, bits, bias, outFeatures: out, inFeatures: n, reluFlag: relu } = this;
    if (rows === 1) k.f32_gemv_pow2(codes, e0, e0Stride, bits, bias, x, y, out, n, relu);
    else withTableScratch(this.runtime, out, rows, (scratch) => k.f32_gemm_pow2(codes, e0, e0Stride, bits, bias, x, y, scratch, out, n, rows, relu));
  }
}
