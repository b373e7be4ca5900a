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
import { expectBatch, expectInt } from './checks.js';
import { checkSelect, countScale, decodeSums, resolveFeb, runCounterFsm, type Feb, type ScFebOptions } from './feb.js';
import { withScratch } from './scratch.js';
import { StreamBatch } from './stream.js';

export type { ScInnerProduct, ScLayerActivation } from './feb.js';

/** bs.sc.linear options: the feature-extraction-block choices (see ScFebOptions). */
export type ScLinearOptions = ScFebOptions;

export interface ScLinearResult {
  /** batch × out output streams (the activation's output; the MUX's output for 'mux' with 'none'); absent for counters with 'none'. */
  streams?: StreamBatch;
  /** Estimated pre-activation sums Σ_i w_ji·x_i per sample and neuron, decoded from the counts (or the MUX stream). */
  sums: Float64Array;
}

export class ScLinear extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly length: number;
  readonly encoding: Feb['encoding'];
  readonly innerProduct: Feb['innerProduct'];
  readonly activation: Feb['activation'];
  /** FSM states (0 with activation 'none'). */
  readonly states: number;
  private readonly runtime: Runtime;
  private readonly stride: number;
  private readonly feb: Feb;
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
    const n = inFeatures;
    this.feb = resolveFeb('sc.linear', n, options);
    ({ encoding: this.encoding, innerProduct: this.innerProduct, activation: this.activation, states: this.states } = this.feb);
    try {
      if (this.innerProduct !== 'mux') {
        this.weights = this.ownWords(weights.words);
        return;
      }
      this.select = this.ownWords(checkSelect('sc.linear select', options.select, this.length, n));
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
    const mux = this.innerProduct === 'mux';
    const sums = new Float64Array(batch * out);
    const streams = this.activation === 'none' && !mux ? undefined : new StreamBatch(batch * out, this.length);
    const k = this.runtime.kernels;
    const words = this.stride;
    const pitch = words * 32;
    const bipolar = this.encoding === 'bipolar';
    // Per-cycle count → value: the n products' count, or the MUX's single bit (its sum is n × its value).
    // The tanh FSMs always step by the bipolar value 2c − n (as bs.sc.btanh / stanh); the sums use the encoding.
    const inputs = mux ? 1 : this.inFeatures;
    const scale = countScale(this.encoding, inputs);
    const fsmScale = countScale('bipolar', inputs);
    const factor = mux ? this.inFeatures : 1;
    withScratch(this.runtime, (s) => {
      const xp = s.copy(x.words);
      const counts = s.zeroed(out * pitch * 2);
      const y = s.zeroed(out * words * 4);
      const picked = s.zeroed(words * 4);
      for (let b = 0; b < batch; b++) {
        const xb = xp + b * this.inFeatures * words * 4;
        if (mux) {
          // The input bit each cycle selects, then its product with every neuron's gathered weight bit.
          k.sc_mux_index(xb, this.select, picked, 1, this.inFeatures, words, this.length);
          k.sc_gate(this.weights, picked, y, out, 1, words, this.length, bipolar ? 3 : 0);
          k.sc_cycle_counts(y, y, counts, out, 1, words, 0, 0);
        } else {
          k.sc_cycle_counts(xb, this.weights, counts, out, this.inFeatures, words, bipolar ? 2 : 1, this.innerProduct === 'apc' ? 1 : 0);
        }
        decodeSums(s.view32(counts, (out * pitch) >> 1), out, pitch, this.length, scale, factor, sums, b * out);
        if (!streams) continue;
        if (this.activation !== 'none') {
          this.heap.u8(y, out * words * 4).fill(0); // the FSM kernel ORs its bits into a zeroed output
          runCounterFsm(this.runtime, counts, y, out, pitch, this.length, words, this.states, fsmScale, this.feb.timing, this.feb.threshold);
        }
        streams.words.set(s.words(y, out * words), b * out * words);
      }
    });
    return streams ? { streams, sums } : { sums };
  }

  private ownWords(data: Uint32Array | Uint16Array): number {
    const ptr = this.own(data.byteLength);
    this.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}
