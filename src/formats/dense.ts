// The uncompressed baseline: f32 weights [out, in], row-major.
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSDN';
const VERSION = 1;

export class Dense implements MatrixFormat {
  readonly kind = 'dense' as const;
  readonly shape: readonly [number, number];
  /** Row-major values, rows·cols long. Owned by this object (copied on `from`). */
  readonly values: Float32Array;

  private constructor(values: Float32Array, shape: readonly [number, number]) {
    this.values = values;
    this.shape = Object.freeze([shape[0], shape[1]] as const);
  }

  /**
   * Copies `values` (any numeric array-like, row-major [rows, cols]) into a new Dense matrix.
   * Throws E_SHAPE on a length mismatch and E_RANGE on NaN/±Infinity.
   */
  static from(values: ArrayLike<number>, shape: readonly [number, number]): Dense {
    const [rows, cols] = expectShape2('Dense.from shape', shape);
    if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
      throw new BitsieveError('E_DTYPE', `Dense.from values: expected an array-like of numbers, received ${describe(values)}`);
    }
    if (values.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `Dense.from: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${values.length}`);
    }
    return new Dense(Float32Array.from(values), [rows, cols]).validate();
  }

  static fromBytes(bytes: Uint8Array): Dense {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 2);
    const [rows, cols] = expectShape2('Dense.fromBytes shape', header);
    if (payload.byteLength !== rows * cols * 4) {
      throw new BitsieveError('E_CORRUPT', `Dense.fromBytes: shape [${rows}, ${cols}] needs ${rows * cols * 4} payload bytes, received ${payload.byteLength}`);
    }
    const values = new Float32Array(rows * cols);
    new Uint8Array(values.buffer).set(payload); // wasm hosts are little-endian, like the format
    return new Dense(values, [rows, cols]).validate();
  }

  get bitsPerWeight(): number {
    return 32;
  }

  validate(): this {
    const [rows, cols] = this.shape;
    if (this.values.length !== rows * cols) {
      throw new BitsieveError('E_FORMAT', `Dense: shape [${rows}, ${cols}] needs ${rows * cols} values, holds ${this.values.length}`);
    }
    expectFinite('Dense values', this.values);
    return this;
  }

  toDense(): Float32Array {
    return this.values.slice();
  }

  toBytes(): Uint8Array {
    return writeFramed(MAGIC, VERSION, this.shape, new Uint8Array(this.values.buffer, this.values.byteOffset, this.values.byteLength));
  }
}
