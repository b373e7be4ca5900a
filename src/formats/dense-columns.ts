// Dense f32 weights stored column by column, for layers whose *activations* are sparse (ReLU outputs,
// LSTM states trained to be sparse: Ardakani et al. 2019). The name says what is stored (nothing is
// pruned: 32 bits per weight, like Dense); the operator it selects, ZeroSkipLinear, says what it does.
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSDC';
const VERSION = 1;

/**
 * Dense weights for activation-sparse layers: `bs.linear(DenseColumns.from(w, [out, in]))` returns a
 * `ZeroSkipLinear`, which finds the zero inputs of every call and never reads their weight columns, so its
 * time falls with the fraction of zero activations (ReLU outputs, sparse recurrent states).
 *
 * When to prefer it over `Dense` (same weights, same results up to rounding; measured single-thread on a
 * busy 2-vCPU EPYC VM, relaxed and simd builds, against `bs.linear(Dense.from(...))` in the same process):
 * - batch 1 (GEMV), 4096×4096: break-even at ~25–30 % zero activations; ≈0.8× dense at 0 %, ≈1.5× at
 *   50 %, ≈3.5× at 75 %, ≈8–11× at 90 %, ≈15–20× at 95 %, ≈60–100× at 99 %. Layers small enough to stay
 *   in cache gain less (1024×1024: ≈4–6× at 90 %).
 * - batch > 1: every activation row is its own zero-skipping GEMV, so the weights are streamed once
 *   per row and compete with a compute-bound dense GEMM: worth it from ~60 % zeros (batch 64 × 1024²:
 *   ≈0.85× at 50 %, ≈1.7× at 75 %, ≈3–4× at 90 %, ≈15× at 99 %).
 * Below that, or when activations are dense, use `Dense`. (From a Dense: `DenseColumns.from(d.values, d.shape)`.)
 *
 * Zeros are skipped exactly: ±0 inputs contribute nothing (their products with finite weights are
 * zeros), while NaN and ±Infinity are nonzero and are multiplied like in any dense product. The only
 * observable difference from a dense product is the sign of an output that is exactly zero.
 */
export class DenseColumns implements MatrixFormat {
  readonly kind = 'dense-columns' as const;
  readonly shape: readonly [number, number];
  /** Column-major weights: `columns[c·rows + r]` = W[r, c], rows·cols long (Wᵀ row-major). Owned. */
  readonly columns: Float32Array;

  private constructor(columns: Float32Array, shape: readonly [number, number]) {
    this.columns = columns;
    this.shape = Object.freeze([shape[0], shape[1]] as const);
  }

  /**
   * Copies row-major weights `w` ([out, in], the project convention) into column order.
   * Throws E_SHAPE on a length mismatch and E_RANGE on NaN/±Infinity.
   */
  static from(w: ArrayLike<number>, shape: readonly [number, number]): DenseColumns {
    const [rows, cols] = expectShape2('DenseColumns.from shape', shape);
    if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
      throw new BitsieveError('E_DTYPE', `DenseColumns.from w: expected an array-like of numbers, received ${describe(w)}`);
    }
    if (w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `DenseColumns.from: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${w.length}`);
    }
    const columns = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) columns[c * rows + r] = w[r * cols + c];
    }
    return new DenseColumns(columns, [rows, cols]).validate();
  }

  /** Reads `toBytes()` output: magic 'BSDC', version 1, header [rows, cols], payload f32 column-major. */
  static fromBytes(bytes: Uint8Array): DenseColumns {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 2);
    const [rows, cols] = header;
    let shape: [number, number];
    try {
      shape = expectShape2('DenseColumns.fromBytes shape', header);
    } catch (err) {
      throw new BitsieveError('E_CORRUPT', `DenseColumns.fromBytes: absurd shape [${rows}, ${cols}]`, { cause: err });
    }
    if (payload.byteLength !== rows * cols * 4) {
      throw new BitsieveError('E_CORRUPT', `DenseColumns.fromBytes: shape [${rows}, ${cols}] needs ${rows * cols * 4} payload bytes, received ${payload.byteLength}`);
    }
    const columns = new Float32Array(rows * cols);
    new Uint8Array(columns.buffer).set(payload); // wasm hosts are little-endian, like the format
    return new DenseColumns(columns, shape).validate();
  }

  get bitsPerWeight(): number {
    return 32;
  }

  validate(): this {
    const [rows, cols] = this.shape;
    if (this.columns.length !== rows * cols) {
      throw new BitsieveError('E_FORMAT', `DenseColumns: shape [${rows}, ${cols}] needs ${rows * cols} values, holds ${this.columns.length}`);
    }
    expectFinite('DenseColumns values', this.columns);
    return this;
  }

  /** Row-major [out, in] copy. */
  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const w = new Float32Array(rows * cols);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) w[r * cols + c] = this.columns[c * rows + r];
    }
    return w;
  }

  toBytes(): Uint8Array {
    const { columns } = this;
    return writeFramed(MAGIC, VERSION, this.shape, new Uint8Array(columns.buffer, columns.byteOffset, columns.byteLength));
  }
}
