// `bs.sc.conv2d`: a 2-D convolution layer run in stochastic computing as SC-DCNN's feature-extraction blocks
// (sc_encoded_mac.md §3.2–3.5): inner product (MUX | APC | exact PC) → pooling (none | average | max over 2×2
// windows) → activation (Stanh after the MUX, Btanh after counters, or none), in that order (§3.5).
// Each output position's receptive field (inC·kh·kw input streams) is the inner product's input vector; the fields
// are gathered once per image as an im2col of stream words. Counters: one sc_cycle_counts call per output channel
// takes that channel's weights as the shared operand and every position's field as a group, so the counts land in
// NCHW order. MUX: the select index of cycle t picks one field element (k = ci·kh·kw + ky·kw + kx) for every
// position and channel alike; the weights are gathered once at construction (the MUX commutes with the product).
// Pooling on the counter path works on the per-cycle counts (sc_pool_counts: average = the sum of the window's four
// counts; max = the segment rule applied to counts), on the MUX path on streams (average: a 4:1 MUX; max: sc_max_pool).
import { Resident } from '../ops/resident.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectBatch, expectInt, expectOneOf } from './checks.js';
import { checkSelect, countScale, decodeSums, resolveFeb, runCounterFsm, type Feb, type ScFebOptions } from './feb.js';
import { withScratch, type ScScratch } from './scratch.js';
import { StreamBatch } from './stream.js';

export type ScPooling = 'none' | 'average' | 'max';

export interface ScConv2dOptions extends ScFebOptions {
  /**
   * 'mux' only: `select[t]` ∈ [0, inC·kh·kw) picks the receptive-field element k = ci·kh·kw + ky·kw + kx at
   * cycle t (the same element for every output position and channel, as one shared select source would).
   */
  select?: ArrayLike<number>;
  /** Stride in both directions (default 1). Padding is always 'valid': outH = ⌊(H − kh)/stride⌋ + 1. */
  stride?: number;
  /**
   * Pooling over non-overlapping 2×2 windows (an odd last row / column is dropped), between the inner product
   * and the activation. Default 'none'.
   * - 'average': APC / exact path → the window's four per-cycle counts are summed (a 4n-input count; the Btanh
   *   step is 2·Σc − 4n and the default states stay Kim's r for n, which keeps ≈ tanh(mean of the four sums));
   *   MUX path → a 4:1 MUX driven by `poolSelect`.
   * - 'max': the hardware approximation (§3.3): cycles cut into segments of `segment`; each segment copies the
   *   window position whose count of ones (MUX path) or sum of per-cycle counts (counter path) was largest in the
   *   previous segment (causal; `causal: false` uses the same segment), segment 0 copies window position
   *   `initial`; ties → the lowest position (row-major in the window).
   */
  pooling?: ScPooling;
  /** 'mux' with 'average' pooling: the 4:1 MUX's select index of every cycle, integers in [0, 4) (row-major window). */
  poolSelect?: ArrayLike<number>;
  /** 'max' pooling: segment length c in cycles (default 16). */
  segment?: number;
  /** 'max' pooling: the window position copied during the first segment (default 0). */
  initial?: number;
  /** 'max' pooling: true (default) = choose from the previous segment (realizable); false = from the same one. */
  causal?: boolean;
}

export interface ScConv2dResult {
  /** batch × outC × outH × outW output streams (NCHW); absent for counters with activation 'none'. */
  streams?: StreamBatch;
  /** Estimated pre-activation values (after pooling) per output, NCHW, decoded from the counts (or MUX streams). */
  sums: Float64Array;
  /** [outC, outH, outW] of one sample (after pooling). */
  shape: [number, number, number];
}

const POOLINGS: readonly ScPooling[] = ['none', 'average', 'max'];

export class ScConv2d extends Resident {
  readonly outChannels: number;
  readonly inChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: number;
  readonly length: number;
  readonly encoding: Feb['encoding'];
  readonly innerProduct: Feb['innerProduct'];
  readonly pooling: ScPooling;
  readonly activation: Feb['activation'];
  /** FSM states (0 with activation 'none'). */
  readonly states: number;
  private readonly runtime: Runtime;
  private readonly words: number;
  private readonly feb: Feb;
  /** inC·kh·kw: the inner product's inputs. */
  private readonly fan: number;
  private readonly segment: number;
  private readonly initial: number;
  private readonly causal: boolean;
  /** apc / exact: outC × fan weight streams; mux: outC gathered weight streams. */
  private readonly weights: number;
  /** mux: u16 select per cycle; 0 otherwise. */
  private readonly select: number = 0;
  /** mux + average: u16 pool select per cycle; 0 otherwise. */
  private readonly poolSelect: number = 0;

  /** @internal use `bs.sc.conv2d(weights, shape, options)` */
  constructor(runtime: Runtime, weights: StreamBatch, shape: readonly [number, number, number, number], options: ScConv2dOptions = {}) {
    super(runtime.heap, 'ScConv2d');
    this.runtime = runtime;
    expectBatch('sc.conv2d weights', weights);
    if (!Array.isArray(shape) || shape.length !== 4) throw new BitsieveError('E_SHAPE', `sc.conv2d shape: expected [outC, inC, kh, kw], received ${describe(shape)}`);
    const [outC, inC, kh, kw] = shape.map((v, i) => expectInt(`sc.conv2d shape[${i}]`, v, 1, 65535));
    this.fan = expectInt('sc.conv2d inC·kh·kw', inC * kh * kw, 1, 65535);
    if (weights.count !== outC * this.fan) {
      throw new BitsieveError('E_SHAPE', `sc.conv2d weights: expected outC·inC·kh·kw = ${outC * this.fan} streams, received ${weights.count}`);
    }
    this.outChannels = outC;
    this.inChannels = inC;
    this.kernelSize = [kh, kw];
    this.length = weights.length;
    this.words = weights.stride;
    this.stride = expectInt('sc.conv2d stride', options.stride ?? 1, 1, 65535);
    this.feb = resolveFeb('sc.conv2d', this.fan, options);
    ({ encoding: this.encoding, innerProduct: this.innerProduct, activation: this.activation, states: this.states } = this.feb);
    this.pooling = expectOneOf('sc.conv2d pooling', options.pooling ?? 'none', POOLINGS);
    this.segment = expectInt('sc.conv2d segment', options.segment ?? 16, 1);
    this.initial = expectInt('sc.conv2d initial', options.initial ?? 0, 0, 3);
    if (this.pooling === 'average' && this.innerProduct !== 'mux' && 4 * this.fan > 65535) {
      throw new BitsieveError('E_RANGE', `sc.conv2d: average pooling sums four counts of ${this.fan} inputs, expected 4·inC·kh·kw ≤ 65535`);
    }
    this.causal = options.causal ?? true;
    if (typeof this.causal !== 'boolean') throw new BitsieveError('E_DTYPE', `sc.conv2d causal: expected a boolean, received ${describe(this.causal)}`);
    const mux = this.innerProduct === 'mux';
    const select = mux ? checkSelect('sc.conv2d select', options.select, this.length, this.fan) : undefined;
    const poolSelect = mux && this.pooling === 'average' ? checkSelect('sc.conv2d poolSelect', options.poolSelect, this.length, 4) : undefined;
    try {
      if (!select) {
        this.weights = this.ownWords(weights.words);
        return;
      }
      this.select = this.ownWords(select);
      if (poolSelect) this.poolSelect = this.ownWords(poolSelect);
      this.weights = this.own(outC * this.words * 4);
      withScratch(runtime, (s) => {
        runtime.kernels.sc_mux_index(s.copy(weights.words), this.select, this.weights, outC, this.fan, this.words, this.length);
      });
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Output [outC, outH, outW] for an input of [inC, H, W] (after pooling). */
  outputShape(inputShape: readonly [number, number, number]): [number, number, number] {
    const [oh, ow] = this.convShape(inputShape);
    return this.pooling === 'none' ? [this.outChannels, oh, ow] : [this.outChannels, oh >> 1, ow >> 1];
  }

  /**
   * Runs the layer on `x`: batch images of inC·H·W input streams each, NCHW (sample-major; stream of (c, y, x) of
   * sample b at b·inC·H·W + (c·H + y)·W + x), all of the layer's length.
   */
  run(x: StreamBatch, inputShape: readonly [number, number, number]): ScConv2dResult {
    this.assertLive();
    expectBatch('sc.conv2d x', x);
    const [oh, ow] = this.convShape(inputShape);
    const [, h, w] = inputShape;
    if (x.length !== this.length) throw new BitsieveError('E_SHAPE', `sc.conv2d x: expected streams of ${this.length} cycles, received ${x.length}`);
    const image = this.inChannels * h * w;
    if (x.count % image !== 0) throw new BitsieveError('E_SHAPE', `sc.conv2d x: expected batch × ${this.inChannels}·${h}·${w} = batch × ${image} streams, received ${x.count}`);
    const batch = x.count / image;
    const shape = this.outputShape(inputShape);
    const outputs = shape[0] * shape[1] * shape[2];
    const mux = this.innerProduct === 'mux';
    const sums = new Float64Array(batch * outputs);
    const streams = this.activation === 'none' && !mux ? undefined : new StreamBatch(batch * outputs, this.length);
    if (outputs === 0) return streams ? { streams, sums, shape } : { sums, shape };
    withScratch(this.runtime, (s) => {
      for (let b = 0; b < batch; b++) {
        const cols = s.copy(this.im2col(x.words.subarray(b * image * this.words, (b + 1) * image * this.words), h, w, oh, ow));
        const y = mux ? this.muxBlock(s, cols, oh, ow, sums, b * outputs) : this.counterBlock(s, cols, oh, ow, sums, b * outputs);
        if (streams && y) streams.words.set(y, b * outputs * this.words);
      }
    });
    return streams ? { streams, sums, shape } : { sums, shape };
  }

  private convShape(inputShape: readonly [number, number, number]): [number, number] {
    if (!Array.isArray(inputShape) || inputShape.length !== 3) throw new BitsieveError('E_SHAPE', `sc.conv2d inputShape: expected [inC, H, W], received ${describe(inputShape)}`);
    const [c, h, w] = inputShape.map((v, i) => expectInt(`sc.conv2d inputShape[${i}]`, v, 1, 1 << 20));
    if (c !== this.inChannels) throw new BitsieveError('E_SHAPE', `sc.conv2d inputShape: expected ${this.inChannels} channels, received ${c}`);
    const [kh, kw] = this.kernelSize;
    if (h < kh || w < kw) throw new BitsieveError('E_SHAPE', `sc.conv2d inputShape: 'valid' padding needs H ≥ ${kh} and W ≥ ${kw}, received ${h}×${w}`);
    return [Math.floor((h - kh) / this.stride) + 1, Math.floor((w - kw) / this.stride) + 1];
  }

  /** Receptive fields, position-major: field p = oy·ow + ox holds its fan streams in weight order. */
  private im2col(image: Uint32Array, h: number, w: number, oh: number, ow: number): Uint32Array {
    const [kh, kw] = this.kernelSize;
    const words = this.words;
    const cols = new Uint32Array(oh * ow * this.fan * words);
    let at = 0;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let c = 0; c < this.inChannels; c++) {
          for (let ky = 0; ky < kh; ky++) {
            // One kernel row = kw neighbouring streams, contiguous in the image.
            const from = ((c * h + oy * this.stride + ky) * w + ox * this.stride) * words;
            cols.set(image.subarray(from, from + kw * words), at);
            at += kw * words;
          }
        }
      }
    }
    return cols;
  }

  /** APC / exact counts per (channel, position) → pooling on counts → Btanh; returns the output words or null. */
  private counterBlock(s: ScScratch, cols: number, oh: number, ow: number, sums: Float64Array, at: number): Uint32Array | null {
    const k = this.runtime.kernels;
    const words = this.words;
    const pitch = words * 32;
    const positions = oh * ow;
    const lanes = this.outChannels * positions;
    const counts = s.zeroed(lanes * pitch * 2);
    const op = this.encoding === 'bipolar' ? 2 : 1;
    const approx = this.innerProduct === 'apc' ? 1 : 0;
    for (let c = 0; c < this.outChannels; c++) {
      // This channel's weights are the shared operand; each position's field is a group.
      k.sc_cycle_counts(this.weights + c * this.fan * words * 4, cols, counts + c * positions * pitch * 2, positions, this.fan, words, op, approx);
    }
    let pooled = counts;
    let inputs = this.fan;
    let factor = 1;
    let pooledLanes = lanes;
    if (this.pooling !== 'none') {
      const windows = poolWindows(this.outChannels, oh, ow);
      pooledLanes = windows.length / 4;
      pooled = s.zeroed(pooledLanes * pitch * 2);
      const average = this.pooling === 'average';
      k.sc_pool_counts(counts, s.copy(windows), pooled, pooledLanes, pitch, this.length, average ? 0 : 1, Math.min(this.segment, this.length), this.initial, this.causal ? 1 : 0);
      if (average) {
        inputs = 4 * this.fan;
        factor = 1 / 4;
      }
    }
    decodeSums(s.view32(pooled, (pooledLanes * pitch) >> 1), pooledLanes, pitch, this.length, countScale(this.encoding, inputs), factor, sums, at);
    if (this.activation === 'none') return null;
    const y = s.zeroed(pooledLanes * words * 4);
    runCounterFsm(this.runtime, pooled, y, pooledLanes, pitch, this.length, words, this.states, countScale('bipolar', inputs), this.feb.timing, this.feb.threshold);
    return s.words(y, pooledLanes * words);
  }

  /** MUX product streams per (channel, position) → 4:1 MUX / segment max pooling → Stanh; returns the output words. */
  private muxBlock(s: ScScratch, cols: number, oh: number, ow: number, sums: Float64Array, at: number): Uint32Array {
    const k = this.runtime.kernels;
    const words = this.words;
    const bytes = words * 4;
    const positions = oh * ow;
    const picked = s.zeroed(positions * bytes);
    k.sc_mux_index(cols, this.select, picked, positions, this.fan, words, this.length);
    let y = s.zeroed(this.outChannels * positions * bytes);
    const gate = this.encoding === 'bipolar' ? 3 : 0;
    for (let c = 0; c < this.outChannels; c++) {
      k.sc_gate(picked, this.weights + c * bytes, y + c * positions * bytes, positions, 1, words, this.length, gate);
    }
    let lanes = this.outChannels * positions;
    if (this.pooling !== 'none') {
      const windows = poolWindows(this.outChannels, oh, ow);
      const all = s.words(y, lanes * words);
      const grouped = new Uint32Array(windows.length * words);
      windows.forEach((lane, i) => grouped.set(all.subarray(lane * words, (lane + 1) * words), i * words));
      const gp = s.copy(grouped);
      lanes = windows.length / 4;
      y = s.zeroed(lanes * bytes);
      if (this.pooling === 'average') k.sc_mux_index(gp, this.poolSelect, y, lanes, 4, words, this.length);
      else k.sc_max_pool(gp, y, lanes, 4, words, this.length, Math.min(this.segment, this.length), this.initial, this.causal ? 1 : 0);
    }
    const pitch = words * 32;
    const counts = s.zeroed(lanes * pitch * 2);
    k.sc_cycle_counts(y, y, counts, lanes, 1, words, 0, 0);
    // The MUX output's value is (1/n)·Σ w·x (the 4:1 average MUX keeps that scale), so the sum is n × it.
    decodeSums(s.view32(counts, (lanes * pitch) >> 1), lanes, pitch, this.length, countScale(this.encoding, 1), this.fan, sums, at);
    if (this.activation !== 'none') {
      const out = s.zeroed(lanes * bytes);
      runCounterFsm(this.runtime, counts, out, lanes, pitch, this.length, words, this.states, countScale('bipolar', 1), this.feb.timing, this.feb.threshold);
      y = out;
    }
    return s.words(y, lanes * words);
  }

  private ownWords(data: Uint32Array | Uint16Array): number {
    const ptr = this.own(data.byteLength);
    this.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

/** Lane indices (c·oh·ow + y·ow + x) of every 2×2 window, four per window, windows in NCHW order of the output. */
function poolWindows(channels: number, oh: number, ow: number): Int32Array {
  const ph = oh >> 1;
  const pw = ow >> 1;
  const lanes = new Int32Array(channels * ph * pw * 4);
  let i = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        const base = c * oh * ow + 2 * y * ow + 2 * x;
        lanes.set([base, base + 1, base + ow, base + ow + 1], i);
        i += 4;
      }
    }
  }
  return lanes;
}
