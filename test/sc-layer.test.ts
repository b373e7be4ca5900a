// bs.sc.linear against a bit-by-bit model built from the spec's references (test/reference/sc-arith.ts): the
// products formed one cycle at a time, APC / exact PC per cycle → Btanh, and the per-cycle MUX → Stanh; the
// decoded sums from the counts; every build; typed errors and no leaks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamBatch, btanhStates } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { apcAt, btanhRef, pcAt, stanhRef, type Bits } from './reference/sc-arith.js';
import { packStreams, unpackStream } from './reference/sc-streams.js';

const SEED = 20261201;

function randomBits(count: number, length: number, seed: number, p = 0.5): Bits[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => (next() < p ? 1 : 0)));
}

const product = (a: number, b: number, bipolar: boolean) => (bipolar ? 1 - (a ^ b) : a & b);

eachVariant('sc.linear', (test) => {
  test('APC / exact counters → Btanh: output bits and decoded sums equal the bit-level model', ({ bs }) => {
    let i = 0;
    for (const [n, out, length, batch] of [[16, 3, 255, 2], [33, 5, 130, 1], [7, 2, 64, 3]] as const) {
      for (const innerProduct of ['apc', 'exact'] as const) {
        for (const encoding of ['bipolar', 'unipolar'] as const) {
          i++;
          const x = randomBits(batch * n, length, SEED + i, 0.6);
          const w = randomBits(out * n, length, SEED + 100 + i, 0.45);
          const states = i % 2 ? undefined : 2 * n + 6;
          const after = i % 3 !== 0;
          using layer = bs.sc.linear(packStreams(w), n, { innerProduct, encoding, states, outputTiming: after ? 'afterUpdate' : 'beforeUpdate' });
          const r = states ?? btanhStates(n);
          assert.is(layer.states, r);
          const { streams, sums } = layer.run(packStreams(x));
          for (let b = 0; b < batch; b++) {
            for (let j = 0; j < out; j++) {
              const products = Array.from({ length: n }, (_, k) => x[b * n + k].map((v, t) => product(v, w[j * n + k][t], encoding === 'bipolar')));
              const counts = Array.from({ length }, (_, t) => (innerProduct === 'apc' ? apcAt(products, t) : pcAt(products, t)));
              const want = btanhRef(counts, n, { states: r, after, strict: false });
              assert.equal(unpackStream(streams!, b * out + j), want, `n ${n} ${innerProduct} ${encoding} sample ${b} neuron ${j}`);
              const total = counts.reduce((s, c) => s + c, 0);
              const sum = encoding === 'bipolar' ? (2 * total) / length - n : total / length;
              assert.ok(Math.abs(sums[b * out + j] - sum) < 1e-9, `sum ${sums[b * out + j]} vs ${sum}`);
            }
          }
        }
      }
    }
  });

  test("'mux' → Stanh: each cycle's selected product through the K-state FSM; sums = n·(2·ones/L − 1)", ({ bs }) => {
    const [n, out, length] = [10, 4, 200];
    const x = randomBits(2 * n, length, SEED);
    const w = randomBits(out * n, length, SEED + 1);
    const next = rng(SEED + 2);
    const select = Array.from({ length }, () => Math.floor(next() * n));
    using layer = bs.sc.linear(packStreams(w), n, { innerProduct: 'mux', select });
    assert.is(layer.states, 2 * n);
    const { streams, sums } = layer.run(packStreams(x));
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < out; j++) {
        const muxed = select.map((s, t) => product(x[b * n + s][t], w[j * n + s][t], true));
        assert.equal(unpackStream(streams!, b * out + j), stanhRef(muxed, { states: 2 * n, after: false, strict: false }));
        const ones = muxed.reduce((a, v) => a + v, 0);
        assert.ok(Math.abs(sums[b * out + j] - n * ((2 * ones) / length - 1)) < 1e-9);
      }
    }
  });

  test("activation 'none' returns only the sums (counters) or the MUX streams", ({ bs }) => {
    const x = packStreams(randomBits(8, 96, SEED));
    using counters = bs.sc.linear(packStreams(randomBits(16, 96, SEED + 1)), 8, { activation: 'none' });
    const r = counters.run(x);
    assert.is(r.streams, undefined);
    assert.is(r.sums.length, 2);
  });

  test('sweepLinear: SC error against the f64 reference shrinks with the stream length (APC → Btanh, exact sums)', ({ bs }) => {
    const next = rng(SEED + 5);
    const [out, n, batch] = [6, 64, 4];
    const w = Float32Array.from({ length: out * n }, () => (next() * 2 - 1) * 0.3);
    const x = Float32Array.from({ length: batch * n }, () => next() * 2 - 1);
    const sources = { inputs: bs.sc.lfsr({ width: 16 }), weights: bs.sc.uniform({ seed: 3, bits: 16, length: 65536 }) };
    for (const options of [{ innerProduct: 'apc' as const }, { innerProduct: 'exact' as const, activation: 'none' as const }]) {
      const rows = bs.sc.sweepLinear(w, [out, n], x, { ...options, sources, lengths: [64, 4096] });
      assert.equal(rows.map((r) => r.length), [64, 4096]);
      // Bipolar stream noise falls like 1/√L: 64× the length should cut the error several-fold.
      assert.ok(rows[1].rmse < rows[0].rmse / 2, `${JSON.stringify(options)}: rmse ${rows[0].rmse} → ${rows[1].rmse}`);
      assert.ok(rows[1].maxAbsError < 0.6, `max error at 4096: ${rows[1].maxAbsError}`); // measured 0.31 (APC → Btanh), 0.35 (sums)
    }
  });

  test('bad arguments → typed errors before any kernel; nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const w = packStreams(randomBits(6, 64, SEED));
    assert.is(codeOf(() => bs.sc.linear(w, 4)), 'E_SHAPE'); // 6 streams are not out × 4
    assert.is(codeOf(() => bs.sc.linear(w, 3, { innerProduct: 'mux', activation: 'btanh', select: new Array(64).fill(0) })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.sc.linear(w, 3, { innerProduct: 'mux' })), 'E_SHAPE'); // no select
    assert.is(codeOf(() => bs.sc.linear(w, 3, { innerProduct: 'mux', select: new Array(64).fill(3) })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.linear(w, 3, { states: 7 })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.linear(w, 3, { innerProduct: 'or' as 'apc' })), 'E_RANGE');
    const layer = bs.sc.linear(w, 3);
    assert.is(codeOf(() => layer.run(new StreamBatch(3, 65))), 'E_SHAPE');
    assert.is(codeOf(() => layer.run(new StreamBatch(4, 64))), 'E_SHAPE');
    layer.dispose();
    assert.is(codeOf(() => layer.run(new StreamBatch(3, 64))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});

