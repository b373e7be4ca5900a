// bs.mac.productTableLinear against a plain-loop reference (test/reference/mac-table.ts): i32 tables exact,
// f64 tables bit-identical to a k-order float64 sum; output tails (out % 4), batch > 1, every width 2..8, every
// build; typed errors for bad tables / codes / shapes; no heap leaks.
import * as assert from 'uvu/assert';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { randomOperands, tableGemmRef } from './reference/mac-table.js';

const SEED = 20261206;

function randomTable(w: number, float: boolean, next: () => number, scale = 1000): Int32Array | Float64Array {
  const n = 4 ** w;
  if (float) return Float64Array.from({ length: n }, () => (next() - 0.5) * scale * Math.PI);
  return Int32Array.from({ length: n }, () => Math.floor((next() - 0.5) * 2 * scale));
}

eachVariant('mac.productTableLinear', (test) => {
  test('i32 and f64 tables equal the plain loop (every width, tails, batch 1 and > 1)', ({ bs }) => {
    const next = rng(SEED);
    const before = bs.heap.inUseBytes;
    let cases = 0;
    for (const w of [2, 3, 4, 5, 6, 7, 8]) {
      for (const float of [false, true]) {
        for (const [out, k, batch] of [[1, 1, 1], [5, 13, 1], [4, 64, 3], [7, 33, 2], [9, 130, 5]] as const) {
          const table = randomTable(w, float, next);
          const weights = randomOperands(out * k, w, next);
          const x = randomOperands(batch * k, w, next);
          using layer = bs.mac.productTableLinear(table, w, weights, [out, k]);
          assert.is(layer.exact, !float);
          const y = layer.forward(x, batch);
          const want = tableGemmRef(table, w, x, weights, batch, out, k);
          // Float tables: the kernel sums in k order like the reference, so the bits agree exactly.
          assert.equal(Array.from(y), Array.from(want), `w ${w} ${float ? 'f64' : 'i32'} ${out}×${k} batch ${batch}`);
          cases++;
        }
      }
    }
    assert.is(cases, 70);
    assert.is(bs.heap.inUseBytes, before);
  });

  test('exact product table = integer GEMM; repeated forward on one layer', ({ bs }) => {
    const w = 8;
    const table = new Int32Array(65536);
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) table[a * 256 + b] = (a >= 128 ? a - 256 : a) * (b >= 128 ? b - 256 : b);
    const next = rng(SEED + 1);
    const [out, k] = [6, 1000];
    const weights = randomOperands(out * k, w, next);
    using layer = bs.mac.productTableLinear(table, w, weights, [out, k]);
    for (let rep = 0; rep < 2; rep++) {
      const x = randomOperands(2 * k, w, next);
      const y = layer.forward(x, 2);
      for (let b = 0; b < 2; b++) {
        for (let o = 0; o < out; o++) {
          let s = 0;
          for (let i = 0; i < k; i++) s += x[b * k + i] * weights[o * k + i];
          assert.is(y[b * out + o], s);
        }
      }
    }
    // Extremes: every pair (−128, −128) sums to k · 16384.
    using ext = bs.mac.productTableLinear(table, w, new Int8Array(k).fill(-128), [1, k]);
    assert.is(ext.forward(new Int8Array(k).fill(-128))[0], k * 16384);
  });

  test('bad tables, codes, shapes and batch → BitsieveError; nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const t4 = new Int32Array(256);
    const w = new Int8Array(8);
    assert.is(codeOf(() => bs.mac.productTableLinear(new Int32Array(255), 4, w, [2, 4])), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.productTableLinear(new Float32Array(256) as never, 4, w, [2, 4])), 'E_DTYPE');
    assert.is(codeOf(() => bs.mac.productTableLinear(Float64Array.from({ length: 256 }, (_, i) => (i === 9 ? NaN : 1)), 4, w, [2, 4])), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 9, w, [2, 4])), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 1, w, [2, 4])), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 4, w, [2, 5])), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 4, new Int8Array(8).fill(8), [2, 4])), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 4, new Int8Array(8).fill(-9), [2, 4])), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 4, new Uint8Array(8) as never, [2, 4])), 'E_DTYPE');
    assert.is(codeOf(() => bs.mac.productTableLinear(t4, 4, new Int8Array(0), [0, 4])), 'E_SHAPE');
    // Sums that could leave the exact f64 range.
    const big = new Int32Array(256).fill(2 ** 31 - 1);
    assert.is(codeOf(() => bs.mac.productTableLinear(big, 4, new Int8Array(2 ** 23), [1, 2 ** 23])), 'E_RANGE');
    const layer = bs.mac.productTableLinear(t4, 4, w, [2, 4]);
    assert.is(codeOf(() => layer.forward(new Int8Array(5))), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Int8Array(8), 3)), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Int8Array(4).fill(8))), 'E_RANGE');
    assert.is(codeOf(() => layer.forward(new Int8Array(4), 0)), 'E_RANGE');
    layer.dispose();
    assert.is(codeOf(() => layer.forward(new Int8Array(4))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});
