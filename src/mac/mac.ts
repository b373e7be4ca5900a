// `bs.mac`: bit-accurate emulation of MAC units from hardware papers (sc_encoded_mac.md §8 and issue 6):
// EncodingNet's encoded MAC, in-memory-computing crossbars, approximate multipliers / adders and a
// switching-power model. Each method validates in TypeScript, then runs the kernels of assembly/mac/;
// every random choice (fault maps, variation) takes an explicit seed, so the same arguments give the same
// bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';
import { ProductTableLinear, type ProductTable } from './table-gemm.js';

export class Mac {
  /** @internal use `bs.mac` */
  constructor(protected readonly runtime: Runtime) {}

  // --- encoded MAC (EncodingNet): netlists, position weights, product tables ---

  /**
   * A resident linear layer whose multiplier is a 2^w × 2^w product table (row = activation code, column =
   * weight code, code = value & (2^w − 1)): y[b][o] = Σ_k table[x[b][k]][w[o][k]]. Int32Array tables give exact
   * integers (i64 accumulation), Float64Array tables an f64 sum in k order (same bits on every build).
   * @example using layer = bs.mac.productTableLinear(table, 8, weights, [out, inFeatures]); const y = layer.forward(x);
   */
  productTableLinear(table: ProductTable, operandBits: number, weights: Int8Array, shape: [number, number]): ProductTableLinear {
    return new ProductTableLinear(this.runtime, table, operandBits, weights, shape);
  }

  // --- crossbar / in-memory-computing emulation ---

  // --- approximate multipliers and adders, switching-power model ---
}
