// Shared shell of every resident linear operator: Y[batch, out] = act(X[batch, in] · Wᵀ + bias).
// Subclasses own their packed weights and implement `launch` (one kernel call on wasm pointers);
// this class validates, copies in/out through scratch, and frees the scratch on every path.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFinite, expectFloat32Array, expectInteger } from '../runtime/validate.js';
import { Resident } from './resident.js';
import { throughScratch } from './scratch.js';
import { expectTensor, type ResidentTensor } from './tensor.js';

export type Activation = 'none' | 'relu';

export interface LinearOptions {
  /** Added to every output row; `out` values. Default: none. */
  bias?: ArrayLike<number>;
  /** Applied after the bias. Default: 'none'. */
  activation?: Activation;
}

export abstract class LinearOperator extends Resident {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  protected readonly runtime: Runtime;

  protected constructor(runtime: Runtime, label: string, shape: readonly [number, number], options: LinearOptions) {
    super(runtime.heap, label);
    this.runtime = runtime;
    this.outFeatures = shape[0];
    this.inFeatures = shape[1];
    this.activation = checkActivation(options.activation);
  }

  /** One kernel call: x [rows, in] → y [rows, out], both wasm pointers. */
  protected abstract launch(x: number, y: number, rows: number): void;

  /** Writes the bias (zeros when absent) into a block of `length` ≥ out floats. */
  protected writeBias(block: number, length: number, bias: ArrayLike<number> | undefined): void {
    const checked = checkBias(bias, this.outFeatures);
    const view = this.heap.f32(block, length);
    view.fill(0);
    if (checked) view.set(checked);
  }

  /** A new owned block of `out` floats holding the bias (zeros when absent). */
  protected ownBias(bias: ArrayLike<number> | undefined): number {
    const block = this.own(this.outFeatures * 4);
    this.writeBias(block, this.outFeatures, bias);
    return block;
  }

  /** Copies `data` into a new block owned by this operator. */
  protected ownCopy(data: ArrayBufferView): number {
    const ptr = this.own(data.byteLength);
    this.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }

  /**
   * Copies each array into a new owned block, then the bias; returns the pointers in order, bias
   * last. On any failure (e.g. memory exhausted) frees what this operator owns and rethrows, so a
   * constructor that throws leaves nothing allocated.
   */
  protected ownWeights(arrays: readonly ArrayBufferView[], bias: ArrayLike<number> | undefined): number[] {
    try {
      return [...arrays.map((a) => this.ownCopy(a)), this.ownBias(bias)];
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Calls `body` with scratch blocks of the given byte sizes; they are released on every path. */
  protected withScratch(sizes: readonly number[], body: (...blocks: number[]) => void): void {
    const blocks: number[] = [];
    try {
      for (const bytes of sizes) blocks.push(this.heap.alloc(bytes));
      body(...blocks);
    } finally {
      blocks.forEach((ptr) => this.heap.release(ptr));
    }
  }

  /**
   * Batched path of sparse kernels that scale contiguous batch strips: x [rows, in] is transposed into
   * scratch xT [in, rows] and `kernel` gets it with `extraBytes` of scratch of its own.
   */
  protected withTransposedInput(x: number, rows: number, extraBytes: number, kernel: (xT: number, extra: number) => void): void {
    // xT starts on a 64-byte line (the heap aligns to 16) so the kernels' 16-lane batch strips each
    // read one cache line per activation row when the batch is a multiple of 16.
    this.withScratch([rows * this.inFeatures * 4 + 48, extraBytes], (block, extra) => {
      const xT = (block + 63) & ~63;
      this.runtime.kernels.f32_transpose(x, xT, rows, this.inFeatures);
      kernel(xT, extra);
    });
  }

  protected get reluFlag(): number {
    return this.activation === 'relu' ? 1 : 0;
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

    throughScratch(this.heap, x, y, (xs, ys) => this.launch(xs, ys, rows));
    return y;
  }

  /** The raw path: x and y already live in wasm memory ([batch, in] and [batch, out]); no JS↔wasm copies
   *  (an operator may still use wasm scratch, e.g. CSR transposes the batch). */
  run(x: ResidentTensor, y: ResidentTensor, batch: number): void {
    this.assertLive();
    const rows = expectInteger('run batch', batch);
    const xp = expectTensor('run x', x).assertUsableBy(this.heap, 'run x', rows * this.inFeatures);
    const yp = expectTensor('run y', y).assertUsableBy(this.heap, 'run y', rows * this.outFeatures);
    if (rows * this.outFeatures > 0) this.launch(xp, yp, rows);
  }
}

function inferBatch(length: number, inFeatures: number): number {
  if (inFeatures === 0) throw new BitsieveError('E_SHAPE', 'forward: batch is required when the layer has 0 inputs');
  if (length % inFeatures !== 0) {
    throw new BitsieveError('E_SHAPE', `forward x: expected a multiple of in = ${inFeatures} elements, received ${length}`);
  }
  return length / inFeatures;
}

export function checkActivation(activation: unknown, op = 'linear'): Activation {
  if (activation === undefined || activation === 'none') return 'none';
  if (activation === 'relu') return 'relu';
  throw new BitsieveError('E_RANGE', `${op} activation: expected 'none' | 'relu', received ${describe(activation)}`);
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
