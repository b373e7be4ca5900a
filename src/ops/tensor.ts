// A Float32Array that lives in wasm memory, for calling operators without copies (the raw API).
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Heap } from '../runtime/heap.js';
import { expectFloat32Array } from '../runtime/validate.js';
import { Resident } from './resident.js';

export class ResidentTensor extends Resident {
  readonly length: number;
  private readonly block: number;

  /** @internal use `bs.tensor()` */
  constructor(heap: Heap, length: number) {
    super(heap, 'ResidentTensor');
    this.length = length;
    this.block = this.own(length * 4);
  }

  /** Byte offset in wasm memory (for linking your own kernels). Stable until dispose(). */
  get ptr(): number {
    this.assertLive();
    return this.block;
  }

  /** Copies `data` (exactly `length` floats) into the tensor. */
  write(data: Float32Array): this {
    this.assertLive();
    expectFloat32Array('ResidentTensor.write data', data, this.length);
    this.heap.f32(this.block, this.length).set(data);
    return this;
  }

  /** Copies the tensor out, into `out` if given. */
  read(out?: Float32Array): Float32Array {
    this.assertLive();
    const target = out === undefined ? new Float32Array(this.length) : expectFloat32Array('ResidentTensor.read out', out, this.length);
    target.set(this.heap.f32(this.block, this.length));
    return target;
  }

  /** A live view of the tensor. Any call that allocates wasm memory may detach it: re-derive, never cache. */
  view(): Float32Array {
    this.assertLive();
    return this.heap.f32(this.block, this.length);
  }

  /** @internal */
  assertUsableBy(heap: Heap, name: string, length: number): number {
    this.assertLive();
    if (heap !== this.heap) throw new BitsieveError('E_WASM', `${name}: expected a tensor of the same bitsieve instance, received one from another instance`);
    if (this.length !== length) throw new BitsieveError('E_SHAPE', `${name}: expected ${length} elements, received ${this.length}`);
    return this.block;
  }
}

export function expectTensor(name: string, value: unknown): ResidentTensor {
  if (!(value instanceof ResidentTensor)) throw new BitsieveError('E_DTYPE', `${name}: expected a ResidentTensor, received ${describe(value)}`);
  return value;
}
