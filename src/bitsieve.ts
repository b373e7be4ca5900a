// The public instance: one build of the kernels, its heap, and the operators bound to them.
import { Bsr } from './formats/bsr.js';
import { Csr } from './formats/csr.js';
import { Dense } from './formats/dense.js';
import { DenseColumns } from './formats/dense-columns.js';
import { Nm } from './formats/nm.js';
import type { MatrixFormat } from './formats/format.js';
import { BsrLinear } from './ops/bsr-linear.js';
import { CsrLinear } from './ops/csr-linear.js';
import { Darb } from './formats/darb.js';
import { DarbLinear } from './ops/darb-linear.js';
import { LfsrSparse } from './formats/lfsr.js';
import { LfsrLinear } from './ops/lfsr-linear.js';
import { DenseLinear } from './ops/dense-linear.js';
import { ZeroSkipLinear } from './ops/zero-skip-linear.js';
import { NmLinear } from './ops/nm-linear.js';
import { GroupwiseInt } from './formats/groupwise-int.js';
import { Sc } from './sc/sc.js';
import { Mac } from './mac/mac.js';
import { GroupwiseIntLinear, type GroupwiseIntLinearOptions } from './ops/int-group-linear.js';
import type { LinearOperator, LinearOptions } from './ops/linear.js';
import { ResidentTensor } from './ops/tensor.js';
import { BitsieveError, describe } from './runtime/errors.js';
import type { Features, Variant } from './runtime/features.js';
import type { Heap } from './runtime/heap.js';
import type { KernelExports } from './runtime/kernels.js';
import { createRuntime, type DefaultSource, type InitOptions, type Runtime } from './runtime/runtime.js';
import { expectFloat32Array, expectInteger } from './runtime/validate.js';
import { createConv1x1, type Conv1x1Options, type XnnConv1x1 } from './ops/xnn-conv1x1.js';
import type { XnnSpmm } from './formats/xnn-spmm.js';
import { BinaryWeights } from './formats/binary.js';
import { TernaryWeights } from './formats/ternary.js';
import { PowerOfTwoWeights } from './formats/pow2.js';
import { BinaryLinear } from './ops/binary-linear.js';
import { TernaryLinear } from './ops/ternary-linear.js';
import { Pow2Linear } from './ops/pow2-linear.js';
import { XnorLinear } from './ops/xnor-linear.js';
import { GgufMatrix } from './formats/gguf/matrix.js';
import { GgufLinear, type GgufLinearOptions } from './ops/gguf-linear.js';
import { dequantizeGguf } from './ops/gguf-dequantize.js';
import { dequantizeGroupwise } from './ops/int-group-dequantize.js';

export interface HeapStats {
  /** Bytes held by live operators, tensors and in-flight scratch. */
  readonly inUseBytes: number;
  /** Size of wasm linear memory: grows on demand, never shrinks. */
  readonly memoryBytes: number;
  readonly blocks: number;
}

export class Bitsieve {
  private readonly runtime: Runtime;
  private scOps?: Sc;
  private macOps?: Mac;

  /** @internal use `init()` */
  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  /** Which build runs: 'relaxed' | 'simd' | 'scalar'. */
  get variant(): Variant {
    return this.runtime.variant;
  }

  /** What the engine supports (independent of the chosen build). */
  get features(): Features {
    return this.runtime.features;
  }

  /** Heap accounting, for leak checks and memory budgets. */
  get heap(): HeapStats {
    const heap: Heap = this.runtime.heap;
    return { inUseBytes: heap.inUseBytes, memoryBytes: heap.memoryBytes, blocks: heap.blockCount };
  }

  /** Stochastic computing: number sources, streams, SC arithmetic, FSM activations, SC layers. */
  get sc(): Sc {
    return (this.scOps ??= new Sc(this.runtime));
  }

  /** Hardware MAC emulation: EncodingNet encoded MACs, IMC crossbars, approximate arithmetic, switching power. */
  get mac(): Mac {
    return (this.macOps ??= new Mac(this.runtime));
  }

  /** The raw pointer-ABI exports, for linking your own code against the kernels. */
  get kernels(): KernelExports {
    return this.runtime.kernels;
  }

  /** Packs `weights` ([out, in]) into wasm memory once and returns a resident layer. */
  linear(weights: Dense, options?: LinearOptions): DenseLinear;
  linear(weights: Csr, options?: LinearOptions): CsrLinear;
  linear(weights: Bsr, options?: LinearOptions): BsrLinear;
  linear(weights: DenseColumns, options?: LinearOptions): ZeroSkipLinear;
  linear(weights: Darb, options?: LinearOptions): DarbLinear;
  linear(weights: LfsrSparse, options?: LinearOptions): LfsrLinear;
  linear(weights: Nm, options?: LinearOptions): NmLinear;
  linear(weights: BinaryWeights, options?: LinearOptions): BinaryLinear;
  linear(weights: TernaryWeights, options?: LinearOptions): TernaryLinear;
  linear(weights: PowerOfTwoWeights, options?: LinearOptions): Pow2Linear;
  linear(weights: GgufMatrix, options?: GgufLinearOptions): GgufLinear;
  linear(weights: GroupwiseInt, options?: GroupwiseIntLinearOptions): GroupwiseIntLinear;
  linear(weights: MatrixFormat, options?: LinearOptions): LinearOperator;
  linear(weights: MatrixFormat, options?: LinearOptions): LinearOperator {
    if (weights instanceof Dense) return new DenseLinear(this.runtime, weights.validate(), options);
    if (weights instanceof Csr) return new CsrLinear(this.runtime, weights.validate(), options);
    if (weights instanceof Bsr) return new BsrLinear(this.runtime, weights.validate(), options);
    if (weights instanceof DenseColumns) return new ZeroSkipLinear(this.runtime, weights.validate(), options);
    if (weights instanceof Darb) return new DarbLinear(this.runtime, weights.validate(), options);
    if (weights instanceof LfsrSparse) return new LfsrLinear(this.runtime, weights.validate(), options);
    if (weights instanceof Nm) return new NmLinear(this.runtime, weights.validate(), options);
    if (weights instanceof BinaryWeights) return new BinaryLinear(this.runtime, weights.validate(), options);
    if (weights instanceof TernaryWeights) return new TernaryLinear(this.runtime, weights.validate(), options);
    if (weights instanceof PowerOfTwoWeights) return new Pow2Linear(this.runtime, weights.validate(), options);
    if (weights instanceof GgufMatrix) return new GgufLinear(this.runtime, weights.validate(), options);
    if (weights instanceof GroupwiseInt) return new GroupwiseIntLinear(this.runtime, weights.validate(), options);
    const kind = (weights as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string') throw new BitsieveError('E_UNSUPPORTED', `linear: no operator for format '${kind}' in this version`);
    throw new BitsieveError('E_DTYPE', `linear: expected a format object such as Dense.from(w, [out, in]), received ${describe(weights)}`);
  }

  /**
   * XNOR-Net layer: binary weights × binarized activations. forward(x) binarizes each sample by sign
   * (x ≥ 0 → +1) with β = mean|x|, then y = act(α·β·(in − 2·popcount(w XOR x)) + bias). `dots(x)` returns the
   * exact integer ±1 dots. For full-precision activations use `linear(weights)`.
   */
  xnorLinear(weights: BinaryWeights, options?: LinearOptions): XnorLinear {
    if (!(weights instanceof BinaryWeights)) {
      throw new BitsieveError('E_DTYPE', `xnorLinear: expected BinaryWeights (e.g. quantizeXnor(w, shape).format), received ${describe(weights)}`);
    }
    return new XnorLinear(this.runtime, weights.validate(), options);
  }

  /**
   * The f32 values ([out, in], row-major) of quantized weights, computed by the wasm kernels: GGUF blocks
   * bit-exact with ggml's reference dequantizers (in bounded chunks), group-wise integers bit-exact with
   * `GroupwiseInt.toDense()`. Fills `out` when given.
   */
  dequantize(weights: GgufMatrix | GroupwiseInt, out?: Float32Array): Float32Array {
    if (weights instanceof GroupwiseInt) return dequantizeGroupwise(this.runtime, weights, out);
    return dequantizeGguf(this.runtime, weights, out);
  }

  /** Packs 1×1-convolution weights ([out, in]: XNNPACK-packed XnnSpmm, or Dense packed the same way)
   *  once into wasm memory; the layer runs NCHW images: `forward(x [batch, in, HW], HW)`. */
  conv1x1(weights: XnnSpmm | Dense, options?: Conv1x1Options): XnnConv1x1 {
    return createConv1x1(this.runtime, weights, options);
  }

  /** A Float32Array in wasm memory: `length` zeros, or a copy of `data`. For the no-copy `run()` path. */
  tensor(dataOrLength: Float32Array | number): ResidentTensor {
    if (typeof dataOrLength === 'number') {
      const t = new ResidentTensor(this.runtime.heap, expectInteger('tensor length', dataOrLength));
      t.view().fill(0);
      return t;
    }
    const data = expectFloat32Array('tensor data', dataOrLength);
    return new ResidentTensor(this.runtime.heap, data.length).write(data);
  }
}

export async function initWith(options: InitOptions | undefined, defaultSource: DefaultSource): Promise<Bitsieve> {
  return new Bitsieve(await createRuntime(options, defaultSource));
}
