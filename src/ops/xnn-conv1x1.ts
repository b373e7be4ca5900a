// Resident sparse 1×1 convolution over NCHW images, in XNNPACK's packed layout (formats/xnn-spmm.ts):
//   Y[b, oc, p] = act(bias[oc] + Σ_ic W[oc, ic]·X[b, ic, p]),  X [batch, in, HW], Y [batch, out, HW].
// Wasm holds the packed values (biases inside), the per-block counts and one int32 input step per nonzero
// block. The steps are channel diff · HW · 4 bytes, so they are recomputed in JS whenever HW changes (what
// XNNPACK's setup does); the diffs themselves stay in JS memory.
import { Dense } from '../formats/dense.js';
import { XnnSpmm, type XnnBlockSize } from '../formats/xnn-spmm.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { MAX_ELEMENTS, expectFloat32Array, expectInteger } from '../runtime/validate.js';
import { checkActivation, type Activation } from './linear.js';
import { Resident } from './resident.js';
import { throughScratch } from './scratch.js';
import { expectTensor, type ResidentTensor } from './tensor.js';

export interface Conv1x1Options {
  /** Applied after the bias. Default: 'none'. */
  activation?: Activation;
  /** Dense weights only (an XnnSpmm carries its biases): one value per output channel. */
  bias?: ArrayLike<number>;
  /** Dense weights only: NR for the packing, default 'auto' (XNNPACK's rule, see XnnSpmm.fromDense). */
  blockSize?: XnnBlockSize | 'auto';
}

/** `bs.conv1x1()`: an XnnSpmm as is, or Dense weights packed like XNNPACK packs them (zeros skipped). */
export function createConv1x1(runtime: Runtime, weights: XnnSpmm | Dense, options: Conv1x1Options = {}): XnnConv1x1 {
  if (weights instanceof XnnSpmm) {
    if (options.bias !== undefined || options.blockSize !== undefined) {
      throw new BitsieveError('E_UNSUPPORTED', 'conv1x1: an XnnSpmm carries its own biases and block size; pass bias / blockSize to XnnSpmm.fromDense instead');
    }
    return new XnnConv1x1(runtime, weights.validate(), options);
  }
  if (weights instanceof Dense) {
    const packed = XnnSpmm.fromDense(weights.validate().values, weights.shape, { bias: options.bias, blockSize: options.blockSize });
    return new XnnConv1x1(runtime, packed, options);
  }
  const kind = (weights as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string') throw new BitsieveError('E_UNSUPPORTED', `conv1x1: expected XnnSpmm or Dense weights, received format '${kind}'`);
  throw new BitsieveError('E_DTYPE', `conv1x1: expected XnnSpmm or Dense weights, received ${describe(weights)}`);
}

const INT32_MAX = 2 ** 31 - 1;

/** A sparse 1×1 convolution resident in wasm memory: `forward` on JS arrays, `run` on resident tensors. */
export class XnnConv1x1 extends Resident {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly blockSize: XnnBlockSize;
  readonly activation: Activation;
  private readonly runtime: Runtime;
  private readonly diffs: Int32Array;
  private readonly firstInputChannel: number;
  private readonly values!: number;
  private readonly counts!: number;
  private readonly increments!: number;
  /** HW the increments were computed for (-1: not yet). */
  private incrementsHW = -1;

  /** @internal use `bs.conv1x1(XnnSpmm.fromXnnpack(...))` */
  constructor(runtime: Runtime, weights: XnnSpmm, options: Pick<Conv1x1Options, 'activation'> = {}) {
    super(runtime.heap, 'XnnConv1x1');
    this.runtime = runtime;
    [this.outChannels, this.inChannels] = weights.shape;
    this.blockSize = weights.blockSize;
    this.activation = checkActivation(options.activation, 'conv1x1');
    this.diffs = weights.inputChannelDiffs.slice();
    this.firstInputChannel = weights.firstInputChannel;
    const { nonzeroValues, outputChannelNonzeros } = weights;
    try {
      this.values = this.own(nonzeroValues.byteLength);
      this.counts = this.own(outputChannelNonzeros.byteLength);
      this.increments = this.own(this.diffs.byteLength);
      this.heap.f32(this.values, nonzeroValues.length).set(nonzeroValues);
      this.heap.u8(this.counts, outputChannelNonzeros.byteLength).set(new Uint8Array(outputChannelNonzeros.buffer, outputChannelNonzeros.byteOffset, outputChannelNonzeros.byteLength));
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /**
   * One or more NCHW images: x is [batch, in, HW] (e.g. [in, H, W] for one image), `hw` = H·W.
   * Returns a new Float32Array [batch, out, HW], or fills `out`. `batch` defaults to x.length / (in·HW).
   */
  forward(x: Float32Array, hw: number, batch?: number, out?: Float32Array): Float32Array {
    this.assertLive();
    expectFloat32Array('conv1x1 forward x', x);
    const pixels = expectInteger('conv1x1 forward hw', hw);
    const images = this.checkBatch(x.length, pixels, batch);
    const y = out === undefined ? new Float32Array(images * this.outChannels * pixels) : expectFloat32Array('conv1x1 forward out', out, images * this.outChannels * pixels);
    this.prepare(pixels);
    if (y.length === 0) return y;
    throughScratch(this.heap, x, y, (xs, ys) => this.launch(xs, ys, pixels, images));
    return y;
  }

  /** The raw path: x [batch, in, HW] and y [batch, out, HW] already live in wasm memory; no copies. */
  run(x: ResidentTensor, y: ResidentTensor, hw: number, batch?: number): void {
    this.assertLive();
    const pixels = expectInteger('conv1x1 run hw', hw);
    const images = this.checkBatch(expectTensor('conv1x1 run x', x).length, pixels, batch);
    const xp = x.assertUsableBy(this.heap, 'conv1x1 run x', images * this.inChannels * pixels);
    const yp = expectTensor('conv1x1 run y', y).assertUsableBy(this.heap, 'conv1x1 run y', images * this.outChannels * pixels);
    this.prepare(pixels);
    if (images * this.outChannels * pixels === 0) return;
    this.launch(xp, yp, pixels, images);
  }

  private checkBatch(length: number, hw: number, batch: number | undefined): number {
    const per = this.inChannels * hw;
    let images: number;
    if (batch !== undefined) {
      images = expectInteger('conv1x1 batch', batch);
      if (length !== images * per) throw new BitsieveError('E_SHAPE', `conv1x1 x: expected batch·in·HW = ${images}·${this.inChannels}·${hw} = ${images * per} elements, received ${length}`);
    } else if (per === 0) {
      if (length !== 0) throw new BitsieveError('E_SHAPE', `conv1x1 x: expected 0 elements (in·HW = 0), received ${length}`);
      images = 1;
    } else {
      if (length % per !== 0) throw new BitsieveError('E_SHAPE', `conv1x1 x: expected a multiple of in·HW = ${this.inChannels}·${hw} = ${per} elements, received ${length}`);
      images = length / per;
    }
    if (images * this.outChannels * hw > MAX_ELEMENTS) throw new BitsieveError('E_RANGE', `conv1x1: output of ${images}·${this.outChannels}·${hw} elements exceeds ${MAX_ELEMENTS}`);
    return images;
  }

  /** Byte steps for this HW (XNNPACK's setup), each checked to fit int32 before any kernel sees it. */
  private prepare(hw: number): void {
    if (hw === this.incrementsHW) return;
    const steps = new Int32Array(this.diffs.length);
    for (let i = 0; i < steps.length; i++) {
      const step = this.diffs[i] * hw;
      if (Math.abs(step) > INT32_MAX) {
        throw new BitsieveError('E_RANGE', `conv1x1: input step ${this.diffs[i] / 4} channels × HW ${hw} × 4 bytes exceeds the int32 range`);
      }
      steps[i] = step;
    }
    this.heap.u8(this.increments, steps.byteLength).set(new Uint8Array(steps.buffer));
    this.incrementsHW = hw;
  }

  private launch(x: number, y: number, hw: number, images: number): void {
    const k = this.runtime.kernels;
    const kernel = this.blockSize === 4 ? k.f32_spmm_chw_nr4 : this.blockSize === 2 ? k.f32_spmm_chw_nr2 : k.f32_spmm_chw_nr1;
    const relu = this.activation === 'relu' ? 1 : 0;
    const inBytes = this.inChannels * hw * 4;
    const outBytes = this.outChannels * hw * 4;
    const start = this.firstInputChannel * hw * 4;
    for (let b = 0; b < images; b++) kernel(this.values, this.increments, this.counts, x + b * inBytes + start, y + b * outBytes, this.outChannels, hw, relu);
  }
}
