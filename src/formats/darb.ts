// DARB, density-adaptive regular-block sparsity (Ren et al., AAAI 2020): every row is cut into blocks
// of b = 2^lb consecutive columns and row r keeps the same number k_r of weights in every block, so a
// nonzero's column is blockIndex·b + offset with an lb-bit offset. Rows differ in k_r (denser, more
// sensitive rows keep more). When in mod b ≠ 0 the last block of a row is in mod b columns wide and
// keeps min(k_r, in mod b) weights.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectInteger, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'DARB';
const VERSION = 1;
export const DARB_MIN_BLOCK = 2;
/** k_r ≤ b must fit the u8 per-row count. */
export const DARB_MAX_BLOCK = 128;

/** Nonzeros a row with `keep` weights per block holds: full blocks keep `keep`, the partial one min(keep, width). */
export function darbRowCount(keep: number, cols: number, blockSize: number): number {
  return Math.floor(cols / blockSize) * keep + Math.min(keep, cols % blockSize);
}

/** LSB-first packing of `lb`-bit fields: field i occupies bits [i·lb, (i+1)·lb) of the byte string. */
export function packBits(fields: ArrayLike<number>, lb: number, slackBytes = 0): Uint8Array {
  const out = new Uint8Array(Math.ceil((fields.length * lb) / 8) + slackBytes);
  for (let i = 0; i < fields.length; i++) {
    const bit = i * lb;
    const v = fields[i] << (bit & 7); // ≤ 7 + 7 bits: spans at most two bytes
    out[bit >> 3] |= v & 0xff;
    if (v > 0xff) out[(bit >> 3) + 1] |= v >> 8;
  }
  return out;
}

export function readBits(bytes: Uint8Array, i: number, lb: number): number {
  const bit = i * lb;
  const byte = bit >> 3;
  const two = bytes[byte] | ((byte + 1 < bytes.length ? bytes[byte + 1] : 0) << 8);
  return (two >> (bit & 7)) & ((1 << lb) - 1);
}

export class Darb implements MatrixFormat {
  readonly kind = 'darb' as const;
  readonly shape: readonly [number, number];
  /** b: columns per block, a power of two in [2, 128]. */
  readonly blockSize: number;
  /** k_r: weights kept in every (full) block of row r, ≤ b. */
  readonly keep: Uint8Array;
  /** rowStart[r] .. rowStart[r+1] are row r's values; rows + 1 entries. */
  readonly rowStart: Uint32Array;
  /** In-block offsets, log2(b) bits each, one per value, packed LSB-first (see `packBits`). */
  readonly offsets: Uint8Array;
  /** Per row, per block (ascending), the kept values in ascending offset. */
  readonly values: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], blockSize: number, keep: Uint8Array, rowStart: Uint32Array, offsets: Uint8Array, values: Float32Array) {
    const [rows, cols] = expectShape2('Darb shape', shape);
    this.shape = Object.freeze([rows, cols] as const);
    this.blockSize = expectInteger('Darb blockSize', blockSize, DARB_MIN_BLOCK, DARB_MAX_BLOCK);
    if ((blockSize & (blockSize - 1)) !== 0) throw new BitsieveError('E_RANGE', `Darb blockSize: expected a power of two, received ${blockSize}`);
    if (!(keep instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `Darb keep: expected a Uint8Array, received ${describe(keep)}`);
    if (!(rowStart instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `Darb rowStart: expected a Uint32Array, received ${describe(rowStart)}`);
    if (!(offsets instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `Darb offsets: expected a Uint8Array, received ${describe(offsets)}`);
    if (!(values instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `Darb values: expected a Float32Array, received ${describe(values)}`);
    this.keep = keep;
    this.rowStart = rowStart;
    this.offsets = offsets;
    this.values = values;
    this.validate();
  }

  /**
   * Stores the selected entries of a dense [rows, cols] matrix: those where `mask` is 1, or every
   * nonzero when no mask is given. k_r is the largest selected count in any block of row r; blocks
   * with fewer are padded with explicit zeros at their smallest unselected offsets (so toDense()
   * gives back exactly the selected values, zeros elsewhere).
   */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], blockSize: number, mask?: ArrayLike<number>): Darb {
    const [rows, cols] = expectShape2('Darb.fromDense shape', shape);
    const b = expectInteger('Darb.fromDense blockSize', blockSize, DARB_MIN_BLOCK, DARB_MAX_BLOCK);
    if ((b & (b - 1)) !== 0) throw new BitsieveError('E_RANGE', `Darb.fromDense blockSize: expected a power of two, received ${b}`);
    if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `Darb.fromDense: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(w)}`);
    }
    if (mask !== undefined && (mask === null || typeof mask !== 'object' || mask.length !== rows * cols)) {
      throw new BitsieveError('E_SHAPE', `Darb.fromDense mask: expected ${rows * cols} entries, received ${describe(mask)}`);
    }
    const selected = (i: number) => (mask ? mask[i] !== 0 : w[i] !== 0);
    const blocks = Math.ceil(cols / b);
    const keep = new Uint8Array(rows);
    const rowStart = new Uint32Array(rows + 1);
    for (let r = 0; r < rows; r++) {
      let k = 0;
      for (let j = 0; j < blocks; j++) {
        let n = 0;
        for (let c = j * b; c < Math.min(cols, (j + 1) * b); c++) n += selected(r * cols + c) ? 1 : 0;
        k = Math.max(k, n);
      }
      keep[r] = k;
      rowStart[r + 1] = rowStart[r] + darbRowCount(k, cols, b);
    }
    const nnz = rowStart[rows];
    const values = new Float32Array(nnz);
    const offs = new Uint8Array(nnz);
    let i = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < blocks; j++) {
        const c0 = j * b;
        const width = Math.min(b, cols - c0);
        const want = Math.min(keep[r], width);
        let extra = want; // pad slots still to fill, taken from the smallest unselected offsets
        for (let o = 0; o < width; o++) if (selected(r * cols + c0 + o)) extra--;
        for (let o = 0; o < width; o++) {
          const at = r * cols + c0 + o;
          if (selected(at)) values[i] = w[at];
          else if (extra > 0) extra--;
          else continue;
          offs[i++] = o;
        }
      }
    }
    return new Darb([rows, cols], b, keep, rowStart, packBits(offs, Math.log2(b)), values);
  }

  static fromBytes(bytes: Uint8Array): Darb {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 4);
    const [rows, cols, blockSize, nnz] = header;
    if (rows > MAX_ELEMENTS || nnz > MAX_ELEMENTS || blockSize < DARB_MIN_BLOCK || blockSize > DARB_MAX_BLOCK || (blockSize & (blockSize - 1)) !== 0) {
      throw new BitsieveError('E_CORRUPT', `Darb.fromBytes: absurd header rows ${rows}, block size ${blockSize}, nnz ${nnz}`);
    }
    const lay = layout(rows, nnz, Math.log2(blockSize));
    if (payload.byteLength !== lay.total) throw new BitsieveError('E_CORRUPT', `Darb.fromBytes: expected ${lay.total} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    try {
      return new Darb(
        [rows, cols],
        blockSize,
        new Uint8Array(copy.buffer, 0, rows),
        new Uint32Array(copy.buffer, lay.rowStart, rows + 1),
        new Uint8Array(copy.buffer, lay.offsets, lay.offsetBytes),
        new Float32Array(copy.buffer, lay.values, nnz),
      );
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `Darb.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  get nnz(): number {
    return this.values.length;
  }

  get log2BlockSize(): number {
    return Math.log2(this.blockSize);
  }

  /** The in-block offset of value i. */
  offsetAt(i: number): number {
    return readBits(this.offsets, i, this.log2BlockSize);
  }

  /** Values (32 bits) + a log2(b)-bit offset per nonzero, plus 8 bits of k_r and 32 of row start per row. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (this.nnz * (32 + this.log2BlockSize) + 8 * rows + 32 * (rows + 1)) / (rows * cols);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { blockSize: b, keep, rowStart, offsets, values } = this;
    const lb = this.log2BlockSize;
    if (keep.length !== rows) throw new BitsieveError('E_FORMAT', `Darb keep: expected ${rows} entries (one per row), received ${keep.length}`);
    if (rowStart.length !== rows + 1) throw new BitsieveError('E_FORMAT', `Darb rowStart: expected rows + 1 = ${rows + 1} entries, received ${rowStart.length}`);
    if (rowStart[0] !== 0) throw new BitsieveError('E_FORMAT', `Darb rowStart[0]: expected 0, received ${rowStart[0]}`);
    if (values.length > rows * cols) throw new BitsieveError('E_FORMAT', `Darb: expected at most rows·cols = ${rows * cols} values, received ${values.length}`);
    for (let r = 0; r < rows; r++) {
      if (keep[r] > b) throw new BitsieveError('E_FORMAT', `Darb keep[${r}]: expected ≤ block size ${b}, received ${keep[r]}`);
      const want = rowStart[r] + darbRowCount(keep[r], cols, b);
      if (rowStart[r + 1] !== want) {
        throw new BitsieveError('E_FORMAT', `Darb rowStart[${r + 1}]: row ${r} keeps ${keep[r]} per block, so expected ${want}, received ${rowStart[r + 1]}`);
      }
    }
    if (rowStart[rows] !== values.length) throw new BitsieveError('E_FORMAT', `Darb: rowStart[${rows}] = ${rowStart[rows]} but ${values.length} values`);
    const offsetBytes = Math.ceil((values.length * lb) / 8);
    if (offsets.length !== offsetBytes) throw new BitsieveError('E_FORMAT', `Darb offsets: expected ${offsetBytes} bytes for ${values.length} ${lb}-bit offsets, received ${offsets.length}`);
    let i = 0;
    for (let r = 0; r < rows; r++) {
      for (let c0 = 0; c0 < cols; c0 += b) {
        const width = Math.min(b, cols - c0);
        let prev = -1;
        for (let t = 0; t < Math.min(keep[r], width); t++, i++) {
          const o = this.offsetAt(i);
          if (o >= width) throw new BitsieveError('E_FORMAT', `Darb offset of value ${i} (row ${r}, block at column ${c0}): expected < ${width}, received ${o}`);
          if (o <= prev) throw new BitsieveError('E_FORMAT', `Darb row ${r}, block at column ${c0}: expected strictly ascending offsets, received ${prev} then ${o}`);
          prev = o;
        }
      }
    }
    expectFinite('Darb values', values);
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const b = this.blockSize;
    const w = new Float32Array(rows * cols);
    let i = 0;
    for (let r = 0; r < rows; r++) {
      for (let c0 = 0; c0 < cols; c0 += b) {
        const n = Math.min(this.keep[r], cols - c0);
        for (let t = 0; t < n; t++, i++) w[r * cols + c0 + this.offsetAt(i)] = this.values[i];
      }
    }
    return w;
  }

  /** Frame header [rows, cols, blockSize, nnz]; payload keep u8 | rowStart u32 | offsets | values f32, each 4-aligned. */
  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const lay = layout(rows, this.nnz, this.log2BlockSize);
    const payload = new Uint8Array(lay.total);
    const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    payload.set(this.keep, 0);
    payload.set(bytesOf(this.rowStart), lay.rowStart);
    payload.set(this.offsets, lay.offsets);
    payload.set(bytesOf(this.values), lay.values);
    return writeFramed(MAGIC, VERSION, [rows, cols, this.blockSize, this.nnz], payload);
  }
}

function layout(rows: number, nnz: number, lb: number) {
  const align = (n: number) => Math.ceil(n / 4) * 4;
  const rowStart = align(rows);
  const offsets = rowStart + 4 * (rows + 1);
  const offsetBytes = Math.ceil((nnz * lb) / 8);
  const values = offsets + align(offsetBytes);
  return { rowStart, offsets, offsetBytes, values, total: values + 4 * nnz };
}
