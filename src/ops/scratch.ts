// The copy-through path every operator's `forward` shares: x is copied into wasm scratch, the kernels run
// on pointers, the result is copied out into y, and the scratch is released on every path.
import type { Heap } from '../runtime/heap.js';

export function throughScratch(heap: Heap, x: Float32Array, y: Float32Array, launch: (xp: number, yp: number) => void): void {
  const xs = heap.alloc(x.length * 4);
  let ys = -1;
  try {
    ys = heap.alloc(y.length * 4);
    heap.f32(xs, x.length).set(x); // views derived after both allocations: growth-safe
    launch(xs, ys);
    y.set(heap.f32(ys, y.length));
  } finally {
    heap.release(xs);
    if (ys >= 0) heap.release(ys);
  }
}
