// `bs.mac`: bit-accurate emulation of MAC units from hardware papers (sc_encoded_mac.md §8 and issue 6):
// EncodingNet's encoded MAC, in-memory-computing crossbars, approximate multipliers / adders and a
// switching-power model. Each method validates in TypeScript, then runs the kernels of assembly/mac/;
// every random choice (fault maps, variation) takes an explicit seed, so the same arguments give the same
// bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';
import { EncodedLinear, type EncodedLinearOptions } from './encoded.js';
import type { Encoder } from './netlist.js';
import { ProductTableLinear, type ProductTable } from './table-gemm.js';
import { CrossbarLinear } from './crossbar.js';
import type { CrossbarOptions } from './crossbar-model.js';
import { approxAdder, type AdderOptions, type ApproxAdder } from './approx/adders.js';
import { ApproxLinear, type ApproxLinearOptions } from './approx/approx-linear.js';
import { errorStats, type ErrorStats } from './approx/error-stats.js';
import { approxMultiplier, type ApproxMultiplier, type MultiplierOptions } from './approx/multipliers.js';
import { restrictToLowToggle, type RestrictOptions, type RestrictResult } from './power/restrict.js';
import { toggleTable, type ToggleTable, type ToggleTableOptions } from './power/toggles.js';

export class Mac {
  /** @internal use `bs.mac` */
  constructor(protected readonly runtime: Runtime) {}

  // --- encoded MAC (EncodingNet): netlists, position weights, product tables ---

  /**
   * A resident linear layer whose multiplier is a 2^w × 2^w product table (row = activation code, column =
   * weight code, code = value & (2^w − 1)): y[b][o] = Σ_k table[x[b][k]][w[o][k]]. Int32Array tables give exact
   * integers (every partial sum is checked to stay below 2^53), Float64Array tables an f64 sum in k order (same
   * bits on every build).
   * @example using layer = bs.mac.productTableLinear(table, 8, weights, [out, inFeatures]); const y = layer.forward(x);
   */
  productTableLinear(table: ProductTable, operandBits: number, weights: Int8Array, shape: [number, number]): ProductTableLinear {
    return new ProductTableLinear(this.runtime, table, operandBits, weights, shape);
  }

  /**
   * A resident linear layer on EncodingNet's encoded MAC: every product a·w is replaced by the encoder's
   * Σ_i s_i·e_i(a, w) (+ s_const), accumulated bit-wise (popcount per position, one weighted sum). Weights
   * [out, in] and activations are signed w-bit values (w = encoder.netlist.operandBits). Options: mode 'netlist'
   * (default, gates evaluated bit-parallel) or 'lut' (the encoder's product table); hoist (default true).
   * @example using layer = bs.mac.encodedLinear(weights, [out, inFeatures], identityEncoder(8)); const y = layer.forward(x);
   */
  encodedLinear(weights: Int8Array, shape: [number, number], encoder: Encoder, options: EncodedLinearOptions = {}): EncodedLinear {
    return new EncodedLinear(this.runtime, weights, shape, encoder, options);
  }

  // --- crossbar / in-memory-computing emulation ---

  /**
   * A linear layer on emulated IMC crossbars (model and defaults: src/mac/crossbar-model.ts): weights [out, in]
   * (floats, quantized symmetric to `weightBits`, or Int8Array codes), bit-sliced into `cellBits` cells on
   * `rows × cols` arrays with the chosen `mapping`, bit-serial inputs, ADC, stuck-at faults and variation.
   * Defaults: 8-bit weights, 2-bit cells, 128 × 128 arrays, 'two-column', 8-bit two's-complement inputs at
   * 1 bit per cycle, ideal ADC (step 1), no faults, no variation.
   *
   * @example
   * ```ts
   * using xbar = bs.mac.crossbar(w, [100, 784], { adcBits: 7, faults: { stuckAt1: 0.01, seed: 1 } }); xbar.forward(x);
   * ```
   */
  crossbar(weights: Float32Array | Int8Array, shape: readonly [number, number], options: CrossbarOptions = {}): CrossbarLinear {
    return new CrossbarLinear(this.runtime, weights, shape, options);
  }

  // --- approximate multipliers and adders, switching-power model ---

  /**
   * An approximate multiplier (exact, truncated, broken-array) on w-bit operands; see src/mac/approx/multipliers.ts.
   * Defaults: bits 8, signed, signedForm 'baugh-wooley'.
   * @example bs.mac.approxMultiplier({ kind: 'bam', hbl: 2, vbl: 6 }).multiply(-100, 77)
   */
  approxMultiplier(options: MultiplierOptions): ApproxMultiplier {
    return approxMultiplier(options);
  }

  /**
   * An approximate adder (exact, lower-part-OR, truncated) on w-bit operands, w + 1 bits wide. Defaults: bits 8, signed.
   * @example bs.mac.approxAdder({ kind: 'loa', lowerBits: 4 }).add(-100, 77)
   */
  approxAdder(options: AdderOptions): ApproxAdder {
    return approxAdder(options);
  }

  /**
   * Exhaustive error statistics (mean, mean |·|, max |·|, mean relative, error rate) over every operand pair.
   * @example bs.mac.errorStats(bs.mac.approxMultiplier({ kind: 'truncated', columns: 8 })).meanRelativeError
   */
  errorStats(unit: ApproxMultiplier | ApproxAdder): ErrorStats {
    return errorStats(unit);
  }

  /**
   * A resident linear layer on an approximate multiplier and optional approximate accumulating adder:
   * y[b][o] = Σ_k mul(x[b][k], w[o][k]) (exact sum, or acc = add(acc, ·) in k order in an accumulatorBits register).
   * @example using layer = bs.mac.approxLinear(w, [out, inFeatures], { multiplier: { kind: 'bam', hbl: 2, vbl: 6 }, adder: { kind: 'loa', lowerBits: 4 } }); const y = layer.forward(x);
   */
  approxLinear(weights: Int8Array, shape: [number, number], options: ApproxLinearOptions): ApproxLinear {
    return new ApproxLinear(this.runtime, weights, shape, options);
  }

  /**
   * Average toggles per MAC for every weight value of a weight-stationary MAC over an activation sequence or
   * histogram (PowerPruning-style proxy: operand, partial-product and product bit flips).
   * @example bs.mac.toggleTable({ activations: Int8Array.from([3, -1, 7, 0]) }).total
   */
  toggleTable(options: ToggleTableOptions): ToggleTable {
    return toggleTable(options);
  }

  /**
   * Restricts a quantized layer to its `keep` lowest-toggle weight values (0 always kept), nearest value in squared error.
   * @example bs.mac.restrictToLowToggle(w, { table: bs.mac.toggleTable({ histogram }), keep: 16 }).weights
   */
  restrictToLowToggle<T extends Int8Array | Uint8Array>(weights: T, options: RestrictOptions): RestrictResult<T> {
    return restrictToLowToggle(weights, options);
  }
}
