// Stream → binary: per-stream totals, fused inner-product totals and per-cycle parallel counters (exact PC and
// the approximate APC, sc_encoded_mac.md §2.5, §2.6, §3.2). Kernels: assembly/sc/inner.ts, counters.ts.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { ENCODINGS, expectBatch, expectGroups, expectInt, expectOneOf, expectSameLength } from './checks.js';
import { withScratch } from './scratch.js';
import { StreamBatch, type ScEncoding } from './stream.js';

/**
 * Per-cycle counts of `groups` counters: `values[g·length + t]` is counter g's output at cycle t, an integer in
 * [0, inputs] (`inputs` = streams per counter, the n that Btanh's update 2c − n needs).
 */
export class CycleCounts {
  readonly groups: number;
  readonly length: number;
  readonly inputs: number;
  readonly values: Uint16Array;

  constructor(groups: number, length: number, inputs: number, values?: Uint16Array) {
    expectInt('CycleCounts groups', groups, 0);
    expectInt('CycleCounts length', length, 1);
    expectInt('CycleCounts inputs', inputs, 1, 65535);
    this.groups = groups;
    this.length = length;
    this.inputs = inputs;
    if (values === undefined) {
      this.values = new Uint16Array(groups * length);
      return;
    }
    if (!(values instanceof Uint16Array) || values.length !== groups * length) {
      throw new BitsieveError('E_SHAPE', `CycleCounts values: expected a Uint16Array of ${groups * length} (${groups} × ${length}), received ${describe(values)}`);
    }
    for (let i = 0; i < values.length; i++) {
      if (values[i] > inputs) throw new BitsieveError('E_RANGE', `CycleCounts values[${i}]: expected an integer in [0, ${inputs}], received ${values[i]}`);
    }
    this.values = values;
  }

  /** Counts of counter g over all cycles (a view). */
  row(g: number): Uint16Array {
    expectInt('CycleCounts row', g, 0, this.groups - 1);
    return this.values.subarray(g * this.length, (g + 1) * this.length);
  }

  /** Sum over cycles of counter g. */
  total(g: number): number {
    let sum = 0;
    for (const c of this.row(g)) sum += c;
    return sum;
  }
}

/** Which parallel counter: exact (PC) or approximate (APC, pairs OR/AND alternately then ×2). */
export type ScCounter = 'exact' | 'approximate';
const COUNTERS: readonly ScCounter[] = ['exact', 'approximate'];

export interface CycleCountOptions {
  /** Streams per counter (default: all of them, one counter); the batch holds whole groups. */
  groupSize?: number;
  /**
   * 'exact' (default): c_t = Σ_i x_i[t]. 'approximate' (APC, Kim/Lee/Choi as in stochasticSim's apcadd): pair k
   * = inputs (2k, 2k+1) merged by OR when k is even and AND when k is odd; c_t = 2·Σ_k merged_k[t]. With odd n
   * the last, unpaired input is added once, exactly (the identity APC − PC = Σ_OR(a⊕b) − Σ_AND(a⊕b) still holds).
   */
  counter?: ScCounter;
}

/** Ones of each stream (stream → binary counter over all L cycles): Int32Array [count]. */
export function streamOnes(runtime: Runtime, batch: StreamBatch): Int32Array {
  expectBatch('ones', batch);
  if (batch.count === 0) return new Int32Array(0);
  return withScratch(runtime, (s) => {
    const xp = s.copy(batch.words);
    const out = s.zeroed(batch.count * 4);
    runtime.kernels.sc_stream_ones(xp, out, batch.count, batch.stride);
    return s.i32(out, batch.count);
  });
}

/** Per-cycle PC / APC counts of groups of streams. */
export function cycleCounts(runtime: Runtime, streams: StreamBatch, options: CycleCountOptions = {}): CycleCounts {
  expectBatch('cycleCounts', streams);
  const n = expectInt('cycleCounts groupSize', options.groupSize ?? streams.count, 1, 65535);
  const groups = expectGroups('cycleCounts', streams, n);
  const approx = expectOneOf('cycleCounts counter', options.counter ?? 'exact', COUNTERS) === 'approximate';
  return runCycleCounts(runtime, streams, undefined, groups, n, 0, approx);
}

export interface ProductCountOptions {
  /** 'unipolar' (default): products x AND w; 'bipolar': XNOR(x, w). */
  encoding?: ScEncoding;
  /** Counter applied to each neuron's products per cycle (default 'exact'). */
  counter?: ScCounter;
}

/** w must hold neurons × x.count streams (row j = neuron j's weights, in input order). */
function expectWeights(name: string, x: StreamBatch, w: StreamBatch): number {
  expectBatch(`${name} x`, x);
  expectBatch(`${name} w`, w);
  expectSameLength(name, x, w);
  if (x.count === 0 || w.count % x.count !== 0) {
    throw new BitsieveError('E_SHAPE', `${name}: expected w to hold neurons × ${x.count} streams (one row of ${x.count} per neuron), received ${w.count}`);
  }
  return w.count / x.count;
}

/**
 * SC-DCNN inner-product block, per cycle: for each neuron j, c_j[t] = counter over i of (x_i · w_ji)[t], the
 * products formed on the fly (AND unipolar / XNOR bipolar). x: n input streams; w: neurons × n weight streams.
 */
export function productCycleCounts(runtime: Runtime, x: StreamBatch, w: StreamBatch, options: ProductCountOptions = {}): CycleCounts {
  const neurons = expectWeights('productCycleCounts', x, w);
  expectInt('productCycleCounts inputs', x.count, 1, 65535);
  const encoding = expectOneOf('productCycleCounts encoding', options.encoding ?? 'unipolar', ENCODINGS);
  const approx = expectOneOf('productCycleCounts counter', options.counter ?? 'exact', COUNTERS) === 'approximate';
  return runCycleCounts(runtime, x, w, neurons, x.count, encoding === 'unipolar' ? 1 : 2, approx);
}

function runCycleCounts(runtime: Runtime, x: StreamBatch, w: StreamBatch | undefined, groups: number, n: number, op: number, approx: boolean): CycleCounts {
  const result = new CycleCounts(groups, x.length, n);
  if (groups === 0) return result;
  const pitch = x.stride * 32;
  return withScratch(runtime, (s) => {
    const xp = s.copy(x.words);
    const wp = w ? s.copy(w.words) : xp;
    const out = s.zeroed(groups * pitch * 2);
    runtime.kernels.sc_cycle_counts(xp, wp, out, groups, n, x.stride, op, approx ? 1 : 0);
    const all = s.u16(out, groups * pitch);
    for (let g = 0; g < groups; g++) result.values.set(all.subarray(g * pitch, g * pitch + x.length), g * x.length);
    return result;
  });
}

/**
 * Fused inner-product totals: ones[j] = Σ_i popcount(x_i AND w_ji) (unipolar) or Σ_i popcount(XNOR(x_i, w_ji))
 * (bipolar) over all L cycles — the per-neuron total ones of the products, without forming them.
 * Decode: unipolar Σ_i x_i·w_ji ≈ ones/L; bipolar ≈ 2·ones/L − n.
 */
export function innerProductOnes(runtime: Runtime, x: StreamBatch, w: StreamBatch, encoding: ScEncoding = 'unipolar'): Int32Array {
  const neurons = expectWeights('innerProductOnes', x, w);
  expectOneOf('innerProductOnes encoding', encoding, ENCODINGS);
  if (x.count * x.length > 0x7fffffff) throw new BitsieveError('E_RANGE', `innerProductOnes: expected at most 2^31 − 1 input bits per neuron, received ${x.count * x.length}`);
  return withScratch(runtime, (s) => {
    const xp = s.copy(x.words);
    const wp = s.copy(w.words);
    const out = s.zeroed(neurons * 4);
    runtime.kernels.sc_inner_ones(xp, wp, out, x.count, neurons, x.stride, x.length, encoding === 'bipolar' ? 1 : 0);
    return s.i32(out, neurons);
  });
}
