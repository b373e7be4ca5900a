// bs.mac.crossbar: a linear layer run on emulated in-memory-computing crossbars (model, sources and every choice:
// ./crossbar-model.ts). The cells are programmed once at construction (quantize → map → tile → faults →
// variation) and kept in wasm memory: as bit-planes for the exact integer path, as f32 conductances when
// variation is on. A call builds the input cycles in TypeScript, counts the conversions / cell reads, and runs
// one kernel of assembly/mac/crossbar.ts over every physical array.
import { Resident } from '../ops/resident.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInt } from '../runtime/validate.js';
import { roundHalfAway } from '../formats/gguf/ggml-arith.js';
import type { Runtime } from '../runtime/runtime.js';
import {
  arrayFaults, arrayVariation, cellLevel, columnWeight, crossbarLayout, cycleValue, FAULT_STUCK_AT_0, FAULT_STUCK_AT_1,
  fragmentSigns, inputCycles, quantizeWeights, resolveCrossbar,
  type CrossbarLayout, type CrossbarOptions, type InputCycle, type ResolvedCrossbar,
} from './crossbar-model.js';

export interface CrossbarCounters {
  /** ADC conversions run (zero-skipped fragments excluded). */
  conversions: number;
  /** Conversions clipped at either end of the ADC range. */
  saturations: number;
  /** Per cycle and array: rows with a non-zero input slice × used columns (the energy proxy). */
  cellReads: number;
  /** Input cycles run, summed over samples. */
  cycles: number;
}

export interface CrossbarFaultMap {
  arrays: number;
  rows: number;
  cols: number;
  /** arrays × rows × cols, row-major per array: 0 none, 1 stuck at level 0, 2 stuck at the top level. */
  cells: Uint8Array;
}

const LAYOUT_FIELDS = 17;

export class CrossbarLinear extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** The resolved options (defaults filled in). */
  readonly config: Readonly<ResolvedCrossbar>;
  /** Slices, tiles and groups of the physical layout. */
  readonly layout: Readonly<CrossbarLayout>;
  /** Per output row: the weight scale (code → value). */
  readonly weightScales: Float64Array;
  private readonly runtime: Runtime;
  private readonly analog: boolean;
  private readonly cycles: InputCycle[];
  private readonly inPlanes: number;
  private readonly chunks: number;
  private readonly rows4: number;
  private readonly layoutPtr: number;
  private readonly cellsPtr: number;
  private readonly stats = { conversions: 0, saturations: 0, cellReads: 0, cycles: 0 };

  /** @internal use `bs.mac.crossbar(weights, shape, options)` */
  constructor(runtime: Runtime, weights: Float32Array | Int8Array, shape: readonly [number, number], options: CrossbarOptions = {}) {
    super(runtime.heap, 'CrossbarLinear');
    this.runtime = runtime;
    if (!(weights instanceof Float32Array) && !(weights instanceof Int8Array)) {
      throw new BitsieveError('E_DTYPE', `mac.crossbar weights: expected a Float32Array or Int8Array codes, received ${describe(weights)}`);
    }
    if (!Array.isArray(shape) || shape.length !== 2) throw new BitsieveError('E_SHAPE', `mac.crossbar shape: expected [out, in], received ${describe(shape)}`);
    const out = shapeDim('out', shape[0]);
    const inF = shapeDim('in', shape[1]);
    if (weights.length !== out * inF) throw new BitsieveError('E_SHAPE', `mac.crossbar weights: expected ${out} × ${inF} = ${out * inF} values, received ${weights.length}`);
    const r = resolveCrossbar(options);
    const L = crossbarLayout(out, inF, r);
    this.inFeatures = inF;
    this.outFeatures = out;
    this.config = r;
    this.layout = L;
    this.analog = options.variation !== undefined; // the f32 conductance path, also with σ = 0
    this.cycles = inputCycles(r);
    this.inPlanes = Math.max(...this.cycles.map((c) => c.bits));
    this.chunks = Math.ceil(r.rows / 128);
    this.rows4 = Math.ceil(r.rows / 4) * 4;
    const { codes, scales } = quantizeWeights(weights, out, inF, options, r.weightBits);
    this.weightScales = scales;
    const signs = r.mapping === 'polarized' ? fragmentSigns(codes, out, inF, r.fragmentRows) : undefined;
    const fragments = Math.ceil(inF / r.fragmentRows);

    const C = r.cols;
    const cellCount = L.arrays * C;
    const rowTileOf = new Int32Array(L.arrays);
    const colOut = new Int32Array(cellCount).fill(-1);
    const colWeight = new Float64Array(cellCount * L.groups);
    // The planes kernel's 8-row-fragment fast path reads one i16 sign per byte (8 rows) of a column.
    const fragmentLanes = r.mapping === 'polarized' && r.fragmentRows === 8 && !this.analog ? this.chunks * 16 : 0;
    const colSigns = new Int16Array(cellCount * fragmentLanes);
    const columnWords = this.chunks * 4;
    const planes = this.analog ? undefined : new Uint32Array(cellCount * r.cellBits * columnWords);
    const cond = this.analog ? new Float32Array(cellCount * this.rows4) : undefined;
    const top = 2 ** r.cellBits - 1;
    // levels[(p · slices + k) · 256 + q + 128]: the level every (pair member, slice, code) programs.
    const levels = new Uint8Array(L.pair * L.slices * 256);
    for (let p = 0; p < L.pair; p++) {
      for (let k = 0; k < L.slices; k++) for (let q = -128; q < 128; q++) levels[(p * L.slices + k) * 256 + q + 128] = cellLevel(r.mapping, q, p, k, r);
    }
    const column = new Uint8Array(r.rows);
    for (let a = 0; a < L.arrays; a++) {
      const rt = Math.floor(a / L.colTiles);
      const ct = a % L.colTiles;
      rowTileOf[a] = rt;
      const faults = arrayFaults(r, a);
      const z = this.analog ? arrayVariation(r, a) : undefined;
      const rowsHere = Math.min(r.rows, inF - rt * r.rows);
      for (let c = 0; c < C; c++) {
        const logical = ct * C + c;
        if (logical >= L.logicalCols) continue;
        const k = logical % L.slices;
        const po = (logical - k) / L.slices;
        const o = po % out;
        const p = (po - o) / out;
        const col = a * C + c;
        colOut[col] = o;
        for (let g = 0; g < L.groups; g++) {
          const f = (rt * r.rows) / r.fragmentRows + g; // rows past the matrix (last tile) hold nothing: sign +1
          const sign = signs && f < fragments ? signs[o * fragments + f] : 1;
          colWeight[col * L.groups + g] = sign * columnWeight(r.mapping, p, k, r.cellBits);
          if (fragmentLanes) colSigns[col * fragmentLanes + g] = sign;
        }
        const table = (p * L.slices + k) * 256 + 128;
        const first = o * inF + rt * r.rows;
        column.fill(0);
        for (let row = 0; row < rowsHere; row++) column[row] = levels[table + codes[first + row]];
        for (let row = 0; row < r.rows; row++) {
          const fault = faults[row * C + c];
          if (fault === FAULT_STUCK_AT_0) column[row] = 0;
          else if (fault === FAULT_STUCK_AT_1) column[row] = top;
        }
        if (planes) {
          for (let j = 0; j < r.cellBits; j++) {
            const base = (col * r.cellBits + j) * columnWords;
            for (let row = 0; row < r.rows; row++) if ((column[row] >> j) & 1) planes[base + (row >> 5)] |= 1 << (row & 31);
          }
        } else {
          for (let row = 0; row < r.rows; row++) {
            const cell = 2 * (row * C + c);
            cond![col * this.rows4 + row] = Math.max(0, column[row] * (1 + r.multiplicative * z![cell]) + r.additive * top * z![cell + 1]);
          }
        }
      }
    }
    try {
      const layout = new Int32Array(LAYOUT_FIELDS);
      // groupUnits: rows per group (analog; the padded column when there is one group) or bytes per fragment (planes).
      const groupUnits = L.groups === 1 ? (this.analog ? this.rows4 : 0) : this.analog ? L.groupRows : L.groupRows / 8;
      layout.set([L.arrays, C, this.analog ? this.rows4 : this.chunks, L.rowTiles, L.groups, groupUnits]);
      layout.set([r.cellBits, this.inPlanes, this.cycles.length, 0, out, r.adcMax], 6);
      layout[12] = this.ownCopy(rowTileOf);
      layout[13] = this.ownCopy(colOut);
      layout[14] = this.ownCopy(colWeight);
      layout[15] = this.ownCopy(new Float64Array(this.cycles.map((c) => c.weight)));
      layout[16] = this.ownCopy(colSigns);
      this.layoutPtr = this.ownCopy(layout);
      this.cellsPtr = this.ownCopy((planes ?? cond)!);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Cumulative counters since construction or the last resetCounters(). */
  get counters(): CrossbarCounters {
    return { ...this.stats };
  }

  resetCounters(): void {
    this.stats.conversions = this.stats.saturations = this.stats.cellReads = this.stats.cycles = 0;
  }

  /** Physical arrays the layer occupies (rowTiles × colTiles). */
  arrayCount(): number {
    return this.layout.arrays;
  }

  /** The stuck-at map of every physical array the layer uses (regenerated from the seed). */
  faultMap(): CrossbarFaultMap {
    this.assertLive();
    const { rows, cols } = this.config;
    const cells = new Uint8Array(this.layout.arrays * rows * cols);
    for (let a = 0; a < this.layout.arrays; a++) cells.set(arrayFaults(this.config, a), a * rows * cols);
    return { arrays: this.layout.arrays, rows, cols, cells };
  }

  /**
   * Runs integer input codes (Int8Array for the signed encodings, Uint8Array for 'unsigned'; batch × in) and
   * returns batch × out exact sums in weight-code × input-code units (ADC effects included).
   */
  forwardCodes(x: Int8Array | Uint8Array, batch = 1): Float64Array {
    this.assertLive();
    const signed = this.config.inputEncoding !== 'unsigned';
    if (signed ? !(x instanceof Int8Array) : !(x instanceof Uint8Array)) {
      throw new BitsieveError('E_DTYPE', `mac.crossbar x: expected ${signed ? 'an Int8Array' : 'a Uint8Array'} for inputEncoding '${this.config.inputEncoding}', received ${describe(x)}`);
    }
    this.expectBatch(x, batch);
    const B = this.config.inputBits;
    const lo = signed ? -(2 ** (B - 1)) : 0;
    const hi = signed ? 2 ** (B - 1) - 1 : 2 ** B - 1;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo || x[i] > hi) throw new BitsieveError('E_RANGE', `mac.crossbar x: expected codes in [${lo}, ${hi}] (inputBits ${B}), received ${x[i]} at ${i}`);
    }
    return this.run(x, batch);
  }

  /** Quantizes `x` (batch × in floats, per-sample max-abs or `inputScale`), runs it, returns dequantized outputs. */
  forward(x: Float32Array, batch = 1): Float32Array {
    this.assertLive();
    if (!(x instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `mac.crossbar x: expected a Float32Array, received ${describe(x)}`);
    this.expectBatch(x, batch);
    const { inputBits: B, inputEncoding, inputScale } = this.config;
    const signed = inputEncoding !== 'unsigned';
    const qmax = signed ? 2 ** (B - 1) - 1 : 2 ** B - 1;
    const qmin = signed ? -qmax : 0;
    const n = this.inFeatures;
    const codes = new Int16Array(x.length);
    const xs = new Float64Array(batch);
    for (let b = 0; b < batch; b++) {
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = x[b * n + i];
        if (!Number.isFinite(v)) throw new BitsieveError('E_RANGE', `mac.crossbar x: expected finite values, received ${v} at ${b * n + i}`);
        m = Math.max(m, signed ? Math.abs(v) : v);
      }
      const s = inputScale ?? (m / qmax || 1);
      xs[b] = s;
      for (let i = 0; i < n; i++) codes[b * n + i] = Math.max(qmin, Math.min(qmax, roundHalfAway(x[b * n + i] / s)));
    }
    const sums = this.run(codes, batch);
    const y = new Float32Array(sums.length);
    const out = this.outFeatures;
    for (let b = 0; b < batch; b++) for (let o = 0; o < out; o++) y[b * out + o] = sums[b * out + o] * this.weightScales[o] * xs[b];
    return y;
  }

  private expectBatch(x: ArrayLike<number>, batch: number): void {
    expectInt('mac.crossbar batch', batch, 1, 2 ** 24);
    if (x.length !== batch * this.inFeatures) throw new BitsieveError('E_SHAPE', `mac.crossbar x: expected ${batch} × ${this.inFeatures} = ${batch * this.inFeatures} values, received ${x.length}`);
  }

  private run(x: ArrayLike<number>, batch: number): Float64Array {
    const r = this.config;
    const L = this.layout;
    const n = this.inFeatures;
    const T = this.cycles.length;
    const P = this.inPlanes;
    const R = r.rows;
    const columnWords = this.chunks * 4;
    const xWords = this.analog ? 0 : batch * T * P * L.rowTiles * columnWords;
    const xPlanes = this.analog ? undefined : new Uint32Array(xWords);
    const xValues = this.analog ? new Float32Array(batch * T * L.rowTiles * this.rows4) : undefined;
    const polarized = r.mapping === 'polarized';
    let conversions = 0;
    let cellReads = 0;
    const fragmentLive = new Uint8Array(L.groups);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < T; t++) {
        const cycle = this.cycles[t];
        for (let rt = 0; rt < L.rowTiles; rt++) {
          let live = 0;
          fragmentLive.fill(0);
          const rowsHere = Math.min(R, n - rt * R);
          for (let row = 0; row < rowsHere; row++) {
            const v = cycleValue(cycle, x[b * n + rt * R + row], r.inputBits);
            if (v === 0) continue;
            live++;
            fragmentLive[Math.floor(row / L.groupRows)] = 1;
            if (xValues) {
              xValues[((b * T + t) * L.rowTiles + rt) * this.rows4 + row] = v;
              continue;
            }
            for (let i = 0; i < cycle.bits; i++) {
              if ((v >> i) & 1) xPlanes![(((b * T + t) * P + i) * L.rowTiles + rt) * columnWords + (row >> 5)] |= 1 << (row & 31);
            }
          }
          // Every array of this row tile sees the same input slice; together they hold all logical columns.
          cellReads += live * L.logicalCols;
          conversions += (polarized ? fragmentLive.reduce((s, f) => s + f, 0) : 1) * L.logicalCols;
        }
      }
    }
    const k = this.runtime.kernels;
    const heap = this.runtime.heap;
    const outLength = batch * this.outFeatures;
    const blocks: number[] = [];
    const alloc = (bytes: number) => {
      const ptr = heap.alloc(bytes);
      blocks.push(ptr);
      return ptr;
    };
    let sums: Float64Array;
    let saturations: number;
    try {
      const data = (xPlanes ?? xValues)!;
      const xp = alloc(data.byteLength);
      const yp = alloc(outLength * 8);
      const sp = alloc(8);
      heap.u8(xp, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      heap.u8(yp, outLength * 8).fill(0);
      heap.u8(sp, 8).fill(0);
      new Int32Array(k.memory.buffer, this.layoutPtr, LAYOUT_FIELDS)[9] = batch;
      if (this.analog) k.mac_crossbar_analog(this.layoutPtr, this.cellsPtr, xp, yp, sp, r.adcStep);
      else k.mac_crossbar_planes(this.layoutPtr, this.cellsPtr, xp, yp, sp, r.adcStep);
      sums = new Float64Array(k.memory.buffer.slice(yp, yp + outLength * 8));
      saturations = new Float64Array(k.memory.buffer, sp, 1)[0];
    } finally {
      blocks.forEach((ptr) => heap.release(ptr));
    }
    if (r.mapping === 'offset') {
      const offset = 2 ** (r.weightBits - 1);
      for (let b = 0; b < batch; b++) {
        let total = 0;
        for (let i = 0; i < n; i++) total += x[b * n + i];
        for (let o = 0; o < this.outFeatures; o++) sums[b * this.outFeatures + o] -= offset * total;
      }
    }
    this.stats.conversions += conversions;
    this.stats.saturations += saturations;
    this.stats.cellReads += cellReads;
    this.stats.cycles += batch * T;
    return sums;
  }

  private ownCopy(data: Int32Array | Int16Array | Float64Array | Uint32Array | Float32Array): number {
    const ptr = this.own(data.byteLength);
    this.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

function shapeDim(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 24) {
    throw new BitsieveError('E_SHAPE', `mac.crossbar shape ${name}: expected an integer in [1, 2^24], received ${describe(value)}`);
  }
  return value;
}
