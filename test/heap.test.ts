// The JS-owned heap: alignment, reuse, coalescing, growth safety and leak freedom.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Dense } from '../src/index.js';
import { Heap } from '../src/runtime/heap.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';

const allocator = suite('Heap allocator');

allocator('blocks are 16-aligned, disjoint, and freed memory is reused', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Heap(memory, 1000);
  const a = heap.alloc(1);
  const b = heap.alloc(100);
  const c = heap.alloc(0);
  for (const p of [a, b, c]) assert.is(p % 16, 0);
  assert.ok(a >= 1000 && b >= a + 16 && c >= b + 112);
  assert.is(heap.inUseBytes, 16 + 112 + 16);
  heap.release(b);
  assert.is(heap.alloc(112), b, 'first fit reuses the hole');
  heap.release(a);
  heap.release(b);
  heap.release(c);
  assert.is(heap.inUseBytes, 0);
  assert.is(heap.alloc(16 + 112 + 16), a, 'neighbouring holes coalesce');
});

allocator('grows memory on demand and refuses > 4 GiB with E_RANGE', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Heap(memory, 0);
  const p = heap.alloc(3 * 65536);
  assert.ok(memory.buffer.byteLength >= p + 3 * 65536);
  try {
    heap.alloc(2 ** 32);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_RANGE');
  }
  assert.is(heap.inUseBytes, 3 * 65536, 'a failed allocation leaks nothing');
});

allocator('releasing an unknown pointer is reported, not ignored', () => {
  const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
  assert.throws(() => heap.release(48), (e: { code?: string }) => e.code === 'E_WASM');
});

allocator.run();

eachVariant('heap growth and leaks', (t) => {
  t('results stay correct when memory grows between calls', ({ bs }) => {
    const w = randomFloats(37 * 29, 1);
    const x = randomFloats(5 * 29, 2);
    const layer = bs.linear(Dense.from(w, [37, 29]));
    const before = layer.forward(x, 5);
    const hog = bs.tensor(4 << 20); // 16 MiB: forces memory.grow and detaches every old view
    const after = layer.forward(x, 5);
    assert.equal(after, before);
    assert.is(compareLinear({ w, x, batch: 5, out: 37, in: 29, relu: false }, after), undefined);
    hog.dispose();
    layer.dispose();
  });

  t('results stay correct when memory grows during a call (scratch allocation)', ({ bs }) => {
    const w = randomFloats(64 * 48, 3);
    const layer = bs.linear(Dense.from(w, [64, 48]));
    const start = bs.heap.memoryBytes;
    // A batch whose scratch (x and y copies) cannot fit in the current memory.
    const batch = Math.ceil(start / (4 * (48 + 64))) + 1000;
    const x = randomFloats(batch * 48, 4);
    const y = layer.forward(x, batch);
    assert.ok(bs.heap.memoryBytes > start, 'memory grew inside forward()');
    assert.is(compareLinear({ w, x, batch, out: 64, in: 48, relu: false }, y), undefined);
    // The packed weights survived the growth too.
    const one = layer.forward(x.subarray(0, 48), 1);
    assert.is(compareLinear({ w, x: x.subarray(0, 48), batch: 1, out: 64, in: 48, relu: false }, one), undefined);
    layer.dispose();
  });

  t('10,000 create / forward / dispose cycles return in-use bytes to the start', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    const startBlocks = bs.heap.blocks;
    const w = Dense.from(randomFloats(12 * 10, 5), [12, 10]);
    const x = randomFloats(3 * 10, 6);
    const bias = randomFloats(12, 7);
    for (let i = 0; i < 10_000; i++) {
      const layer = bs.linear(w, { bias, activation: i & 1 ? 'relu' : 'none' });
      layer.forward(x, 3);
      layer.forward(x.subarray(0, 10), 1);
      layer.dispose();
    }
    assert.is(bs.heap.inUseBytes, start);
    assert.is(bs.heap.blocks, startBlocks);
  });

  t('scratch is released even when a call fails validation', ({ bs }) => {
    const layer = bs.linear(Dense.from(randomFloats(6, 8), [3, 2]));
    const start = bs.heap.inUseBytes;
    assert.throws(() => layer.forward(new Float32Array(5)), (e: { code?: string }) => e.code === 'E_SHAPE');
    assert.is(bs.heap.inUseBytes, start);
    layer.dispose();
  });
});
