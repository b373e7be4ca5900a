// Whole-matrix dequantization of GGUF blocks through the bit-exact wasm kernels, in bounded chunks (the
// blocks and their f32 values pass through scratch ≤ ~4.6 MiB, whatever the matrix size).
import { GgufMatrix } from '../formats/gguf/matrix.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFloat32Array } from '../runtime/validate.js';
import { ggufKernels, kernel, type BlockKernel } from './gguf-kernels.js';

const CHUNK_ELEMS = 1 << 20;

export function dequantizeGguf(runtime: Runtime, weights: GgufMatrix, out?: Float32Array): Float32Array {
  if (!(weights instanceof GgufMatrix)) throw new BitsieveError('E_DTYPE', `dequantize: expected a GgufMatrix, received ${describe(weights)}`);
  weights.validate();
  const { blockElems, blockBytes } = weights.type;
  const run = kernel<BlockKernel>(runtime.kernels, ggufKernels(weights.type).dequant);
  const total = weights.shape[0] * weights.shape[1];
  const y = out === undefined ? new Float32Array(total) : expectFloat32Array('dequantize out', out, total);
  const blocks = total / blockElems;
  const chunk = Math.max(1, Math.floor(CHUNK_ELEMS / blockElems));
  const heap = runtime.heap;
  const src = heap.alloc(Math.min(chunk, blocks) * blockBytes);
  let dst = -1;
  try {
    dst = heap.alloc(Math.min(chunk, blocks) * blockElems * 4);
    for (let b = 0; b < blocks; b += chunk) {
      const n = Math.min(chunk, blocks - b);
      heap.u8(src, n * blockBytes).set(weights.data.subarray(b * blockBytes, (b + n) * blockBytes));
      run(src, dst, n);
      y.set(heap.f32(dst, n * blockElems), b * blockElems);
    }
  } finally {
    heap.release(src);
    if (dst >= 0) heap.release(dst);
  }
  return y;
}
