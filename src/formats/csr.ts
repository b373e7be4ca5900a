// Compressed sparse rows, row = output neuron: what unstructured (magnitude, Wanda, SparseGPT)
// pruning produces. Column indices are u16 when in ≤ 65536 (6 B per nonzero), u32 otherwise.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSCR';
const VERSION = 1;
/** Largest `in` whose column indices fit u16. */
export const CSR16_MAX_COLS = 65536;

export type CsrIndices = Uint16Array | Uint32Array;

export class Csr implements MatrixFormat {
  readonly kind = 'csr' as const;
  readonly shape: readonly [number, number];
  /** rowPtr[r] .. rowPtr[r+1] are row r's nonzeros; rows+1 entries, rowPtr[0] = 0. */
  readonly rowPtr: Uint32Array;
  /** Column of each nonzero, strictly ascending within a row. */
  readonly colIdx: CsrIndices;
  readonly values: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], rowPtr: Uint32Array, colIdx: CsrIndices, values: Float32Array) {
    const [rows, cols] = expectShape2('Csr shape', shape);
    this.shape = Object.freeze([rows, cols] as const);
    if (!(rowPtr instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `Csr rowPtr: expected a Uint32Array, received ${describe(rowPtr)}`);
    if (!(colIdx instanceof Uint16Array || colIdx instanceof Uint32Array)) {
      throw new BitsieveError('E_DTYPE', `Csr colIdx: expected a Uint16Array or Uint32Array, received ${describe(colIdx)}`);
    }
    if (!(values instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `Csr values: expected a Float32Array, received ${describe(values)}`);
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.values = values;
    this.validate();
  }

  /** Keeps the entries with |w| > threshold (default: every nonzero) of a dense [rows, cols] matrix. */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], threshold = 0): Csr {
    const [rows, cols] = expectShape2('Csr.fromDense shape', shape);
    if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `Csr.fromDense: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(w)}`);
    }
    const rowPtr = new Uint32Array(rows + 1);
    let nnz = 0;
    for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) > threshold) nnz++;
    const colIdx = cols <= CSR16_MAX_COLS ? new Uint16Array(nnz) : new Uint32Array(nnz);
    const values = new Float32Array(nnz);
    let k = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = w[r * cols + c];
        if (Math.abs(v) > threshold) {
          colIdx[k] = c;
          values[k++] = v;
        }
      }
      rowPtr[r + 1] = k;
    }
    return new Csr([rows, cols], rowPtr, colIdx, values);
  }

  static fromBytes(bytes: Uint8Array): Csr {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 4);
    const [rows, cols, nnz, idxBytes] = header;
    if (idxBytes !== 2 && idxBytes !== 4) throw new BitsieveError('E_CORRUPT', `Csr.fromBytes: expected index width 2 or 4, received ${idxBytes}`);
    if (rows > MAX_ELEMENTS || nnz > MAX_ELEMENTS) throw new BitsieveError('E_CORRUPT', `Csr.fromBytes: absurd size rows ${rows}, nnz ${nnz}`);
    const idxLen = Math.ceil((nnz * idxBytes) / 4) * 4;
    const need = 4 * (rows + 1) + idxLen + 4 * nnz;
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `Csr.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    const rowPtr = new Uint32Array(copy.buffer, 0, rows + 1);
    const colIdx = idxBytes === 2 ? new Uint16Array(copy.buffer, 4 * (rows + 1), nnz) : new Uint32Array(copy.buffer, 4 * (rows + 1), nnz);
    const values = new Float32Array(copy.buffer, 4 * (rows + 1) + idxLen, nnz);
    try {
      return new Csr([rows, cols], rowPtr, colIdx, values);
    } catch (err) {
      if (err instanceof BitsieveError && (err.code === 'E_FORMAT' || err.code === 'E_SHAPE')) throw new BitsieveError('E_CORRUPT', `Csr.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  get nnz(): number {
    return this.values.length;
  }

  /** Values (32 bits) + column index per nonzero, plus 32 bits per row pointer, over rows·cols weights. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (this.nnz * (32 + 8 * this.colIdx.BYTES_PER_ELEMENT) + 32 * (rows + 1)) / (rows * cols);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { rowPtr, colIdx, values } = this;
    if (rowPtr.length !== rows + 1) throw new BitsieveError('E_FORMAT', `Csr rowPtr: expected rows + 1 = ${rows + 1} entries, received ${rowPtr.length}`);
    if (colIdx.length !== values.length) throw new BitsieveError('E_FORMAT', `Csr: expected as many column indices as values, received ${colIdx.length} and ${values.length}`);
    if (rowPtr[0] !== 0) throw new BitsieveError('E_FORMAT', `Csr rowPtr[0]: expected 0, received ${rowPtr[0]}`);
    if (rowPtr[rows] !== values.length) throw new BitsieveError('E_FORMAT', `Csr rowPtr[${rows}]: expected nnz = ${values.length}, received ${rowPtr[rows]}`);
    if (values.length > rows * cols) throw new BitsieveError('E_FORMAT', `Csr: expected at most rows·cols = ${rows * cols} nonzeros, received ${values.length}`);
    if (colIdx instanceof Uint16Array && cols > CSR16_MAX_COLS) {
      throw new BitsieveError('E_FORMAT', `Csr colIdx: u16 indices address at most ${CSR16_MAX_COLS} columns, the matrix has ${cols}`);
    }
    for (let r = 0; r < rows; r++) {
      const start = rowPtr[r];
      const end = rowPtr[r + 1];
      if (end < start) throw new BitsieveError('E_FORMAT', `Csr rowPtr: expected non-decreasing, received rowPtr[${r}] = ${start} > rowPtr[${r + 1}] = ${end}`);
      let prev = -1;
      for (let i = start; i < end; i++) {
        const c = colIdx[i];
        if (c >= cols) throw new BitsieveError('E_FORMAT', `Csr colIdx[${i}] (row ${r}): expected < ${cols}, received ${c}`);
        if (c <= prev) throw new BitsieveError('E_FORMAT', `Csr row ${r}: expected strictly ascending columns, received ${prev} then ${c}`);
        prev = c;
      }
    }
    expectFinite('Csr values', values);
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let i = this.rowPtr[r]; i < this.rowPtr[r + 1]; i++) w[r * cols + this.colIdx[i]] = this.values[i];
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const idxBytes = this.colIdx.BYTES_PER_ELEMENT;
    const idxLen = Math.ceil((this.nnz * idxBytes) / 4) * 4;
    const payload = new Uint8Array(4 * (rows + 1) + idxLen + 4 * this.nnz);
    const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    payload.set(bytesOf(this.rowPtr), 0);
    payload.set(bytesOf(this.colIdx), 4 * (rows + 1));
    payload.set(bytesOf(this.values), 4 * (rows + 1) + idxLen);
    return writeFramed(MAGIC, VERSION, [rows, cols, this.nnz, idxBytes], payload);
  }
}
