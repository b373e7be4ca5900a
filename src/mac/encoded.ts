// `bs.mac.encodedLinear`: a resident linear layer whose every multiplication is EncodingNet's encoded product
// (sc_encoded_mac.md §8.1, §8.5): y[b][o] = Σ_i s_i · Σ_k e_i(x[b][k], w[o][k]) (+ K · s_const).
//   mode 'netlist' (default): the netlist runs bit-parallel on bit planes in wasm (assembly/mac/encoded.ts), with
//     gates that read only weight bits precomputed once and gates that read only activation bits once per sample
//     (src/mac/encoded-program.ts). Padding lanes (K rounded up to 512) carry operands (0, 0); their ones are
//     subtracted exactly per position (pad_i = padding lanes × e_i(0, 0)), which is the same as masking them.
//   mode 'lut': the 2^w × 2^w product table of the encoder (productTable) through the product-table GEMM.
// Int32Array position weights give exact integers in both modes (identical results); Float32Array weights give
// f64 sums: netlist mode Σ_i s_i·count_i in position order, LUT mode Σ_k T[x][w] in k order, which differ by
// rounding only (bound in the productTable doc).
import { Resident } from '../ops/resident.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectInteger, expectShape2 } from '../runtime/validate.js';
import { compileEncoded, type EncodedProgram } from './encoded-program.js';
import { allPairPlanes, checkEncoder, evaluatePlanes, type CheckedNetlist, type Encoder } from './netlist.js';
import { operandCodes } from './operands.js';
import { ProductTableLinear, type ProductTable } from './table-gemm.js';

export type EncodedMode = 'netlist' | 'lut';

export interface EncodedLinearOptions {
  /** 'netlist' (default): evaluate the gates bit-parallel; 'lut': use the encoder's product table. */
  mode?: EncodedMode;
  /**
   * Netlist mode: precompute gates that read only one operand's bits (default true). false runs every gate per
   * product, as the hardware does; the results are identical either way.
   */
  hoist?: boolean;
}

const LANES = 128;

/**
 * The encoder's 2^w × 2^w product table T[a_code][w_code] = Σ_i s_i·e_i(a, w) (+ s_const), row = activation code.
 * Int32Array for integer weights (E_RANGE if Σ|s| exceeds i32), else Float64Array summed in position order with
 * the constant last. Netlist and LUT modes then agree exactly for integer weights; for float weights each sums
 * the same exact value in another order, so |y_lut − y_netlist| ≤ (M + K + 2) · 2^−52 · K · Σ|s| (first-order
 * floating-point summation bounds of both orders).
 * @example const table = productTable(identityEncoder(4)); // table[(-3 & 15) * 16 + 5] === -15
 */
export function productTable(encoder: Encoder): ProductTable {
  const checked = checkEncoder('productTable encoder', encoder);
  return tableOf(checked);
}

function tableOf(checked: CheckedNetlist & { weights: Int32Array | Float32Array }): ProductTable {
  const { netlist, weights } = checked;
  const planes = allPairPlanes(checked);
  const pairs = 1 << (2 * checked.bits);
  const m = netlist.outputs.length;
  const exact = weights instanceof Int32Array;
  if (exact) {
    const total = absSum(weights);
    if (total > 2 ** 31 - 1) throw new BitsieveError('E_RANGE', `productTable: expected Σ|position weights| ≤ 2^31 − 1 for an Int32Array table, received ${total}`);
  }
  const table = exact ? new Int32Array(pairs) : new Float64Array(pairs);
  const outPlanes = netlist.outputs.map((id) => planes[id]);
  const constant = netlist.constant ? weights[m] : 0;
  for (let p = 0; p < pairs; p++) {
    const word = p >> 5;
    const bit = p & 31;
    let v = 0;
    for (let i = 0; i < m; i++) if ((outPlanes[i][word] >>> bit) & 1) v += weights[i];
    table[p] = v + constant;
  }
  return table;
}

/** Packs samples' codes (rows of k) into the planes of input nodes `first … first + w − 1` (MSB first) and evaluates the gates of one side. */
function sidePlanes(checked: CheckedNetlist, side: Uint8Array, which: 1 | 2, codes: Uint8Array, offset: number, k: number, words: number): Int32Array[] {
  const w = checked.bits;
  const first = which === 1 ? 0 : w;
  const zero = new Int32Array(words);
  const planes = evaluatePlanesOfSide(checked, side, which, words, (id) => {
    if (id < first || id >= first + w) return zero;
    const shift = w - 1 - (id - first);
    const plane = new Int32Array(words);
    for (let t = 0; t < k; t++) plane[t >> 5] |= ((codes[offset + t] >> shift) & 1) << (t & 31);
    return plane;
  });
  return planes;
}

/** Copies the planes of `nodes` to `dst` at `at` (words each) and writes the ones of each [position, node] output to `counts` at `countsAt`. */
function emitSide(planes: Int32Array[], nodes: number[], outputs: [number, number][], words: number, dst: Int32Array, at: number, counts: Int32Array, countsAt: number): void {
  nodes.forEach((id, i) => dst.set(planes[id], at + i * words));
  for (const [pos, id] of outputs) counts[countsAt + pos] += ones(planes[id]);
}

function ones(plane: Int32Array): number {
  let c = 0;
  for (let t = 0; t < plane.length; t++) {
    let v = plane[t];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    c += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return c;
}

/** evaluatePlanes restricted to the gates of one side (the others are never read by them). */
function evaluatePlanesOfSide(checked: CheckedNetlist, side: Uint8Array, which: number, words: number, inputPlane: (id: number) => Int32Array): Int32Array[] {
  const { inputs, netlist } = checked;
  const order = checked.order.filter((g) => side[inputs + g] === which);
  return evaluatePlanes({ ...checked, order, netlist }, words, inputPlane);
}

/**
 * A resident encoded-MAC linear layer (see the file comment). Weights [out, in] are signed w-bit values.
 * Build it with `bs.mac.encodedLinear`; `dispose()` frees its wasm memory.
 */
export class EncodedLinear extends Resident {
  readonly mode: EncodedMode;
  readonly operandBits: number;
  readonly outFeatures: number;
  readonly inFeatures: number;
  /** True for Int32Array position weights (exact integer results). */
  readonly exact: boolean;
  private readonly runtime: Runtime;
  private readonly checked: CheckedNetlist;
  private readonly program?: EncodedProgram;
  private readonly lut?: ProductTableLinear;
  private readonly layer: number = 0;
  private readonly kBlocks: number = 0;

  /** @internal use `bs.mac.encodedLinear(weights, shape, encoder, options)` */
  constructor(runtime: Runtime, weights: Int8Array, shape: [number, number], encoder: Encoder, options: EncodedLinearOptions = {}) {
    super(runtime.heap, 'EncodedLinear');
    this.runtime = runtime;
    if (typeof options !== 'object' || options === null) throw new BitsieveError('E_DTYPE', `encodedLinear options: expected an object, received ${describe(options)}`);
    const mode = options.mode ?? 'netlist';
    if (mode !== 'netlist' && mode !== 'lut') throw new BitsieveError('E_RANGE', `encodedLinear options.mode: expected 'netlist' | 'lut', received ${describe(mode)}`);
    this.mode = mode;
    const checked = checkEncoder('encodedLinear encoder', encoder);
    this.checked = checked;
    this.operandBits = checked.bits;
    [this.outFeatures, this.inFeatures] = expectShape2('encodedLinear shape', shape);
    if (this.outFeatures < 1 || this.inFeatures < 1) throw new BitsieveError('E_SHAPE', `encodedLinear shape: expected [out ≥ 1, in ≥ 1], received [${shape.join(', ')}]`);
    const codes = operandCodes('encodedLinear weights', weights, this.operandBits, this.outFeatures * this.inFeatures);
    const s = checked.weights;
    this.exact = s instanceof Int32Array;
    const k = this.inFeatures;
    if (this.exact) {
      const total = absSum(s);
      if (total * k > Number.MAX_SAFE_INTEGER) throw new BitsieveError('E_RANGE', `encodedLinear: expected in · Σ|position weights| ≤ 2^53 − 1 so results are exact, received ${k} · ${total}`);
    }
    if (mode === 'lut') {
      this.lut = new ProductTableLinear(runtime, tableOf(checked), this.operandBits, weights, shape);
      return;
    }
    const hoist = options.hoist ?? true;
    if (typeof hoist !== 'boolean') throw new BitsieveError('E_DTYPE', `encodedLinear options.hoist: expected a boolean, received ${describe(hoist)}`);
    try {
      const program = compileEncoded(checked, hoist);
      this.program = program;
      // Whole groups of four 128-lane blocks (the kernel's unrolled step).
      this.kBlocks = Math.ceil(k / (4 * LANES)) * 4;
      const words = this.kBlocks * 4;
      const out = this.outFeatures;
      const m = checked.netlist.outputs.length;
      const nx = program.xNodes.length;
      const nw = program.wNodes.length;
      const nodes = nx + nw + program.storedGates;
      // Chunk: a multiple of 4 blocks that keeps the gate buffer near 24 KiB (L1), at most 28 (byte popcount sums).
      const fit = Math.floor(24576 / (Math.max(1, program.storedGates) * 16));
      const chunkBlocks = 4 * Math.max(1, Math.min(7, this.kBlocks / 4, Math.floor(fit / 4)));
      // Ones of each output position on one padding lane (operands 0, 0), subtracted once per position here.
      const zeroPlanes = evaluatePlanes(checked, 1, () => new Int32Array(1));
      const padLanes = this.kBlocks * LANES - k;
      const wCounts = new Int32Array(out * m);
      for (let o = 0; o < out; o++) checked.netlist.outputs.forEach((id, i) => (wCounts[o * m + i] = -(zeroPlanes[id][0] & 1) * padLanes));
      const planeWords = new Int32Array(out * nw * words);
      for (let o = 0; o < out; o++) {
        const planes = sidePlanes(checked, program.side, 2, codes, o * k, k, words);
        emitSide(planes, program.wNodes, program.wOutputs, words, planeWords, o * nw * words, wCounts, o * m);
      }
      const weightBytes = this.exact ? new Uint8Array(Int32Array.from(s.subarray(0, m)).buffer) : new Uint8Array(Float64Array.from(s.subarray(0, m)).buffer);
      const bias = checked.netlist.constant ? k * s[m] : 0;
      this.layer = this.own(80);
      const prog = this.copyIn(new Uint8Array(program.program.buffer));
      const ptrs = this.own(nodes * 4);
      const wPlanes = this.copyIn(new Uint8Array(planeWords.buffer));
      const outs = this.copyIn(new Uint8Array(program.outs.buffer));
      const wCountsPtr = this.copyIn(new Uint8Array(wCounts.buffer));
      const weightPtr = this.copyIn(weightBytes);
      const counts = this.own(m * 4);
      const gateBuffer = this.own(program.storedGates * chunkBlocks * 16);
      const ptrView = new Uint32Array(this.runtime.kernels.memory.buffer, ptrs, nodes);
      for (let g = 0; g < program.storedGates; g++) ptrView[nx + nw + g] = gateBuffer + g * chunkBlocks * 16;
      const header = new Int32Array(this.runtime.kernels.memory.buffer, this.layer, 15);
      header.set([prog, program.runs, ptrs, nx, nw, wPlanes, outs, program.outs.length / 2, m, wCountsPtr, weightPtr, out, this.kBlocks, chunkBlocks, counts]);
      new Float64Array(this.runtime.kernels.memory.buffer, this.layer + 64, 1)[0] = bias;
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** y = the layer on `x` (batch × in signed w-bit values); batch × out results (exact integers for Int32Array weights). */
  forward(x: Int8Array, batch = 1): Float64Array {
    this.assertLive();
    if (this.lut) return this.lut.forward(x, batch);
    expectInteger('encodedLinear batch', batch, 1);
    const k = this.inFeatures;
    const codes = operandCodes('encodedLinear x', x, this.operandBits, batch * k);
    const program = this.program!;
    const words = this.kBlocks * 4;
    const nx = program.xNodes.length;
    const m = this.checked.netlist.outputs.length;
    const planeWords = new Int32Array(batch * nx * words);
    const xCounts = new Int32Array(batch * m);
    for (let b = 0; b < batch; b++) {
      const planes = sidePlanes(this.checked, program.side, 1, codes, b * k, k, words);
      emitSide(planes, program.xNodes, program.xOutputs, words, planeWords, b * nx * words, xCounts, b * m);
    }
    const heap = this.heap;
    const yBytes = batch * this.outFeatures * 8;
    const countsBytes = Math.ceil(xCounts.byteLength / 16) * 16; // keeps the planes 16-aligned
    const scratch = heap.alloc(yBytes + countsBytes + planeWords.byteLength);
    try {
      const countsPtr = scratch + yBytes;
      const planesPtr = countsPtr + countsBytes;
      heap.u8(countsPtr, xCounts.byteLength).set(new Uint8Array(xCounts.buffer));
      heap.u8(planesPtr, planeWords.byteLength).set(new Uint8Array(planeWords.buffer));
      const kernels = this.runtime.kernels;
      (this.exact ? kernels.mac_encoded_gemm_i32 : kernels.mac_encoded_gemm_f64)(this.layer, planesPtr, countsPtr, scratch, batch);
      return new Float64Array(kernels.memory.buffer.slice(scratch, scratch + yBytes));
    } finally {
      heap.release(scratch);
    }
  }

  override dispose(): void {
    this.lut?.dispose();
    super.dispose();
  }

  private copyIn(bytes: Uint8Array): number {
    const ptr = this.own(bytes.byteLength);
    this.heap.u8(ptr, bytes.byteLength).set(bytes);
    return ptr;
  }
}

function concat(planes: Int32Array[], words: number): Int32Array {
  const all = new Int32Array(planes.length * words);
  planes.forEach((p, i) => all.set(p, i * words));
  return all;
}

function absSum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.abs(values[i]);
  return total;
}
