// `bs.sc.integralLinear`: a fully connected layer in integral stochastic computing (Ardakani et al., TVLSI 2017;
// sc_encoded_mac.md §5). Formulation used here:
// - weight w_ji ∈ [−m, m] is a bipolar integral stream of range m: m binary planes b_p (each of bipolar value
//   w/m, e.g. from bs.sc.encode with `range: m`), per-cycle value s_t = Σ_p (2·b_p,t − 1) ∈ {−m … m};
// - input x_i is a binary stream: 'bipolar' (value 2P − 1, per-cycle ±1: the product is the integer product
//   (2x_t − 1)·s_t, i.e. integral × integral with range 1) or 'unipolar' (value P, per-cycle 0/1: the product is
//   the gating x_t ? s_t : 0 of the public reproduction);
// - the neuron's per-cycle sum is the exact integer z_t = Σ_i product_i,t ∈ [−n·m, n·m] (a binary adder tree,
//   no down-scaling), whose mean is Σ_i w_ji·x_i;
// - NStanh: S ← clamp(S + z_t, 0, K − 1), K = m·N states, reset K/2, output 1 in the upper half.
// With the per-cycle variance ≈ n·m of z the diffusion argument of §5 gives y ≈ tanh(N·Σ/(2n)); the default
// N = 2n gives y ≈ tanh(Σ w·x) (for m = 1 and bipolar inputs this is exactly Btanh after an exact PC, r = 2n).
// Computation: z_t from exact parallel counts of the products of every plane with its input (sc_cycle_counts):
// bipolar z = 2·PC(XNOR) − n·m; unipolar z = PC(x AND b) − PC(x AND NOT b).
import { Resident } from '../ops/resident.js';
import { BitsieveError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ScOutputTiming, ScThreshold } from './activations.js';
import { ENCODINGS, expectBatch, expectInt, expectOneOf } from './checks.js';
import { decodeSums, runCounterFsm, type CountScale } from './feb.js';
import { withScratch } from './scratch.js';
import { StreamBatch, wordMask, type ScEncoding } from './stream.js';

export interface ScIntegralLinearOptions {
  /** m: binary planes per integral weight stream (weights hold out × in × m streams). Required, ≥ 1. */
  range: number;
  /** Input encoding: 'bipolar' (default, per-cycle ±1) or 'unipolar' (per-cycle 0/1 gating). */
  encoding?: ScEncoding;
  /** 'nstanh' (default) or 'none' (sums only). */
  activation?: 'nstanh' | 'none';
  /** N: the NStanh counter has K = m·N states (K even); default N = 2n (≈ tanh(Σ w·x)). */
  states?: number;
  /** Default 'beforeUpdate', as bs.sc.nstanh. */
  outputTiming?: ScOutputTiming;
  /** Default 'ge' (the public reproduction uses 'gt'). */
  threshold?: ScThreshold;
}

export interface ScIntegralLinearResult {
  /** batch × out NStanh output streams (binary, bipolar); absent for activation 'none'. */
  streams?: StreamBatch;
  /** Σ_i w_ji·x_i per sample and neuron: the mean of the exact per-cycle sums z_t. */
  sums: Float64Array;
}

export class ScIntegralLinear extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly range: number;
  readonly length: number;
  readonly encoding: ScEncoding;
  readonly activation: 'nstanh' | 'none';
  /** K = m·N counter states (0 with activation 'none'). */
  readonly states: number;
  private readonly runtime: Runtime;
  private readonly words: number;
  private readonly timing: ScOutputTiming;
  private readonly threshold: ScThreshold;
  /** out × in × m weight planes; unipolar: followed by their complements. */
  private readonly weights: number;

  /** @internal use `bs.sc.integralLinear(weights, inFeatures, options)` */
  constructor(runtime: Runtime, weights: StreamBatch, inFeatures: number, options: ScIntegralLinearOptions) {
    super(runtime.heap, 'ScIntegralLinear');
    this.runtime = runtime;
    expectBatch('sc.integralLinear weights', weights);
    this.inFeatures = expectInt('sc.integralLinear inFeatures', inFeatures, 1, 65535);
    if (options === null || typeof options !== 'object') throw new BitsieveError('E_RANGE', 'sc.integralLinear options: expected { range: m, … }');
    this.range = expectInt('sc.integralLinear range', options.range, 1, 65535);
    const row = inFeatures * this.range;
    if (2 * row > 65535) throw new BitsieveError('E_RANGE', `sc.integralLinear: expected 2·in·m ≤ 65535 (per-cycle sums in u16), received in ${inFeatures}, m ${this.range}`);
    if (weights.count % row !== 0) {
      throw new BitsieveError('E_SHAPE', `sc.integralLinear weights: expected out × ${inFeatures} × ${this.range} planes, received ${weights.count} streams`);
    }
    this.outFeatures = weights.count / row;
    this.length = weights.length;
    this.words = weights.stride;
    this.encoding = expectOneOf('sc.integralLinear encoding', options.encoding ?? 'bipolar', ENCODINGS);
    this.activation = expectOneOf('sc.integralLinear activation', options.activation ?? 'nstanh', ['nstanh', 'none'] as const);
    this.timing = expectOneOf('sc.integralLinear outputTiming', options.outputTiming ?? 'beforeUpdate', ['beforeUpdate', 'afterUpdate'] as const);
    this.threshold = expectOneOf('sc.integralLinear threshold', options.threshold ?? 'ge', ['ge', 'gt'] as const);
    this.states = 0;
    if (this.activation === 'nstanh') {
      const n = expectInt('sc.integralLinear states', options.states ?? 2 * inFeatures, 1, 1 << 30);
      this.states = n * this.range;
      if (this.states % 2 !== 0 || this.states > 1 << 30) throw new BitsieveError('E_RANGE', `sc.integralLinear states: expected m·N even and ≤ 2^30, received ${this.states}`);
    }
    const planes = this.encoding === 'unipolar' ? withComplements(weights) : weights.words;
    this.weights = this.own(planes.byteLength);
    this.heap.u8(this.weights, planes.byteLength).set(new Uint8Array(planes.buffer, planes.byteOffset, planes.byteLength));
  }

  /** Runs the layer on `x`: batch × in binary input streams of the layer's length. */
  run(x: StreamBatch): ScIntegralLinearResult {
    this.assertLive();
    expectBatch('sc.integralLinear x', x);
    if (x.length !== this.length) throw new BitsieveError('E_SHAPE', `sc.integralLinear x: expected streams of ${this.length} cycles, received ${x.length}`);
    if (x.count % this.inFeatures !== 0) throw new BitsieveError('E_SHAPE', `sc.integralLinear x: expected batch × ${this.inFeatures} streams, received ${x.count}`);
    const batch = x.count / this.inFeatures;
    const out = this.outFeatures;
    const n = this.inFeatures;
    const m = this.range;
    const words = this.words;
    const pitch = words * 32;
    const row = n * m;
    const sums = new Float64Array(batch * out);
    const streams = this.activation === 'none' ? undefined : new StreamBatch(batch * out, this.length);
    const k = this.runtime.kernels;
    const bipolar = this.encoding === 'bipolar';
    // Per-cycle counts c_t with z_t = gain·c_t − offset.
    const scale: CountScale = bipolar ? { gain: 2, offset: row } : { gain: 1, offset: row };
    withScratch(this.runtime, (s) => {
      const xs = s.zeroed(row * words * 4);
      const counts = s.zeroed(out * pitch * 2);
      const negative = bipolar ? 0 : s.zeroed(out * pitch * 2);
      const y = s.zeroed(out * words * 4);
      for (let b = 0; b < batch; b++) {
        s.setWords(xs, repeatStreams(x.words.subarray(b * n * words, (b + 1) * n * words), words, m));
        k.sc_cycle_counts(xs, this.weights, counts, out, row, words, bipolar ? 2 : 1, 0);
        if (!bipolar) {
          // z = PC(x AND b) − PC(x AND NOT b); shifted by n·m to stay a non-negative u16 count.
          k.sc_cycle_counts(xs, this.weights + out * row * words * 4, negative, out, row, words, 1, 0);
          const pos = s.u16(counts, out * pitch);
          const neg = s.u16(negative, out * pitch);
          for (let i = 0; i < pos.length; i++) pos[i] = pos[i] - neg[i] + row;
          s.setWords(counts, pos);
        }
        decodeSums(s.view32(counts, (out * pitch) >> 1), out, pitch, this.length, scale, 1, sums, b * out);
        if (!streams) continue;
        this.heap.u8(y, out * words * 4).fill(0);
        runCounterFsm(this.runtime, counts, y, out, pitch, this.length, words, this.states, scale, this.timing, this.threshold);
        streams.words.set(s.words(y, out * words), b * out * words);
      }
    });
    return streams ? { streams, sums } : { sums };
  }
}

/** Each of the n input streams repeated m times in a row (input i beside its weight's m planes). */
function repeatStreams(x: Uint32Array, words: number, m: number): Uint32Array {
  const n = x.length / words;
  const out = new Uint32Array(n * m * words);
  for (let i = 0; i < n; i++) {
    const stream = x.subarray(i * words, (i + 1) * words);
    for (let p = 0; p < m; p++) out.set(stream, (i * m + p) * words);
  }
  return out;
}

/** The planes followed by their complements (NOT within the length; pad bits stay zero). */
function withComplements(weights: StreamBatch): Uint32Array {
  const words = weights.stride;
  const out = new Uint32Array(2 * weights.words.length);
  out.set(weights.words);
  const masks = Array.from({ length: words }, (_, w) => wordMask(weights.length, w));
  for (let i = 0; i < weights.words.length; i++) out[weights.words.length + i] = ~weights.words[i] & masks[i % words];
  return out;
}
