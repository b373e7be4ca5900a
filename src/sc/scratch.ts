// Wasm scratch for one SC call: every block is released when the call returns, also on error paths.
// Views of wasm memory are derived fresh at each use (an allocation may grow memory and detach them).
import type { Runtime } from '../runtime/runtime.js';

export class ScScratch {
  private readonly blocks: number[] = [];
  constructor(private readonly runtime: Runtime) {}

  /** `bytes` zeroed bytes (the heap does not zero reused blocks). */
  zeroed(bytes: number): number {
    const ptr = this.runtime.heap.alloc(bytes);
    this.blocks.push(ptr);
    this.runtime.heap.u8(ptr, bytes).fill(0);
    return ptr;
  }

  /** A copy of `data` in wasm memory. */
  copy(data: Uint32Array | Uint16Array | Int32Array): number {
    const ptr = this.runtime.heap.alloc(data.byteLength);
    this.blocks.push(ptr);
    this.runtime.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }

  /** Overwrites wasm memory at `ptr` with `data`. */
  setWords(ptr: number, data: Uint32Array | Uint16Array): void {
    this.runtime.heap.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  words(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.runtime.kernels.memory.buffer.slice(ptr, ptr + length * 4));
  }

  /** A live view of wasm memory (no copy): valid only until the next allocation. */
  view32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.runtime.kernels.memory.buffer, ptr, length);
  }

  u16(ptr: number, length: number): Uint16Array {
    return new Uint16Array(this.runtime.kernels.memory.buffer.slice(ptr, ptr + length * 2));
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.runtime.kernels.memory.buffer.slice(ptr, ptr + length * 4));
  }

  release(): void {
    while (this.blocks.length) this.runtime.heap.release(this.blocks.pop()!);
  }
}

/** Runs `body` with a scratch that is released afterwards, whatever happens. */
export function withScratch<T>(runtime: Runtime, body: (scratch: ScScratch) => T): T {
  const scratch = new ScScratch(runtime);
  try {
    return body(scratch);
  } finally {
    scratch.release();
  }
}
