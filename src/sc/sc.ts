// `bs.sc`: the stochastic-computing family (sc_encoded_mac.md §1–7). Each method validates in TypeScript, then
// runs the SC kernels (assembly/sc/) on bit-packed StreamBatch streams; every random choice is an explicit,
// documented parameter, so the same arguments give the same bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';
import { btanh, fsuAdd, logistic, nstanh, relu, stanh, type BtanhOptions, type FsuAddOptions, type LogisticOptions, type NStanhOptions, type ReluOptions, type StanhOptions } from './activations.js';
import { gate, multiply, mux2, muxN, not, type MuxOptions } from './arithmetic.js';
import { progressiveError, scc, type ProgressiveErrorOptions } from './correlation.js';
import { inStreamMultiply, type InStreamMultiplyOptions } from './in-stream-multiply.js';
import { cycleCounts, innerProductOnes, productCycleCounts, streamOnes, type CycleCountOptions, type CycleCounts, type ProductCountOptions } from './counters.js';
import { avgPool, maxPool, type MaxPoolOptions } from './pooling.js';
import type { ScEncoding, StreamBatch } from './stream.js';
import { ScLinear, type ScLinearOptions } from './layer.js';
import { ScConv2d, type ScConv2dOptions } from './conv.js';
import { ScIntegralLinear, type ScIntegralLinearOptions } from './integral-layer.js';
import { sweepLinear, type SweepLinearOptions, type SweepRow } from './sweep.js';
import { fromMsbFirst, toMsbFirst } from './bit-order.js';
import { decode, decodeProgressive, type DecodeOptions } from './decode.js';
import { encode, type EncodeOptions } from './encode.js';
import { gaussian, type GaussianOptions } from './gaussian/gaussian.js';
import { vanDerCorput, type VanDerCorputOptions } from './sources/halton.js';
import { lfsr, type LfsrOptions } from './sources/lfsr.js';
import { ramp, type RampOptions } from './sources/ramp.js';
import { sobol, type SobolOptions } from './sources/sobol.js';
import type { ScSource } from './sources/source.js';
import { uniform, type UniformOptions } from './sources/uniform.js';

export class Sc {
  /** @internal use `bs.sc` */
  constructor(protected readonly runtime: Runtime) {}

  // --- number sources, stream generation, encode / decode, Gaussian generators ---

  /** LFSR source values (Fibonacci XOR/XNOR or Galois; see `lfsr`). Example: `bs.sc.lfsr({ width: 8 }).values` → 1, 2, 4, 8, 17, … */
  lfsr(options: LfsrOptions): ScSource {
    return lfsr(options);
  }

  /** Sobol source values (Gray-code order, Joe–Kuo directions; see `sobol`). Example: `bs.sc.sobol({ dimension: 1, bits: 8 })`. */
  sobol(options: SobolOptions): ScSource {
    return sobol(options);
  }

  /** Van der Corput / Halton source values (see `vanDerCorput`). Example: `bs.sc.vanDerCorput({ base: 3, bits: 8 })`. */
  vanDerCorput(options: VanDerCorputOptions): ScSource {
    return vanDerCorput(options);
  }

  /** Ramp (counter) source values, up or down (see `ramp`). */
  ramp(options: RampOptions): ScSource {
    return ramp(options);
  }

  /** Seeded xoshiro128** uniform source values (see `uniform`). */
  uniform(options: UniformOptions): ScSource {
    return uniform(options);
  }

  /**
   * Encodes values as streams with the comparator SNG (`X > R_t`, X = round-half-even(p·2^w) by default).
   *
   * @example
   * ```ts
   * const source = bs.sc.lfsr({ width: 8, insertZero: true });
   * const batch = bs.sc.encode([0.25, 0.5], { length: 256, source }); // 64 and 128 ones
   * bs.sc.decode(batch);                                              // Float64Array [0.25, 0.5]
   * ```
   */
  encode(values: ArrayLike<number>, options: EncodeOptions): StreamBatch {
    return encode(this.runtime, values, options);
  }

  /** Decodes each stream (or integral group): ones/L unipolar, 2·ones/L − 1 bipolar (summed over `range` planes). */
  decode(batch: StreamBatch, options?: DecodeOptions): Float64Array {
    return decode(batch, options);
  }

  /** The running decoded estimate of value `index` after each cycle (progressive precision). */
  decodeProgressive(batch: StreamBatch, index: number, options?: DecodeOptions): Float64Array {
    return decodeProgressive(batch, index, options);
  }

  /** The batch's words in MSB-first order (SCSimulation): cycle t at bit 31 − (t & 31). */
  toMsbFirst(batch: StreamBatch): Uint32Array {
    return toMsbFirst(batch);
  }

  /** A StreamBatch from MSB-first words (the inverse of `toMsbFirst`). */
  fromMsbFirst(words: Uint32Array, count: number, length: number): StreamBatch {
    return fromMsbFirst(words, count, length);
  }

  /**
   * Seeded ≈ N(0, 1) samples for Bayesian networks (VIBNN): `method` 'binomial' (LFSR window) or 'wallace'.
   *
   * @example
   * ```ts
   * const g = bs.sc.gaussian({ method: 'wallace', count: 4096, seed: 1 });
   * ```
   */
  gaussian(options: GaussianOptions): Float64Array {
    return gaussian(options);
  }

  // --- stream arithmetic, counters, correlation, FSM activations, pooling ---

  /**
   * Cycle-by-cycle AND (unipolar multiply). `b` holds as many streams as `a`, or a divisor of that count
   * (it then repeats: one `b` stream can gate every `a` stream). All operands must have the same length.
   * @example const z = bs.sc.and(x, w); // p_z = p_x·p_w for uncorrelated streams
   */
  and(a: StreamBatch, b: StreamBatch): StreamBatch {
    return gate(this.runtime, 'and', a, b);
  }

  /** Cycle-by-cycle OR (unipolar addition p_a + p_b − p_a·p_b; exact sum under SCC = −1). Operands as `and`. */
  or(a: StreamBatch, b: StreamBatch): StreamBatch {
    return gate(this.runtime, 'or', a, b);
  }

  /** Cycle-by-cycle XOR (|p_a − p_b| under SCC = +1). Operands as `and`. */
  xor(a: StreamBatch, b: StreamBatch): StreamBatch {
    return gate(this.runtime, 'xor', a, b);
  }

  /** Cycle-by-cycle XNOR (bipolar multiply). Operands as `and`; pad bits stay zero. */
  xnor(a: StreamBatch, b: StreamBatch): StreamBatch {
    return gate(this.runtime, 'xnor', a, b);
  }

  /** Cycle-by-cycle NOT: unipolar 1 − p, bipolar negation. */
  not(a: StreamBatch): StreamBatch {
    return not(this.runtime, a);
  }

  /**
   * SC multiplication: AND for 'unipolar' (default), XNOR for 'bipolar'.
   * @example const y = bs.sc.multiply(x, w, 'bipolar'); // value_y ≈ value_x · value_w
   */
  multiply(a: StreamBatch, b: StreamBatch, encoding: ScEncoding = 'unipolar'): StreamBatch {
    return multiply(this.runtime, a, b, encoding);
  }

  /**
   * In-stream multiplier (UnarySim FSUMul): stream i times X_i = values[i], the SNG for X_i drawing the next
   * `source` value only on cycles where the stream is 1 (and, bipolar, a second index on its 0 cycles).
   * @example const y = bs.sc.inStreamMultiply(x, [96], ramp256); // ones = min(ones(x), 96) over 256 cycles
   */
  inStreamMultiply(streams: StreamBatch, values: ArrayLike<number>, source: ArrayLike<number>, options?: InStreamMultiplyOptions): StreamBatch {
    return inStreamMultiply(streams, values, source, options);
  }

  /**
   * 2:1 MUX, `out = select ? a : b` per cycle: value p_s·a + (1 − p_s)·b, i.e. (a + b)/2 for a p = 1/2 select.
   * `select` pairs with `a` stream by stream or repeats (one shared select stream).
   */
  mux(a: StreamBatch, b: StreamBatch, select: StreamBatch): StreamBatch {
    return mux2(this.runtime, a, b, select);
  }

  /**
   * n:1 MUX scaled addition over groups of inputs. `select`: k ≤ 8 streams (index bit j = select stream j, n = 2^k,
   * a tree of 2:1 MUXes as in hardware) or one index per cycle in [0, n) (n = `groupSize`, default all inputs).
   * @example const avg = bs.sc.muxN(inputs16, selectBits4); // value ≈ (1/16)·Σ x_i
   */
  muxN(inputs: StreamBatch, select: StreamBatch | ArrayLike<number>, options?: MuxOptions): StreamBatch {
    return muxN(this.runtime, inputs, select, options);
  }

  /** Number of ones of every stream (the stream → binary counter over all cycles). */
  ones(batch: StreamBatch): Int32Array {
    return streamOnes(this.runtime, batch);
  }

  /**
   * Fused AND/XNOR + popcount inner products: for neuron j, the total ones of the products x_i·w_ji over all
   * inputs and cycles. `w` holds neurons × x.count streams (row j = neuron j). Default 'unipolar' (AND).
   * @example const ones = bs.sc.innerProductOnes(x, w, 'bipolar'); // Σ_i x_i·w_ji ≈ 2·ones[j]/L − x.count
   */
  innerProductOnes(x: StreamBatch, w: StreamBatch, encoding: ScEncoding = 'unipolar'): Int32Array {
    return innerProductOnes(this.runtime, x, w, encoding);
  }

  /**
   * Per-cycle parallel counter over groups of streams: exact PC (default) or APC (`counter: 'approximate'`).
   * @example const c = bs.sc.cycleCounts(streams16, { counter: 'approximate' }); // c.row(0)[t] ∈ [0, 16]
   */
  cycleCounts(streams: StreamBatch, options?: CycleCountOptions): CycleCounts {
    return cycleCounts(this.runtime, streams, options);
  }

  /**
   * Per-cycle counts of each neuron's product streams (AND / XNOR formed on the fly), exact or APC: the
   * SC-DCNN APC inner-product block, ready for `btanh`. `w` holds neurons × x.count streams.
   */
  productCycleCounts(x: StreamBatch, w: StreamBatch, options?: ProductCountOptions): CycleCounts {
    return productCycleCounts(this.runtime, x, w, options);
  }

  /** UnarySim FSUAdd accumulator adder per group of streams (defaults: all streams, unipolar, scale n, depth 10). */
  fsuAdd(streams: StreamBatch, options?: FsuAddOptions): StreamBatch {
    return fsuAdd(this.runtime, streams, options);
  }

  /** SCC correlation of stream i of x with stream i of y (UnarySim's clamped denominators), per pair. */
  scc(x: StreamBatch, y: StreamBatch): Float64Array {
    return scc(x, y);
  }

  /** Progressive precision error per stream and cycle, [count × length] (see `progressiveError`). */
  progressiveError(batch: StreamBatch, targets: ArrayLike<number>, options?: ProgressiveErrorOptions): Float64Array {
    return progressiveError(batch, targets, options);
  }

  /**
   * Stanh FSM per stream (defaults K = 4, 'beforeUpdate', 'ge'): bipolar y ≈ tanh(K·x/2).
   * @example const y = bs.sc.stanh(muxOut, { states: 32 }); // after a 16:1 MUX: ≈ tanh(Σ_i w_i x_i)
   */
  stanh(streams: StreamBatch, options?: StanhOptions): StreamBatch {
    return stanh(this.runtime, streams, options);
  }

  /**
   * Btanh FSM on per-cycle counts (defaults r = 2n by Kim's rule, 'afterUpdate', 'ge').
   * @example const y = bs.sc.btanh(bs.sc.productCycleCounts(x, w, { encoding: 'bipolar', counter: 'approximate' }));
   */
  btanh(counts: CycleCounts, options?: BtanhOptions): StreamBatch {
    return btanh(this.runtime, counts, options);
  }

  /** NStanh on bipolar integral streams of `planes` binary planes (defaults m = 1, N = 4, 'beforeUpdate', 'ge'). */
  nstanh(streams: StreamBatch, options?: NStanhOptions): StreamBatch {
    return nstanh(this.runtime, streams, options);
  }

  /** SC ReLU (UnarySim FSUReLU; defaults depth 5, 'ge'). */
  relu(streams: StreamBatch, options?: ReluOptions): StreamBatch {
    return relu(this.runtime, streams, options);
  }

  /** Logistic activation: a tanh FSM read as unipolar (Stanh on streams, Btanh with half the states on counts). */
  logistic(input: StreamBatch | CycleCounts, options?: LogisticOptions): StreamBatch {
    return logistic(this.runtime, input, options);
  }

  /** MUX average pooling: windows of 2^k streams through an n:1 MUX driven by the k `select` streams. */
  avgPool(streams: StreamBatch, select: StreamBatch): StreamBatch {
    return avgPool(this.runtime, streams, select);
  }

  /** Hardware approximate max pooling (defaults: windows of 4, segments of 16, causal, start with input 0). */
  maxPool(streams: StreamBatch, options?: MaxPoolOptions): StreamBatch {
    return maxPool(this.runtime, streams, options);
  }

  // --- layers ---

  /**
   * A fully connected SC layer (SC-DCNN feature-extraction blocks): `weights` holds out × inFeatures weight
   * streams (row j = neuron j), copied into wasm memory once; `run(x)` takes batch × inFeatures input streams.
   * Defaults: bipolar, APC inner product, Btanh with Kim's state count (≈ tanh(Σ w·x)).
   * @example
   * const layer = bs.sc.linear(wStreams, 784, { innerProduct: 'apc' }); // → Btanh
   * const { streams, sums } = layer.run(xStreams); // output streams, and Σ w·x decoded from the counts
   */
  linear(weights: StreamBatch, inFeatures: number, options?: ScLinearOptions): ScLinear {
    return new ScLinear(this.runtime, weights, inFeatures, options);
  }

  /**
   * A 2-D convolution in SC as SC-DCNN feature-extraction blocks: inner product ('mux' | 'apc' | 'exact') →
   * pooling ('none' | 'average' | 'max', 2×2) → activation ('stanh' | 'btanh' | 'none'); stride ≥ 1, 'valid'
   * padding. `weights` holds outC·inC·kh·kw streams in [outC, inC, kh, kw] order, copied into wasm memory once.
   * @example
   * const conv = bs.sc.conv2d(wStreams, [4, 2, 3, 3], { innerProduct: 'apc', pooling: 'max' }); // APC-Max-Btanh
   * const { streams, sums, shape } = conv.run(xStreams, [2, 5, 5]); // shape [4, 1, 1]
   */
  conv2d(weights: StreamBatch, shape: readonly [number, number, number, number], options?: ScConv2dOptions): ScConv2d {
    return new ScConv2d(this.runtime, weights, shape, options);
  }

  /**
   * A fully connected layer in integral SC (Ardakani et al.): bipolar integral weights of range m (m planes each),
   * binary inputs, exact per-cycle integer sums, NStanh with m·N states (default N = 2n: ≈ tanh(Σ w·x)).
   * @example
   * const layer = bs.sc.integralLinear(wPlanes, 784, { range: 2 }); // wPlanes: out × 784 × 2 streams
   * const { streams, sums } = layer.run(xStreams);
   */
  integralLinear(weights: StreamBatch, inFeatures: number, options: ScIntegralLinearOptions): ScIntegralLinear {
    return new ScIntegralLinear(this.runtime, weights, inFeatures, options);
  }

  /**
   * Error of a layer run in SC against its f64 reference (tanh(W·x), or W·x with activation 'none') at each stream
   * length: the papers' accuracy-vs-length table for one layer.
   * @example
   * const rows = bs.sc.sweepLinear(w, [out, inF], x, { sources: { inputs: bs.sc.lfsr({ width: 16 }), weights: bs.sc.uniform({ seed: 1, bits: 16, length: 65536 }) } });
   * // [{ length: 64, meanAbsError, maxAbsError, rmse }, …, { length: 4096, … }]
   */
  sweepLinear(weights: Float32Array, shape: readonly [number, number], inputs: Float32Array, options: SweepLinearOptions): SweepRow[] {
    return sweepLinear(this.runtime, weights, shape, inputs, options);
  }
}
