// What a quantizer produces: the integer codes of an [out, in] matrix on a group-wise grid
// (grid.ts) with their per-group scales and zero points, as plain arrays a storage format can
// pack in its own layout.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { dequantizeCode, parseGrid, storedScale, type Grid, type GroupParams, type QuantMode, type ScaleDtype } from './grid.js';

export interface QuantizedWeightsData {
  /** [out, in]. */
  readonly shape: readonly [number, number];
  readonly bits: number;
  readonly groupSize: number;
  readonly mode: QuantMode;
  readonly scaleDtype: ScaleDtype;
  /** One unsigned code in [0, 2^bits − 1] per weight, row-major [out, in]. */
  readonly codes: Uint8Array;
  /** [out, in/groupSize], each exactly representable in `scaleDtype`, > 0 (any finite value with `signedScales`). */
  readonly scales: Float32Array;
  /**
   * True: scales may be any finite `scaleDtype` value, negative or ±0 too, as imported checkpoints
   * store them (ORT MatMulNBits' symmetric quantizer makes s = m / −8, and 0 for an all-zero block).
   * Absent/false: every scale is > 0, as bitsieve's quantizers make them.
   */
  readonly signedScales?: boolean;
  /** [out, in/groupSize] zero points; absent for 'symmetric' (z = 2^(bits−1) everywhere). */
  readonly zeros?: Uint8Array;
  /** 'hybrid' only: [out, in/groupSize], 1 where the group is symmetric (its zero is 2^(bits−1)). */
  readonly symmetric?: Uint8Array;
  /**
   * [in] group of each input, as GPTQ stores g_idx; absent: input k is in group ⌊k / groupSize⌋.
   * Present after act-order GPTQ, where groups are formed in activation order and the inputs of
   * one group are scattered (every group still holds exactly groupSize inputs).
   */
  readonly gIdx?: Int32Array;
}

/** Quantized weights; weight (r, k) is f32(scales[r, g] · (codes[r, k] − zero[r, g])) with g = group of k. */
export class QuantizedWeights implements QuantizedWeightsData {
  readonly shape: readonly [number, number];
  readonly bits: number;
  readonly groupSize: number;
  readonly mode: QuantMode;
  readonly scaleDtype: ScaleDtype;
  readonly codes: Uint8Array;
  readonly scales: Float32Array;
  readonly signedScales?: boolean;
  readonly zeros?: Uint8Array;
  readonly symmetric?: Uint8Array;
  readonly gIdx?: Int32Array;

  /** Takes ownership of the arrays (no copy) and validates them (E_FORMAT when inconsistent). */
  constructor(data: QuantizedWeightsData) {
    this.shape = [data.shape[0], data.shape[1]];
    this.bits = data.bits;
    this.groupSize = data.groupSize;
    this.mode = data.mode;
    this.scaleDtype = data.scaleDtype;
    this.codes = data.codes;
    this.scales = data.scales;
    if (data.signedScales !== undefined) this.signedScales = data.signedScales;
    if (data.zeros !== undefined) this.zeros = data.zeros;
    if (data.symmetric !== undefined) this.symmetric = data.symmetric;
    if (data.gIdx !== undefined) this.gIdx = data.gIdx;
    this.validate();
  }

  /** Groups per row. */
  get groups(): number {
    return this.shape[1] / this.groupSize;
  }

  /** The group input k belongs to. */
  groupOf(k: number): number {
    return this.gIdx ? this.gIdx[k] : Math.floor(k / this.groupSize);
  }

  /** Scale and zero point of group g of row r. */
  params(r: number, g: number): GroupParams {
    const i = r * this.groups + g;
    const symmetric = this.zeros === undefined || this.symmetric?.[i] === 1;
    return { scale: this.scales[i], zero: this.zeros ? this.zeros[i] : 2 ** (this.bits - 1), symmetric };
  }

  /** The dense [out, in] matrix the codes stand for. */
  dequantize(): Float32Array {
    const [rows, cols] = this.shape;
    const out = new Float32Array(rows * cols);
    const groupOf = Int32Array.from({ length: cols }, (_, k) => this.groupOf(k));
    for (let r = 0; r < rows; r++) {
      const params = Array.from({ length: this.groups }, (_, g) => this.params(r, g));
      for (let k = 0; k < cols; k++) out[r * cols + k] = dequantizeCode(this.codes[r * cols + k], params[groupOf[k]]);
    }
    return out;
  }

  /** Throws E_FORMAT if the arrays do not describe a valid quantized matrix; returns this. */
  validate(): this {
    const [rows, cols] = this.shape;
    let grid: Grid;
    try {
      if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw new BitsieveError('E_SHAPE', `shape: expected [out, in] integers ≥ 0, received [${rows}, ${cols}]`);
      for (const field of ['bits', 'groupSize', 'mode', 'scaleDtype'] as const) {
        if (this[field] === undefined) throw new BitsieveError('E_RANGE', `${field}: expected a value, received undefined`);
      }
      grid = parseGrid('QuantizedWeights', this, cols);
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_FORMAT', `QuantizedWeights: ${err.message}`, { cause: err });
      throw err;
    }
    if (this.signedScales !== undefined && typeof this.signedScales !== 'boolean') fail(`signedScales: expected a boolean, received ${describe(this.signedScales)}`);
    const cells = rows * grid.groups;
    expectArray('codes', this.codes, Uint8Array, rows * cols);
    expectArray('scales', this.scales, Float32Array, cells);
    for (let i = 0; i < rows * cols; i++) {
      if (this.codes[i] > grid.maxq) fail(`codes[${i}]: expected a code ≤ ${grid.maxq}, received ${this.codes[i]}`);
    }
    for (let i = 0; i < cells; i++) {
      const s = this.scales[i];
      const magnitude = Math.abs(s);
      const valid = this.signedScales === true ? magnitude === 0 || storedScale(magnitude, this.scaleDtype) === magnitude : s > 0 && storedScale(s, this.scaleDtype) === s;
      if (!valid) fail(`scales[${i}]: expected a ${this.signedScales === true ? '' : 'positive '}finite ${this.scaleDtype} value, received ${s}`);
    }
    if ((this.zeros !== undefined) !== (this.mode !== 'symmetric')) fail(`zeros: expected ${this.mode === 'symmetric' ? 'none for a symmetric grid' : `zero points for a ${this.mode} grid`}`);
    if ((this.symmetric !== undefined) !== (this.mode === 'hybrid')) fail(`symmetric: expected ${this.mode === 'hybrid' ? 'per-group flags for a hybrid grid' : 'no flags outside hybrid mode'}`);
    if (this.zeros) {
      expectArray('zeros', this.zeros, Uint8Array, cells);
      for (let i = 0; i < cells; i++) if (this.zeros[i] > grid.maxq) fail(`zeros[${i}]: expected ≤ ${grid.maxq}, received ${this.zeros[i]}`);
    }
    if (this.symmetric) {
      expectArray('symmetric', this.symmetric, Uint8Array, cells);
      const mid = 2 ** (grid.bits - 1);
      for (let i = 0; i < cells; i++) {
        const flag = this.symmetric[i];
        if (flag > 1) fail(`symmetric[${i}]: expected 0 or 1, received ${flag}`);
        if (flag === 1 && this.zeros![i] !== mid) fail(`zeros[${i}]: a symmetric group's zero is ${mid}, received ${this.zeros![i]}`);
      }
    }
    if (this.gIdx) {
      expectArray('gIdx', this.gIdx, Int32Array, cols);
      const members = new Int32Array(grid.groups);
      for (let k = 0; k < cols; k++) {
        const g = this.gIdx[k];
        if (!(g >= 0 && g < grid.groups)) fail(`gIdx[${k}]: expected a group in [0, ${grid.groups}), received ${g}`);
        members[g]++;
      }
      const uneven = members.findIndex((m) => m !== grid.groupSize);
      if (uneven >= 0) fail(`gIdx: expected every group to hold ${grid.groupSize} inputs, group ${uneven} holds ${members[uneven]}`);
    }
    return this;
  }
}

/**
 * Collects a quantizer's output: codes and per-(row, group) parameters, in the arrays the
 * grid's mode stores.
 */
export class QuantizedWeightsBuilder {
  readonly codes: Uint8Array;
  private readonly scales: Float32Array;
  private readonly zeros?: Uint8Array;
  private readonly symmetric?: Uint8Array;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
    private readonly grid: Grid,
  ) {
    this.codes = new Uint8Array(rows * cols);
    this.scales = new Float32Array(rows * grid.groups);
    if (grid.mode !== 'symmetric') this.zeros = new Uint8Array(rows * grid.groups);
    if (grid.mode === 'hybrid') this.symmetric = new Uint8Array(rows * grid.groups);
  }

  setGroup(r: number, g: number, params: GroupParams): void {
    const i = r * this.grid.groups + g;
    this.scales[i] = params.scale;
    if (this.zeros) this.zeros[i] = params.zero;
    if (this.symmetric) this.symmetric[i] = params.symmetric ? 1 : 0;
  }

  build(gIdx?: Int32Array): QuantizedWeights {
    const { bits, groupSize, mode, scaleDtype } = this.grid;
    return new QuantizedWeights({
      shape: [this.rows, this.cols],
      bits,
      groupSize,
      mode,
      scaleDtype,
      codes: this.codes,
      scales: this.scales,
      ...(this.zeros && { zeros: this.zeros }),
      ...(this.symmetric && { symmetric: this.symmetric }),
      ...(gIdx && { gIdx }),
    });
  }
}

function fail(message: string): never {
  throw new BitsieveError('E_FORMAT', `QuantizedWeights ${message}`);
}

function expectArray(name: string, value: unknown, type: typeof Uint8Array | typeof Float32Array | typeof Int32Array, length: number): void {
  if (!(value instanceof type)) fail(`${name}: expected a ${type.name}, received ${describe(value)}`);
  if ((value as ArrayLike<number>).length !== length) fail(`${name}: expected ${length} elements, received ${(value as ArrayLike<number>).length}`);
}
