// Generic group-wise integer weights (bitsieve's own low-bit format): b-bit codes (b = 1…8) with one
// scale per group of `groupSize` inputs of a row, and per group either an integer zero point
// (w = s·(q − z)), the implicit symmetric zero 2^(b−1), or a shared codebook (w = s·codebook[q]).
// The layouts of GPTQ, AWQ, ONNX MatMulNBits and bitsandbytes NF4/FP4 (lowbit.md §2) all map onto it
// without loss: scales of any sign in f32 or f16, true zero points 0…2^b−1, a last group shorter
// than the others (in need not be a multiple of groupSize), act-order g_idx, a 2^b-entry codebook.
// The arrays are exactly what the kernels read (assembly/quant/int-group.ts), so `bs.linear` copies
// them into wasm memory as they are.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectShape2 } from '../runtime/validate.js';
import { QuantizedWeights } from '../compress/quantize/quantized-weights.js';
import type { ScaleDtype } from '../compress/quantize/grid.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';
import { floatToHalf, halfToFloat } from './half.js';
import { CHUNK, packCodes, rowCodeBytes, unpackCode } from './int-planes.js';

const MAGIC = 'BSIG';
const VERSION = 1;

/** How a code becomes a value: see GroupwiseInt. */
export type GroupwiseIntMode = 'symmetric' | 'asymmetric' | 'hybrid' | 'codebook';

export interface GroupwiseIntData {
  /** [out, in]. */
  readonly shape: readonly [number, number];
  /** Bits per code, 1–8. */
  readonly bits: number;
  /** Inputs per group (≥ 1); groups per row = ⌈in / groupSize⌉, the last one may be shorter. */
  readonly groupSize: number;
  /**
   * Packed codes, out rows of ⌈in/32⌉ chunks of 4·bits bytes (layout: src/formats/int-planes.ts);
   * padding codes past `in` are 0. With `gIdx`, the columns are stored in group order (see gIdx).
   */
  readonly codes: Uint8Array;
  /** [out, groups]: Float32Array (f32 scales) or Uint16Array (binary16 bit patterns); finite, any sign. */
  readonly scales: Float32Array | Uint16Array;
  /** [out, groups] integer zero points ≤ 2^bits − 1. Absent: symmetric (z = 2^(bits−1)) or codebook. */
  readonly zeros?: Uint8Array;
  /**
   * Hybrid grids only (needs `zeros`): one bit per group, LSB first over the row-major [out, groups]
   * cells, set where the group was fitted symmetric (its zero is then 2^(bits−1)). Kernels ignore it:
   * the zero points already say everything; it records the quantizer's choice for round trips.
   */
  readonly symmetric?: Uint8Array;
  /** 2^bits finite values: w = s·codebook[q] (NF4, FP4, IQ4_NL…). Excludes `zeros`. */
  readonly codebook?: Float32Array;
  /**
   * [in] group of each input (GPTQ act-order g_idx). Group g must hold min(groupSize, in − g·groupSize)
   * inputs. The codes are then stored with the columns sorted by (group, input index), so every group is
   * a contiguous run again: stored column j is input `columnOrder()[j]`, in group ⌊j / groupSize⌋.
   */
  readonly gIdx?: Int32Array;
}

/**
 * Group-wise integer [out, in] weights. Weight (r, k), with g the group of k and q its code:
 * `f32(s[r,g] · (q − z[r,g]))` (q − z is formed exactly first, so q = z gives ±0 with the sign of s), or
 * `f32(s[r,g] · codebook[q])`. f16 scales are widened exactly; there is one f32 rounding per weight.
 * Per-channel is groupSize ≥ in (one group per row); per-tensor is per-channel with one scale (and zero)
 * repeated on every row, or the matrix viewed as one row [1, out·in] (grid.ts).
 */
export class GroupwiseInt implements MatrixFormat, GroupwiseIntData {
  readonly kind = 'int-group' as const;
  readonly shape: readonly [number, number];
  readonly bits: number;
  readonly groupSize: number;
  readonly codes: Uint8Array;
  readonly scales: Float32Array | Uint16Array;
  readonly zeros?: Uint8Array;
  readonly symmetric?: Uint8Array;
  readonly codebook?: Float32Array;
  readonly gIdx?: Int32Array;

  /** Takes ownership of the arrays (no copy) and validates them (E_FORMAT / E_SHAPE / E_DTYPE). */
  constructor(data: GroupwiseIntData) {
    const [rows, cols] = expectShape2('GroupwiseInt shape', data?.shape);
    this.shape = Object.freeze([rows, cols] as const);
    this.bits = data.bits;
    this.groupSize = data.groupSize;
    this.codes = data.codes;
    this.scales = data.scales;
    if (data.zeros !== undefined) this.zeros = data.zeros;
    if (data.symmetric !== undefined) this.symmetric = data.symmetric;
    if (data.codebook !== undefined) this.codebook = data.codebook;
    if (data.gIdx !== undefined) this.gIdx = data.gIdx;
    this.validate();
  }

  /** Packs a quantizer's output (rtn / gptq) without changing any value. */
  static fromQuantized(q: QuantizedWeights): GroupwiseInt {
    if (!(q instanceof QuantizedWeights)) throw new BitsieveError('E_DTYPE', `GroupwiseInt.fromQuantized: expected QuantizedWeights, received ${describe(q)}`);
    q.validate();
    const [rows, cols] = q.shape;
    const order = q.gIdx ? groupOrder(q.gIdx, q.groups) : undefined;
    const codes = order ? permuteColumns(q.codes, rows, cols, order) : q.codes;
    const scales = q.scaleDtype === 'f16' ? Uint16Array.from(q.scales, (s) => floatToHalf(s)) : Float32Array.from(q.scales);
    return new GroupwiseInt({
      shape: [rows, cols],
      bits: q.bits,
      groupSize: q.groupSize,
      codes: packCodes(codes, rows, cols, q.bits),
      scales,
      ...(q.zeros && { zeros: q.zeros.slice() }),
      ...(q.symmetric && { symmetric: packFlags(q.symmetric) }),
      ...(q.gIdx && { gIdx: q.gIdx.slice() }),
    });
  }

  static fromBytes(bytes: Uint8Array): GroupwiseInt {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 5);
    const [rows, cols, bits, groupSize, flags] = header;
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || rows * cols > MAX_ELEMENTS || bits < 1 || bits > 8 || groupSize < 1 || flags > 31) {
      throw new BitsieveError('E_CORRUPT', `GroupwiseInt.fromBytes: absurd header [${header.join(', ')}]`);
    }
    const f16 = (flags & 1) !== 0;
    const cells = rows * Math.ceil(cols / groupSize);
    const sizes = [rowCodeBytes(cols, bits) * rows, cells * (f16 ? 2 : 4), flags & 2 ? cells : 0, flags & 4 ? Math.ceil(cells / 8) : 0, flags & 8 ? 4 << bits : 0, flags & 16 ? 4 * cols : 0];
    const need = sizes.reduce((sum, n) => sum + pad4(n), 0);
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `GroupwiseInt.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // 4-aligned sections owned by the new object
    let at = 0;
    const take = (n: number) => {
      const start = at;
      at += pad4(n);
      return start;
    };
    const [codesAt, scalesAt, zerosAt, flagsAt, bookAt, gIdxAt] = sizes.map(take);
    try {
      return new GroupwiseInt({
        shape: [rows, cols],
        bits,
        groupSize,
        codes: new Uint8Array(copy.buffer, codesAt, sizes[0]),
        scales: f16 ? new Uint16Array(copy.buffer, scalesAt, cells) : new Float32Array(copy.buffer, scalesAt, cells),
        ...(flags & 2 && { zeros: new Uint8Array(copy.buffer, zerosAt, cells) }),
        ...(flags & 4 && { symmetric: new Uint8Array(copy.buffer, flagsAt, sizes[3]) }),
        ...(flags & 8 && { codebook: new Float32Array(copy.buffer, bookAt, 1 << bits) }),
        ...(flags & 16 && { gIdx: new Int32Array(copy.buffer, gIdxAt, cols) }),
      });
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `GroupwiseInt.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  get scaleDtype(): ScaleDtype {
    return this.scales instanceof Uint16Array ? 'f16' : 'f32';
  }

  get mode(): GroupwiseIntMode {
    if (this.codebook) return 'codebook';
    if (!this.zeros) return 'symmetric';
    return this.symmetric ? 'hybrid' : 'asymmetric';
  }

  /** Groups per row, ⌈in / groupSize⌉. */
  get groups(): number {
    return Math.ceil(this.shape[1] / this.groupSize);
  }

  /** Bytes of one packed row of codes. */
  get rowBytes(): number {
    return rowCodeBytes(this.shape[1], this.bits);
  }

  /** Stored bits (codes with chunk padding, scales, zeros, flags, codebook, g_idx) per weight. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    const bytes = [this.codes, this.scales, this.zeros, this.symmetric, this.codebook, this.gIdx].reduce((sum, a) => sum + (a?.byteLength ?? 0), 0);
    return (8 * bytes) / (rows * cols);
  }

  /** Scale of cell i = r·groups + g as a number (f16 widened exactly). */
  scaleAt(i: number): number {
    return this.scales instanceof Uint16Array ? halfToFloat(this.scales[i]) : this.scales[i];
  }

  /** Stored column j holds input columnOrder()[j] (the identity without gIdx). */
  columnOrder(): Int32Array {
    const cols = this.shape[1];
    return this.gIdx ? groupOrder(this.gIdx, this.groups) : Int32Array.from({ length: cols }, (_, k) => k);
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const { bits, groupSize, codebook, zeros } = this;
    const groups = this.groups;
    const rowBytes = this.rowBytes;
    const order = this.columnOrder();
    const mid = 2 ** (bits - 1);
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const cell = r * groups + Math.floor(j / groupSize);
        const q = unpackCode(this.codes, rowBytes, bits, r, j);
        const s = this.scaleAt(cell);
        w[r * cols + order[j]] = Math.fround(codebook ? s * codebook[q] : s * (q - (zeros ? zeros[cell] : mid)));
      }
    }
    return w;
  }

  /**
   * Back to the quantizers' plain arrays. E_UNSUPPORTED where QuantizedWeights cannot say it: a
   * codebook, in not a multiple of groupSize, or scales that are not positive grid scales.
   */
  toQuantized(): QuantizedWeights {
    const [rows, cols] = this.shape;
    if (this.codebook) throw new BitsieveError('E_UNSUPPORTED', 'GroupwiseInt.toQuantized: expected integer grids, received a codebook');
    const groups = this.groups;
    const order = this.columnOrder();
    const codes = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) codes[r * cols + order[j]] = unpackCode(this.codes, this.rowBytes, this.bits, r, j);
    const cells = rows * groups;
    const scales = Float32Array.from({ length: cells }, (_, i) => this.scaleAt(i));
    const flags = this.symmetric ? Uint8Array.from({ length: cells }, (_, i) => (this.symmetric![i >> 3] >> (i & 7)) & 1) : undefined;
    try {
      return new QuantizedWeights({
        shape: [rows, cols],
        bits: this.bits,
        groupSize: this.groupSize,
        mode: this.mode as 'symmetric' | 'asymmetric' | 'hybrid',
        scaleDtype: this.scaleDtype,
        codes,
        scales,
        // Imported layouts (MatMulNBits) may carry zero or negative scales: say so instead of refusing them.
        ...(scales.some((v) => !(v > 0)) && { signedScales: true }),
        ...(this.zeros && { zeros: this.zeros.slice() }),
        ...(flags && { symmetric: flags }),
        ...(this.gIdx && { gIdx: this.gIdx.slice() }),
      });
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_UNSUPPORTED', `GroupwiseInt.toQuantized: ${err.message}`, { cause: err });
      throw err;
    }
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const sections = [this.codes, this.scales, this.zeros, this.symmetric, this.codebook, this.gIdx];
    const flags = (this.scaleDtype === 'f16' ? 1 : 0) | (this.zeros ? 2 : 0) | (this.symmetric ? 4 : 0) | (this.codebook ? 8 : 0) | (this.gIdx ? 16 : 0);
    const payload = new Uint8Array(sections.reduce((sum, a) => sum + pad4(a?.byteLength ?? 0), 0));
    let at = 0;
    for (const a of sections) {
      if (!a) continue;
      payload.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += pad4(a.byteLength);
    }
    return writeFramed(MAGIC, VERSION, [rows, cols, this.bits, this.groupSize, flags], payload);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { bits, groupSize } = this;
    if (!Number.isInteger(bits) || bits < 1 || bits > 8) fail(`bits: expected an integer in [1, 8], received ${describe(bits)}`);
    if (!Number.isInteger(groupSize) || groupSize < 1 || groupSize > MAX_ELEMENTS) fail(`groupSize: expected an integer ≥ 1, received ${describe(groupSize)}`);
    const groups = this.groups;
    const cells = rows * groups;
    const maxq = 2 ** bits - 1;
    const rowBytes = this.rowBytes;
    expectArray('codes', this.codes, [Uint8Array], rows * rowBytes);
    for (let r = 0; r < rows; r++) {
      for (let k = cols; k % CHUNK !== 0; k++) {
        if (unpackCode(this.codes, rowBytes, bits, r, k) !== 0) fail(`codes: row ${r} padding position ${k} (in = ${cols}) holds a nonzero code`);
      }
    }
    expectArray('scales', this.scales, [Float32Array, Uint16Array], cells);
    const bad = firstNonFinite(this.scales);
    if (bad >= 0) fail(`scales[${bad}]: expected a finite value, received ${this.scaleAt(bad)}`);
    if (this.zeros) {
      if (this.codebook) fail('zeros: a codebook grid has no zero points');
      expectArray('zeros', this.zeros, [Uint8Array], cells);
      for (let i = 0; i < cells; i++) if (this.zeros[i] > maxq) fail(`zeros[${i}]: expected ≤ ${maxq}, received ${this.zeros[i]}`);
    }
    if (this.symmetric) {
      if (!this.zeros) fail('symmetric: hybrid flags need zero points');
      expectArray('symmetric', this.symmetric, [Uint8Array], Math.ceil(cells / 8));
      for (let i = 0; i < 8 * this.symmetric.length; i++) {
        if (!((this.symmetric[i >> 3] >> (i & 7)) & 1)) continue;
        if (i >= cells) fail(`symmetric: bit ${i} is set past the ${cells} groups`);
        if (this.zeros![i] !== 2 ** (bits - 1)) fail(`zeros[${i}]: a symmetric group's zero is ${2 ** (bits - 1)}, received ${this.zeros![i]}`);
      }
    }
    if (this.codebook) {
      expectArray('codebook', this.codebook, [Float32Array], 2 ** bits);
      this.codebook.forEach((v, i) => Number.isFinite(v) || fail(`codebook[${i}]: expected a finite value, received ${v}`));
    }
    if (this.gIdx) {
      expectArray('gIdx', this.gIdx, [Int32Array], cols);
      const members = new Int32Array(groups);
      for (let k = 0; k < cols; k++) {
        const g = this.gIdx[k];
        if (!(g >= 0 && g < groups)) fail(`gIdx[${k}]: expected a group in [0, ${groups}), received ${g}`);
        members[g]++;
      }
      for (let g = 0; g < groups; g++) {
        const size = Math.min(groupSize, cols - g * groupSize);
        if (members[g] !== size) fail(`gIdx: expected group ${g} to hold ${size} inputs, it holds ${members[g]}`);
      }
    }
    return this;
  }
}

/** Inputs sorted by (group, index): the stored column order under act-order g_idx. */
/** Index of the first non-finite scale, or −1; binary16 by its exponent bits (no widening: validate runs per call). */
function firstNonFinite(scales: Float32Array | Uint16Array): number {
  if (scales instanceof Uint16Array) {
    for (let i = 0; i < scales.length; i++) if ((scales[i] & 0x7c00) === 0x7c00) return i;
  } else {
    for (let i = 0; i < scales.length; i++) if (!Number.isFinite(scales[i])) return i;
  }
  return -1;
}

function groupOrder(gIdx: Int32Array, groups: number): Int32Array {
  const start = new Int32Array(groups + 1);
  for (const g of gIdx) start[g + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const order = new Int32Array(gIdx.length);
  gIdx.forEach((g, k) => (order[start[g]++] = k));
  return order;
}

/** out[r, j] = codes[r, order[j]]. */
function permuteColumns(codes: Uint8Array, rows: number, cols: number, order: Int32Array): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j] = codes[r * cols + order[j]];
  return out;
}

/** One bit per entry, LSB first. */
function packFlags(flags: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(flags.length / 8));
  flags.forEach((f, i) => (out[i >> 3] |= (f & 1) << (i & 7)));
  return out;
}

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

function fail(message: string): never {
  throw new BitsieveError('E_FORMAT', `GroupwiseInt ${message}`);
}

function expectArray(name: string, value: unknown, types: readonly (typeof Uint8Array | typeof Uint16Array | typeof Float32Array | typeof Int32Array)[], length: number): void {
  if (!types.some((t) => value instanceof t)) fail(`${name}: expected a ${types.map((t) => t.name).join(' or ')}, received ${describe(value)}`);
  const got = (value as ArrayLike<number>).length;
  if (got !== length) fail(`${name}: expected ${length} elements, received ${got}`);
}
