// `bs.mac.approxLinear`: a resident linear layer whose MAC is an approximate multiplier (its product table on the
// product-table GEMM of ../table-gemm.ts) and, optionally, an approximate adder as the accumulator.
// Without `adder` the products are summed exactly (i64). With `adder` the accumulator is a two's-complement
// register of `accumulatorBits` (default 32) bits: acc = add(acc, product_k) for k = 0 … in − 1 in order, every
// sum wrapping to that width, through the lower-part adder of adders.ts (kernel assembly/mac/table-gemm-lpa.ts,
// identical bits in every build). Operands are signed w-bit values (Int8Array); the activation is the
// multiplier's operand a (columns), the weight its operand b (rows).
import { BitsieveError, describe } from '../../runtime/errors.js';
import type { Runtime } from '../../runtime/runtime.js';
import { expectInteger } from '../../runtime/validate.js';
import { operandCodes } from '../operands.js';
import { ProductTableLinear, runTableGemm } from '../table-gemm.js';
import { lowerPartOf, type AdderSpec, type LowerPartAdder } from './adders.js';
import { approxMultiplier, type ApproxMultiplier, type MultiplierOptions } from './multipliers.js';

export interface ApproxLinearOptions {
  /** The multiplier: a unit from approxMultiplier (signed, w ≤ 8) or its options (default bits 8). */
  multiplier: ApproxMultiplier | MultiplierOptions;
  /** The accumulating adder; omitted = exact, unbounded (i64) accumulation. */
  adder?: AdderSpec;
  /** Accumulator width with an adder, 2..32 (default 32); every product must fit it. */
  accumulatorBits?: number;
}

function resolveMultiplier(options: ApproxLinearOptions): ApproxMultiplier {
  if (typeof options !== 'object' || options === null) throw new BitsieveError('E_RANGE', `approxLinear: expected options { multiplier, adder? }, received ${describe(options)}`);
  const m = options.multiplier;
  const unit = typeof m === 'object' && m !== null && (m as ApproxMultiplier).unit === 'multiplier' ? (m as ApproxMultiplier) : approxMultiplier(m as MultiplierOptions);
  if (!unit.signed) throw new BitsieveError('E_UNSUPPORTED', 'approxLinear: expected a signed multiplier (operands are Int8Array codes), received signed: false');
  if (unit.bits > 8) throw new BitsieveError('E_RANGE', `approxLinear: expected a multiplier of at most 8 bits, received ${unit.bits}`);
  return unit;
}

export class ApproxLinear extends ProductTableLinear {
  readonly multiplier: ApproxMultiplier;
  /** The accumulator's adder (undefined = exact i64 accumulation). */
  readonly adder: LowerPartAdder | undefined;
  readonly accumulatorBits: number | undefined;

  /** @internal use `bs.mac.approxLinear(weights, shape, options)` */
  constructor(runtime: Runtime, weights: Int8Array, shape: [number, number], options: ApproxLinearOptions) {
    const multiplier = resolveMultiplier(options);
    let adder: LowerPartAdder | undefined;
    let accumulatorBits: number | undefined;
    const table = multiplier.productTable();
    if (options.adder !== undefined) {
      accumulatorBits = expectInteger('approxLinear accumulatorBits', options.accumulatorBits ?? 32, 2, 32);
      adder = lowerPartOf('approxLinear adder', options.adder, accumulatorBits - 1);
      const lo = -(2 ** (accumulatorBits - 1));
      const hi = 2 ** (accumulatorBits - 1) - 1;
      for (let i = 0; i < table.length; i++) {
        if (table[i] < lo || table[i] > hi) throw new BitsieveError('E_RANGE', `approxLinear accumulatorBits: expected every product to fit ${accumulatorBits} bits [${lo}, ${hi}], received product ${table[i]}`);
      }
    } else if (options.accumulatorBits !== undefined) {
      throw new BitsieveError('E_RANGE', 'approxLinear accumulatorBits: only meaningful with an adder (without one the sum is exact)');
    }
    super(runtime, table, multiplier.bits, weights, shape);
    this.multiplier = multiplier;
    this.adder = adder;
    this.accumulatorBits = accumulatorBits;
  }

  /** y = the layer on `x` (batch × in signed w-bit values): batch × out exact integers. */
  override forward(x: Int8Array, batch = 1): Float64Array {
    const adder = this.adder;
    if (!adder) return super.forward(x, batch);
    this.assertLive();
    expectInteger('approxLinear batch', batch, 1);
    const k = this.inFeatures;
    const codes = operandCodes('approxLinear x', x, this.operandBits, batch * k);
    const acc = this.accumulatorBits!;
    const kernels = this.runtime.kernels;
    return runTableGemm(this.runtime, true, this.table, this.operandBits, codes, this.weights, batch, this.outFeatures, k, (table, logDim, xp, wc, rows, y, b, out, kk) =>
      kernels.mac_table_gemm_lpa_i32(table, logDim, xp, wc, rows, y, b, out, kk, adder.lowerBits, adder.orLower ? 1 : 0, adder.andCarry ? 1 : 0, acc),
    );
  }
}
