// `bs.sc.linear`: a fully connected layer run in stochastic computing with SC-DCNN's feature-extraction-block
// choices (sc_encoded_mac.md §3): products of input and weight streams (XNOR bipolar / AND unipolar), then
//   'apc' | 'exact': a parallel counter per neuron and cycle (APC or exact PC) → Btanh (r states) or the counts;
//   'mux':           an n:1 MUX per neuron with one select index per cycle (value (1/n)·Σ w·x) → Stanh (K states).
// The weight streams are copied into wasm memory once. For 'mux' the MUX commutes with the product, so each
// neuron's selected weight bits are gathered once at construction, and a call gathers the input bits once and
// multiplies them with every neuron's gathered weights.
import { Resident } from '../ops/resident.js';
import { BitsieveError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { btanhStates, type ScOutputTiming, type ScThreshold } from './activations.js';
import { ENCODINGS, expectBatch, expectInt, expectOneOf } from './checks.js';
import { withScratch } from './scratch.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export type ScInnerProduct = 'apc' | 'exact' | 'mux';
export type ScLayerActivation = 'btanh' | 'stanh' | 'none';

export interface ScLinearOptions {
  /** 'bipolar' (default): values in [−1, 1], XNOR products; 'unipolar': [0, 1], AND products. */
  encoding?: ScEncoding;
  /** Inner-product block. Default 'apc'. */
  innerProduct?: ScInnerProduct;
  /** Default: 'btanh' after 'apc' / 'exact', 'stanh' after 'mux'; 'none' returns the sums only. */
  activation?: ScLayerActivation;
  /**
   * FSM states. Btanh: r, default Kim's rule btanhStates(n, weightScale) (= 2n for s = 1: ≈ tanh(Σ w·x));
   * Stanh after the MUX: K, default 2n (the MUX scales by 1/n, K/2 = n restores tanh(Σ w·x)).
   */
  states?: number;
  /** Kim's weight-scaling factor s ∈ (0, 1] for the default Btanh state count. Default 1. */
  weightScale?: number;
  /** FSM output timing; defaults as bs.sc.btanh ('afterUpdate') and bs.sc.stanh ('beforeUpdate'). */
  outputTiming?: ScOutputTiming;
  /** FSM threshold: output 1 when the state is ≥ (default) or > half the states. */
  threshold?: ScThreshold;
  /** 'mux' only: the select index of every cycle, integers in [0, in) (e.g. from a seeded uniform source). */
  select?: ArrayLike<number>;
}

export interface ScLinearResult {
  /** batch × out output streams (the activation's output; the MUX's output for 'mux' with 'none'); absent for counters with 'none'. */
  streams?: StreamBatch;
  /** Estimated pre-activation sums Σ_i w_ji·x_i per sample and neuron, decoded from the counts (or the MUX stream). */
  sums: Float64Array;
}

const INNER: readonly ScInnerProduct[] = ['apc', 'exact', 'mux'];
const ACTIVATIONS: readonly ScLayerActivation[] = ['btanh', 'stanh', 'none'];

export class ScLinear extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly length: number;
  readonly encoding: ScEncoding;
  readonly innerProduct: ScInnerProduct;
  readonly activation: ScLayerActivation;
  /** FSM states (0 with activation 'none'). */
  readonly states: number;
  private readonly runtime: Runtime;
  private readonly stride: number;
  private readonly timing: ScOutputTiming;
  private readonly threshold: ScThreshold;
  /** apc / exact: out × in weight streams; mux: out gathered weight streams. */
  private readonly weights: number;
  /** mux: the select indices (u16, one per cycle); 0 otherwise. */
  private readonly select: number = 0;

  /** @internal use `bs.sc.linear(weights, inFeatures, options)` */
  constructor(runtime: Runtime, weights: StreamBatch, inFeatures: number, options: ScLinearOptions = {}) {
    super(runtime.heap, 'ScLinear');
    this.runtime = runtime;
    expectBatch('sc.linear weights', weights);
    this.inFeatures = expectInt('sc.linear inFeatures', inFeatures, 1, 65535);
    if (weights.count % inFeatures !== 0) {
      throw new BitsieveError('E_SHAPE', `sc.linear weights: expected out × ${inFeatures} streams (one row per neuron), received ${weights.count}`);
    }
    this.outFeatures = weights.count / inFeatures;
    this.length = weights.length;
    this.stride = weights.stride;
    this.encoding = expectOneOf('sc.linear encoding', options.encoding ?? 'bipolar', ENCODINGS);
    this.innerProduct = expectOneOf('sc.linear innerProduct', options.innerProduct ?? 'apc', INNER);
    const mux = this.innerProduct === 'mux';
    this.activation = expectOneOf('sc.linear activation', options.activation ?? (mux ? 'stanh' : 'btanh'), ACTIVATIONS);
    if (this.activation === (mux ? 'btanh' : 'stanh')) {
      throw new BitsieveError('E_UNSUPPORTED', `sc.linear: ${this.activation} does not follow the ${this.innerProduct} block (MUX → stanh, counters → btanh)`);
    }
    this.timing = expectOneOf('sc.linear outputTiming', options.outputTiming ?? (mux ? 'beforeUpdate' : 'afterUpdate'), ['beforeUpdate', 'afterUpdate'] as const);
    this.threshold = expectOneOf('sc.linear threshold', options.threshold ?? 'ge', ['ge', 'gt'] as const);
    const n = inFeatures;
    const defaultStates = this.activation === 'none' ? 0 : mux ? 2 * n : btanhStates(n, options.weightScale ?? 1);
    this.states = this.activation === 'none' ? 0 : expectInt('sc.linear states', options.states ?? defaultStates, 2, 1 << 30);
    if (this.states % 2 !== 0) throw new BitsieveError('E_RANGE', `sc.linear states: expected an even number, received ${this.states}`);
    try {
      if (!mux) {
        this.weights = this.ownWords(weights.words);
        return;
      }
      const select = checkSelect(options.select, this.length, n);
      this.select = this.ownWords(select);
      // Gather each neuron's selected weight bits once: the MUX of the products = the product of the MUXes.
      this.weights = this.own(this.outFeatures * this.stride * 4);
      withScratch(runtime, (s) => {
        const wp = s.copy(weights.words);
        runtime.kernels.sc_mux_index(wp, this.select, this.weights, this.outFeatures, n, this.stride, this.length);
      });
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Runs the layer on `x`: batch × in input streams of the layer's length (sample b = streams b·in … b·in + in − 1). */
  run(x: StreamBatch): ScLinearResult {
    this.assertLive();
    expectBatch('sc.linear x', x);
    if (x.length !== this.length) throw new BitsieveError('E_SHAPE', `sc.linear x: expected streams of ${this.length} cycles, received ${x.length}`);
    if (x.count % this.inFeatures !== 0) throw new BitsieveError('E_SHAPE', `sc.linear x: expected batch × ${this.inFeatures} streams, received ${x.count}`);
    const batch = x.count / this.inFeatures;
    const out = this.outFeatures;
    const sums = new Float64Array(batch * out);
    const streams = this.activation === 'none' && this.innerProduct !== 'mux' ? undefined : new StreamBatch(batch * out, this.length);
    const k = this.runtime.kernels;
    const words = this.stride;
    const pitch = words * 32;
    withScratch(this.runtime, (s) => {
      const xp = s.copy(x.words);
      const counts = s.zeroed(out * pitch * 2);
      const y = s.zeroed(out * words * 4);
      const picked = s.zeroed(words * 4);
      for (let b = 0; b < batch; b++) {
        const xb = xp + b * this.inFeatures * words * 4;
        if (this.innerProduct === 'mux') {
          // The input bit each cycle selects, then its product with every neuron's gathered weight bit.
          k.sc_mux_index(xb, this.select, picked, 1, this.inFeatures, words, this.length);
          k.sc_gate(this.weights, picked, y, out, 1, words, this.length, this.encoding === 'bipolar' ? 3 : 0);
          k.sc_cycle_counts(y, y, counts, out, 1, words, 0, 0);
        } else {
          k.sc_cycle_counts(xb, this.weights, counts, out, this.inFeatures, words, this.encoding === 'bipolar' ? 2 : 1, this.innerProduct === 'apc' ? 1 : 0);
        }
        this.decodeSums(s.u16(counts, out * pitch), sums, b * out);
        if (!streams) continue;
        if (this.activation !== 'none') {
          this.heap.u8(y, out * words * 4).fill(0); // the FSM kernel ORs its bits into a zeroed output
          this.fsm(counts, y, pitch);
        }
        streams.words.set(s.words(y, out * words), b * out * words);
      }
    });
    return streams ? { streams, sums } : { sums };
  }

  /** Btanh on the counts (S += 2c − n) or Stanh on one stream per neuron (S += 2·bit − 1), into y. */
  private fsm(counts: number, y: number, pitch: number): void {
    const mux = this.innerProduct === 'mux';
    const half = this.states / 2;
    this.runtime.kernels.sc_fsm_counter(counts, y, this.outFeatures, pitch, this.length, this.stride, this.states, half, 2, mux ? 1 : this.inFeatures, half, this.threshold === 'gt' ? 1 : 0, this.timing === 'afterUpdate' ? 1 : 0);
  }

  /** Σ_i w·x from the per-cycle counts: bipolar 2·Σc/L − n (MUX: n·(2·ones/L − 1)); unipolar Σc/L (MUX: n·ones/L). */
  private decodeSums(counts: Uint16Array, sums: Float64Array, at: number): void {
    const pitch = this.stride * 32;
    const L = this.length;
    const n = this.innerProduct === 'mux' ? 1 : this.inFeatures;
    const scale = this.innerProduct === 'mux' ? this.inFeatures : 1;
    for (let j = 0; j < this.outFeatures; j++) {
      let total = 0;
      for (let t = 0; t < L; t++) total += counts[j * pitch + t];
      sums[at + j] = scale * (this.encoding === 'bipolar' ? (2 * total) / L - n : total / L);
    }
  }

  private ownWords(data: Uint32Array | Uint16Array): number {
    const ptr = this.own(data.byteLength);
    this.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

function checkSelect(select: ArrayLike<number> | undefined, length: number, n: number): Uint16Array {
  if (select === undefined || typeof select.length !== 'number' || select.length !== length) {
    throw new BitsieveError('E_SHAPE', `sc.linear select: 'mux' needs one select index per cycle (${length}), received ${select === undefined ? 'none' : `${select.length}`}`);
  }
  const idx = new Uint16Array(length); // sc_mux_index reads u16 indices
  for (let t = 0; t < length; t++) {
    const v = select[t];
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new BitsieveError('E_RANGE', `sc.linear select[${t}]: expected an integer in [0, ${n}), received ${v}`);
    idx[t] = v;
  }
  return idx;
}
