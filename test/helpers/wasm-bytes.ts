// Raw byte buffers in a build's wasm memory for calling kernels directly (a ResidentTensor used as storage).
import type { Bitsieve, ResidentTensor } from '../../src/index.js';

export interface WasmBytes {
  readonly ptr: number;
  /** A fresh view (re-derive after anything that may grow memory). */
  bytes(): Uint8Array;
  f32(length: number): Float32Array;
  dispose(): void;
}

/** `length` bytes (zeroed, plus 16 spare bytes at the end) holding a copy of `data` when given. */
export function wasmBytes(bs: Bitsieve, length: number, data?: Uint8Array): WasmBytes {
  const t: ResidentTensor = bs.tensor(Math.ceil(length / 4) + 4);
  const memory = bs.kernels.memory;
  const out: WasmBytes = {
    ptr: t.ptr,
    bytes: () => new Uint8Array(memory.buffer, t.ptr, length),
    f32: (n: number) => new Float32Array(memory.buffer, t.ptr, n),
    dispose: () => t.dispose(),
  };
  if (data) out.bytes().set(data);
  return out;
}

/** Runs a `(src, dst, blocks)` kernel over `src` and returns dst as a copy of `count` f32 values. */
export function runBlockKernel(bs: Bitsieve, run: (src: number, dst: number, blocks: number) => void, src: Uint8Array, blocks: number, count: number): Float32Array {
  const s = wasmBytes(bs, src.length, src);
  const d = wasmBytes(bs, count * 4);
  try {
    run(s.ptr, d.ptr, blocks);
    return d.f32(count).slice();
  } finally {
    s.dispose();
    d.dispose();
  }
}
