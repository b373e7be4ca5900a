// Product-table linear layer: y[b][o] = Σ_k T[code(x[b][k])][code(w[o][k])] for any w×w multiplier given as its
// 2^w × 2^w table of products (row = activation code, column = weight code, code = the w-bit two's-complement
// pattern value & (2^w − 1)). Int32Array tables are summed exactly (the in · max|T| ≤ 2^53 − 1 check keeps every
// partial sum an integer that f64 holds exactly); Float64Array tables in f64, in k order, the same order in every
// build. The table and the weight codes are copied into wasm memory once.
// Kernel: assembly/mac/table-gemm.ts.
import { Resident } from '../ops/resident.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFinite, expectInteger, expectShape2 } from '../runtime/validate.js';
import { expectOperandBits, operandCodes } from './operands.js';

/** A 2^w × 2^w product table, row-major, row = activation code: Int32Array (exact) or Float64Array. */
export type ProductTable = Int32Array | Float64Array;

/** The table checked for type, length 4^w and (f64) finiteness. Returns its largest |entry|. */
export function checkProductTable(name: string, table: unknown, bits: number): number {
  if (!(table instanceof Int32Array || table instanceof Float64Array)) {
    throw new BitsieveError('E_DTYPE', `${name}: expected an Int32Array or Float64Array product table, received ${describe(table)}`);
  }
  const want = 1 << (2 * bits);
  if (table.length !== want) throw new BitsieveError('E_SHAPE', `${name}: expected ${want} entries (2^${bits} × 2^${bits}), received ${table.length}`);
  if (table instanceof Float64Array) expectFinite(name, table);
  let max = 0;
  for (let i = 0; i < table.length; i++) max = Math.max(max, Math.abs(table[i]));
  return max;
}

/**
 * A resident linear layer whose multiplier is a product table (see the file comment). Build it with
 * `bs.mac.productTableLinear`; call `dispose()` (or `using`) to free its wasm memory.
 */
export class ProductTableLinear extends Resident {
  readonly operandBits: number;
  readonly outFeatures: number;
  readonly inFeatures: number;
  /** True for an Int32Array table (exact integer results). */
  readonly exact: boolean;
  protected readonly runtime: Runtime;
  protected readonly table: number;
  protected readonly weights: number;

  /** @internal use `bs.mac.productTableLinear(table, operandBits, weights, shape)` */
  constructor(runtime: Runtime, table: ProductTable, operandBits: number, weights: Int8Array, shape: [number, number]) {
    super(runtime.heap, 'ProductTableLinear');
    this.runtime = runtime;
    this.operandBits = expectOperandBits('productTableLinear operandBits', operandBits);
    const max = checkProductTable('productTableLinear table', table, this.operandBits);
    [this.outFeatures, this.inFeatures] = expectShape2('productTableLinear shape', shape);
    if (this.outFeatures < 1 || this.inFeatures < 1) throw new BitsieveError('E_SHAPE', `productTableLinear shape: expected [out ≥ 1, in ≥ 1], received [${shape.join(', ')}]`);
    const codes = operandCodes('productTableLinear weights', weights, this.operandBits, this.outFeatures * this.inFeatures);
    this.exact = table instanceof Int32Array;
    // Integer sums leave the kernel as f64: every |y| ≤ in · max|T| must be exact there.
    if (this.exact && max * this.inFeatures > Number.MAX_SAFE_INTEGER) {
      throw new BitsieveError('E_RANGE', `productTableLinear: expected in · max|table| ≤ 2^53 − 1 so results are exact, received ${this.inFeatures} · ${max}`);
    }
    try {
      this.table = this.copyIn(new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
      this.weights = this.copyIn(codes);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** y = the layer applied to `x` (batch × in signed w-bit values); returns batch × out (exact integers for Int32Array tables). */
  forward(x: Int8Array, batch = 1): Float64Array {
    this.assertLive();
    expectInteger('productTableLinear batch', batch, 1);
    const k = this.inFeatures;
    const codes = operandCodes('productTableLinear x', x, this.operandBits, batch * k);
    return runTableGemm(this.runtime, this.exact, this.table, this.operandBits, codes, this.weights, batch, this.outFeatures, k);
  }

  private copyIn(bytes: Uint8Array): number {
    const ptr = this.own(bytes.byteLength);
    this.heap.u8(ptr, bytes.byteLength).set(bytes);
    return ptr;
  }
}

/** A table-GEMM kernel with the mac_table_gemm_i32 arguments (another accumulation, e.g. an approximate adder). */
export type TableGemmKernel = (table: number, logDim: number, x: number, wc: number, rows: number, y: number, batch: number, out: number, k: number) => void;

/** Runs the table GEMM on resident table / weight codes with activation codes `x` (batch × k); scratch is released afterwards. */
export function runTableGemm(runtime: Runtime, exact: boolean, table: number, bits: number, x: Uint8Array, weights: number, batch: number, out: number, k: number, kernel?: TableGemmKernel): Float64Array {
  const heap = runtime.heap;
  const yBytes = batch * out * 8;
  const rowsBytes = k * 4;
  const scratch = heap.alloc(yBytes + rowsBytes + x.byteLength);
  try {
    const rows = scratch + yBytes;
    const xp = rows + rowsBytes;
    heap.u8(xp, x.byteLength).set(x);
    const gemm = kernel ?? (exact ? runtime.kernels.mac_table_gemm_i32 : runtime.kernels.mac_table_gemm_f64);
    gemm(table, bits, xp, weights, rows, scratch, batch, out, k);
    return new Float64Array(runtime.kernels.memory.buffer.slice(scratch, scratch + yBytes));
  } finally {
    heap.release(scratch);
  }
}
