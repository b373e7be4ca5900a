// JS-owned allocator inside wasm linear memory: first-fit over an address-ordered free list with
// coalescing, 16-byte aligned blocks. Growing memory detaches every view of `memory.buffer`, so this
// class never hands out cached views: `f32()` builds a fresh one each time it is called.
import { BitsieveError } from './errors.js';

const ALIGN = 16;
const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE; // wasm32 limit: 4 GiB

interface Span {
  start: number;
  size: number;
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export class Heap {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private readonly free: Span[] = [];
  private readonly used = new Map<number, number>();
  private top: number;
  private inUse = 0;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.base = alignUp(base);
    this.top = this.base;
  }

  /** Bytes currently allocated (rounded up to 16 per block). */
  get inUseBytes(): number {
    return this.inUse;
  }

  /** Size of wasm linear memory. It only ever grows. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Number of live blocks. */
  get blockCount(): number {
    return this.used.size;
  }

  /** Allocates `bytes` (≥ 0) and returns a 16-aligned pointer; may grow memory. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const span = this.free[i];
      if (span.size < size) continue;
      const ptr = span.start;
      if (span.size === size) this.free.splice(i, 1);
      else {
        span.start += size;
        span.size -= size;
      }
      return this.take(ptr, size);
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > MAX_BYTES) {
      throw new BitsieveError('E_RANGE', `out of wasm memory: expected at most ${MAX_BYTES} bytes in total, requested ${bytes} more with ${this.inUse} in use`);
    }
    this.ensure(end);
    this.top = end;
    return this.take(ptr, size);
  }

  /** Returns a block to the heap. Freeing an unknown pointer is a bug in bitsieve, so it throws. */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new BitsieveError('E_WASM', `heap: pointer ${ptr} is not a live block`);
    this.used.delete(ptr);
    this.inUse -= size;
    this.insertFree(ptr, size);
  }

  /** A fresh Float32Array view of `length` floats at `ptr` (valid until the next allocation). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /** A fresh byte view (valid until the next allocation). */
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  private take(ptr: number, size: number): number {
    this.used.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow geometrically (≥ 1/8 of current size) so a stream of small allocations grows rarely.
    const want = Math.min(MAX_BYTES, Math.max(end, have + (have >> 3)));
    try {
      this.memory.grow(Math.ceil((want - have) / PAGE));
    } catch (err) {
      throw new BitsieveError('E_RANGE', `out of wasm memory: could not grow from ${have} to ${want} bytes`, { cause: err });
    }
  }

  private insertFree(start: number, size: number): void {
    const list = this.free;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, { start, size });
    // Merge with the next span, then with the previous one.
    if (lo + 1 < list.length && start + size === list[lo + 1].start) {
      list[lo].size += list[lo + 1].size;
      list.splice(lo + 1, 1);
    }
    if (lo > 0 && list[lo - 1].start + list[lo - 1].size === start) {
      list[lo - 1].size += list[lo].size;
      list.splice(lo, 1);
      lo--;
    }
    // A free span touching the top is given back to the bump region.
    const last = list[list.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      list.pop();
    }
  }
}
