// Resident dense linear layer: Y[batch, out] = act(X[batch, in] · W[out, in]ᵀ + bias).
// Weights are packed once into 8-row panels (assembly/dense/pack.ts); batch 1 takes the GEMV kernel.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Dense } from '../formats/dense.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFinite, expectFloat32Array, expectInteger } from '../runtime/validate.js';
import { Resident } from './resident.js';
import { expectTensor, type ResidentTensor } from './tensor.js';

export type Activation = 'none' | 'relu';

export interface LinearOptions {
  /** Added to every output row; `out` values. Default: none. */
  bias?: ArrayLike<number>;
  /** Applied after the bias. Default: 'none'. */
  activation?: Activation;
}

const NR = 8;

export class DenseLinear extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  private readonly runtime: Runtime;
  private readonly packed!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Dense.from(...))` */
  constructor(runtime: Runtime, weights: Dense, options: LinearOptions = {}) {
    super(runtime.heap, 'DenseLinear');
    const [out, inF] = weights.shape;
    this.runtime = runtime;
    this.outFeatures = out;
    this.inFeatures = inF;
    this.activation = checkActivation(options.activation);
    const bias = checkBias(options.bias, out);

    const paddedOut = Math.ceil(out / NR) * NR;
    try {
      this.packed = this.own(paddedOut * inF * 4);
      this.bias = this.own(paddedOut * 4);
      this.pack(weights.values);
      const b = this.heap.f32(this.bias, paddedOut);
      b.fill(0);
      if (bias) b.set(bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Bytes of wasm memory this layer holds (packed weights + padded bias). */
  get residentBytes(): number {
    return (Math.ceil(this.outFeatures / NR) * NR) * (this.inFeatures + 1) * 4;
  }

  /**
   * Y = act(X·Wᵀ + b) for `batch` rows of `x` ([batch, in], row-major). Returns a new
   * Float32Array [batch, out], or fills `out`. `batch` defaults to x.length / in.
   */
  forward(x: Float32Array, batch?: number, out?: Float32Array): Float32Array {
    this.assertLive();
    const K = this.inFeatures;
    const N = this.outFeatures;
    expectFloat32Array('forward x', x);
    const rows = batch === undefined ? inferBatch(x.length, K) : expectInteger('forward batch', batch);
    if (x.length !== rows * K) {
      throw new BitsieveError('E_SHAPE', `forward x: expected batch·in = ${rows}·${K} = ${rows * K} elements, received ${x.length}`);
    }
    const y = out === undefined ? new Float32Array(rows * N) : expectFloat32Array('forward out', out, rows * N);
    if (rows * N === 0) return y;

    const heap = this.heap;
    const xs = heap.alloc(rows * K * 4);
    let ys = -1;
    try {
      ys = heap.alloc(rows * N * 4);
      heap.f32(xs, rows * K).set(x); // views derived after both allocations: growth-safe
      this.launch(xs, ys, rows);
      y.set(heap.f32(ys, rows * N));
    } finally {
      heap.release(xs);
      if (ys >= 0) heap.release(ys);
    }
    return y;
  }

  /** The raw path: x and y already live in wasm memory ([batch, in] and [batch, out]); no copies. */
  run(x: ResidentTensor, y: ResidentTensor, batch: number): void {
    this.assertLive();
    const rows = expectInteger('run batch', batch);
    const xp = expectTensor('run x', x).assertUsableBy(this.heap, 'run x', rows * this.inFeatures);
    const yp = expectTensor('run y', y).assertUsableBy(this.heap, 'run y', rows * this.outFeatures);
    if (rows * this.outFeatures > 0) this.launch(xp, yp, rows);
  }

  private launch(x: number, y: number, rows: number): void {
    const k = this.runtime.kernels;
    const relu = this.activation === 'relu' ? 1 : 0;
    if (rows === 1) k.f32_gemv_dense_nr8(this.packed, this.bias, x, y, this.outFeatures, this.inFeatures, relu);
    else k.f32_gemm_dense_4x8(this.packed, this.bias, x, y, rows, this.outFeatures, this.inFeatures, relu);
  }

  /** Packs one panel at a time through a small scratch block, so creation never needs 2× the weights. */
  private pack(values: Float32Array): void {
    const K = this.inFeatures;
    const N = this.outFeatures;
    const heap = this.heap;
    const scratch = heap.alloc(NR * K * 4);
    try {
      for (let row = 0; row < N; row += NR) {
        const rows = Math.min(NR, N - row);
        heap.f32(scratch, rows * K).set(values.subarray(row * K, (row + rows) * K));
        this.runtime.kernels.f32_pack_dense_nr8(scratch, this.packed + row * K * 4, rows, K);
      }
    } finally {
      heap.release(scratch);
    }
  }
}

function inferBatch(length: number, inFeatures: number): number {
  if (inFeatures === 0) throw new BitsieveError('E_SHAPE', 'forward: batch is required when the layer has 0 inputs');
  if (length % inFeatures !== 0) {
    throw new BitsieveError('E_SHAPE', `forward x: expected a multiple of in = ${inFeatures} elements, received ${length}`);
  }
  return length / inFeatures;
}

function checkActivation(activation: unknown): Activation {
  if (activation === undefined || activation === 'none') return 'none';
  if (activation === 'relu') return 'relu';
  throw new BitsieveError('E_RANGE', `linear activation: expected 'none' | 'relu', received ${describe(activation)}`);
}

function checkBias(bias: ArrayLike<number> | undefined, out: number): Float32Array | undefined {
  if (bias === undefined) return undefined;
  if (bias === null || typeof bias !== 'object' || typeof bias.length !== 'number') {
    throw new BitsieveError('E_DTYPE', `linear bias: expected an array-like of ${out} numbers, received ${describe(bias)}`);
  }
  if (bias.length !== out) throw new BitsieveError('E_SHAPE', `linear bias: expected ${out} values, received ${bias.length}`);
  const copy = Float32Array.from(bias);
  expectFinite('linear bias', copy);
  return copy;
}
