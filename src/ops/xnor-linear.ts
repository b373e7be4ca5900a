// Resident XNOR-Net layer: binary weights (BinaryWeights) × activations binarized on the fly. Each forward
// call packs every sample's sign bits (bit 1 where x ≥ 0) and β = mean|x| into scratch (xnor_binarize), then
// y = act(α·β·dot + bias) with the exact integer dot = in − 2·popcount(w XOR x) (assembly/quant/xnor.ts).
import type { BinaryWeights } from '../formats/binary.js';
import { BitsieveError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFloat32Array, expectInteger } from '../runtime/validate.js';
import { LinearOperator, type LinearOptions } from './linear.js';
import { throughScratch } from './scratch.js';

export class XnorLinear extends LinearOperator {
  private readonly signs: number;
  private readonly alpha: number;
  private readonly bias: number;
  private readonly rowBytes: number;

  /** @internal use `bs.xnorLinear(binaryWeights)` */
  constructor(runtime: Runtime, weights: BinaryWeights, options: LinearOptions = {}) {
    super(runtime, 'XnorLinear', weights.shape, options);
    this.rowBytes = Math.ceil(this.inFeatures / 8);
    [this.signs, this.alpha, this.bias] = this.ownWeights([weights.signs, weights.alpha], options.bias);
  }

  protected launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    this.withScratch([rows * this.rowBytes, rows * 4], (bits, beta) => {
      k.xnor_binarize(x, bits, beta, this.inFeatures, rows);
      k.f32_gemm_xnor(this.signs, this.alpha, this.bias, bits, beta, y, this.outFeatures, this.inFeatures, rows, this.reluFlag);
    });
  }

  /**
   * The exact ±1 dot products Σ_j sgn(w[o, j])·sgn(x[b, j]) = in − 2·popcount(w XOR x), with sgn(v) = v ≥ 0 ? +1 : −1
   * (NaN → −1), as an Int32Array [batch, out]: the integer part of forward() before the α·β scale and bias.
   */
  dots(x: Float32Array, batch?: number): Int32Array {
    this.assertLive();
    const K = this.inFeatures;
    const N = this.outFeatures;
    expectFloat32Array('dots x', x);
    if (batch === undefined && K === 0) throw new BitsieveError('E_SHAPE', 'dots: batch is required when the layer has 0 inputs');
    const rows = batch === undefined ? x.length / K : expectInteger('dots batch', batch);
    if (!Number.isInteger(rows) || x.length !== rows * K) {
      throw new BitsieveError('E_SHAPE', `dots x: expected batch·in elements (in = ${K}), received ${x.length}${batch === undefined ? '' : ` for batch ${batch}`}`);
    }
    const result = new Int32Array(rows * N);
    if (rows * N === 0) return result;
    const k = this.runtime.kernels;
    // Float32 scratch of the same size serves as the Int32 output: the bits are copied out unchanged.
    const out = new Float32Array(result.buffer);
    throughScratch(this.heap, x, out, (xs, ys) => {
      this.withScratch([rows * this.rowBytes, rows * 4], (bits, beta) => {
        k.xnor_binarize(xs, bits, beta, K, rows);
        k.i32_xnor_dots(this.signs, bits, ys, N, K, rows);
      });
    });
    return result;
  }
}
