// Block-sparse rows (BSR / BCSR), row = output neuron: the matrix is cut into r×c blocks and only
// blocks with a nonzero are stored — what block pruning ("1×N", RTMobile-style block magnitude)
// produces. Block columns are in units of c columns, u16 when ceil(in/c) ≤ 65536, u32 otherwise.
// Edge blocks of shapes that are not multiples of r×c are stored whole, their outside part zero.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSBR';
const VERSION = 1;
/** Largest block-column count whose indices fit u16. */
export const BSR16_MAX_BLOCK_COLS = 65536;

/** Block shapes [r, c] with kernels (r output rows × c input columns). */
export const BSR_BLOCK_SHAPES: readonly (readonly [number, number])[] = Object.freeze([
  Object.freeze([1, 4] as const),
  Object.freeze([1, 8] as const),
  Object.freeze([4, 1] as const),
  Object.freeze([8, 1] as const),
  Object.freeze([4, 4] as const),
  Object.freeze([2, 2] as const),
]);

export type BsrIndices = Uint16Array | Uint32Array;
export type BsrBlock = readonly [r: number, c: number];

/** Checks `block` against BSR_BLOCK_SHAPES (E_RANGE otherwise) and returns a frozen copy. */
export function expectBsrBlock(name: string, block: unknown): BsrBlock {
  if (!Array.isArray(block) || block.length !== 2) throw new BitsieveError('E_SHAPE', `${name}: expected [r, c], received ${describe(block)}`);
  const [r, c] = block as unknown[];
  if (!BSR_BLOCK_SHAPES.some(([sr, sc]) => sr === r && sc === c)) {
    const list = BSR_BLOCK_SHAPES.map(([sr, sc]) => `${sr}×${sc}`).join(', ');
    throw new BitsieveError('E_RANGE', `${name}: expected one of ${list}, received ${describe(r)}×${describe(c)}`);
  }
  return Object.freeze([r as number, c as number] as const);
}

export class Bsr implements MatrixFormat {
  readonly kind = 'bsr' as const;
  readonly shape: readonly [number, number];
  /** Block shape [r, c]. */
  readonly block: BsrBlock;
  /** blockRowPtr[br] .. blockRowPtr[br+1] are block row br's blocks; ceil(rows/r)+1 entries, first 0. */
  readonly blockRowPtr: Uint32Array;
  /** Block column of each block (units of c columns), strictly ascending within a block row. */
  readonly blockCol: BsrIndices;
  /** r·c values per block, row-major inside the block, blocks in storage order. */
  readonly values: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], block: readonly [number, number], blockRowPtr: Uint32Array, blockCol: BsrIndices, values: Float32Array) {
    const [rows, cols] = expectShape2('Bsr shape', shape);
    this.shape = Object.freeze([rows, cols] as const);
    this.block = expectBsrBlock('Bsr block', block);
    if (!(blockRowPtr instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `Bsr blockRowPtr: expected a Uint32Array, received ${describe(blockRowPtr)}`);
    if (!(blockCol instanceof Uint16Array || blockCol instanceof Uint32Array)) {
      throw new BitsieveError('E_DTYPE', `Bsr blockCol: expected a Uint16Array or Uint32Array, received ${describe(blockCol)}`);
    }
    if (!(values instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `Bsr values: expected a Float32Array, received ${describe(values)}`);
    this.blockRowPtr = blockRowPtr;
    this.blockCol = blockCol;
    this.values = values;
    this.validate();
  }

  /** Cuts a dense [rows, cols] matrix into r×c blocks and keeps every block holding a nonzero. */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], block: readonly [number, number]): Bsr {
    const [rows, cols] = expectShape2('Bsr.fromDense shape', shape);
    const [r, c] = expectBsrBlock('Bsr.fromDense block', block);
    if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `Bsr.fromDense: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(w)}`);
    }
    const blockRows = Math.ceil(rows / r);
    const blockCols = Math.ceil(cols / c);
    const nonzero = (br: number, bc: number) => {
      for (let i = br * r; i < Math.min(rows, (br + 1) * r); i++) {
        for (let j = bc * c; j < Math.min(cols, (bc + 1) * c); j++) if (w[i * cols + j] !== 0) return true;
      }
      return false;
    };
    const kept: number[] = [];
    const blockRowPtr = new Uint32Array(blockRows + 1);
    for (let br = 0; br < blockRows; br++) {
      for (let bc = 0; bc < blockCols; bc++) if (nonzero(br, bc)) kept.push(bc);
      blockRowPtr[br + 1] = kept.length;
    }
    const blockCol = blockCols <= BSR16_MAX_BLOCK_COLS ? Uint16Array.from(kept) : Uint32Array.from(kept);
    const values = new Float32Array(kept.length * r * c);
    for (let br = 0; br < blockRows; br++) {
      for (let b = blockRowPtr[br]; b < blockRowPtr[br + 1]; b++) {
        const bc = blockCol[b];
        for (let i = 0; i < r && br * r + i < rows; i++) {
          for (let j = 0; j < c && bc * c + j < cols; j++) values[(b * r + i) * c + j] = w[(br * r + i) * cols + bc * c + j];
        }
      }
    }
    return new Bsr([rows, cols], [r, c], blockRowPtr, blockCol, values);
  }

  static fromBytes(bytes: Uint8Array): Bsr {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 6);
    const [rows, cols, r, c, nBlocks, idxBytes] = header;
    if (idxBytes !== 2 && idxBytes !== 4) throw new BitsieveError('E_CORRUPT', `Bsr.fromBytes: expected index width 2 or 4, received ${idxBytes}`);
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || nBlocks > MAX_ELEMENTS || r > 8 || c > 8) {
      throw new BitsieveError('E_CORRUPT', `Bsr.fromBytes: absurd size ${rows}×${cols}, block ${r}×${c}, ${nBlocks} blocks`);
    }
    const blockRows = r === 0 ? 0 : Math.ceil(rows / r);
    const idxLen = Math.ceil((nBlocks * idxBytes) / 4) * 4;
    const need = 4 * (blockRows + 1) + idxLen + 4 * nBlocks * r * c;
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `Bsr.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    const rowPtr = new Uint32Array(copy.buffer, 0, blockRows + 1);
    const at = 4 * (blockRows + 1);
    const blockCol = idxBytes === 2 ? new Uint16Array(copy.buffer, at, nBlocks) : new Uint32Array(copy.buffer, at, nBlocks);
    const values = new Float32Array(copy.buffer, at + idxLen, nBlocks * r * c);
    try {
      return new Bsr([rows, cols], [r, c], rowPtr, blockCol, values);
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `Bsr.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  get nBlocks(): number {
    return this.blockCol.length;
  }

  /** Stored values (32 bits each, edge padding included) + block-column indices + 32-bit block-row pointers, over rows·cols. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (32 * this.values.length + 8 * this.blockCol.BYTES_PER_ELEMENT * this.nBlocks + 32 * this.blockRowPtr.length) / (rows * cols);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const [r, c] = this.block;
    const { blockRowPtr, blockCol, values } = this;
    const blockRows = Math.ceil(rows / r);
    const blockCols = Math.ceil(cols / c);
    const nBlocks = blockCol.length;
    if (blockRowPtr.length !== blockRows + 1) {
      throw new BitsieveError('E_FORMAT', `Bsr blockRowPtr: expected ceil(rows/r) + 1 = ${blockRows + 1} entries, received ${blockRowPtr.length}`);
    }
    if (values.length !== nBlocks * r * c) {
      throw new BitsieveError('E_FORMAT', `Bsr: ${nBlocks} blocks of ${r}×${c} need ${nBlocks * r * c} values, received ${values.length}`);
    }
    if (blockRowPtr[0] !== 0) throw new BitsieveError('E_FORMAT', `Bsr blockRowPtr[0]: expected 0, received ${blockRowPtr[0]}`);
    if (blockRowPtr[blockRows] !== nBlocks) {
      throw new BitsieveError('E_FORMAT', `Bsr blockRowPtr[${blockRows}]: expected nBlocks = ${nBlocks}, received ${blockRowPtr[blockRows]}`);
    }
    if (nBlocks > blockRows * blockCols) throw new BitsieveError('E_FORMAT', `Bsr: expected at most ${blockRows * blockCols} blocks, received ${nBlocks}`);
    if (blockCol instanceof Uint16Array && blockCols > BSR16_MAX_BLOCK_COLS) {
      throw new BitsieveError('E_FORMAT', `Bsr blockCol: u16 indices address at most ${BSR16_MAX_BLOCK_COLS} block columns, the matrix has ${blockCols}`);
    }
    const rowsInLast = rows - (blockRows - 1) * r; // real rows of the last block row
    const colsInLast = cols - (blockCols - 1) * c;
    for (let br = 0; br < blockRows; br++) {
      const start = blockRowPtr[br];
      const end = blockRowPtr[br + 1];
      if (end < start) throw new BitsieveError('E_FORMAT', `Bsr blockRowPtr: expected non-decreasing, received blockRowPtr[${br}] = ${start} > blockRowPtr[${br + 1}] = ${end}`);
      let prev = -1;
      for (let b = start; b < end; b++) {
        const bc = blockCol[b];
        if (bc >= blockCols) throw new BitsieveError('E_FORMAT', `Bsr blockCol[${b}] (block row ${br}): expected < ${blockCols}, received ${bc}`);
        if (bc <= prev) throw new BitsieveError('E_FORMAT', `Bsr block row ${br}: expected strictly ascending block columns, received ${prev} then ${bc}`);
        prev = bc;
        const realRows = br === blockRows - 1 ? rowsInLast : r;
        const realCols = bc === blockCols - 1 ? colsInLast : c;
        if (realRows < r || realCols < c) {
          for (let i = 0; i < r; i++) {
            for (let j = 0; j < c; j++) {
              const v = values[(b * r + i) * c + j];
              if ((i >= realRows || j >= realCols) && v !== 0) {
                throw new BitsieveError('E_FORMAT', `Bsr block ${b}: expected zero padding outside the ${rows}×${cols} matrix, received ${v} at block position (${i}, ${j})`);
              }
            }
          }
        }
      }
    }
    expectFinite('Bsr values', values);
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const [r, c] = this.block;
    const w = new Float32Array(rows * cols);
    for (let br = 0; br * r < rows; br++) {
      for (let b = this.blockRowPtr[br]; b < this.blockRowPtr[br + 1]; b++) {
        const c0 = this.blockCol[b] * c;
        for (let i = 0; i < r && br * r + i < rows; i++) {
          for (let j = 0; j < c && c0 + j < cols; j++) w[(br * r + i) * cols + c0 + j] = this.values[(b * r + i) * c + j];
        }
      }
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const [r, c] = this.block;
    const idxBytes = this.blockCol.BYTES_PER_ELEMENT;
    const idxLen = Math.ceil((this.nBlocks * idxBytes) / 4) * 4;
    const at = 4 * this.blockRowPtr.length;
    const payload = new Uint8Array(at + idxLen + 4 * this.values.length);
    const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    payload.set(bytesOf(this.blockRowPtr), 0);
    payload.set(bytesOf(this.blockCol), at);
    payload.set(bytesOf(this.values), at + idxLen);
    return writeFramed(MAGIC, VERSION, [rows, cols, r, c, this.nBlocks, idxBytes], payload);
  }
}
